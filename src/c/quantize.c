/* Affine quantization: quantize, dequantize, fake quantization and its straight-through
 * gradient mask, per tensor or per channel.
 *
 *   q = clamp(round(x / scale) + zero_point, qmin, qmax)     x / scale in float32, as ONNX
 *   x = (q - zero_point) * scale
 *
 * Rounding: half_even (ONNX, PyTorch), half_away (TFLite), half_up (CMSIS-NN), each exact
 * for every float (no "add 0.5 then floor", which rounds 0.49999997 up). NaN quantizes to
 * the zero point; +-inf saturate.
 */
#include "actq.h"
#include "simd_codes.h"

enum { ROUND_HALF_EVEN = 0, ROUND_HALF_AWAY = 1, ROUND_HALF_UP = 2 };

/* One channel's parameters, as floats (codes are exact integers in float, |q| <= 65535):
 * lo, hi = qmin - zp, qmax - zp, the range of the rounded quotient; zp_bits = the bits of
 * CODE_MAGIC minus zp (below); code_min, code_max = qmin, qmax for the integer clamp. */
typedef struct { vf scale, zp, qmin, qmax, lo, hi; vi zp_bits; int32_t code_min, code_max; } qrun;

V_INLINE vf q_round(vf y, int mode) {
  if (mode == ROUND_HALF_EVEN) return v_nearest(y);
  if (mode == ROUND_HALF_AWAY) {
    const vf t = v_trunc(y);
    return v_sel(v_ge(v_abs(v_sub(y, t)), v_set(0.5f)), v_add(t, v_copysign(v_set(1.0f), y)), t);
  }
  const vf f = v_floor(y); /* y - f is exact */
  return v_sel(v_ge(v_sub(y, f), v_set(0.5f)), v_add(f, v_set(1.0f)), f);
}

/* round(x / scale) + zero_point before clamping; NaN gives the zero point */
V_INLINE vf q_unclamped(vf x, const qrun* r, int mode) {
  const vf c = v_add(q_round(v_div(x, r->scale), mode), r->zp);
  return v_sel(v_isnan(x), r->zp, c);
}

/* CODE_MAGIC + round(clamp(x / scale, lo, hi)), NaN as 0: clamping before rounding gives the
 * same integer (the bounds are integers and rounding is monotonic), and for half_even the
 * float addition of CODE_MAGIC is the rounding itself, so the code is one integer subtraction
 * away (q_code_bits) and the rounded quotient one float subtraction (fake_quant): 1.2x the
 * former round, add zp, NaN select, clamp and convert (quantize, paired). */
V_INLINE vf q_magic(vf x, const qrun* r, int mode) {
  const vf y = v_div(x, r->scale);
  const vf yc = v_min(v_max(v_and_mask(v_eq(y, y), y), r->lo), r->hi);
  return v_add(mode == ROUND_HALF_EVEN ? yc : q_round(yc, mode), v_set(CODE_MAGIC));
}
/* the code as an int32 lane: round(...) + zp */
V_INLINE vi q_code_bits(vf x, const qrun* r, int mode) { return i_sub(v_bits(q_magic(x, r, mode)), r->zp_bits); }

/* Element i of a call is in channel ((start + i) / inner) % channels; run(m, offset, c)
 * covers the elements of one channel at a time (the whole call when channels == 1). */
#define FOR_CHANNEL_RUNS(n, start, channels, inner, run)                             \
  do {                                                                              \
    uint32_t c_ = ((start) / (inner)) % (channels), pos_ = (start) % (inner);       \
    for (size_t i_ = 0; i_ < (n);) {                                                \
      const size_t m_ = (channels) == 1 ? (n) - i_                                  \
                      : ((inner) - pos_ < (n) - i_ ? (inner) - pos_ : (n) - i_);    \
      run(m_, i_, c_);                                                              \
      i_ += m_;                                                                     \
      pos_ = 0;                                                                     \
      c_ = c_ + 1 == (channels) ? 0 : c_ + 1;                                       \
    }                                                                               \
  } while (0)

