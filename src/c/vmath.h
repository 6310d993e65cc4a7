/* Elementary functions on vf lanes, shared by the activation kernels.
 *
 * Polynomial and rational coefficients come from tools/fit_coeffs.py (Chebyshev) and
 * tools/fit_remez.py (Remez), rounded to float32; the accuracy of every kernel built on
 * them is measured by tests/activations.test.js against tests/accuracy.js BOUNDS.
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
/* n = round(t) as a float, *s = 2^n (t in [-127, 127]): every exp's reduction. magic passes
 * through v_opaque, or LLVM subtracts it as the sum with -magic, holding one more of V8's 16
 * vector registers (gelu precise 1.07x, elu 1.05x on the Xeon model 207 VM, paired) */
V_INLINE vf v_exp2_round(vf t, vf* s) {
  const vf magic = v_opaque(v_set(EXP_MAGIC));
  const vf tm = v_add(t, magic);
  *s = v_from_bits(i_shl(v_bits(tm), 23));
  return v_sub(tm, magic);
}
/* below this exp(z) is subnormal: results flush to 0 instead */
#define EXP_MIN_ARG -0x1.5d589ep+6f /* ln(2^-126) = -87.3365 */

/* expm1(r) = r + r^2 q(r) on |r| <= ln2/2, rel err 2.3e-8 */
static const float EXPM1_Q[5] = { 0x1p-1f, 0x1.5554dep-3f, 0x1.55551ap-5f, 0x1.120b62p-7f, 0x1.6d10fcp-10f };

/* z = n ln2 + r with |r| <= ln2/2 (two-constant Cody-Waite); *s = 2^n.
 * Needs -126 <= n <= 127, i.e. z in [-87.3, 88.0]. Returns expm1(r). */
