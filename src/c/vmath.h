/* Elementary functions on vf lanes, shared by the activation kernels.
 *
 * Polynomial coefficients come from tools/fit_coeffs.py (near-minimax, float32-rounded);
 * the accuracy of every kernel built on them is measured by tests/accuracy.test.js.
 * Domains are stated per function: callers clamp, so no function needs a slow path.
 */
#ifndef ACTQ_VMATH_H
#define ACTQ_VMATH_H

#include "simd.h"

#define LOG2E 0x1.715476p+0f
#define LN2_HI 0x1.62e400p-1f  /* 17 significant bits: n * LN2_HI is exact for |n| < 128 */
#define LN2_LO 0x1.7f7d1cp-20f /* ln 2 - LN2_HI */
/* 1.5 * 2^23 + 127: adding it rounds z*log2(e) to an integer n and leaves n + 127 in
 * the low mantissa bits, so shifting the bits left by 23 gives the float 2^n. */
#define EXP_MAGIC 0x1.8000fep23f
/* below this exp(z) is subnormal: results flush to 0 instead */
#define EXP_MIN_ARG -0x1.5d589ep+6f /* ln(2^-126) = -87.3365 */

/* expm1(r) = r + r^2 q(r) on |r| <= ln2/2, rel err 2.3e-8 */
static const float EXPM1_Q[5] = { 0x1p-1f, 0x1.5554dep-3f, 0x1.55551ap-5f, 0x1.120b62p-7f, 0x1.6d10fcp-10f };

/* z = n ln2 + r with |r| <= ln2/2 (two-constant Cody-Waite); *s = 2^n.
 * Needs -126 <= n <= 127, i.e. z in [-87.3, 88.0]. Returns expm1(r). */
V_INLINE vf v_exp_reduced(vf z, vf* s) {
  const vf t = v_add(v_mul(z, v_set(LOG2E)), v_set(EXP_MAGIC));
  *s = v_from_bits(i_shl(v_bits(t), 23));
  const vf n = v_sub(t, v_set(EXP_MAGIC));
  const vf r = v_sub(v_sub(z, v_mul(n, v_set(LN2_HI))), v_mul(n, v_set(LN2_LO)));
  return v_add(r, v_mul(v_mul(r, r), V_HORNER(r, EXPM1_Q, 5)));
}

/* exp(z) for z <= 88 (NaN propagates); 0 below EXP_MIN_ARG. ~1 ULP. */
V_INLINE vf v_exp(vf z) {
  vf s;
  const vf zc = v_max(z, v_set(EXP_MIN_ARG - 1.0f));
  const vf p = v_exp_reduced(zc, &s);
  return v_sel(v_lt(z, v_set(EXP_MIN_ARG)), v_set(0.0f), v_add(s, v_mul(s, p)));
}

/* expm1(z) for z <= 88; exactly -1 below -17.5 (where expm1 rounds to -1). ~1.5 ULP:
 * s*p + (s - 1) keeps the tiny-z case exact (n = 0: s - 1 = 0). */
V_INLINE vf v_expm1(vf z) {
  vf s;
  const vf zc = v_max(z, v_set(-17.5f));
  const vf p = v_exp_reduced(zc, &s);
  return v_add(v_mul(s, p), v_sub(s, v_set(1.0f)));
}

/* log(m) = 2s + s^3 R(s^2), s = f/(2+f), |s| <= 0.1716, rel err 3e-10 */
static const float LOG_R[4] = { 0x1.555556p-1f, 0x1.9999ecp-2f, 0x1.245c44p-2f, 0x1.ddced8p-3f };

/* log1p(y) for y in [0, 1] (NaN propagates). u = 1 + y = 2^k m with m in [0.707, 1.414];
 * the rounding error of 1 + y is added back as (y - (u - 1)) / u. ~1 ULP. */
V_INLINE vf v_log1p_unit(vf y) {
  const vf u = v_add(v_set(1.0f), y);
  const vm k1 = v_ge(u, v_set(0x1.6a09e6p+0f)); /* sqrt(2) */
  const vf m = v_sel(k1, v_mul(u, v_set(0.5f)), u);
  const vf f = v_sub(m, v_set(1.0f)); /* exact (Sterbenz) */
  const vf c = v_div(v_sub(y, v_sub(u, v_set(1.0f))), u);
  const vf s = v_div(f, v_add(v_set(2.0f), f));
  const vf s2 = v_mul(s, s);
  const vf log_m = v_add(v_add(s, s), v_mul(v_mul(s, s2), V_HORNER(s2, LOG_R, 4)));
  const vf k_hi = v_sel(k1, v_set(LN2_HI), v_set(0.0f));
  const vf k_lo = v_sel(k1, v_set(LN2_LO), v_set(0.0f));
  return v_add(k_hi, v_add(log_m, v_add(c, k_lo)));
}