static qrun make_run(const float* scales, const int32_t* zps, uint32_t c, int32_t qmin, int32_t qmax) {
  const qrun r = { v_set(scales[c]), v_set((float)zps[c]), v_set((float)qmin), v_set((float)qmax),
                   v_set((float)(qmin - zps[c])), v_set((float)(qmax - zps[c])), i_set(CODE_MAGIC_BITS - zps[c]), qmin, qmax };
  return r;
}

/* ---- quantize ------------------------------------------------------------------------- */

/* One block through q_code_bits, rounding and storage as arguments: the blocks with a NaN
 * and the last, partial one (zero-padded), out of the specialised loops (binary size). */
__attribute__((noinline)) static void quantize_block(size_t m, const float* x, void* q, const qrun* r, int mode, int kind) {
  float t[QBLOCK] = { 0 };
  int16_t codes[QBLOCK];
  memcpy(t, x, m * sizeof(float));
  vi c[4];
  for (int j = 0; j < 4; j++) { /* a constant mode per call of q_code_bits: 0.5 KB less than mode as a variable */
    const vf v = v_load(t + j * VLEN);
    c[j] = mode == ROUND_HALF_EVEN ? q_code_bits(v, r, ROUND_HALF_EVEN)
         : mode == ROUND_HALF_AWAY ? q_code_bits(v, r, ROUND_HALF_AWAY) : q_code_bits(v, r, ROUND_HALF_UP);
  }
  store_codes_clamped(kind, codes, c[0], c[1], c[2], c[3], code_splat(kind, r->code_min), code_splat(kind, r->code_max));
  memcpy(q, codes, m * code_bytes(kind));
}

/* the code as an int32 lane of any size, for the saturating store: only y >= -2^22 is
 * needed, where the CODE_MAGIC sum is a positive float (its bits monotonic in y) */
V_INLINE vi q_code_bits_sat(vf x, const qrun* r, int mode) {
  const vf y = v_max(v_div(x, r->scale), v_set(-0x1p22f));
  return i_sub(v_bits(v_add(mode == ROUND_HALF_EVEN ? y : q_round(y, mode), v_set(CODE_MAGIC))), r->zp_bits);
}

/* Blocks without NaN (one test per block, on the sum of its inputs) leave the clamp to the
 * store: the packs saturate and a min and max on the packed codes clamp, 4 instructions per
 * vector besides the division instead of 7. The divisions bind (4 per block, ~3 cycles each
 * on Intel), so that gained only 1.02x (model 207, paired); the NaN blocks and the partial
 * last one going through quantize_block instead of a copy per specialisation took 3.3 KB off
 * the binary. */
V_INLINE void quantize_run(size_t n, const float* x, void* q, const qrun* r_, int mode, int kind) {
  const size_t bytes = code_bytes(kind);
  /* a copy that does not escape: quantize_block gets r_, so the loop keeps these in registers */
  const qrun rk = *r_, *r = &rk;
  const code_vec lo = code_splat(kind, r->code_min), hi = code_splat(kind, r->code_max);
  size_t i = 0;
  for (; i + QBLOCK <= n; i += QBLOCK) {
    const float* p = x + i;
    const vf a = v_load(p), b = v_load(p + VLEN), c = v_load(p + 2 * VLEN), d = v_load(p + 3 * VLEN);
    if (__builtin_expect(m_any(v_isnan(v_add(v_add(a, b), v_add(c, d)))), 0)) {
      quantize_block(QBLOCK, p, (char*)q + i * bytes, r_, mode, kind);
      continue;
    }
    store_codes_clamped(kind, (char*)q + i * bytes, q_code_bits_sat(a, r, mode), q_code_bits_sat(b, r, mode),
                        q_code_bits_sat(c, r, mode), q_code_bits_sat(d, r, mode), lo, hi);
  }
  if (i < n) quantize_block(n - i, x + i, (char*)q + i * bytes, r_, mode, kind);
}

