/* The C API (actq.h, first half): find activations and parameters by name, fill and check
 * an actq_args, run the kernels with it, quantize per tensor, and build lookup tables from
 * the float kernels -- reentrant, every argument checked, for C programs that never see
 * the JS wrapper.
 *
 * Native builds only (native.mk). The wasm builds compile this file too (emscripten.mk
 * takes every src/c file) but get none of it: the JS side has its own argument handling, and the
 * SIMD binary's 64 KiB budget has no room for a second copy.
 *
 * Tables are built exactly as src/js/quantize.js builds them (dequantize -> forward ->
 * quantize through the same kernels, same float32 steps), so actq_lut8_build and
 * aq.lut(...).table hold the same bytes (tests/native.test.js).
 */
#if !defined(__EMSCRIPTEN__)

#include <string.h>

#include "actq.h"

/* ---- finding ------------------------------------------------------------------------------ */

const actq_activation* actq_get(uint32_t id) { return id < actq_activation_count ? &actq_activations[id] : NULL; }

int actq_find(const char* name) {
  if (!name) return -1;
  if (strcmp(name, "swish") == 0) name = "silu"; /* the JS registry's alias */
  for (uint32_t id = 0; id < actq_activation_count; ++id)
    if (strcmp(actq_activations[id].name, name) == 0) return (int)id;
  return -1;
}

int actq_param_find(uint32_t id, const char* name) {
  const actq_activation* a = actq_get(id);
  if (!a || !name) return -1;
  for (uint32_t k = 0; k < a->nparams; ++k)
    if (strcmp(a->params[k].name, name) == 0) return (int)k;
  return -1;
}

int actq_preset_find(uint32_t id, const char* name) {
  const actq_activation* a = actq_get(id);
  if (!a || !name) return -1;
  for (uint32_t j = 0; j < a->npresets; ++j)
    if (strcmp(a->presets[j].name, name) == 0) return (int)j;
  return -1;
}

/* ---- arguments ------------------------------------------------------------------------ */

int actq_args_init(uint32_t id, actq_args* args) {
  const actq_activation* a = actq_get(id);
  if (!a) return ACTQ_E_ACTIVATION;
  if (!args) return ACTQ_E_NULL;
  memset(args, 0, sizeof *args);
  for (uint32_t k = 0; k < a->nparams; ++k) {
    const actq_param* p = &a->params[k];
    if (p->kind == ACTQ_ARRAY) {
      args->arr[k] = p->def_array;
      args->len[k] = p->def_len;
    } else {
      args->p[k] = p->def;
    }
  }
  return ACTQ_OK;
}

int actq_args_preset(uint32_t id, const char* preset, actq_args* args) {
  const actq_activation* a = actq_get(id);
  if (!a) return ACTQ_E_ACTIVATION;
  if (!args) return ACTQ_E_NULL;
  const int j = preset ? actq_preset_find(id, preset) : -1;
  if (preset && j < 0) return ACTQ_E_NAME;
  actq_args_init(id, args);
  if (j >= 0) /* presets set the scalar parameters (the JS registry reads them the same way) */
    for (uint32_t k = 0; k < a->nparams; ++k)
      if (a->params[k].kind != ACTQ_ARRAY) args->p[k] = a->presets[j].values[k];
  return ACTQ_OK;
}

/* index of parameter `name` of kind array (want_array) or scalar, or ACTQ_E_* */
static int param_of_kind(uint32_t id, const actq_args* args, const char* name, int want_array) {
  const actq_activation* a = actq_get(id);
  if (!a) return ACTQ_E_ACTIVATION;
  if (!args) return ACTQ_E_NULL;
  const int k = actq_param_find(id, name);
  if (k < 0 || (a->params[k].kind == ACTQ_ARRAY) != want_array) return ACTQ_E_NAME;
  return k;
}