/* The logistic function from e = exp(-|w|): sigmoid(w) = (w < 0 ? e : 1) / (1 + e), and
 * its complement 1 - sigmoid(w) = (w < 0 ? 1 : e) / (1 + e), both without cancellation. */
V_INLINE vf v_exp_neg_abs(vf w) { return v_exp(v_neg(v_abs(w))); }
V_INLINE vf v_sigmoid_from(vf w, vf e) {
  return v_div(v_sel(v_lt(w, v_set(0.0f)), e, v_set(1.0f)), v_add(v_set(1.0f), e));
}
V_INLINE vf v_sigmoid_compl_from(vf w, vf e) {
  return v_div(v_sel(v_lt(w, v_set(0.0f)), v_set(1.0f), e), v_add(v_set(1.0f), e));
}

/* tanh(x) = -em / (2 + em), em = expm1(-2|x|), sign restored: odd, keeps -0. ~2.5 ULP */
V_INLINE vf v_tanh(vf x) {
  const vf em = v_expm1(v_mul(v_abs(x), v_set(-2.0f)));
  return v_copysign(v_div(v_neg(em), v_add(v_set(2.0f), em)), x);
}

/* x * s where s in [0, 1] is a limit factor: when s == 0 the product is a signed zero even
 * for infinite x (silu(-inf) = -0, not NaN). */
V_INLINE vf v_mul_limit(vf x, vf s) {
  return v_sel(v_eq(s, v_set(0.0f)), v_copysign(v_set(0.0f), x), v_mul(x, s));
}

/* Standard normal CDF Phi(x) and density phi(x), for gelu.
 *  |x| <= 1: Phi = 1/2 + x Q(x^2)                      (rel err 1e-8)
 *  |x| >  1: Phi(-|x|) = exp(-x^2/2) H(2 / (2 + |x|))  (rel err 4e-9), Phi(|x|) = 1 - that
 * exp(-x^2/2) is computed from x^2 split exactly into hi + lo (hi from the top 12 bits of
 * |x|, exact in float), so its argument carries no rounding error: e = exp(hi) (1 + lo + ...).
 * Beyond |x| = 13 the density is below 2^-126 and flushes to 0. */
static const float PHI_Q[7] = { 0x1.988454p-2f, -0x1.105838p-4f, 0x1.46d034p-7f, -0x1.373d9ap-10f,
                                0x1.e3b0b6p-14f, -0x1.37328p-17f, 0x1.20710cp-21f };
static const float PHI_H[12] = { -0x1.ff1d3ap-25f, 0x1.988526p-3f, 0x1.988022p-3f, 0x1.31fbf4p-3f,
                                 0x1.b85934p-5f, -0x1.89fb6cp-4f, 0x1.0deb7p-4f, -0x1.482ed6p-1f,
                                 0x1.76a3bp+0f, -0x1.83ad68p+0f, 0x1.95acc6p-1f, -0x1.6109a8p-3f };
#define INV_SQRT_2PI 0x1.988454p-2f

V_INLINE vf v_gauss(vf x, vf* pdf) {
  const vf ax = v_min(v_abs(x), v_set(13.0f));
  const vf xh = v_from_bits(i_and(v_bits(ax), i_set((int32_t)0xfffff000)));
  const vf xl = v_sub(ax, xh);
  const vf hi = v_mul(v_mul(xh, xh), v_set(-0.5f));
  const vf lo = v_neg(v_add(v_mul(xh, xl), v_mul(v_mul(xl, xl), v_set(0.5f))));
  /* exp(lo) = 1 + lo (1 + lo (1/2 + lo/6)): rel err < 3e-9 for |x| < 8 (|lo| < 2^-6) */
  const vf exp_lo = v_add(v_set(1.0f), v_mul(lo, v_add(v_set(1.0f),
                      v_mul(lo, v_add(v_set(0.5f), v_mul(lo, v_set(0x1.555556p-3f)))))));
  vf e = v_mul(v_exp(hi), exp_lo);
  e = v_sel(v_ge(v_abs(x), v_set(13.0f)), v_set(0.0f), e);
  *pdf = v_mul(e, v_set(INV_SQRT_2PI));
  const vf tail = v_mul(e, V_HORNER(v_div(v_set(2.0f), v_add(v_set(2.0f), ax)), PHI_H, 12));
  const vf central = v_add(v_set(0.5f), v_mul(x, V_HORNER(v_mul(x, x), PHI_Q, 7)));
  const vf outer = v_sel(v_lt(x, v_set(0.0f)), tail, v_sub(v_set(1.0f), tail));
  return v_sel(v_le(v_abs(x), v_set(1.0f)), central, outer);
}

#endif
