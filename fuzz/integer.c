/* Fuzz harness: the integer-only kernels actq_int_hard_sigmoid and actq_int_hard_swish,
 * with fixed-point constants anywhere inside their documented limits (actq.h), their
 * limits included.
 *
 * Invariants: no undefined behaviour (UBSan: no int32 overflow, no bad shift); output ==
 * an independent int64 evaluation of the documented formula; SIMD == scalar build; inside
 * [lo, hi]; nothing written past n (guards) or read past n (ASan).
 */
#include "fuzz.h"

static int32_t pick(fz* f, int32_t lo, int32_t hi) { /* in [lo, hi], the ends often */
  const uint8_t c = fz_u8(f);
  if (c < 30) return lo;
  if (c < 60) return hi;
  return lo + (int32_t)(fz_u32(f) % (uint32_t)((int64_t)hi - lo + 1));
}
static int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fz f = fz_init(data, size);
  const int swish = fz_u8(&f) & 1, in_unsigned = fz_u8(&f) & 1, out_unsigned = fz_u8(&f) & 1;
  const int32_t imin = in_unsigned ? 0 : -128, imax = in_unsigned ? 255 : 127;
  const int32_t omin = out_unsigned ? 0 : -128, omax = out_unsigned ? 255 : 127;
  const int32_t zin = pick(&f, imin, imax), zout = pick(&f, omin, omax);
  int32_t lo = pick(&f, omin, omax), hi = pick(&f, omin, omax);
  if (lo > hi) { const int32_t t = lo; lo = hi; hi = t; }
  /* hard_sigmoid: 1 <= shift <= 30, 0 <= m < 2^22, |bias| < 2^30 */
  const int32_t m = pick(&f, 0, (1 << 22) - 1), shift = pick(&f, 1, swish ? 40 : 30);
  const int32_t bias = pick(&f, -(1 << 30) + 1, (1 << 30) - 1);
  /* hard_swish: in scale >= 2^-7: t3 = round(3 / s 2^8) <= 98304, t6 = 2 t3 (+-1) */
  const int32_t t3 = pick(&f, 1, 98304), t6 = 2 * t3 + (int32_t)(fz_u8(&f) % 3) - 1;
  const uint8_t layout = fz_u8(&f);
  const size_t n = fz_u16(&f) % 4097;
  uint8_t* x = malloc(n + 1);
  for (size_t i = 0; i < n; ++i) x[i] = fz_u8(&f);
  void* base;
  const uint8_t* xs = exact_copy(x, n, layout & 15, &base);
  guarded y1 = guarded_new(n, layout >> 4), y2 = guarded_new(n, layout >> 4);
  if (swish) {
    actq_int_hard_swish(xs, y1.data, n, in_unsigned, zin, t3, t6, m, shift, zout, lo, hi);
    scalar_actq_int_hard_swish(xs, y2.data, n, in_unsigned, zin, t3, t6, m, shift, zout, lo, hi);
  } else {
    actq_int_hard_sigmoid(xs, y1.data, n, in_unsigned, zin, m, shift, bias, zout, lo, hi);
    scalar_actq_int_hard_sigmoid(xs, y2.data, n, in_unsigned, zin, m, shift, bias, zout, lo, hi);
  }
  guarded_check(&y1, "int kernel simd");
  guarded_check(&y2, "int kernel scalar");
  CHECK(memcmp(y1.data, y2.data, n) == 0, "int kernel: simd != scalar");
  for (size_t i = 0; i < n; ++i) {
    const int64_t q = in_unsigned ? x[i] : (int8_t)x[i], d = q - zin;
    int64_t want;
    if (swish) {
      const int64_t u = clamp64(d * 256 + t3, 0, t6);
      want = zout + ((d * u * m + ((int64_t)1 << (shift - 1))) >> shift);
    } else {
      want = zout + ((m * d + bias + ((int64_t)1 << (shift - 1))) >> shift);
    }
    want = clamp64(want, lo, hi);
    const int64_t got = out_unsigned || lo >= 0 ? y1.data[i] : (int8_t)y1.data[i];
    CHECK(got == want || (uint8_t)got == (uint8_t)want, "%s[%zu]: q %lld -> %lld, reference %lld", swish ? "hard_swish" : "hard_sigmoid",
          i, (long long)q, (long long)got, (long long)want);
  }
  guarded_free(&y1);
  guarded_free(&y2);
  free(base);
  free(x);
  return 0;
}
