/* Fuzz harness: actq_lut8_build, actq_lut8_raw, actq_apply_lut8.
 *
 * From the input: activation and arguments, input and output qparams (2..8 bits, at their
 * limits often, invalid at times), 0..4096 codes, their alignment, in place or not.
 * Invariants: SIMD and scalar builds give the same status and table; every entry is
 * quantize(f(dequantize(code))) computed one code at a time through the C API; entries
 * are codes of the output range; the raw layout maps every byte to the entry of its
 * (clamped) code; apply == table lookup, SIMD == scalar, in place too; refused calls write
 * nothing; nothing written past n (guards) or read past n (ASan).
 */
#include "fuzz.h"

static int32_t code8(uint8_t b, int is_signed) { return is_signed ? (int8_t)b : b; }

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fz f = fz_init(data, size);
  const uint32_t id = fz_u8(&f) % actq_count();
  actq_args a;
  fz_arrays store;
  fz_args(&f, id, &a, &store);
  const actq_qparams in = fz_qparams(&f, 2, 8, 1), out = fz_qparams(&f, 2, 8, 1);
  const int null_args = fz_u8(&f) < 30;
  uint8_t t1[256], t2[256];
  memset(t1, 0xa5, 256);
  memset(t2, 0xa5, 256);
  const int n1 = actq_lut8_build(id, null_args ? NULL : &a, &in, &out, t1);
  const int n2 = scalar_actq_lut8_build(id, null_args ? NULL : &a, &in, &out, t2);
  CHECK(n1 == n2, "lut8_build: simd %d scalar %d", n1, n2);
  /* refusal, in the order the arguments are checked */
  const int valid_args = null_args || actq_args_validate(id, &a) < 0;
  const int valid_q = qparams_valid(&in) && qparams_valid(&out);
  if (!valid_args) CHECK(n1 == ACTQ_E_ARGS, "invalid args gave %d", n1);
  else if (n1 != ACTQ_E_TABLE && !valid_q) CHECK(n1 == ACTQ_E_QPARAMS, "invalid qparams gave %d", n1);
  if (n1 <= 0) {
    for (int i = 0; i < 256; ++i) CHECK(t1[i] == 0xa5, "refused lut8_build (%d) wrote entry %d", n1, i);
    CHECK(n1 == ACTQ_E_TABLE || !valid_args || !valid_q, "valid arguments refused: %d", n1);
    return 0;
  }
  CHECK(memcmp(t1, t2, (size_t)n1) == 0, "lut8_build: simd != scalar");
  for (int i = n1; i < 256; ++i) CHECK(t1[i] == 0xa5, "lut8_build wrote entry %d of %d", i, n1);
  int32_t lo, hi, olo, ohi;
  actq_qparams_check(&in, &lo, &hi, NULL);
  actq_qparams_check(&out, &olo, &ohi, NULL);
  CHECK(n1 == hi - lo + 1, "%d entries for codes [%d, %d]", n1, lo, hi);
  /* each entry again, one code at a time */
  const actq_args* use = null_args ? NULL : &a;
  actq_args one;
  if (use) { one = *use; one.start = 0; use = &one; }
  for (int i = 0; i < n1; ++i) {
    const uint8_t c = (uint8_t)(lo + i);
    float x, y;
    uint8_t q;
    CHECK(actq_dequantize_tensor(&in, &c, &x, 1) == ACTQ_OK, "dequantize");
    CHECK(actq_forward_args(id, use, &x, &y, 1) == ACTQ_OK, "forward");
    CHECK(actq_quantize_tensor(&out, &y, &q, 1) == ACTQ_OK, "quantize");
    CHECK(q == t1[i], "%s: entry %d (code %d, x = %a, f = %a): %d, one at a time %d", actq_get(id)->name, i, lo + i, x,
          y, t1[i], q);
    const int32_t oc = code8(t1[i], out.is_signed);
    CHECK(oc >= olo && oc <= ohi, "entry %d = %d outside [%d, %d]", i, oc, olo, ohi);
  }
  /* the raw layout */
  uint8_t raw1[256], raw2[256];
  CHECK(actq_lut8_raw(t1, &in, raw1) == ACTQ_OK && scalar_actq_lut8_raw(t1, &in, raw2) == ACTQ_OK, "lut8_raw");
  CHECK(memcmp(raw1, raw2, 256) == 0, "lut8_raw: simd != scalar");
  for (int b = 0; b < 256; ++b) {
    int32_t c = code8((uint8_t)b, in.is_signed);
    c = c < lo ? lo : c > hi ? hi : c;
    CHECK(raw1[b] == t1[c - lo], "raw[%d] = %d, expected the entry of code %d", b, raw1[b], c);
  }
  CHECK(actq_lut8_raw(raw1, &in, raw1) == ACTQ_OK, "lut8_raw in place"); /* table may be raw */
  /* apply: any codes, any alignment, in place or not */
  const uint8_t layout = fz_u8(&f);
  const size_t n = fz_u16(&f) % 4097, off = layout & 15;
  uint8_t* codes = malloc(n + 1);
  for (size_t i = 0; i < n; ++i) codes[i] = fz_u8(&f);
  void* base;
  const uint8_t* xs = exact_copy(codes, n, off, &base);
  guarded y1 = guarded_new(n, (layout >> 4) & 15), y2 = guarded_new(n, (layout >> 4) & 15);
  const int in_place = fz_u8(&f) & 1;
  if (in_place) memcpy(y1.data, codes, n), memcpy(y2.data, codes, n);
  actq_apply_lut8(raw2, in_place ? y1.data : xs, y1.data, n);
  scalar_actq_apply_lut8(raw2, in_place ? y2.data : xs, y2.data, n);
  guarded_check(&y1, "apply_lut8 simd");
  guarded_check(&y2, "apply_lut8 scalar");
  for (size_t i = 0; i < n; ++i) {
    CHECK(y1.data[i] == raw2[codes[i]], "apply_lut8[%zu]: %d, table[%d] = %d", i, y1.data[i], codes[i], raw2[codes[i]]);
    CHECK(y2.data[i] == y1.data[i], "apply_lut8: simd != scalar at %zu", i);
  }
  guarded_free(&y1);
  guarded_free(&y2);
  free(base);
  free(codes);
  return 0;
}