/* one specialised loop per (rounding, storage) pair: both are loop invariants */
static void quantize_dispatch(size_t n, const float* x, void* q, const qrun* r, int mode, int kind) {
#define Q_KIND(m)                                                                  \
  switch (kind) {                                                                  \
    case CODE_S8: quantize_run(n, x, q, r, m, CODE_S8); return;                    \
    case CODE_U8: quantize_run(n, x, q, r, m, CODE_U8); return;                    \
    case CODE_S16: quantize_run(n, x, q, r, m, CODE_S16); return;                  \
    default: quantize_run(n, x, q, r, m, CODE_U16); return;                        \
  }
  switch (mode) {
    case ROUND_HALF_EVEN: Q_KIND(ROUND_HALF_EVEN)
    case ROUND_HALF_AWAY: Q_KIND(ROUND_HALF_AWAY)
    default: Q_KIND(ROUND_HALF_UP)
  }
#undef Q_KIND
}

ACTQ_EXPORT void actq_quantize(const float* x, void* q, size_t n, const float* scales, const int32_t* zps,
                               uint32_t channels, uint32_t inner, uint32_t start, int32_t qmin, int32_t qmax,
                               int rounding, int kind) {
  const size_t bytes = code_bytes(kind);
#define RUN(m, off, c)                                                              \
  { const qrun r = make_run(scales, zps, c, qmin, qmax);                            \
    quantize_dispatch(m, x + (off), (char*)q + (off) * bytes, &r, rounding, kind); }
  FOR_CHANNEL_RUNS(n, start, channels, inner, RUN);
#undef RUN
}

/* ---- dequantize ------------------------------------------------------------------------ */

V_INLINE void dequantize_run(size_t n, const void* q, float* x, const qrun* r, int kind) {
  const size_t bytes = code_bytes(kind);
  vf a, b, c, d;
  size_t i = 0;
  for (; i + QBLOCK <= n; i += QBLOCK) {
    load_codes_minus(kind, (const char*)q + i * bytes, r->zp, &a, &b, &c, &d);
    float* p = x + i;
    v_store(p, v_mul(a, r->scale));
    v_store(p + VLEN, v_mul(b, r->scale));
    v_store(p + 2 * VLEN, v_mul(c, r->scale));
    v_store(p + 3 * VLEN, v_mul(d, r->scale));
  }
  if (i < n) {
    int16_t codes[QBLOCK] = { 0 };
    float t[QBLOCK];
    memcpy(codes, (const char*)q + i * bytes, (n - i) * bytes);
    load_codes_minus(kind, codes, r->zp, &a, &b, &c, &d);
    v_store(t, v_mul(a, r->scale));
    v_store(t + VLEN, v_mul(b, r->scale));
    v_store(t + 2 * VLEN, v_mul(c, r->scale));
    v_store(t + 3 * VLEN, v_mul(d, r->scale));
    memcpy(x + i, t, (n - i) * sizeof(float));
  }
}

ACTQ_EXPORT void actq_dequantize(const void* q, float* x, size_t n, const float* scales, const int32_t* zps,
                                 uint32_t channels, uint32_t inner, uint32_t start, int kind) {
  const size_t bytes = code_bytes(kind);
#define RUN(m, off, c)                                                              \
  { const qrun r = make_run(scales, zps, c, 0, 0);                                  \
    switch (kind) {                                                                 \
      case CODE_S8: dequantize_run(m, (const char*)q + (off) * bytes, x + (off), &r, CODE_S8); break;   \
      case CODE_U8: dequantize_run(m, (const char*)q + (off) * bytes, x + (off), &r, CODE_U8); break;   \
      case CODE_S16: dequantize_run(m, (const char*)q + (off) * bytes, x + (off), &r, CODE_S16); break; \
      default: dequantize_run(m, (const char*)q + (off) * bytes, x + (off), &r, CODE_U16); break;       \
    } }
  FOR_CHANNEL_RUNS(n, start, channels, inner, RUN);
#undef RUN
}

/* ---- fake quantization (QAT forward) and its straight-through gradient mask ------------ */