int actq_args_set(uint32_t id, actq_args* args, const char* name, double v) {
  const int k = param_of_kind(id, args, name, 0);
  if (k < 0) return k;
  args->p[k] = v;
  return ACTQ_OK;
}

int actq_args_set_array(uint32_t id, actq_args* args, const char* name, const float* values, uint32_t len) {
  const int k = param_of_kind(id, args, name, 1);
  if (k < 0) return k;
  args->arr[k] = values;
  args->len[k] = len;
  return ACTQ_OK;
}

/* ---- running -------------------------------------------------------------------------- */

enum { RUN_DERIVATIVE = -1 }; /* else an actq_tier of the forward */

static int run(int which, uint32_t id, const actq_args* args, const float* x, float* y, size_t n) {
  const actq_activation* a = actq_get(id);
  if (!a) return ACTQ_E_ACTIVATION;
  actq_args defaults;
  if (!args) {
    actq_args_init(id, &defaults);
    args = &defaults;
  }
  if (actq_args_validate(id, args) >= 0) return ACTQ_E_ARGS;
  if (n == 0) return ACTQ_OK;
  if (!x || !y) return ACTQ_E_NULL;
  const actq_kernel k = which == RUN_DERIVATIVE ? a->derivative : actq_tier_forward(a, which);
  k(n, x, y, args);
  return ACTQ_OK;
}

int actq_forward_args(uint32_t id, const actq_args* a, const float* x, float* y, size_t n) {
  return run(ACTQ_TIER_PRECISE, id, a, x, y, n);
}
int actq_derivative_args(uint32_t id, const actq_args* a, const float* x, float* y, size_t n) {
  return run(RUN_DERIVATIVE, id, a, x, y, n);
}
int actq_forward_fast_args(uint32_t id, const actq_args* a, const float* x, float* y, size_t n) {
  return run(ACTQ_TIER_FAST, id, a, x, y, n);
}
int actq_forward_balanced_args(uint32_t id, const actq_args* a, const float* x, float* y, size_t n) {
  return run(ACTQ_TIER_BALANCED, id, a, x, y, n);
}

/* ---- quantization --------------------------------------------------------------------- */

actq_qparams actq_qparams_default(float scale) {
  const actq_qparams qp = { scale, 0, 8, 1, 0, ACTQ_HALF_EVEN };
  return qp;
}

/* the rules of src/js/quantize.js normalizeQParams */
int actq_qparams_check(const actq_qparams* qp, int32_t* qmin, int32_t* qmax, int* kind) {
  if (!qp) return ACTQ_E_NULL;
  if (qp->bits < 2 || qp->bits > 16) return ACTQ_E_QPARAMS;
  if (qp->rounding != ACTQ_HALF_EVEN && qp->rounding != ACTQ_HALF_AWAY && qp->rounding != ACTQ_HALF_UP)
    return ACTQ_E_QPARAMS;
  if (!(qp->scale > 0.0f && qp->scale <= 0x1.fffffep127f)) return ACTQ_E_QPARAMS; /* also NaN */
  const int32_t lo = (qp->is_signed ? -(1 << (qp->bits - 1)) : 0) + (qp->narrow_range ? 1 : 0);
  const int32_t hi = qp->is_signed ? (1 << (qp->bits - 1)) - 1 : (1 << qp->bits) - 1;
  if (qp->zero_point < lo || qp->zero_point > hi) return ACTQ_E_QPARAMS;
  if (qmin) *qmin = lo;
  if (qmax) *qmax = hi;
  if (kind) *kind = (qp->bits > 8 ? ACTQ_CODE_S16 : ACTQ_CODE_S8) + (qp->is_signed ? 0 : 1);
  return ACTQ_OK;
}

size_t actq_code_size(const actq_qparams* qp) {
  return actq_qparams_check(qp, NULL, NULL, NULL) == ACTQ_OK ? (qp->bits > 8 ? 2 : 1) : 0;
}

