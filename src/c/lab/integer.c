/* Integer inference of a quantized dense layer, the way an edge chip runs it: uint8 input
 * codes, int8 weight codes (one row per output channel, symmetric), int32 accumulation,
 * requantization by a fixed-point multiplier and shift per channel, output codes clamped:
 *   acc = bias[c] + sum_k (x[k] - zin) w[c][k]                                (int32)
 *   r   = floor((acc m[c] + 2^(s[c] - 1)) / 2^s[c])     exact in int64, round half up
 *   y   = clamp(r + zout, lo, hi), stored as int8 (hidden: the LUT input) or int16 (logits)
 * The hidden activation is then the float-built 256-entry table (actq_apply_lut8). The
 * same arithmetic is in the exported C header (src/js/lab/export_c.js) and the tests'
 * plain-JS reference. */
#include "../actq.h"

ACTQ_EXPORT void lab_int_dense(uint32_t rows, uint32_t inputs, uint32_t outputs, const uint8_t* x, int32_t zin,
                               const int8_t* w, const int32_t* bias, const int32_t* mult, const int32_t* shift,
                               int32_t zout, int32_t lo, int32_t hi, void* y, int out16) {
  for (size_t r = 0; r < rows; ++r) {
    const uint8_t* xr = x + r * inputs;
    for (size_t c = 0; c < outputs; ++c) {
      const int8_t* wc = w + c * inputs;
      int32_t acc = bias[c];
      for (size_t k = 0; k < inputs; ++k) acc += ((int32_t)xr[k] - zin) * (int32_t)wc[k];
      const int64_t prod = (int64_t)acc * mult[c] + ((int64_t)1 << (shift[c] - 1));
      int64_t v = (prod >> shift[c]) + zout; /* arithmetic shift of int64: floor (clang, gcc) */
      v = v < lo ? lo : v > hi ? hi : v;
      if (out16) ((int16_t*)y)[r * outputs + c] = (int16_t)v;
      else ((int8_t*)y)[r * outputs + c] = (int8_t)v;
    }
  }
}
