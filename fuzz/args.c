/* Fuzz harness: the C API's names and arguments -- actq_find, actq_param_find,
 * actq_preset_find, actq_args_init / _preset / _set / _set_array / _validate, the NULL
 * checks, actq_qparams_check / actq_code_size.
 *
 * Names come from the input (real ones, real ones damaged, arbitrary bytes). Invariants:
 * a name is found exactly when it is the table's (or "swish"); refused calls leave the
 * arguments untouched; a preset sets exactly its values; a parameter set by name lands in
 * its slot; actq_args_validate agrees with an independent check of the documented rule and
 * the SIMD and scalar builds agree; run functions refuse exactly what validate refuses.
 */
#include "fuzz.h"

/* a name: a real one, a real one with a byte changed / cut, or raw bytes */
static void fz_name(fz* f, const char* real, char out[40]) {
  const uint8_t c = fz_u8(f);
  size_t len = strlen(real);
  if (len > 39) len = 39;
  memcpy(out, real, len);
  out[len] = 0;
  if (c < 120) return;
  if (c < 170 && len) { out[fz_u8(f) % len] = (char)fz_u8(f); return; }
  if (c < 200) { out[fz_u8(f) % (len + 1)] = 0; return; }
  const size_t n = fz_u8(f) % 40;
  for (size_t i = 0; i < n; ++i) out[i] = (char)(fz_u8(f) | 1);
  out[n] = 0;
}

static const actq_param ANY = { "any", ACTQ_NUMBER, 0, -10, 10, NULL, 0, "" };