enum { Q_QUANTIZE, Q_DEQUANTIZE, Q_FAKE, Q_FAKE_GRAD };

static int tensor(int op, const actq_qparams* qp, const void* in, void* out, size_t n) {
  int32_t qmin, qmax;
  int kind;
  const int status = actq_qparams_check(qp, &qmin, &qmax, &kind);
  if (status != ACTQ_OK) return status;
  if (n == 0) return ACTQ_OK;
  if (!in || !out) return ACTQ_E_NULL;
  const float* s = &qp->scale;
  const int32_t* z = &qp->zero_point;
  switch (op) {
    case Q_QUANTIZE: actq_quantize(in, out, n, s, z, 1, 1, 0, qmin, qmax, qp->rounding, kind); break;
    case Q_DEQUANTIZE: actq_dequantize(in, out, n, s, z, 1, 1, 0, kind); break;
    case Q_FAKE: actq_fake_quantize(in, out, n, s, z, 1, 1, 0, qmin, qmax, qp->rounding); break;
    default: actq_fake_quantize_grad(in, out, n, s, z, 1, 1, 0, qmin, qmax, qp->rounding); break;
  }
  return ACTQ_OK;
}

int actq_quantize_tensor(const actq_qparams* qp, const float* x, void* q, size_t n) {
  return tensor(Q_QUANTIZE, qp, x, q, n);
}
int actq_dequantize_tensor(const actq_qparams* qp, const void* q, float* x, size_t n) {
  return tensor(Q_DEQUANTIZE, qp, q, x, n);
}
int actq_fake_quantize_tensor(const actq_qparams* qp, const float* x, float* y, size_t n) {
  return tensor(Q_FAKE, qp, x, y, n);
}
int actq_fake_quantize_grad_tensor(const actq_qparams* qp, const float* x, float* y, size_t n) {
  return tensor(Q_FAKE_GRAD, qp, x, y, n);
}

/* ---- lookup tables -------------------------------------------------------------------- */

/* Checks what a table needs: a known activation, valid args (NULL: defaults, copied to
 * *use), and one function of the input value (src/js/quantize.js checkTabulable). */
static int table_args(uint32_t id, const actq_args* args, actq_args* use) {
  const actq_activation* a = actq_get(id);
  if (!a) return ACTQ_E_ACTIVATION;
  if (args) *use = *args;
  else actq_args_init(id, use);
  use->start = 0;
  if (actq_args_validate(id, use) >= 0) return ACTQ_E_ARGS;
  if (strcmp(a->name, "prelu") == 0 && use->len[0] > 1) return ACTQ_E_TABLE;
  if (strcmp(a->name, "rrelu") == 0 && use->p[2] != 0) return ACTQ_E_TABLE;
  return ACTQ_OK;
}

int actq_lut8_build(uint32_t id, const actq_args* args, const actq_qparams* in, const actq_qparams* out,
                    uint8_t table[256]) {
  actq_args use;
  int status = table_args(id, args, &use);
  int32_t qmin, qmax, omin, omax;
  int in_kind, out_kind;
  if (status == ACTQ_OK) status = actq_qparams_check(in, &qmin, &qmax, &in_kind);
  if (status == ACTQ_OK) status = actq_qparams_check(out, &omin, &omax, &out_kind);
  if (status != ACTQ_OK) return status;
  if (in->bits > 8 || out->bits > 8) return ACTQ_E_QPARAMS;
  if (!table) return ACTQ_E_NULL;
  const size_t count = (size_t)(qmax - qmin + 1);
  uint8_t codes[256];
  float x[256];
  for (size_t i = 0; i < count; ++i) codes[i] = (uint8_t)(qmin + (int32_t)i); /* the code's byte */
  actq_dequantize(codes, x, count, &in->scale, &in->zero_point, 1, 1, 0, in_kind);
  actq_activations[id].forward(count, x, x, &use);
  actq_quantize(x, table, count, &out->scale, &out->zero_point, 1, 1, 0, omin, omax, out->rounding, out_kind);
  return (int)count;
}