V_INLINE vf v_exp_reduced(vf z, vf* s) {
  const vf n = v_exp2_round(v_mul(z, v_set(LOG2E)), s);
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

/* ---- double lanes, for results that must round about once ---------------------------
 * exp(a) for a in [-88, 0] (callers clamp): Cody-Waite in double (n ln2 exact in hi for
 * |n| < 2^11), then exp(r) by Taylor to degree 8 on |r| <= ln2/2: rel err 2e-10. */
static const double D_EXP_TAYLOR[9] = { 1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320 };
V_INLINE vd d_horner(vd x, const double* c, int n) {
  vd p = d_set(c[n - 1]);
#pragma clang loop unroll(full)
  for (int i = n - 2; i >= 0; --i) p = d_add(d_mul(p, x), d_set(c[i]));
  return p;
}
V_INLINE vd d_exp_neg(vd a) {
  /* 1.5 * 2^52 + 1023 rounds a log2(e) to an integer n and leaves n + 1023 in the low bits */
  const vd t = d_add(d_mul(a, d_set(0x1.71547652b82fep+0)), d_set(0x1.8p52 + 1023.0));
  const vd n = d_sub(t, d_set(0x1.8p52 + 1023.0));
  const vd r = d_sub(d_sub(a, d_mul(n, d_set(0x1.62e42feep-1))), d_mul(n, d_set(0x1.a39ef35793c76p-33)));
  return d_mul(d_shl52(t), d_horner(r, D_EXP_TAYLOR, 9));
}
/* log1p(e) for e in [0, 1]: 1 + e = 2^k (1 + f) with f = e (k = 0) or (e - 1) / 2 (k = 1,
 * e > sqrt(2) - 1), both exact, so no rounding of 1 + e enters; then
 * log(1 + f) = 2 atanh(s) = 2s (1 + s^2/3 + ... + s^10/11), s = f / (2 + f), |s| <= 0.1716:
 * rel err 5e-11 (the first omitted term). */
static const double D_ATANH[6] = { 1.0, 1.0 / 3, 1.0 / 5, 1.0 / 7, 1.0 / 9, 1.0 / 11 };
V_INLINE vd d_log1p_unit(vd e) {
  const vdm k = d_lt(d_set(0x1.a827999fcef32p-2), e); /* sqrt(2) - 1 < e */
  const vd f = d_sel(k, d_mul(d_sub(e, d_set(1.0)), d_set(0.5)), e);
  const vd s = d_div(f, d_add(d_set(2.0), f));
  const vd l = d_mul(d_add(s, s), d_horner(d_mul(s, s), D_ATANH, 6));
  return d_add(l, d_sel(k, d_set(0x1.62e42fefa39efp-1), d_set(0.0)));
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


/* ---- select-free exp for the forward kernels ------------------------------------------
 * For z in [-88, 0.35]: n = round(z log2 e) is in [-127, 0] and 2^n is built from the bits
 * of n + 127 >= 0. n = -127 gives exactly +0, so exp flushes to zero below about -87.7
 * without a compare and select; callers clamp z to [-88, ...]. */
#define EXP_FLUSH_MIN -88.0f

/* z = n ln2 + r, |r| <= ln2/2; returns r and sets *s = 2^n. rr2: two-constant Cody-Waite
 * (r exact to ~2^-33 |n|); rr1: one constant, two instructions less, r off by 1.9e-9 |n|:
 * enough where exp(z) is added to larger terms (expm1 in tanh and elu) or where large |n|
 * only occur for results below the 1e-3 of the ULP metric (sigmoid). */
V_INLINE vf v_exp_rr2(vf z, vf* s) {
  const vf n = v_exp2_round(v_mul(z, v_set(LOG2E)), s);
  return v_sub(v_sub(z, v_mul(n, v_set(LN2_HI))), v_mul(n, v_set(LN2_LO)));
}
V_INLINE vf v_exp_rr1(vf z, vf* s) {
  return v_sub(z, v_mul(v_exp2_round(v_mul(z, v_set(LOG2E)), s), v_set(0x1.62e430p-1f)));
}

/* exp(r) = 1 + r P(r) on |r| <= ln2/2, P degree 4: minimax rel err 9.2e-8
 * (tools/fit_remez.py); exp = s + (s r) P(r) */
/* s (1 + r P(r)) as s + (s r) P(r), P's n coefficients c: exp from its reduction (s = 2^n, r
 * the reduced argument), with no rounding of 1 + r P(r) */
V_INLINE vf v_exp_from(vf s, vf r, const float* c, int n) { return v_add(s, v_mul(v_mul(s, r), V_HORNER(r, c, n))); }
static const float EXP_P5[5] = { 0x1.fffff6p-1f, 0x1.fffdc4p-2f, 0x1.555a8ap-3f, 0x1.573accp-5f, 0x1.0f992ep-7f };
V_INLINE vf v_exp_p5(vf s, vf r) { return v_exp_from(s, r, EXP_P5, 5); }
/* degree 6: exp = s + s (r + r^2 Q(r)), EXPM1_Q (rel err 2.3e-8) */
V_INLINE vf v_exp_expm1_q(vf s, vf r) {
  return v_add(s, v_mul(s, v_add(r, v_mul(v_mul(r, r), V_HORNER(r, EXPM1_Q, 5)))));
}

/* 2^t = 2^n 2^f with n = round(t) and f = t - n in [-1/2, 1/2], exact; returns f and sets
 * *s = 2^n from the bits of n + 127 (t in [-127, 127]; n = -127 gives +0). Computing exp(z)
 * as 2^(z log2 e) saves the reduction's multiply-subtract by ln 2, at the price of the
 * rounding of t: |t| ln2 2^-24 relative -- for the fast tier and for gelu's balanced tier
 * (whose t is bounded where the ULP metric applies), not for the precise kernels. */
V_INLINE vf v_exp2_reduce(vf t, vf* s) {
  return v_sub(t, v_exp2_round(t, s));
}

/* The fast tier's exp, shared by its smooth kernels: exp(z) = 2^t, t = z log2(e), by
 * v_exp2_reduce (t = n + f, |f| <= 1/2, s = 2^n), z in [-88, ...] (flushes to 0 below -87.7,
 * as v_exp_rr1; v_exp_fast clamps, v_exp_fast_in leaves it to the caller). Two accuracies
 * (tools/fit_remez.py):
 *  - 2^f = 1 + f P(f), P degree 2 (EXP2_F3): rel err 1.0e-4, for sigmoid-type results, whose
 *    abs error is at most a quarter to half of that: <= 5e-5 < 2^-14;
 *  - 2^f = Q(f)^2, Q degree 3 for 2^(f/2) (EXP2_HALF): abs err 7.1e-6 for z <= 0 (every
 *    caller's; rel err 1.1e-5), where exp(z) - 1 or a log follows and alpha or 1/beta scales
 *    it. Q spans half the interval, so a square replaces a Horner step of the 1 + f P(f) it
 *    replaced (P degree 3, rel err 2.8e-6): elu and celu fast 1.15-1.17x, log_sigmoid,
 *    softplus and selu fast 1.02-1.03x (paired A/B in both orders, model 167 VM).
 * Reducing t instead of r takes one instruction less than the one-constant reduction in r
 * (silu and mish fast 1.05-1.07x, elu 1.01-1.03x, paired A/B in both orders). */
static const float EXP2_F3[3] = { 0x1.62f5fap-1f, 0x1.f00c58p-3f, 0x1.c2a2bcp-5f };
static const float EXP2_HALF[4] = { 0x1.ffff8ap-1f, 0x1.62e5f4p-2f, 0x1.ed29f8p-5f, 0x1.c526cep-8f };
V_INLINE vf v_exp_fast_in(vf z, int accurate) {
  vf s;
  const vf f = v_exp2_reduce(v_mul(z, v_set(LOG2E)), &s);
  if (!accurate) return v_exp_from(s, f, EXP2_F3, 3);
  const vf q = V_HORNER(f, EXP2_HALF, 4);
  return v_mul(v_mul(q, q), s);
}
V_INLINE vf v_exp_fast(vf z, int accurate) { return v_exp_fast_in(v_max(z, v_set(EXP_FLUSH_MIN)), accurate); }
/* log1p(e) = e P(e) on [0, 1], P degree 4: abs err 9.9e-6 (tools/fit_remez.py LOG1P_FAST) */
static const float LOG1P_F5[5] = { 0x1.ffbdbap-1f, -0x1.f7b4c6p-2f, 0x1.2866cap-2f, -0x1.169da8p-3f, 0x1.0762acp-5f };
V_INLINE vf v_log1p_fast(vf e) { return v_mul(e, V_HORNER(e, LOG1P_F5, 5)); }

/* sigmoid(x) = (x < 0 ? e : 1) / (1 + e), e = exp(-|x|), as numerator and denominator for
 * x sigmoid(x): the numerator is max(e, x >= 0 ? 1 : 0); *den = 1 + e. e: for silu, whose
 * relative error extends to the tiny values of larger |x|, rr2 and degree 6 (2.9 ULP); for
 * the fast tier, v_exp_fast. */
V_INLINE vf v_sigmoid_num(vf x, vf* den, int fast) {
  vf s, e;
  if (fast) e = v_exp_fast(v_or_sign(x), 0); /* clamps itself */
  else {
    const vf r = v_exp_rr2(v_max(v_or_sign(x), v_set(EXP_FLUSH_MIN)), &s);
    e = v_exp_expm1_q(s, r);
  }
  *den = v_add(v_set(1.0f), e);
  return v_max(e, v_andnot_mask(i_shr_s(v_bits(x), 31), v_set(1.0f)));
}
/* sigmoid from e = exp(-|x|) by rr1 and degree 5 (3.2 ULP, as XNNPACK's rr2-p5), in two
 * steps (the forward kernel runs them as two loops) */
V_INLINE vf v_exp_neg_abs_p5(vf x) {
  vf s;
  const vf r = v_exp_rr1(v_max(v_or_sign(x), v_set(EXP_FLUSH_MIN)), &s);
  return v_exp_p5(s, r);
}
V_INLINE vf v_sigmoid_from_e(vf x, vf e) {
  const vf f = v_div(e, v_add(v_set(1.0f), e)); /* sigmoid(-|x|) */
  /* x >= 0: 1 - f, whose last rounding is its only one that matters: 1 / (1 + e) would add
   * the rounding of 1 + e (max abs error 9.0e-8 against 8.7e-8, XNNPACK's; same speed) */
  return v_sel(v_lt(x, v_set(0.0f)), f, v_sub(v_set(1.0f), f));
}

/* -expm1(z) for z in [-17.5, 0] (clamped; expm1 is -1 in float below -17.3):
 * (1 - s) - s p, p = expm1(r) = r + r^2 Q(r) (degree 6, EXPM1_Q), rr1 */
V_INLINE vf v_neg_expm1_rr1(vf z) {
  vf s;
  const vf r = v_exp_rr1(v_max(z, v_set(-17.5f)), &s);
  const vf p = v_add(r, v_mul(v_mul(r, r), V_HORNER(r, EXPM1_Q, 5)));
  return v_sub(v_sub(v_set(1.0f), s), v_mul(s, p));
}

/* expm1(z) for z in [-17.5, 0] (clamped; expm1 is -1 in float below -17.3), for elu:
 * (s - 1) + s p, p = expm1(r) = r + r^2 Q(r), rr1, Q with 6 coefficients (degree 7, rel err
 * 3.3e-9, tools/fit_remez.py EXPM1_Q6): 0.87 ULP over every float of [-20, -1e-3] (EXPM1_Q,
 * one degree less: 1.16; XNNPACK's elu: 0.88 on the bench grid) */
static const float EXPM1_Q6[6] = { 0x1p-1f, 0x1.55552cp-3f, 0x1.555502p-5f, 0x1.1155a8p-7f, 0x1.6d2e4cp-10f, 0x1.3b8be2p-13f };
#define EXPM1_MIN_ARG -17.5f
/* z already in [EXPM1_MIN_ARG, 0] */
V_INLINE vf v_expm1_q6_rr1_in(vf z) {
  vf s;
  const vf r = v_exp_rr1(z, &s);
  const vf p = v_add(r, v_mul(v_mul(r, r), V_HORNER(r, EXPM1_Q6, 6)));
  return v_add(v_sub(s, v_set(1.0f)), v_mul(s, p));
}
V_INLINE vf v_expm1_q6_rr1(vf z) { return v_expm1_q6_rr1_in(v_max(z, v_set(EXPM1_MIN_ARG))); }

/* tanh(x) = sign(x) m / (2 - m), m = -expm1(-2|x|) in [0, 1]: odd (keeps -0), 1 at +-inf */
V_INLINE vf v_tanh_expm1_rr1(vf x) {
  const vf m = v_neg_expm1_rr1(v_or_sign(v_add(x, x)));
  return v_or(v_div(m, v_sub(v_set(2.0f), m)), v_sign_of(x));
}

/* gelu(x) = x Phi(x) = max(x, 0) - a Phi(-a), a = |x|, from the upper tail
 *   Phi(-a) = exp(-a^2/2) H(a),  H = P(a) / Q(a) rational 3/4 on [0, 5.5], Q monic (in -a),
 *   rel err 8.6e-8 (tools/fit_remez.py).
 * exp(-a^2/2) takes its argument exactly: a = h + l with h the top 12 bits of a, so
 * -h^2/2 is exact in float and exp(-a^2/2) = exp(-h^2/2 - l (h + l/2)), the small second
 * term added to the reduced argument (rr1: the error 1.9e-9 n of one-constant reduction
 * is below 0.3 ULP where |gelu| >= 1e-3). a is clamped to 13.25, where exp flushes to 0; above
 * 5.5 (Phi(-a) a < 1.1e-7) H is extrapolated, its error there far below the bound. */
static const float GELU_P[4] = { 0x1.e0d36ap+3f, -0x1.3ea156p+3f, 0x1.8b5a6ap+1f, -0x1.9839e6p-2f };
static const float GELU_Q[4] = { 0x1.e0d36ap+4f, -0x1.5f22dep+5f, 0x1.a2c56p+4f, -0x1.ee536ap+2f }; /* + na^4 */
V_INLINE vf v_gelu_rat34(vf x) {
  const vf na = v_max(v_or_sign(x), v_set(-13.25f)); /* -min(|x|, 13.25) */
  /* the tail from |x| >= 2^-30 (Phi(-2^-30) is 1/2 in float): below, h^2 and l h would be
   * subnormal, which x86 computes some 100 times slower */
  const vf nt = v_min(na, v_set(-0x1p-30f));
  const vf h = v_from_bits(i_and(v_bits(nt), i_set((int32_t)0xfffff000)));
  const vf l = v_sub(nt, h);
  const vf hi = v_mul(v_mul(h, v_set(-0.5f)), h);
  const vf lo = v_mul(l, v_add(h, v_mul(l, v_set(0.5f)))); /* hi - lo = -na^2 / 2 */
  vf s;
  const vf r = v_sub(v_exp_rr1(hi, &s), lo);
  const vf e = v_exp_p5(s, r);
  vf q = v_add(nt, v_set(GELU_Q[3])); /* Q is monic */
#pragma clang loop unroll(full)
  for (int i = 2; i >= 0; --i) q = v_add(v_mul(q, nt), v_set(GELU_Q[i]));
  const vf tail = v_mul(e, v_div(V_HORNER(nt, GELU_P, 4), q));
  return v_add(v_max(x, v_set(0.0f)), v_mul(na, tail));
}

/* The balanced tier's gelu: the same max(x, 0) - a Phi(-a) with Phi(-a) = exp(-a^2/2) H(a),
 * without the exact argument split and with a smaller H -- 36 instructions per 4 lanes
 * against 50 (with the NaN guard):
 *   exp(-a^2/2) = 2^t, t = a^2 (-log2(e) / 2): 2^t = 2^n 2^f, n = round(t), 2^f = 1 + f P(f)
 *     with P degree 4 on |f| <= 1/2 (EXP2_P5, rel err 9.8e-8). t's rounding costs
 *     |t| ln2 2^-24 relative: 0.3 ULP per unit of a^2 / 2, below 7 ULP where |gelu| >= 1e-3.
 *   H = P(-a) / Q(-a), degrees 2 / 3 on [0, 5.5] (GELU_BAL_P / _Q), fitted for the absolute
 *     error of a Phi(-a) (<= 2e-7) with relative error <= 3e-5 where a <= 3.45 (|gelu| >= 1e-3):
 *     rel 9.1e-6 there, abs 7.0e-8 (tools/fit_remez.py).
 * Measured (every float of the bench grid): 103 ULP, abs 2.4e-7 -- the final rounding of
 * x - a Phi(-a) (precise: 6 ULP, the same abs; LiteRT 3907 ULP, 1.1e-6; onnxruntime-web 614
 * ULP, 4.5e-7; the float64-exact JS loop 1730 ULP). a is clamped to 13.25 as in the precise
 * kernel (n = -127: 2^n is +0). For |x| in [2^-75, 2^-63] a^2 is subnormal, which x86
 * computes slowly; the precise kernel guards that, this one spends no instruction on it. */
static const float EXP2_P5[5] = { 0x1.62e42ap-1f, 0x1.ebf9a4p-3f, 0x1.c6b596p-5f, 0x1.3cf3b2p-7f, 0x1.5cba44p-10f };
static const float GELU_BAL_P[3] = { -0x1.1c1fcap+2f, 0x1.06e53ap+1f, -0x1.9cabd4p-2f };
static const float GELU_BAL_Q[3] = { -0x1.1c1f50p+3f, 0x1.662c6ap+3f, -0x1.52b834p+2f }; /* + na^3 */
V_INLINE vf v_gelu_balanced(vf x) {
  const vf na = v_max(v_or_sign(x), v_set(-13.25f)); /* -min(|x|, 13.25) */
  vf s;
  const vf f = v_exp2_reduce(v_mul(v_mul(na, na), v_set(-0.5f * LOG2E)), &s);
  const vf e = v_exp_from(s, f, EXP2_P5, 5);
  vf q = v_add(na, v_set(GELU_BAL_Q[2])); /* Q is monic */
#pragma clang loop unroll(full)
  for (int i = 1; i >= 0; --i) q = v_add(v_mul(q, na), v_set(GELU_BAL_Q[i]));
  const vf tail = v_mul(e, v_div(V_HORNER(na, GELU_BAL_P, 3), q));
  return v_add(v_max(x, v_set(0.0f)), v_mul(na, tail));
}


/* ---- the 'fast' accuracy tier: absolute error <= 2^-14 = 6.1e-5 ------------------------ */


/* gelu = max(x, 0) - a Phi(-a), a = min(|x|, 4.5), with Phi(-a) = 1/2 - a R(a^2) and R a
 * rational 3/3 fitted for the absolute error of a Phi(-a) on [0, 4.5]: 1.3e-5, beyond 4.5
 * too (a Phi(-a) < 1.6e-5 there) (tools/fit_remez.py). 23 instructions against the precise
 * kernel's 48: no exp, no argument splitting. */
static const float GELU_FAST_P[4] = { 0x1.9881dep-2f, 0x1.c0a754p-6f, 0x1.f64bdep-9f, 0x1.17a632p-15f };
static const float GELU_FAST_Q[4] = { 0x1.0p+0f, 0x1.e1dd38p-3f, 0x1.860c16p-6f, 0x1.31df56p-10f };
V_INLINE vf v_gelu_fast_rat33(vf x) {
  const vf na = v_max(v_or_sign(x), v_set(-4.5f)); /* -a */
  const vf u = v_mul(na, na);
  const vf r = v_div(V_HORNER(u, GELU_FAST_P, 4), V_HORNER(u, GELU_FAST_Q, 4));
  return v_add(v_max(x, v_set(0.0f)), v_mul(na, v_add(v_set(0.5f), v_mul(na, r)))); /* - a Phi(-a) */
}

/* tanh and sigmoid without exp: tanh(t) = t P(t^2) / Q(t^2), t clamped to [-c, c], Q monic,
 * minimax for the absolute error over [0, inf) (tools/fit_remez.py TANH_FAST, SIGMOID_FAST):
 *  tanh:    P degree 3, Q degree 2, c = 6: 2.3e-5 (1 - tanh(6) = 1.2e-5)
 *  sigmoid: 1/2 + tanh(x/2) / 2 from the degree-2/2 fit with c = 5 (4.8e-5 for tanh, so 2.4e-5),
 *           rewritten in x: 1/2 + x P(x^2) / Q(x^2), x clamped to [-10, 10] (the rescaling of
 *           the coefficients is by powers of 2: the same float32 values)
 * tanh is odd (keeps -0). One division and no exp: 15 (sigmoid) and 16 (tanh) instructions
 * against 22 on v_exp_fast. */
static const float TANH_FAST_P[4] = { 0x1.075accp+6f, 0x1.cb2fc6p+2f, 0x1.0ce7f6p-4f, -0x1.5492aep-13f };
static const float TANH_FAST_Q[2] = { 0x1.075e08p+6f, 0x1.d1cbacp+4f }; /* + u^2 */
static const float SIGMOID_FAST_P[3] = { 0x1.3c7012p+8f, 0x1.018d80p+3f, 0x1.a87a90p-7f };
static const float SIGMOID_FAST_Q[2] = { 0x1.3c7f8ap+10f, 0x1.130952p+7f }; /* + v^2 */
V_INLINE vf v_odd_rat_monic2(vf t, const float* p, int np, const float* q) {
  const vf u = v_mul(t, t);
  const vf den = v_add(v_mul(v_add(u, v_set(q[1])), u), v_set(q[0]));
  return v_div(v_mul(t, V_HORNER(u, p, np)), den);
}
V_INLINE vf v_tanh_fast_rat32(vf x) {
  return v_odd_rat_monic2(v_min(v_max(x, v_set(-6.0f)), v_set(6.0f)), TANH_FAST_P, 4, TANH_FAST_Q);
}
V_INLINE vf v_sigmoid_fast_rat22(vf x) {
  return v_add(v_set(0.5f), v_odd_rat_monic2(v_min(v_max(x, v_set(-10.0f)), v_set(10.0f)), SIGMOID_FAST_P, 3, SIGMOID_FAST_Q));
}

#endif