/* the documented rule, independently (actq.h, actq_args_validate) */
static int ok_value(double v, const actq_param* p) {
  if (!(v >= p->min && v <= p->max)) return 0;
  return (p->kind != ACTQ_INTEGER && p->kind != ACTQ_BOOLEAN) || v == floor(v);
}
static int reference_valid(uint32_t id, const actq_args* a) {
  const actq_activation* act = actq_get(id);
  for (uint32_t k = 0; k < act->nparams; ++k) {
    const actq_param* p = &act->params[k];
    if (p->kind == ACTQ_ARRAY) {
      if (!a->arr[k] || a->len[k] == 0) return 0;
      for (uint32_t i = 0; i < a->len[k]; ++i) if (!ok_value(a->arr[k][i], p)) return 0;
    } else if (!ok_value(a->p[k], p)) {
      return 0;
    }
  }
  return !act->check || act->check(a) < 0;
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fz f = fz_init(data, size);
  const uint32_t count = actq_count();
  char name[40];
  /* find */
  fz_name(&f, actq_activations[fz_u8(&f) % count].name, name);
  const int id = actq_find(name);
  if (id >= 0) CHECK(strcmp(actq_get((uint32_t)id)->name, strcmp(name, "swish") == 0 ? "silu" : name) == 0, "find %s", name);
  else for (uint32_t j = 0; j < count; ++j) CHECK(strcmp(actq_activations[j].name, name) != 0, "%s not found", name);
  CHECK(actq_find(NULL) == -1 && actq_get(count) == NULL, "NULL name / id past the table");
  const uint32_t k = fz_u8(&f) % count;
  const actq_activation* act = actq_get(k);
  actq_args a, before;
  memset(&a, 0x5a, sizeof a);
  CHECK(actq_args_init(count, &a) == ACTQ_E_ACTIVATION && actq_args_init(k, NULL) == ACTQ_E_NULL, "init refusals");
  /* presets by name */
  fz_name(&f, act->npresets ? act->presets[fz_u8(&f) % act->npresets].name : "none", name);
  const int j = actq_preset_find(k, name);
  memset(&a, 0x5a, sizeof a);
  before = a;
  const int ps = actq_args_preset(k, name, &a);
  if (j < 0) {
    CHECK(ps == ACTQ_E_NAME && memcmp(&a, &before, sizeof a) == 0, "unknown preset '%s': %d, args touched", name, ps);
    CHECK(actq_args_preset(k, NULL, &a) == ACTQ_OK, "defaults");
  } else {
    CHECK(ps == ACTQ_OK && strcmp(act->presets[j].name, name) == 0, "preset %s", name);
    for (uint32_t p = 0; p < act->nparams; ++p)
      if (act->params[p].kind != ACTQ_ARRAY) CHECK(a.p[p] == act->presets[j].values[p], "preset %s: p[%u]", name, p);
  }
  CHECK(actq_args_validate(k, &a) < 0, "%s: defaults / a preset are valid", act->name);
  /* parameters by name, scalar or array, valid or not */
  fz_arrays store;
  for (int round = fz_u8(&f) % 6; round > 0; --round) {
    fz_name(&f, act->nparams ? act->params[fz_u8(&f) % act->nparams].name : "none", name);
    const int p = actq_param_find(k, name);
    const int as_array = fz_u8(&f) & 1;
    before = a;
    int st;
    if (as_array) {
      const uint32_t len = fz_u8(&f) % 9;
      for (uint32_t i = 0; i < len; ++i) store.a[round % ACTQ_MAX_PARAMS][i] = (float)fz_param_value(&f, p >= 0 ? &act->params[p] : &ANY);
      st = actq_args_set_array(k, &a, name, fz_u8(&f) < 8 ? NULL : store.a[round % ACTQ_MAX_PARAMS], len);
      if (p >= 0 && act->params[p].kind == ACTQ_ARRAY) CHECK(st == ACTQ_OK && a.len[p] == len, "set_array %s", name);
    } else {
      const double v = p >= 0 ? fz_param_value(&f, &act->params[p]) : fz_unit(&f);
      st = actq_args_set(k, &a, name, v);
      if (p >= 0 && act->params[p].kind != ACTQ_ARRAY) CHECK(st == ACTQ_OK && (a.p[p] == v || v != v), "set %s", name);
    }
    if (p < 0 || (act->params[p].kind == ACTQ_ARRAY) != as_array)
      CHECK(st == ACTQ_E_NAME && memcmp(&a, &before, sizeof a) == 0, "set '%s' (kind mix-up or unknown): %d", name, st);
  }
  /* validation two ways, both builds; run refuses exactly that */
  const int v1 = actq_args_validate(k, &a), v2 = scalar_actq_args_validate(k, &a);
  CHECK(v1 == v2, "validate: simd %d scalar %d", v1, v2);
  CHECK((v1 < 0) == reference_valid(k, &a), "%s: validate %d, the documented rule says %d", act->name, v1, reference_valid(k, &a));
  float x[5] = { -2, -0.5f, 0, 0.5f, 2 }, y[5] = { 7, 7, 7, 7, 7 };
  const int r = actq_forward_args(k, &a, x, y, 5);
  CHECK(r == (v1 < 0 ? ACTQ_OK : ACTQ_E_ARGS), "forward_args %d, validate %d", r, v1);
  if (r != ACTQ_OK) CHECK(y[0] == 7 && y[4] == 7, "a refused call wrote");
  CHECK(actq_derivative_args(k, NULL, NULL, NULL, 0) == ACTQ_OK, "n = 0 needs no buffers");
  CHECK(actq_forward_args(k, NULL, NULL, y, 3) == ACTQ_E_NULL && actq_forward_args(count, NULL, x, y, 1) == ACTQ_E_ACTIVATION,
        "NULL x / unknown id");
  /* qparams: check and code size agree with the rules */
  const actq_qparams qp = fz_qparams(&f, 2, 16, 1);
  int32_t lo = 1, hi = 0;
  int kind = -1;
  const int qs = actq_qparams_check(&qp, &lo, &hi, &kind);
  CHECK((qs == ACTQ_OK) == qparams_valid(&qp), "qparams_check %d", qs);
  CHECK(actq_code_size(&qp) == (qs == ACTQ_OK ? (qp.bits > 8 ? 2u : 1u) : 0u), "code_size");
  if (qs == ACTQ_OK) CHECK(lo < hi && kind == (qp.bits > 8 ? 2 : 0) + !qp.is_signed, "range [%d, %d] kind %d", lo, hi, kind);
  CHECK(actq_qparams_check(NULL, NULL, NULL, NULL) == ACTQ_E_NULL, "NULL qparams");
  const actq_qparams d = actq_qparams_default(0.5f);
  CHECK(actq_qparams_check(&d, &lo, &hi, &kind) == ACTQ_OK && lo == -128 && hi == 127 && kind == ACTQ_CODE_S8, "default");
  return 0;
}