V_INLINE vf fake_quant(vf x, const qrun* r, int mode) { return v_mul(v_sub(q_magic(x, r, mode), v_set(CODE_MAGIC)), r->scale); }
/* 1 where the unclamped code is inside [qmin, qmax] (PyTorch fake_quantize_*_cachemask) */
V_INLINE vf fake_quant_mask(vf x, const qrun* r, int mode) {
  const vf c = q_unclamped(x, r, mode);
  const vm inside = m_and(m_and(v_ge(c, r->qmin), v_le(c, r->qmax)), v_eq(x, x));
  return v_sel(inside, v_set(1.0f), v_set(0.0f));
}

V_INLINE vf float_lanes(vf v, const qrun* r, int mode, int grad) {
  return grad ? fake_quant_mask(v, r, mode) : fake_quant(v, r, mode);
}
/* 4 vectors per iteration: fake quantization 1.08x 2 at 64K and 1.09x at 1M (model 207,
 * paired, median of four processes: 1.04-1.09 and 1.05-1.10) */
V_INLINE void float_run(size_t n, const float* x, float* y, const qrun* r, int mode, int grad) {
  size_t i = 0;
  for (; i + 4 * VLEN <= n; i += 4 * VLEN) {
    const vf x0 = v_load(x + i), x1 = v_load(x + i + VLEN), x2 = v_load(x + i + 2 * VLEN), x3 = v_load(x + i + 3 * VLEN);
    v_store(y + i, float_lanes(x0, r, mode, grad));
    v_store(y + i + VLEN, float_lanes(x1, r, mode, grad));
    v_store(y + i + 2 * VLEN, float_lanes(x2, r, mode, grad));
    v_store(y + i + 3 * VLEN, float_lanes(x3, r, mode, grad));
  }
  for (; i + VLEN <= n; i += VLEN) v_store(y + i, float_lanes(v_load(x + i), r, mode, grad));
  if (i < n) {
    float t[VLEN] = { 0 };
    memcpy(t, x + i, (n - i) * sizeof(float));
    v_store(t, float_lanes(v_load(t), r, mode, grad));
    memcpy(y + i, t, (n - i) * sizeof(float));
  }
}

static void fake_quantize_calls(const float* x, float* y, size_t n, const float* scales, const int32_t* zps,
                                uint32_t channels, uint32_t inner, uint32_t start, int32_t qmin, int32_t qmax,
                                int rounding, int grad) {
#define RUN(m, off, c)                                                                   \
  { const qrun r = make_run(scales, zps, c, qmin, qmax);                                 \
    const float* xs = x + (off);                                                         \
    float* ys = y + (off);                                                               \
    switch (rounding * 2 + grad) { /* specialised: both are loop invariants */           \
      case 0: float_run(m, xs, ys, &r, ROUND_HALF_EVEN, 0); break;                       \
      case 1: float_run(m, xs, ys, &r, ROUND_HALF_EVEN, 1); break;                       \
      case 2: float_run(m, xs, ys, &r, ROUND_HALF_AWAY, 0); break;                       \
      case 3: float_run(m, xs, ys, &r, ROUND_HALF_AWAY, 1); break;                       \
      case 4: float_run(m, xs, ys, &r, ROUND_HALF_UP, 0); break;                         \
      default: float_run(m, xs, ys, &r, ROUND_HALF_UP, 1); break;                        \
    } }
  FOR_CHANNEL_RUNS(n, start, channels, inner, RUN);
#undef RUN
}

ACTQ_EXPORT void actq_fake_quantize(const float* x, float* y, size_t n, const float* scales, const int32_t* zps,
                                    uint32_t channels, uint32_t inner, uint32_t start, int32_t qmin,
                                    int32_t qmax, int rounding) {
  fake_quantize_calls(x, y, n, scales, zps, channels, inner, start, qmin, qmax, rounding, 0);
}
ACTQ_EXPORT void actq_fake_quantize_grad(const float* x, float* y, size_t n, const float* scales,
                                         const int32_t* zps, uint32_t channels, uint32_t inner, uint32_t start,
                                         int32_t qmin, int32_t qmax, int rounding) {
  fake_quantize_calls(x, y, n, scales, zps, channels, inner, start, qmin, qmax, rounding, 1);
}
