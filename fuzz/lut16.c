/* Fuzz harness: actq_lut16_build and actq_apply_lut16_tensor (the int16 interpolated
 * table, CMSIS-NN s16 scheme).
 *
 * Invariants: SIMD and scalar builds give the same status and knots; knots are 16-bit
 * codes of the output's signedness; apply == an independent int64 evaluation of the
 * interpolation, SIMD == scalar, in place too; outputs inside the output range; at a knot
 * the output is that knot (clamped); refused calls write nothing; nothing written past n
 * (guards) or read past n (ASan).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fz f = fz_init(data, size);
  const uint32_t id = fz_u8(&f) % actq_count();
  actq_args a;
  fz_arrays store;
  fz_args(&f, id, &a, &store);
  const actq_qparams in = fz_qparams(&f, 9, 16, 1), out = fz_qparams(&f, 9, 16, 1);
  int32_t k1[258], k2[258];
  for (int k = 0; k < 258; ++k) k1[k] = k2[k] = 0x5a5a5a5a;
  const int s1 = actq_lut16_build(id, &a, &in, &out, k1), s2 = scalar_actq_lut16_build(id, &a, &in, &out, k2);
  CHECK(s1 == s2, "lut16_build: simd %d scalar %d", s1, s2);
  CHECK(k1[257] == 0x5a5a5a5a, "lut16_build wrote past 257 knots");
  const int valid_args = actq_args_validate(id, &a) < 0, valid_q = qparams_valid(&in) && qparams_valid(&out);
  if (!valid_args) CHECK(s1 == ACTQ_E_ARGS, "invalid args gave %d", s1);
  else if (s1 != ACTQ_E_TABLE && !valid_q) CHECK(s1 == ACTQ_E_QPARAMS, "invalid qparams gave %d", s1);
  if (s1 <= 0) {
    for (int k = 0; k < 257; ++k) CHECK(k1[k] == 0x5a5a5a5a, "refused lut16_build (%d) wrote knot %d", s1, k);
    CHECK(s1 == ACTQ_E_TABLE || !valid_args || !valid_q, "valid arguments refused: %d", s1);
    return 0;
  }
  CHECK(memcmp(k1, k2, sizeof k1) == 0, "lut16_build: simd != scalar");
  CHECK(s1 == (int)in.bits - 8, "shift %d for %u bits", s1, in.bits);
  int32_t lo, hi, olo, ohi;
  actq_qparams_check(&in, &lo, &hi, NULL);
  actq_qparams_check(&out, &olo, &ohi, NULL);
  for (int k = 0; k < 257; ++k)
    CHECK(out.is_signed ? k1[k] >= -32768 && k1[k] <= 32767 : k1[k] >= 0 && k1[k] <= 65535, "knot %d = %d", k, k1[k]);
  /* apply: codes from the input, knots mostly the built ones, at times any 16-bit values */
  int32_t* knots = k1;
  if (fz_u8(&f) < 40)
    for (int k = 0; k < 257; ++k) knots[k] = out.is_signed ? (int16_t)fz_u16(&f) : (int32_t)fz_u16(&f);
  const uint8_t layout = fz_u8(&f);
  const size_t n = fz_u16(&f) % 4097, shift = (size_t)s1;
  uint16_t* codes = malloc(n * 2 + 2);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t c = fz_u8(&f);
    /* mostly codes of the input range (knots exactly, at times), else any 16-bit pattern */
    if (c < 60) codes[i] = (uint16_t)(lo + (int32_t)((fz_u8(&f) % 257u) << shift) - (c & 1));
    else if (c < 200) codes[i] = (uint16_t)(lo + (int32_t)(fz_u32(&f) % (uint32_t)(hi - lo + 1)));
    else codes[i] = (uint16_t)fz_u16(&f);
  }
  void* base;
  const uint16_t* xs = exact_copy(codes, n * 2, (layout & 3) * 2, &base);
  guarded y1 = guarded_new(n * 2, ((layout >> 2) & 3) * 2), y2 = guarded_new(n * 2, ((layout >> 2) & 3) * 2);
  const int in_place = (layout >> 4) & 1;
  if (in_place) memcpy(y1.data, codes, n * 2), memcpy(y2.data, codes, n * 2);
  const int r1 = actq_apply_lut16_tensor(knots, &in, &out, in_place ? (const void*)y1.data : xs, y1.data, n);
  const int r2 = scalar_actq_apply_lut16_tensor(knots, &in, &out, in_place ? (const void*)y2.data : xs, y2.data, n);
  CHECK(r1 == ACTQ_OK && r2 == ACTQ_OK, "apply_lut16_tensor: %d / %d", r1, r2);
  guarded_check(&y1, "apply_lut16 simd");
  guarded_check(&y2, "apply_lut16 scalar");
  CHECK(memcmp(y1.data, y2.data, n * 2) == 0, "apply_lut16: simd != scalar");
  for (size_t i = 0; i < n; ++i) {
    const int64_t q = in.is_signed ? (int16_t)codes[i] : codes[i];
    int64_t u = q - lo;
    u = u < 0 ? 0 : u > ((int64_t)256 << shift) - 1 ? ((int64_t)256 << shift) - 1 : u;
    const int64_t k = u >> shift, fr = u & ((1 << shift) - 1);
    int64_t want = knots[k] + (int64_t)floor(((double)(knots[k + 1] - knots[k]) * (double)fr) / (double)(1 << shift) + 0.5);
    want = want < olo ? olo : want > ohi ? ohi : want;
    const uint16_t b = ((const uint16_t*)y1.data)[i];
    const int64_t got = out.is_signed ? (int16_t)b : b;
    CHECK(got == want, "apply_lut16[%zu]: code %lld -> %lld, reference %lld (knots %d %d, f %lld, shift %zu)", i,
          (long long)q, (long long)got, (long long)want, knots[k], knots[k + 1], (long long)fr, shift);
    if (fr == 0 && q >= lo && q <= hi) {
      const int64_t kk = knots[k] < olo ? olo : knots[k] > ohi ? ohi : knots[k];
      CHECK(got == kk, "at knot %lld: %lld, knot %lld", (long long)k, (long long)got, (long long)kk);
    }
  }
  /* refused: 8-bit qparams */
  actq_qparams narrow = in;
  narrow.bits = 8;
  narrow.zero_point = 0;
  uint16_t one = 7;
  CHECK(actq_apply_lut16_tensor(knots, &narrow, &out, &one, &one, 1) == ACTQ_E_QPARAMS && one == 7, "8-bit refused");
  guarded_free(&y1);
  guarded_free(&y2);
  free(base);
  free(codes);
  return 0;
}