int actq_lut8_raw(const uint8_t* table, const actq_qparams* in, uint8_t raw[256]) {
  int32_t qmin, qmax;
  const int status = actq_qparams_check(in, &qmin, &qmax, NULL);
  if (status != ACTQ_OK) return status;
  if (in->bits > 8) return ACTQ_E_QPARAMS;
  if (!table || !raw) return ACTQ_E_NULL;
  uint8_t t[256]; /* table may be raw */
  memcpy(t, table, (size_t)(qmax - qmin + 1));
  for (int b = 0; b < 256; ++b) {
    int32_t code = in->is_signed && b >= 128 ? b - 256 : b;
    code = code < qmin ? qmin : code > qmax ? qmax : code;
    raw[b] = t[code - qmin];
  }
  return ACTQ_OK;
}

int actq_lut16_build(uint32_t id, const actq_args* args, const actq_qparams* in, const actq_qparams* out,
                     int32_t knots[257]) {
  actq_args use;
  int status = table_args(id, args, &use);
  int32_t qmin, qmax, omin, omax;
  if (status == ACTQ_OK) status = actq_qparams_check(in, &qmin, &qmax, NULL);
  if (status == ACTQ_OK) status = actq_qparams_check(out, &omin, &omax, NULL);
  if (status != ACTQ_OK) return status;
  if (in->bits <= 8 || out->bits <= 8) return ACTQ_E_QPARAMS;
  if (!knots) return ACTQ_E_NULL;
  const uint32_t shift = in->bits - 8;
  /* knot inputs as the JS computes them: (qmin + k 2^shift - zp) scale rounded once to
   * float (the last knot lies one step past qmax, so it cannot go through dequantize) */
  float x[257];
  for (int k = 0; k <= 256; ++k)
    x[k] = (float)((double)(qmin + ((int32_t)k << shift) - in->zero_point) * (double)in->scale);
  actq_activations[id].forward(257, x, x, &use);
  /* 16-bit knots even for narrower outputs: apply clamps after interpolating */
  actq_qparams wide = *out;
  wide.bits = 16;
  int32_t wmin, wmax;
  int wkind;
  actq_qparams_check(&wide, &wmin, &wmax, &wkind);
  uint16_t codes[257];
  actq_quantize(x, codes, 257, &wide.scale, &wide.zero_point, 1, 1, 0, wmin, wmax, wide.rounding, wkind);
  for (int k = 0; k <= 256; ++k) knots[k] = out->is_signed ? (int32_t)(int16_t)codes[k] : (int32_t)codes[k];
  return (int)shift;
}

int actq_apply_lut16_tensor(const int32_t knots[257], const actq_qparams* in, const actq_qparams* out,
                            const void* q, void* y, size_t n) {
  int32_t qmin, qmax, omin, omax;
  int status = actq_qparams_check(in, &qmin, &qmax, NULL);
  if (status == ACTQ_OK) status = actq_qparams_check(out, &omin, &omax, NULL);
  if (status != ACTQ_OK) return status;
  if (in->bits <= 8 || out->bits <= 8) return ACTQ_E_QPARAMS;
  if (!knots) return ACTQ_E_NULL;
  for (int k = 0; k <= 256; ++k) /* the kernel's int32 arithmetic holds for 16-bit knots */
    if (knots[k] < -65536 || knots[k] > 65535) return ACTQ_E_TABLE;
  if (n == 0) return ACTQ_OK;
  if (!q || !y) return ACTQ_E_NULL;
  actq_apply_lut16(knots, q, y, n, qmin, in->bits - 8, !in->is_signed, omin, omax, !out->is_signed);
  return ACTQ_OK;
}

#endif /* !__EMSCRIPTEN__ */
