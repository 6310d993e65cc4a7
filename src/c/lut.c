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
 * JS side lays out signed tables accordingly). One load of the code, one add, one load of
 * the table and one store per byte, 16 bytes an iteration (1.05x 8; pointers stepped so
 * that wasm addresses each byte as pointer + constant offset): the load and store ports do
 * the work. The wasm SIMD form -- 16 i8x16.swizzle of 16-entry slices, the index shifted
 * down by 16 for each and the results ORed -- costs 62 vector instructions per 16 bytes
 * (V8 adds a saturating add to every swizzle to zero the out-of-range lanes), bound by
 * three vector ports. Paired on the model 207 Intel (bench/ab.mjs lut_sigmoid): this
 * loop 1.64x / 1.60x the swizzles at 64K / 1M (four processes); 16 swizzled bytes beside
 * 16-112 of these in one loop 0.83-0.92x of this alone; 64-bit loads and stores with
 * shifts 0.65x; the table copied to a fixed address (one add less) 0.9-0.99x. */
ACTQ_EXPORT void actq_apply_lut8(const uint8_t* table, const uint8_t* in, uint8_t* out, size_t n) {
  for (const uint8_t* end = in + (n & ~(size_t)15); in != end; in += 16, out += 16) {
    out[0] = table[in[0]], out[1] = table[in[1]], out[2] = table[in[2]], out[3] = table[in[3]];
    out[4] = table[in[4]], out[5] = table[in[5]], out[6] = table[in[6]], out[7] = table[in[7]];
    out[8] = table[in[8]], out[9] = table[in[9]], out[10] = table[in[10]], out[11] = table[in[11]];
    out[12] = table[in[12]], out[13] = table[in[13]], out[14] = table[in[14]], out[15] = table[in[15]];
  }
  for (size_t i = 0; i < (n & 15); ++i) out[i] = table[in[i]];
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
