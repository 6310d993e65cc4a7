/* Integer activation kernels: 8-bit lookup tables, the int16 interpolated table
 * (CMSIS-NN s16 scheme) and integer-only hard_sigmoid / hard_swish.
 *
 * Tables are built by the JS side from the float kernels (dequantize -> forward ->
 * quantize over every input code), never from a second formula.
 */
#include "actq.h"
#include "simd.h"

static inline int32_t clamp32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : v; }
static inline int32_t clamp64(int64_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : (int32_t)v; }

/* out[i] = table[(uint8_t)in[i]]: the 256-byte table is indexed by the raw code byte (the
 * JS side lays out signed tables accordingly). SIMD: i8x16.swizzle returns 0 for an index
 * >= 16, so OR-ing 16 lookups, one per 16-entry slice with the index shifted down by 16
 * each time, selects exactly one slice per byte. Two vectors per iteration share each
 * slice's table register: 1.15x one vector (bench/run.mjs lut_sigmoid, paired). */
#if ACTQ_V128
V_INLINE v128_t lut8_first(const v128_t* t, v128_t idx) { return wasm_i8x16_swizzle(t[0], idx); }
V_INLINE v128_t lut8_step(const v128_t* t, int j, v128_t* idx, v128_t r) {
  *idx = wasm_i8x16_sub(*idx, wasm_i8x16_splat(16));
  return wasm_v128_or(r, wasm_i8x16_swizzle(t[j], *idx));
}
#endif
ACTQ_EXPORT void actq_apply_lut8(const uint8_t* table, const uint8_t* in, uint8_t* out, size_t n) {
  size_t i = 0;
#if ACTQ_V128
  v128_t t[16];
  for (int j = 0; j < 16; ++j) t[j] = wasm_v128_load(table + 16 * j);
  for (; i + 32 <= n; i += 32) {
    v128_t a = wasm_v128_load(in + i), b = wasm_v128_load(in + i + 16);
    v128_t ra = lut8_first(t, a), rb = lut8_first(t, b);
    for (int j = 1; j < 16; ++j) ra = lut8_step(t, j, &a, ra), rb = lut8_step(t, j, &b, rb);
    wasm_v128_store(out + i, ra);
    wasm_v128_store(out + i + 16, rb);
  }
  if (i + 16 <= n) {
    v128_t a = wasm_v128_load(in + i), ra = lut8_first(t, a);
    for (int j = 1; j < 16; ++j) ra = lut8_step(t, j, &a, ra);
    wasm_v128_store(out + i, ra);
    i += 16;
  }
#endif
  for (; i < n; ++i) out[i] = table[in[i]];
}

/* int16 path: 257 knots K[k] = output code at input code qmin + k * 2^shift, linear
 * interpolation in between with round-half-up, clamped to [out_min, out_max]:
 *   k = (q - qmin) >> shift, f = (q - qmin) & (2^shift - 1)
 *   y = K[k] + ((K[k+1] - K[k]) * f + 2^(shift-1)) >> shift
 * Codes are read as int16 or uint16 (in_unsigned); codes outside [qmin, qmax] clamp. */
ACTQ_EXPORT void actq_apply_lut16(const int32_t* knots, const void* in, void* out, size_t n, int32_t in_qmin,
                                  uint32_t shift, int in_unsigned, int32_t out_min, int32_t out_max,
                                  int out_unsigned) {
  const int32_t half = shift ? 1 << (shift - 1) : 0, mask = (1 << shift) - 1;
  for (size_t i = 0; i < n; ++i) {
    const int32_t q = in_unsigned ? ((const uint16_t*)in)[i] : ((const int16_t*)in)[i];
    const int32_t u = clamp32(q - in_qmin, 0, (256 << shift) - 1), k = u >> shift, f = u & mask;
    int32_t y = knots[k] + (((knots[k + 1] - knots[k]) * f + half) >> shift);
    y = y < out_min ? out_min : y > out_max ? out_max : y;
    if (out_unsigned) ((uint16_t*)out)[i] = (uint16_t)y;
    else ((int16_t*)out)[i] = (int16_t)y;
  }
}

/* Integer-only kernels (int8 / uint8 in and out), fixed point as edge NPUs do it: the
 * real multiplier M of each kernel is m * 2^-shift with m < 2^22; rounding is half up (add
 * 2^(shift-1), arithmetic shift). Sums and products are taken in int64 (wasm i64):
 * m (q - zin) + bias + 2^(shift-1) can pass 2^31 (2^30 + 2^30 + 2^29 at the limits), and so
 * can the result for a tiny output scale, which must clamp rather than wrap.
 *
 * hard_sigmoid: p = zout + (m (q - zin) + bias + 2^(shift-1)) >> shift, clamped to [lo, hi]
 *   M = slope in_scale / out_scale, bias = round(offset / out_scale * 2^shift),
 *   [lo, hi] = the codes of 0 and 1 (clamped to the code range). */
static inline int32_t load8(const void* p, size_t i, int is_unsigned) {
  return is_unsigned ? ((const uint8_t*)p)[i] : ((const int8_t*)p)[i];
}

ACTQ_EXPORT void actq_int_hard_sigmoid(const void* in, void* out, size_t n, int in_unsigned, int32_t zin,
                                       int32_t m, int32_t shift, int32_t bias, int32_t zout, int32_t lo,
                                       int32_t hi) {
  const int64_t half = (int64_t)1 << (shift - 1);
#pragma clang loop vectorize(disable) /* i64x2 lanes: +0.9 KB of wasm for little speed */
  for (size_t i = 0; i < n; ++i) {
    const int64_t acc = (int64_t)m * (load8(in, i, in_unsigned) - zin) + bias + half;
    ((uint8_t*)out)[i] = (uint8_t)clamp64(zout + (acc >> shift), lo, hi);
  }
}

/* hard_swish: x relu6(x + 3) / 6 with x = sin d, d = q - zin:
 *   u = clamp(d 2^8 + t3, 0, t6)               relu6(x + 3) / sin in Q8: t3 = round(3 / sin 2^8),
 *                                               t6 = round(6 / sin 2^8)
 *   p = zout + (d u) * M2 >> ...               M2 = sin^2 / (6 sout 2^8) = m * 2^-shift
 * d u < 2^8 * 2^8 * 6 / sin fits int32 for sin >= 2^-7; the product with m is taken in
 * int64 (wasm i64.mul), then shifted with round-half-up. */
ACTQ_EXPORT void actq_int_hard_swish(const void* in, void* out, size_t n, int in_unsigned, int32_t zin,
                                     int32_t t3, int32_t t6, int32_t m, int32_t shift, int32_t zout,
                                     int32_t qmin, int32_t qmax) {
  const int64_t half = (int64_t)1 << (shift - 1);
#pragma clang loop vectorize(disable)
  for (size_t i = 0; i < n; ++i) {
    const int32_t d = load8(in, i, in_unsigned) - zin;
    const int32_t u = clamp32(d * 256 + t3, 0, t6);
    const int64_t acc = (int64_t)(d * u) * m + half;
    ((uint8_t*)out)[i] = (uint8_t)clamp64(zout + (acc >> shift), qmin, qmax);
  }
}
