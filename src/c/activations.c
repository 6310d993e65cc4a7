/* Activation kernels and the activation table.
 *
 * Each activation is an element function on vf lanes (forward X_f, derivative X_d), turned
 * into a kernel by MAP / KERNELS; the table at the end lists name, formula,
 * parameters, presets and kernels. Adding an activation = two element functions + one entry.
 *
 * Conventions: a NaN input comes out unchanged (forward and derivative); +-Inf give the limits; odd
 * functions keep -0; the derivative at a kink is the left one (relu'(0) = 0, PyTorch).
 */
#include "actq.h"
#include "vmath.h"

/* One loop for every elementwise kernel: `unroll` vectors per iteration; the last, partial
 * block goes once more through the same loop on a zero-padded stack copy, so the loop body
 * (and the element function inlined in it) appears once in the binary and nothing is read
 * or written past n. The arguments are copied to a local so the compiler hoists parameter
 * splats out of the loop.
 *
 * NaN: a NaN input is returned as it is (same payload): wasm leaves the sign and payload
 * of computed NaNs unspecified, and this is what makes the SIMD and scalar builds agree bit
 * for bit. keep_nan(x, y) = max(min(x, -inf), y) does it in two instructions: min(x, -inf)
 * is x when x is NaN and -inf otherwise (pmin keeps its first operand on NaN), and max of
 * that with y is then x or y. (y is never NaN for a non-NaN x: the tests check it.) The
 * unrolled kernels (MAP_U) apply it only to blocks that hold a NaN. Kernels built only from
 * pmin/pmax on x pass NaN through by themselves: MAP_EXACT. */
V_INLINE vf keep_nan(vf x, vf y) { return v_max(v_min(x, v_set(-__builtin_inff())), y); }

/* load_first: all loads of a block before its stores (y may alias x, so the compiler cannot
 * hoist them itself): the long transcendental bodies then overlap, while one-instruction
 * bodies run faster in order. The pragmas keep the unrolling at -O2 (emscripten.mk). */
#define MAP_LOOP(kernel, lanes, unroll, load_first)                                   \
  static void kernel(size_t n, const float* x, float* y, const actq_args* a) {       \
    const actq_args k = *a;                                                           \
    enum { B = (unroll) * VLEN };                                                     \
    size_t i = 0;                                                                     \
    for (; i + B <= n; i += B) {                                                      \
      vf v[unroll];                                                                   \
      _Pragma("clang loop unroll(full)")                                              \
      for (int j = 0; j < (unroll); j++) {                                            \
        v[j] = v_load(x + i + j * VLEN);                                              \
        if (!(load_first)) v_store(y + i + j * VLEN, lanes(v[j], &k));               \
      }                                                                               \
      if (load_first) {                                                               \
        _Pragma("clang loop unroll(full)")                                            \
        for (int j = 0; j < (unroll); j++) v_store(y + i + j * VLEN, lanes(v[j], &k)); \
      }                                                                               \
    }                                                                                 \
    if (i < n) { /* the partial block: once more through the loop, on a padded copy */ \
      float t[B] = { 0 };                                                             \
      memcpy(t, x + i, (n - i) * sizeof(float));                                      \
      kernel(B, t, t, a);                                                             \
      memcpy(y + i, t, (n - i) * sizeof(float));                                      \
    }                                                                                 \
  }

#define MAP(kernel, fn)                                                               \
  V_INLINE vf kernel##_lanes(vf x, const actq_args* k) { return keep_nan(x, fn(x, k)); } \
  MAP_LOOP(kernel, kernel##_lanes, 1, 1)

/* MAP_U: `unroll` vectors per iteration with keep_nan taken out of the loop body. The block's
 * inputs are summed, which is NaN in a lane iff some input is NaN there (or inf - inf meets);
 * only for such a block are the inputs kept aside (y may alias x) and, after its stores, keep_nan
 * applied. y is never NaN for a non-NaN x, so that is keep_nan on every vector, bit for bit,
 * with one addition per vector instead of its min and max (AMD Zen 4, paired A/B: sigmoid and
 * tanh fast, tanh precise 1.07-1.12x, silu, gelu fast and balanced, hard_sigmoid fast 1.03-1.12x).
 * The loop (kernel_blocks) is a leaf and leaves only after a block's stores: V8 keeps no
 * vector in a register across a call, and recomputes the parameter splats in every iteration
 * when the block that uses them does not dominate every exit of the loop. One driver,
 * map_blocks, serves every such loop (binary size). */
typedef size_t (*block_loop)(size_t i, size_t n, const float* x, float* y, const actq_args* a, float* t);
enum { MAX_BLOCK = 8 * VLEN };
static void keep_nan_block(const float* x, float* y, size_t m) {
  for (size_t i = 0; i < m; i += VLEN) v_store(y + i, keep_nan(v_load(x + i), v_load(y + i)));
}
static void __attribute__((noinline)) map_blocks(size_t n, const float* x, float* y, const actq_args* a,
                                                 block_loop loop, size_t B) {
  float t[MAX_BLOCK] __attribute__((aligned(16)));
  size_t i = 0;
  while ((i = loop(i, n, x, y, a, t)) + B <= n) { /* the block at i had a NaN sum */
    keep_nan_block(t, y + i, B);
    i += B;
  }
  if (i < n) { /* the partial block: once more through the loop, on a zero-padded copy */
    float p[MAX_BLOCK] __attribute__((aligned(16))) = { 0 };
    memcpy(p, x + i, (n - i) * sizeof(float));
    if (loop(0, B, p, p, a, t) == 0) keep_nan_block(t, p, B);
    memcpy(y + i, p, (n - i) * sizeof(float));
  }
}
#define MAP_U(kernel, fn, unroll)                                                     \
  /* blocks from i on, up to and including one whose sum is NaN (its inputs then in t):  \
   * returns that block's start, or where the whole blocks end */                      \
  static size_t __attribute__((noinline)) kernel##_blocks(size_t i, size_t n, const float* x, float* y, \
                                                        const actq_args* a, float* t) { \
    _Static_assert((unroll) * VLEN <= MAX_BLOCK, "unroll");                           \
    const actq_args k = *a;                                                           \
    enum { B = (unroll) * VLEN };                                                     \
    if (i + B > n) return i;                                                          \
    do { /* tested at the bottom: the body dominates every exit of the loop */        \
      vf v[unroll];                                                                   \
      _Pragma("clang loop unroll(full)")                                              \
      for (int j = 0; j < (unroll); j++) v[j] = v_load(x + i + j * VLEN);             \
      vf s = v[0];                                                                    \
      _Pragma("clang loop unroll(full)")                                              \
      for (int j = 1; j < (unroll); j++) s = v_add(s, v[j]);                          \
      const int nan = __builtin_expect(m_any(v_isnan(s)), 0);                         \
      if (nan) {                                                                      \
        _Pragma("clang loop unroll(full)")                                            \
        for (int j = 0; j < (unroll); j++) v_store(t + j * VLEN, v[j]);               \
      }                                                                               \
      _Pragma("clang loop unroll(full)")                                              \
      for (int j = 0; j < (unroll); j++) v_store(y + i + j * VLEN, fn(v[j], &k));    \
      if (nan) return i;                                                              \
      i += B;                                                                         \
    } while (i + B <= n);                                                             \
    return i;                                                                         \
  }                                                                                   \
  static void kernel(size_t n, const float* x, float* y, const actq_args* a) {       \
    map_blocks(n, x, y, a, kernel##_blocks, (unroll) * VLEN);                         \
  }
#define MAP_EXACT(kernel, fn, unroll) MAP_LOOP(kernel, fn, unroll, 0)

/* MAP_SPLIT: an element function in two stages, y = second(x, first(x)), run as two loops
 * over blocks of SPLIT_BLOCK elements through a buffer that stays in L1. V8 has 16 vector
 * registers; an 8-unrolled loop over a long body spills a third of its instructions, and
 * each stage alone holds fewer constants and temporaries (sigmoid: the exp, then the
 * division and select: 1.02-1.10x one loop, paired A/B in both orders). The last, partial block
 * runs through the same loops on a zero-padded copy, rounded up to whole vectors. When y is
 * another array (never a partial overlap, actq.h) the first stage writes into y itself: its
 * stores then take y's cache misses (write-allocate, from L3 at 1M elements) among the exp's
 * arithmetic rather than in the short second loop (sigmoid x -> y 1.13x at 1M, 0.99x at 64K,
 * paired A/B in both orders, model 167 VM). */
#define SPLIT_BLOCK 1024
#define MAP_SPLIT(kernel, first, second, unroll)                                      \
  static void kernel##_block(const float* x, float* y, size_t m, const actq_args* k) {  \
    enum { B = (unroll) * VLEN };                                                     \
    _Static_assert(SPLIT_BLOCK % B == 0, "the blocks run in whole iterations");       \
    float buf[SPLIT_BLOCK] __attribute__((aligned(16)));                             \
    float* const e = y == x ? buf : y;                                                \
    vf s = ZERO;                                                                      \
    for (size_t j = 0; j < m; j += B) {                                               \
      vf v[unroll];                                                                   \
      _Pragma("clang loop unroll(full)")                                              \
      for (int u = 0; u < (unroll); u++) v[u] = v_load(x + j + u * VLEN);             \
      _Pragma("clang loop unroll(full)")                                              \
      for (int u = 0; u < (unroll); u++) s = v_add(s, v[u]);                          \
      _Pragma("clang loop unroll(full)")                                              \
      for (int u = 0; u < (unroll); u++) v_store(e + j + u * VLEN, first(v[u], k));   \
    }                                                                                 \
    /* keep_nan as in MAP_U: only for a block whose input sum is NaN; x kept aside, as y \
     * may alias it */                                                                \
    float xs[SPLIT_BLOCK] __attribute__((aligned(16)));                              \
    const int nan = __builtin_expect(m_any(v_isnan(s)), 0);                           \
    if (nan) memcpy(xs, x, m * sizeof(float));                                        \
    for (size_t j = 0; j < m; j += B) {                                               \
      vf v[unroll], w[unroll];                                                        \
      _Pragma("clang loop unroll(full)")                                              \
      for (int u = 0; u < (unroll); u++) {                                            \
        v[u] = v_load(x + j + u * VLEN);                                              \
        w[u] = v_load(e + j + u * VLEN);                                              \
      }                                                                               \
      _Pragma("clang loop unroll(full)")                                              \
      for (int u = 0; u < (unroll); u++) v_store(y + j + u * VLEN, second(v[u], w[u], k)); \
    }                                                                                 \
    if (nan) keep_nan_block(xs, y, m);                                                \
  }                                                                                   \
  static void kernel(size_t n, const float* x, float* y, const actq_args* a) {       \
    enum { B = (unroll) * VLEN };                                                     \
    const actq_args k = *a;                                                           \
    size_t i = 0;                                                                     \
    for (; i + SPLIT_BLOCK <= n; i += SPLIT_BLOCK) kernel##_block(x + i, y + i, SPLIT_BLOCK, &k); \
    if (i < n) {                                                                      \
      const size_t m = n - i, padded = (m + B - 1) / B * B;                          \
      float t[SPLIT_BLOCK] __attribute__((aligned(16)));                             \
      memcpy(t, x + i, m * sizeof(float));                                            \
      memset(t + m, 0, (padded - m) * sizeof(float));                                 \
      kernel##_block(t, t, padded, &k);                                               \
      memcpy(y + i, t, m * sizeof(float));                                            \
    }                                                                                 \
  }

/* Derivatives and cold forward kernels run one vector per iteration (each unrolled copy
 * inlines the element function again: binary size). The benchmarked forward kernels unroll
 * as far as it paid in V8 on x86 (bench/run.mjs, 64K and 1M elements): 8 vectors for the
 * shorter bodies (sigmoid, elu, hard_sigmoid: +10-30% at 1M on Intel; tanh 6, see there), 4
 * for the longer ones (silu, gelu, softplus, hard_swish, gelu's fast tier: 816 M/s at 1M
 * against 732 M/s with 8, paired), where 8 spills registers and loses up to 40%. */
#define KERNELS(name, f, d) MAP(name##_forward, f) MAP(name##_derivative, d)
#define KERNELS_HOT(name, f, d, unroll) MAP_U(name##_forward, f, unroll) MAP(name##_derivative, d)

#define P(i) ((float)k->p[i])

/* The 'fast' accuracy tier (forward only, table field .fast): the smooth functions with abs
 * error <= 2^-14 (each kernel states its measured error), sigmoid, tanh and gelu as rationals
 * without exp, the others on v_exp_fast (vmath.h); the piecewise-linear ones in float, abs
 * error <= 2^-20. Unrolled 4 vectors per iteration (8 for the shortest bodies). With keep_nan
 * out of the loop body (MAP_U), 4 replaced 2 for log_sigmoid, mish, gelu_tanh, the expm1 family
 * and hard_swish: 1.09-1.57x on AMD Zen 4 (paired A/B); 8 for every 4 lost 5-30% (spills). */
#define FAST(name, fn, unroll) MAP_U(name##_fast, fn, unroll)
#define ZERO v_set(0.0f)
#define ONE v_set(1.0f)

/* ---- logistic family -------------------------------------------------------------- */

/* forward in two stages (MAP_SPLIT): e = exp(-|x|), then the division and the select */
V_INLINE vf sigmoid_e(vf x, const actq_args* k) { (void)k; return v_exp_neg_abs_p5(x); }
V_INLINE vf sigmoid_from_e(vf x, vf e, const actq_args* k) { (void)k; return v_sigmoid_from_e(x, e); }
/* sigmoid' = e / (1 + e)^2, e = exp(-|x|): symmetric, no 1 - f cancellation */
V_INLINE vf sigmoid_d(vf x, const actq_args* k) {
  (void)k;
  const vf e = v_exp_neg_abs(x), d = v_add(ONE, e);
  return v_div(e, v_mul(d, d));
}
MAP_SPLIT(sigmoid_forward, sigmoid_e, sigmoid_from_e, 8)
MAP(sigmoid_derivative, sigmoid_d)
/* fast: a rational, no exp (vmath.h): abs err 2.4e-5 */
V_INLINE vf sigmoid_fast_f(vf x, const actq_args* k) { (void)k; return v_sigmoid_fast_rat22(x); }
FAST(sigmoid, sigmoid_fast_f, 4)

V_INLINE vf tanh_f(vf x, const actq_args* k) { (void)k; return v_tanh_expm1_rr1(x); }
/* tanh' = 1 - tanh^2 = 4e / (1 + e)^2, e = exp(-2|x|) */
V_INLINE vf tanh_d(vf x, const actq_args* k) {
  (void)k;
  const vf e = v_exp(v_mul(v_abs(x), v_set(-2.0f))), d = v_add(ONE, e);
  return v_div(v_mul(e, v_set(4.0f)), v_mul(d, d));
}
KERNELS_HOT(tanh, tanh_f, tanh_d, 6) /* 6: 1.08-1.10x 8 on Zen 4 (paired) */
/* fast: a rational, no exp (vmath.h): abs err 2.3e-5 */
V_INLINE vf tanh_fast_f(vf x, const actq_args* k) { (void)k; return v_tanh_fast_rat32(x); }
FAST(tanh, tanh_fast_f, 4)

/* log_sigmoid = min(x, 0) - log1p(exp(-|x|)): finite for every finite x */
V_INLINE vf log_sigmoid_f(vf x, const actq_args* k) {
  (void)k;
  return v_sub(v_min(x, ZERO), v_log1p_unit(v_exp_neg_abs(x)));
}
V_INLINE vf log_sigmoid_d(vf x, const actq_args* k) { (void)k; return v_sigmoid_compl_from(x, v_exp_neg_abs(x)); }
KERNELS(log_sigmoid, log_sigmoid_f, log_sigmoid_d)
/* fast: log1p(e) = e P(e) (abs err 9.9e-6) of e = exp(-|x|) (abs 7.1e-6): 1.3e-5 measured */
V_INLINE vf log_sigmoid_fast_f(vf x, const actq_args* k) {
  (void)k;
  return v_sub(v_min(x, ZERO), v_log1p_fast(v_exp_fast(v_or_sign(x), 1)));
}
FAST(log_sigmoid, log_sigmoid_fast_f, 6) /* 6: 1.10-1.13x 4 on Zen 4 (paired) */

/* softplus = (max(w, 0) + log1p(exp(-|w|))) / beta, w = beta x; x itself when w > threshold
 * (w rounded to float for that test, as PyTorch's). The rest in double (w exact there), from
 * which the result rounds once: 0.5 ULP (float: 3 ULP, against tfjs's 1.44). exp flushes to
 * 0 below -87.3, as v_exp. */
V_INLINE vf softplus_f(vf x, const actq_args* k) {
  const vf w = v_mul(x, v_set(P(0)));
  const vd wd = d_mul(d_from(x), d_set(k->p[0]));
  const vd a = d_max(d_sub(d_set(0.0), d_abs(wd)), d_set(-88.0));
  const vd e = d_sel(d_lt(a, d_set(EXP_MIN_ARG)), d_set(0.0), d_exp_neg(a));
  const vd sp = d_mul(d_add(d_max(wd, d_set(0.0)), d_log1p_unit(e)), d_set(1.0 / k->p[0]));
  return v_sel(v_gt(w, v_set(P(1))), x, d_to(sp));
}
V_INLINE vf softplus_d(vf x, const actq_args* k) {
  const vf w = v_mul(x, v_set(P(0)));
  return v_sel(v_gt(w, v_set(P(1))), ONE, v_sigmoid_from(w, v_exp_neg_abs(w)));
}
KERNELS_HOT(softplus, softplus_f, softplus_d, 4)
/* fast: as log_sigmoid's, the error divided by beta (1.3e-5 / beta) */
V_INLINE vf softplus_fast_f(vf x, const actq_args* k) {
  const vf w = v_mul(x, v_set(P(0)));
  const vf sp = v_add(v_max(w, ZERO), v_log1p_fast(v_exp_fast(v_or_sign(w), 1)));
  return v_sel(v_gt(w, v_set(P(1))), x, v_div(sp, v_set(P(0))));
}
FAST(softplus, softplus_fast_f, 4)

/* silu = x sigmoid(w), w = beta x. Where sigmoid(w) is exactly 0 (w <= -88), x is clamped
 * to the finite bound -88 / beta (at most FLT_MAX: |beta| < 2.6e-37 would overflow it) so
 * that x * 0 is a signed zero even for infinite x. silu' = s (1 + w (1 - s)), w clamped
 * where s is 0 or 1. beta = 0 gives w = 0 outright. Both avoid inf * 0 = NaN (silu(inf) was
 * -inf for beta = 0 and beta = -2^-149, silu'(+-inf) -inf for beta = 0: fuzz/activation). */
V_INLINE vf silu_w(vf x, float beta) { return v_andnot_mask(v_eq(v_set(beta), ZERO), v_mul(x, v_set(beta))); }
V_INLINE vf silu_g(vf x, const actq_args* k, int fast) {
  const float beta = P(0), b = 88.0f / __builtin_fabsf(beta);
  const float bound = beta == 0.0f ? __builtin_inff() : b < 0x1.fffffep127f ? b : 0x1.fffffep127f;
  const vf xc = v_min(v_max(x, v_set(beta > 0.0f ? -bound : -__builtin_inff())), v_set(beta < 0.0f ? bound : __builtin_inff()));
  vf den;
  const vf num = v_sigmoid_num(silu_w(x, beta), &den, fast);
  return v_div(v_mul(xc, num), den); /* x num / (1 + e): exact x num for w >= 0 */
}
V_INLINE vf silu_f(vf x, const actq_args* k) { return silu_g(x, k, 0); }
/* fast: |x| sigmoid(w) (1 - sigmoid(w)) times exp's 1.0e-4: <= 2e-5 for beta = 1 */
V_INLINE vf silu_fast_f(vf x, const actq_args* k) { return silu_g(x, k, 1); }
V_INLINE vf silu_d(vf x, const actq_args* k) {
  const vf w = v_min(v_max(silu_w(x, P(0)), v_set(-100.0f)), v_set(100.0f));
  const vf e = v_exp_neg_abs(w);
  const vf s = v_sigmoid_from(w, e), sc = v_sigmoid_compl_from(w, e);
  return v_mul(s, v_add(ONE, v_mul(w, sc)));
}
KERNELS_HOT(silu, silu_f, silu_d, 4)
FAST(silu, silu_fast_f, 4)

/* mish = x tanh(softplus(x)) = x n / (n + 2), n = e (e + 2), e = exp(x); for x > 20 the
 * factor is 1 in float, below -100 it is 0 */
#define MISH_N(e) v_mul((e), v_add((e), v_set(2.0f)))
V_INLINE vf mish_f(vf x, const actq_args* k) {
  (void)k;
  const vf e = v_exp(v_min(x, v_set(20.0f))), n = MISH_N(e);
  return v_mul_limit(x, v_div(n, v_add(n, v_set(2.0f))));
}
/* mish' = n / (n + 2) + 4 x e (1 + e) / (n + 2)^2 */
V_INLINE vf mish_d(vf x, const actq_args* k) {
  (void)k;
  const vf xc = v_min(v_max(x, v_set(-100.0f)), v_set(20.0f));
  const vf e = v_exp(xc), n = MISH_N(e), d = v_add(n, v_set(2.0f));
  const vf g = v_mul(v_mul(v_mul(xc, v_set(4.0f)), e), v_add(ONE, e));
  return v_add(v_div(n, d), v_div(g, v_mul(d, d)));
}
KERNELS(mish, mish_f, mish_d)
/* fast: the same with v_exp_fast (degree 2; the factor's error is below 0.12 times exp's, x
 * times it <= 2e-5); x clamped at -90, where e is 0, so that x * 0 is -0 at -inf */
V_INLINE vf mish_fast_f(vf x, const actq_args* k) {
  (void)k;
  const vf e = v_exp_fast(v_min(x, v_set(20.0f)), 0), n = MISH_N(e);
  return v_mul(v_max(x, v_set(-90.0f)), v_div(n, v_add(n, v_set(2.0f))));
}
FAST(mish, mish_fast_f, 4)

/* ---- gelu ---------------------------------------------------------------------------- */

V_INLINE vf gelu_f(vf x, const actq_args* k) { (void)k; return v_gelu_rat34(x); }
V_INLINE vf gelu_d(vf x, const actq_args* k) {
  (void)k;
  vf pdf;
  const vf cdf = v_gauss(x, &pdf);
  return v_add(cdf, v_mul_limit(x, pdf));
}
KERNELS_HOT(gelu, gelu_f, gelu_d, 4)
V_INLINE vf gelu_fast_f(vf x, const actq_args* k) { (void)k; return v_gelu_fast_rat33(x); }
MAP_U(gelu_fast_forward, gelu_fast_f, 4)
/* the balanced tier (vmath.h): 1.4-1.6x the precise kernel (bench/run.mjs, paired, both machines) */
V_INLINE vf gelu_balanced_f(vf x, const actq_args* k) { (void)k; return v_gelu_balanced(x); }
MAP_U(gelu_balanced_forward, gelu_balanced_f, 4)

/* gelu_tanh = 0.5 x (1 + tanh(u)) = x sigmoid(w), w = 2u = x (C1 + C2 x^2).
 * sigmoid(w) for w << 0 has relative error |w| times that of w, so the forward kernel
 * forms w in f64 and carries its float rounding error lo into exp: exp(-|w|) (1 + lo'). */
#define GELU_C1 0x1.988454p+0f /* 2 sqrt(2/pi) */
#define GELU_C2 0x1.2444f2p-4f /* 2 sqrt(2/pi) 0.044715 */
#define GELU_3C2 0x1.b6676cp-3f /* 3 GELU_C2 */
V_INLINE vf gelu_tanh_w(vf x) { return v_mul(x, v_add(v_set(GELU_C1), v_mul(v_set(GELU_C2), v_mul(x, x)))); }
V_INLINE vf gelu_tanh_f(vf x, const actq_args* k) {
  (void)k;
  const vd xd = d_from(x);
  const vd wd = d_mul(xd, d_add(d_set(2.0 * 0.7978845608028654), d_mul(d_set(2.0 * 0.7978845608028654 * 0.044715), d_mul(xd, xd))));
  const vf w = d_to(wd), lo = d_to(d_sub(wd, d_from(w)));
  const vf e0 = v_exp_neg_abs(w);
  const vf e1 = v_add(e0, v_mul(e0, v_sel(v_lt(w, ZERO), lo, v_neg(lo)))); /* exp(-|w| + lo') */
  const vf e = v_sel(v_eq(e0, ZERO), ZERO, e1); /* lo is NaN when w is infinite */
  return v_mul_limit(x, v_sigmoid_from(w, e));
}
/* d/dx x s(w) = s (1 + x w' (1 - s)), w' = C1 + 3 C2 x^2; beyond |x| = 12, s is 0 or 1 */
V_INLINE vf gelu_tanh_d(vf x, const actq_args* k) {
  (void)k;
  const vf xc = v_min(v_max(x, v_set(-12.0f)), v_set(12.0f));
  const vf w = gelu_tanh_w(xc), e = v_exp_neg_abs(w);
  const vf s = v_sigmoid_from(w, e), sc = v_sigmoid_compl_from(w, e);
  const vf dw = v_add(v_set(GELU_C1), v_mul(v_set(GELU_3C2), v_mul(xc, xc)));
  return v_mul(s, v_add(ONE, v_mul(v_mul(xc, dw), sc)));
}
KERNELS(gelu_tanh, gelu_tanh_f, gelu_tanh_d)
/* fast: x sigmoid(w) with w in float and v_exp_fast: |x| s (1 - s) times exp's 1.0e-4 and
 * w's rounding: <= 1e-5. x is clamped at -10 (gelu_tanh(-10) = -1e-36: below, the result is
 * -0 or that), so that x * 0 is -0 at -inf. */
V_INLINE vf gelu_tanh_fast_f(vf x, const actq_args* k) {
  (void)k;
  const vf xc = v_max(x, v_set(-10.0f));
  vf den;
  const vf num = v_sigmoid_num(gelu_tanh_w(xc), &den, 1);
  return v_div(v_mul(xc, num), den);
}
FAST(gelu_tanh, gelu_tanh_fast_f, 4)

/* ---- exponential linear units ------------------------------------------------------- */

/* elu = max(x, 0) + alpha expm1(min(x, 0)): the second term is 0 for x >= 0. For alpha <= 1
 * (the default 1 included), alpha expm1(x) >= x for x <= 0, so elu = max(x, alpha expm1(z))
 * for any z <= 0 where x >= 0, and max keeps a NaN x as it is: no NaN guard either, 3
 * instructions less; z = v_neg_clamp(x, -17.5) is min(x, 0) and the clamp in one (1.03x,
 * paired, model 167 VM); alpha = 1 also drops the product. */
V_INLINE vf elu_f(vf x, const actq_args* k) {
  return v_add(v_max(x, ZERO), v_mul(v_set(P(0)), v_expm1_q6_rr1(v_min(x, ZERO))));
}
V_INLINE vf elu_alpha_le1_f(vf x, const actq_args* k) {
  return v_max(x, v_mul(v_set(P(0)), v_expm1_q6_rr1_in(v_neg_clamp(x, EXPM1_MIN_ARG))));
}
V_INLINE vf elu_alpha1_f(vf x, const actq_args* k) { (void)k; return v_max(x, v_expm1_q6_rr1_in(v_neg_clamp(x, EXPM1_MIN_ARG))); }
MAP(elu_forward_any, elu_f)
MAP_LOOP(elu_forward_alpha_le1, elu_alpha_le1_f, 4, 1) /* no NaN guard (see above); alpha != 1 is the cold path: 4 */
MAP_LOOP(elu_forward_alpha1, elu_alpha1_f, 8, 1)
static void elu_forward(size_t n, const float* x, float* y, const actq_args* a) {
  (a->p[0] == 1 ? elu_forward_alpha1 : a->p[0] <= 1 ? elu_forward_alpha_le1 : elu_forward_any)(n, x, y, a);
}
V_INLINE vf elu_d(vf x, const actq_args* k) {
  return v_sel(v_gt(x, ZERO), ONE, v_mul(v_set(P(0)), v_exp(v_min(x, ZERO))));
}
MAP(elu_derivative, elu_d)

/* fast: elu, selu, celu as x > 0 ? a x : b (exp(c min(x, 0)) - 1), (a, b, c) in p[1..3]:
 * the accurate v_exp_fast, abs err 7.1e-6 b (elu, celu: 7.2e-6 measured; selu 1.3e-5). Where
 * a = 1 and b c <= 1 (elu with alpha <= 1, celu) the second term is >= x for x <= 0 (convex,
 * above its tangent b c x), so y = max(x, b (exp(c min(x, 0)) - 1)): no select, and max keeps
 * a NaN x as it is (no NaN guard). */
V_INLINE vf expm1_em(vf x, const actq_args* k) {
  return v_mul(v_sub(v_exp_fast(v_mul(v_min(x, ZERO), v_set(P(3))), 1), ONE), v_set(P(2)));
}
V_INLINE vf expm1_max_fast_f(vf x, const actq_args* k) { return v_max(x, expm1_em(x, k)); }
V_INLINE vf expm1_sel_fast_f(vf x, const actq_args* k) {
  return v_sel(v_gt(x, ZERO), v_mul(x, v_set(P(1))), expm1_em(x, k));
}
/* a = b = c = 1 (elu and celu with alpha = 1, the defaults): max(x, exp(z) - 1), the two
 * products gone, and z = v_neg_clamp(x, -88) is min(x, 0) and exp's clamp in one instruction */
V_INLINE vf expm1_unit_fast_f(vf x, const actq_args* k) {
  (void)k;
  return v_max(x, v_sub(v_exp_fast_in(v_neg_clamp(x, EXP_FLUSH_MIN), 1), ONE));
}
MAP_LOOP(expm1_max_fast, expm1_max_fast_f, 8, 1) /* no NaN guard (see above) */
MAP_LOOP(expm1_unit_fast, expm1_unit_fast_f, 6, 1) /* 6: 1.05-1.07x 8 on Zen 4 (paired); on the Intel machine 4 and 6 were within the noise of 8 */
MAP_U(expm1_sel_fast, expm1_sel_fast_f, 4)
static void expm1_unit_run(size_t n, const float* x, float* y, const actq_args* a, double sa, double sb, double sc) {
  actq_args b = *a;
  b.p[1] = sa, b.p[2] = sb, b.p[3] = sc;
  (sa == 1 && sb == 1 && sc == 1 ? expm1_unit_fast : sa == 1 && sb * sc <= 1 + 1e-9 ? expm1_max_fast : expm1_sel_fast)(n, x, y, &b);
}
static void elu_fast(size_t n, const float* x, float* y, const actq_args* a) { expm1_unit_run(n, x, y, a, 1, a->p[0], 1); }

/* SELU constants as ONNX stores them (float32 roundings of the paper's values) */
#define SELU_ALPHA 1.6732632423543772f
#define SELU_SCALE 1.0507009873554805f
#define SELU_SA ((float)((double)SELU_SCALE * (double)SELU_ALPHA))
V_INLINE vf selu_f(vf x, const actq_args* k) {
  (void)k;
  return v_sel(v_gt(x, ZERO), v_mul(x, v_set(SELU_SCALE)), v_mul(v_set(SELU_SA), v_expm1(v_min(x, ZERO))));
}
V_INLINE vf selu_d(vf x, const actq_args* k) {
  (void)k;
  return v_sel(v_gt(x, ZERO), v_set(SELU_SCALE), v_mul(v_set(SELU_SA), v_exp(v_min(x, ZERO))));
}
KERNELS(selu, selu_f, selu_d)
static void selu_fast(size_t n, const float* x, float* y, const actq_args* a) {
  expm1_unit_run(n, x, y, a, SELU_SCALE, SELU_SA, 1);
}

V_INLINE vf celu_f(vf x, const actq_args* k) {
  const vf z = v_div(v_min(x, ZERO), v_set(P(0)));
  return v_sel(v_gt(x, ZERO), x, v_mul(v_set(P(0)), v_expm1(z)));
}
V_INLINE vf celu_d(vf x, const actq_args* k) {
  return v_sel(v_gt(x, ZERO), ONE, v_exp(v_div(v_min(x, ZERO), v_set(P(0)))));
}
KERNELS(celu, celu_f, celu_d)
static void celu_fast(size_t n, const float* x, float* y, const actq_args* a) {
  expm1_unit_run(n, x, y, a, 1, a->p[0], 1 / a->p[0]);
}

/* ---- piecewise-linear ----------------------------------------------------------------
 * slope x + offset rounds once in f64 (0.5 ULP): the float forms slope (x - knee) and
 * x * slope + offset lose up to 1.4 and 170 ULP near the knee. */

/* clip_line = clip(p0 x + p1, p2, p3): hard_sigmoid (p2, p3 = 0, 1) and hard_tanh (its four
 * parameters reordered) share one kernel. */
V_INLINE vf clip_line_lin(vf x, const actq_args* k) {
  return d_to(d_add(d_mul(d_from(x), d_set(k->p[0])), d_set(k->p[1])));
}
V_INLINE vf clip_line_f(vf x, const actq_args* k) { return v_min(v_max(clip_line_lin(x, k), v_set(P(2))), v_set(P(3))); }
V_INLINE vf clip_line_d(vf x, const actq_args* k) {
  const vf y = clip_line_lin(x, k);
  return v_sel(m_and(v_gt(y, v_set(P(2))), v_lt(y, v_set(P(3)))), v_set(P(0)), ZERO);
}
KERNELS_HOT(clip_line, clip_line_f, clip_line_d, 8)
static void hard_sigmoid_run(size_t n, const float* x, float* y, const actq_args* a, actq_kernel kernel) {
  actq_args b = *a;
  b.p[2] = 0, b.p[3] = 1;
  kernel(n, x, y, &b);
}
static void hard_sigmoid_forward(size_t n, const float* x, float* y, const actq_args* a) {
  hard_sigmoid_run(n, x, y, a, clip_line_forward);
}
/* fast: clip(x slope + offset, lo, hi) in float, two roundings and the float slope: abs err
 * <= 2^-24 (|x slope| + |y|) + 2^-25 |x slope| <= 2^-20 wherever |x slope| <= 10 (every hard
 * sigmoid with |offset| <= 9; the defaults: 2^-23); hard_tanh's defaults (1, -0) give x exactly. */
V_INLINE vf clip_line_fast_f(vf x, const actq_args* k) {
  return v_min(v_max(v_add(v_mul(x, v_set(P(0))), v_set(P(1))), v_set(P(2))), v_set(P(3)));
}
MAP_U(clip_line_fast, clip_line_fast_f, 8)
static void hard_sigmoid_fast(size_t n, const float* x, float* y, const actq_args* a) {
  hard_sigmoid_run(n, x, y, a, clip_line_fast);
}
static void hard_sigmoid_derivative(size_t n, const float* x, float* y, const actq_args* a) {
  hard_sigmoid_run(n, x, y, a, clip_line_derivative);
}
/* hard_tanh = clip(slope x + offset, min_val, max_val). With the defaults (1, 0) it is x, bit
 * for bit: offset 0 is added as -0, and 1 x + (-0) = x for every x, -0 included. */
/* slope 1 and offset 0 (the defaults) make it clip(x, min_val, max_val): min and max alone, the
 * same bits (and NaN kept by pmin/pmax, no guard) */
V_INLINE vf clip_f(vf x, const actq_args* k) { return v_min(v_max(x, v_set(P(2))), v_set(P(3))); }
MAP_EXACT(clip_forward, clip_f, 4)
static void hard_tanh_run(size_t n, const float* x, float* y, const actq_args* a, actq_kernel kernel) {
  const actq_args b = { .p = { a->p[2], a->p[3] == 0 ? -0.0 : a->p[3], a->p[0], a->p[1] } };
  const int identity = a->p[2] == 1 && a->p[3] == 0 && kernel != clip_line_derivative;
  (identity ? clip_forward : kernel)(n, x, y, &b);
}
static void hard_tanh_forward(size_t n, const float* x, float* y, const actq_args* a) {
  hard_tanh_run(n, x, y, a, clip_line_forward);
}
static void hard_tanh_derivative(size_t n, const float* x, float* y, const actq_args* a) {
  hard_tanh_run(n, x, y, a, clip_line_derivative);
}
static void hard_tanh_fast(size_t n, const float* x, float* y, const actq_args* a) {
  hard_tanh_run(n, x, y, a, clip_line_fast);
}

/* hard_swish = x clip(slope x + offset, 0, 1) = slope x clip(x + c, 0, w), w = 1 / slope,
 * c = offset w, in f64. With the defaults (1/6, 1/2) w and c are exactly 6 and 3: PyTorch's
 * x relu6(x + 3) / 6. Derivative (PyTorch): 0 below the lower knee -c, 2 slope x + offset up
 * to the upper knee w - c (x/3 + 1/2 up to 3), then 1. x is clamped below the lower knee
 * first (at -4 for the defaults): the product is then -0 there, also for x = -inf (where
 * x * 0 would be NaN). */
V_INLINE vf hard_swish_f(vf x, const actq_args* k) {
  const double w = 1.0 / k->p[0], c = k->p[1] * w, floor = -c - 1.0 < -1.0 ? -c - 1.0 : -1.0;
  const vd xd = d_from(v_max(x, v_set((float)floor)));
  const vd t = d_min(d_max(d_add(xd, d_set(c)), d_set(0.0)), d_set(w));
  return d_to(d_mul(d_mul(xd, t), d_set(k->p[0])));
}
V_INLINE vf hard_swish_d(vf x, const actq_args* k) {
  const double w = 1.0 / k->p[0], c = k->p[1] * w;
  const vf mid = d_to(d_add(d_mul(d_from(x), d_set(2.0 * k->p[0])), d_set(k->p[1])));
  return v_sel(v_lt(x, v_set((float)-c)), ZERO, v_sel(v_gt(x, v_set((float)(w - c))), ONE, mid));
}
KERNELS_HOT(hard_swish, hard_swish_f, hard_swish_d, 4)
/* fast: x clip(x slope + offset, 0, 1) in float, x clamped below the lower knee as above: abs
 * err <= |x| 2^-23 (|x slope| + 1) + 2^-24 |y|, <= 2^-21 for the defaults (|x| <= 3 inside) */
V_INLINE vf hard_swish_fast_f(vf x, const actq_args* k) {
  const vf xc = v_max(x, v_set(P(2)));
  const vf g = v_min(v_max(v_add(v_mul(xc, v_set(P(0))), v_set(P(1))), ZERO), ONE);
  return v_mul(xc, g);
}
MAP_U(hard_swish_fast_lanes, hard_swish_fast_f, 4)
/* x clamped at the knee itself where the gate computes exactly +0 there (the defaults: -3):
 * the gate is then >= 0 for every x above (float mul and add are monotonic), and its max with
 * 0 can go -- one instruction of eight */
V_INLINE vf hard_swish_knee_fast_f(vf x, const actq_args* k) {
  const vf xc = v_max(x, v_set(P(2)));
  return v_mul(xc, v_min(v_add(v_mul(xc, v_set(P(0))), v_set(P(1))), ONE));
}
MAP_U(hard_swish_knee_fast_lanes, hard_swish_knee_fast_f, 8) /* 8: 1.11-1.12x 4 at 64K, 1.05-1.06x at 1M on Xeon model 207 (paired, both orders) */
static void hard_swish_fast(size_t n, const float* x, float* y, const actq_args* a) {
  actq_args b = *a;
  const double c = a->p[1] / a->p[0];
  const float knee = (float)-c, gate = knee * (float)a->p[0] + (float)a->p[1];
  if (knee < 0 && gate == 0) {
    b.p[2] = knee;
    hard_swish_knee_fast_lanes(n, x, y, &b);
    return;
  }
  b.p[2] = -c - 1.0 < -1.0 ? -c - 1.0 : -1.0; /* the clamp of hard_swish_f */
  hard_swish_fast_lanes(n, x, y, &b);
}

V_INLINE vf relu_f(vf x, const actq_args* k) { (void)k; return v_max(x, ZERO); }
V_INLINE vf relu_d(vf x, const actq_args* k) { (void)k; return v_sel(v_gt(x, ZERO), ONE, ZERO); }
MAP_EXACT(relu_forward, relu_f, 4) MAP(relu_derivative, relu_d)

V_INLINE vf relu6_f(vf x, const actq_args* k) { (void)k; return v_min(v_max(x, ZERO), v_set(6.0f)); }
V_INLINE vf relu6_d(vf x, const actq_args* k) {
  (void)k;
  return v_sel(m_and(v_gt(x, ZERO), v_lt(x, v_set(6.0f))), ONE, ZERO);
}
MAP_EXACT(relu6_forward, relu6_f, 4) MAP(relu6_derivative, relu6_d)

/* alpha = 0: the signed zero x alpha is, also at x = -inf (where x * 0 would be NaN; found by
 * fuzz/activation) */
V_INLINE vf leaky_relu_f(vf x, const actq_args* k) {
  const vf alpha = v_set(P(0)), zero_alpha = v_sel(v_eq(alpha, ZERO), v_neg(alpha), v_mul(x, alpha));
  return v_sel(v_lt(x, ZERO), zero_alpha, x);
}
V_INLINE vf leaky_relu_d(vf x, const actq_args* k) { return v_sel(v_gt(x, ZERO), ONE, v_set(P(0))); }
/* guarded: clang rewrites x < 0 ? x alpha : x as x (x < 0 ? alpha : 1), which quiets a
 * signaling NaN */
MAP_U(leaky_relu_forward_any, leaky_relu_f, 4) MAP(leaky_relu_derivative, leaky_relu_d)
/* 0 < alpha <= 1: max(x, alpha x), the same bits in two instructions, and max keeps a NaN x
 * as it is (no guard) */
V_INLINE vf leaky_relu_max_f(vf x, const actq_args* k) { return v_max(x, v_mul(x, v_set(P(0)))); }
MAP_EXACT(leaky_relu_forward_max, leaky_relu_max_f, 8) /* 8: 1.03-1.11x 4 on Zen 4 (paired, both orders) */
static void leaky_relu_forward(size_t n, const float* x, float* y, const actq_args* a) {
  ((float)a->p[0] > 0 && (float)a->p[0] <= 1 ? leaky_relu_forward_max : leaky_relu_forward_any)(n, x, y, a);
}

/* prelu: alpha per channel; element i (counted from args.start) is in channel
 * (i / inner) % C. Runs of one channel go through the leaky_relu kernels. */
static void prelu_run(size_t n, const float* x, float* y, const actq_args* a, actq_kernel leaky) {
  const uint32_t channels = a->len[0], inner = (uint32_t)a->p[1];
  uint32_t c = (a->start / inner) % channels, pos = a->start % inner;
  actq_args one = { .start = 0 };
  for (size_t i = 0; i < n;) {
    const size_t m = inner - pos < n - i ? inner - pos : n - i;
    one.p[0] = a->arr[0][c];
    leaky(m, x + i, y + i, &one);
    i += m;
    pos = 0;
    c = c + 1 == channels ? 0 : c + 1;
  }
}
static void prelu_forward(size_t n, const float* x, float* y, const actq_args* a) {
  prelu_run(n, x, y, a, leaky_relu_forward);
}
static void prelu_derivative(size_t n, const float* x, float* y, const actq_args* a) {
  prelu_run(n, x, y, a, leaky_relu_derivative);
}

/* rrelu: eval mode is leaky_relu with the mean slope (lower + upper) / 2; training mode
 * draws alpha_i = lower + (upper - lower) u_i per element, u_i = fmix32(i ^ seed') / 2^32
 * (a counter-based hash: the same noise whatever the chunking, in both builds). */
static inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16; h *= 0x85ebca6bu; h ^= h >> 13; h *= 0xc2b2ae35u; h ^= h >> 16;
  return h;
}
static void rrelu_run(size_t n, const float* x, float* y, const actq_args* a, int derivative) {
  if (a->p[2] == 0) {
    const actq_args mean = { .p = { 0.5 * (a->p[0] + a->p[1]) } };
    (derivative ? leaky_relu_derivative : leaky_relu_forward)(n, x, y, &mean);
    return;
  }
  const float lower = (float)a->p[0], span = (float)(a->p[1] - a->p[0]);
  const uint32_t seed = fmix32((uint32_t)a->p[3] * 0x9e3779b9u + 0x7f4a7c15u);
  for (size_t i = 0; i < n; ++i) {
    const float u = (float)(fmix32((a->start + (uint32_t)i) ^ seed) >> 8) * 0x1p-24f;
    const float alpha = lower + span * u, xi = x[i];
    if (derivative) y[i] = xi != xi ? xi : xi > 0.0f ? 1.0f : alpha;
    else y[i] = xi < 0.0f ? (alpha == 0.0f ? -alpha : xi * alpha) : xi; /* -inf * 0: see leaky_relu_f */
  }
}
static void rrelu_forward(size_t n, const float* x, float* y, const actq_args* a) { rrelu_run(n, x, y, a, 0); }
static void rrelu_derivative(size_t n, const float* x, float* y, const actq_args* a) { rrelu_run(n, x, y, a, 1); }

/* apl = max(0, x) + sum_s a_s max(0, b_s - x). Below every hinge it is the line
 * -x sum(a) + sum(a b) (sums in double); that line is taken at -inf (the limit, instead of
 * inf - inf) and wherever the sum of the hinges overflowed for x < 0 (NaN or +-inf, while
 * the true value may be finite: a = {10, -10} at x = -1e38 is sum(a b), not -inf; found by
 * fuzz/activation). */
V_INLINE vf apl_f(vf x, const actq_args* k) {
  vf y = v_max(x, ZERO);
  double sum_a = 0.0, sum_ab = 0.0;
  for (uint32_t s = 0; s < k->len[0]; ++s) {
    const float a = k->arr[0][s], b = k->arr[1][s];
    y = v_add(y, v_mul(v_set(a), v_max(v_sub(v_set(b), x), ZERO)));
    sum_a += a;
    sum_ab += (double)a * b;
  }
  const vf line = sum_a == 0.0 ? v_set((float)sum_ab) : d_to(d_add(d_mul(d_from(x), d_set(-sum_a)), d_set(sum_ab)));
  const vf inf = v_set(__builtin_inff());
  const vm direct = m_and(v_lt(v_abs(y), inf), v_gt(x, v_neg(inf))); /* finite sum, x > -inf */
  return v_sel(direct, y, v_sel(v_lt(x, ZERO), line, y));
}
V_INLINE vf apl_d(vf x, const actq_args* k) {
  vf d = v_sel(v_gt(x, ZERO), ONE, ZERO);
  for (uint32_t s = 0; s < k->len[0]; ++s)
    d = v_sub(d, v_sel(v_lt(x, v_set(k->arr[1][s])), v_set(k->arr[0][s]), ZERO));
  return d;
}
KERNELS(apl, apl_f, apl_d)

/* ---- shrinkage and threshold --------------------------------------------------------- */

V_INLINE vf hard_shrink_f(vf x, const actq_args* k) { return v_sel(v_le(v_abs(x), v_set(P(0))), ZERO, x); }
V_INLINE vf shrink_d(vf x, const actq_args* k) { return v_sel(v_le(v_abs(x), v_set(P(0))), ZERO, ONE); }
KERNELS(hard_shrink, hard_shrink_f, shrink_d)

/* soft_shrink = x - clamp(x, -lambda, lambda) */
V_INLINE vf soft_shrink_f(vf x, const actq_args* k) {
  return v_sub(x, v_min(v_max(x, v_set(-P(0))), v_set(P(0))));
}
KERNELS(soft_shrink, soft_shrink_f, shrink_d)

/* tanh_shrink = x - tanh(x); below |x| = 1.5 as x^3 g(x^2) to avoid the cancellation */
static const float TANH_SHRINK_G[10] = { 0x1.555554p-2f, -0x1.1110b8p-3f, 0x1.ba0688p-5f, -0x1.655498p-6f,
                                         0x1.1c5d68p-7f, -0x1.aa012p-9f, 0x1.129ea6p-10f, -0x1.0c700ap-12f,
                                         0x1.5024eep-15f, -0x1.88144ap-19f };
V_INLINE vf tanh_shrink_f(vf x, const actq_args* k) {
  (void)k;
  const vf x2 = v_mul(x, x);
  const vf small = v_mul(v_mul(x, x2), V_HORNER(x2, TANH_SHRINK_G, 10));
  return v_sel(v_le(v_abs(x), v_set(1.5f)), small, v_sub(x, v_tanh(x)));
}
V_INLINE vf tanh_shrink_d(vf x, const actq_args* k) { (void)k; const vf t = v_tanh(x); return v_mul(t, t); }
KERNELS(tanh_shrink, tanh_shrink_f, tanh_shrink_d)

V_INLINE vf threshold_f(vf x, const actq_args* k) { return v_sel(v_le(x, v_set(P(0))), v_set(P(1)), x); }
V_INLINE vf threshold_d(vf x, const actq_args* k) { (void)k; return v_sel(v_le(x, v_set(P(0))), ZERO, ONE); }
KERNELS(threshold, threshold_f, threshold_d)

/* ---- bounded odd functions ------------------------------------------------------------ */

/* softsign = x / (1 + |x|), in f64: one rounding (0.5 ULP); +-1 at +-inf */
V_INLINE vf softsign_f(vf x, const actq_args* k) {
  (void)k;
  const vf xc = v_min(v_max(x, v_set(-0x1p60f)), v_set(0x1p60f));
  const vd xd = d_from(xc);
  return d_to(d_div(xd, d_add(d_set(1.0), d_abs(xd))));
}
V_INLINE vf softsign_d(vf x, const actq_args* k) {
  (void)k;
  const vf d = v_add(ONE, v_abs(x));
  return v_div(ONE, v_mul(d, d));
}
KERNELS(softsign, softsign_f, softsign_d)

/* sqnl: x (1 - |x|/4) on [-2, 2] in f64 (0.5 ULP), sign(x) outside; derivative 1 - |x|/2 */
V_INLINE vf sqnl_f(vf x, const actq_args* k) {
  (void)k;
  const vd xd = d_from(x);
  const vf inner = d_to(d_mul(xd, d_sub(d_set(1.0), d_mul(d_abs(xd), d_set(0.25)))));
  return v_sel(v_gt(v_abs(x), v_set(2.0f)), v_copysign(ONE, x), inner);
}
V_INLINE vf sqnl_d(vf x, const actq_args* k) {
  (void)k;
  const vf ax = v_abs(x);
  return v_sel(v_gt(ax, v_set(2.0f)), ZERO, v_sub(ONE, v_mul(ax, v_set(0.5f))));
}
KERNELS(sqnl, sqnl_f, sqnl_d)

/* ---- pwl: continuous piecewise-linear (what aq.fit returns) -----------------------------
 * values[j] at knots[j], linear in between; beyond the outer knots constant, or (extend_left,
 * extend_right) the outer segment continued. A constant side clamps x to its knot; then one
 * compare-and-select pass over the knots picks each lane's segment [t_a, t_b] (x >= t_j; the
 * derivative takes x > t_j: the left value at a knot), and y = v_a + (x - t_a) s in f64,
 * s = (v_b - v_a) / (t_b - t_a), lane by lane (scalar f64 code: a fraction of the size of
 * f64x2 code, and no slower here). The differences are exact, so y is correctly rounded but
 * for 2^-29 |v_b - v_a| / |y| ULP, and exactly values[j] at knots[j]. An extended side
 * whose segment is flat clamps x at +-FLT_MAX (inf * 0 would be NaN). One block loop: the
 * last, partial block reads zeros past n and writes only its n - i lanes. */
__attribute__((noinline)) static void pwl_run(size_t n, const float* x, float* y, const actq_args* k, int derivative) {
  const float *t = k->arr[0], *v = k->arr[1], big = 0x1.fffffep127f, inf = __builtin_inff();
  const uint32_t m = k->len[0], last = m - 1;
  const int ext_l = k->p[2] != 0 && m > 1, ext_r = k->p[3] != 0 && m > 1;
  const vf lo = v_set(!ext_l ? t[0] : v[1] == v[0] ? -big : -inf);
  const vf hi = v_set(!ext_r ? t[last] : v[last] == v[last - 1] ? big : inf);
  for (size_t i = 0; i < n; i += VLEN) {
    float xs[VLEN], tas[VLEN], vas[VLEN], tbs[VLEN], vbs[VLEN];
    _Pragma("clang loop unroll(disable) vectorize(disable)")
    for (int l = 0; l < VLEN; ++l) xs[l] = i + l < n ? x[i + l] : 0.0f;
    const vf xv = v_load(xs), xc = v_min(v_max(xv, lo), hi);
    vf ta = v_set(t[0]), va = v_set(v[0]), tb = v_set(m > 1 ? t[1] : t[0] - 1.0f), vb = v_set(v[m > 1]);
    for (uint32_t j = 1; j < last; ++j) {
      const vf tj = v_set(t[j]);
      const vm in = derivative ? v_gt(xv, tj) : v_ge(xc, tj);
      ta = v_sel(in, tj, ta);
      va = v_sel(in, v_set(v[j]), va);
      tb = v_sel(in, v_set(t[j + 1]), tb);
      vb = v_sel(in, v_set(v[j + 1]), vb);
    }
    v_store(tas, ta), v_store(vas, va), v_store(tbs, tb), v_store(vbs, vb);
    v_store(xs, xc);
    _Pragma("clang loop unroll(disable) vectorize(disable)")
    for (int l = 0; l < VLEN && i + l < n; ++l) {
      const float xi = x[i + l];
      const double s = ((double)vbs[l] - vas[l]) / ((double)tbs[l] - tas[l]);
      float r = (float)(derivative ? s : vas[l] + ((double)xs[l] - tas[l]) * s);
      if (derivative ? (!ext_l && xi <= t[0]) || (!ext_r && xi > t[last]) : !ext_r && xs[l] == t[last]) r = derivative ? 0.0f : v[last];
      y[i + l] = xi != xi ? xi : r;
    }
  }
}
static void pwl_forward(size_t n, const float* x, float* y, const actq_args* a) { pwl_run(n, x, y, a, 0); }
static void pwl_derivative(size_t n, const float* x, float* y, const actq_args* a) { pwl_run(n, x, y, a, 1); }

/* ---- the table --------------------------------------------------------------------------- */

#define PARAMS(...)                                                   \
  .params = (const actq_param[]){ __VA_ARGS__ },                      \
  .nparams = sizeof((const actq_param[]){ __VA_ARGS__ }) / sizeof(actq_param)
#define PRESETS(...)                                                  \
  .presets = (const actq_preset[]){ __VA_ARGS__ },                    \
  .npresets = sizeof((const actq_preset[]){ __VA_ARGS__ }) / sizeof(actq_preset)
#define NUMBER(name, def, lo, hi, doc) { name, ACTQ_NUMBER, def, lo, hi, 0, 0, doc }
#define INTEGER(name, def, lo, hi, doc) { name, ACTQ_INTEGER, def, lo, hi, 0, 0, doc }
#define BOOLEAN(name, def, doc) { name, ACTQ_BOOLEAN, def, 0, 1, 0, 0, doc }
#define ARRAY(name, lo, hi, doc, ...)                                                 \
  { name, ACTQ_ARRAY, 0, lo, hi, (const float[]){ __VA_ARGS__ },                       \
    sizeof((const float[]){ __VA_ARGS__ }) / sizeof(float), doc }
#define PRESET(name, doc, ...) { name, doc, { __VA_ARGS__ } }
#define KERNEL(name) .forward = name##_forward, .derivative = name##_derivative

static int check_ordered(const actq_args* a) { return a->p[0] < a->p[1] ? -1 : 1; }
static int check_ordered_or_equal(const actq_args* a) { return a->p[0] <= a->p[1] ? -1 : 1; }
static int check_same_length(const actq_args* a) { return a->len[0] == a->len[1] ? -1 : 1; }
static int check_pwl(const actq_args* a) {
  for (uint32_t j = 1; j < a->len[0]; ++j)
    if (!(a->arr[0][j - 1] < a->arr[0][j])) return 0;
  return check_same_length(a);
}

const actq_activation actq_activations[] = {
  { "sigmoid", "1 / (1 + exp(-x))", KERNEL(sigmoid), .fast = sigmoid_fast },
  { "hard_sigmoid", "clip(slope * x + offset, 0, 1)",
    PARAMS(NUMBER("slope", 0.2, 0.001, 10, "slope between the knees"),
           NUMBER("offset", 0.5, -10, 10, "value at x = 0")),
    PRESETS(PRESET("onnx", "ONNX HardSigmoid defaults (alpha 0.2, beta 0.5); Keras 2, TF.js layers", 0.2, 0.5),
            PRESET("pytorch", "torch.nn.Hardsigmoid = relu6(x + 3) / 6; Keras 3, JAX", 1.0 / 6.0, 0.5),
            PRESET("paddle", "paddle.nn.functional.hardsigmoid(slope=0.1666667, offset=0.5)", 0.1666667, 0.5),
            PRESET("taylor", "hard-logistic: first-order Taylor expansion of sigmoid at 0", 0.25, 0.5),
            PRESET("bnn", "BinaryConnect / BNN clip((x + 1) / 2, 0, 1); Keras 3 sparse_sigmoid", 0.5, 0.5)),
    KERNEL(hard_sigmoid), .fast = hard_sigmoid_fast },
  { "tanh", "tanh(x) = 2 sigmoid(2x) - 1", KERNEL(tanh), .fast = tanh_fast },
  { "hard_tanh", "clip(slope * x + offset, min_val, max_val)",
    PARAMS(NUMBER("min_val", -1, -100, 100, "lower clip (< max_val)"),
           NUMBER("max_val", 1, -100, 100, "upper clip (> min_val)"),
           NUMBER("slope", 1, 0.001, 100, "slope between the knees"),
           NUMBER("offset", 0, -100, 100, "value at x = 0 before clipping")),
    PRESETS(PRESET("pytorch", "torch.nn.Hardtanh defaults; Keras hard_tanh", -1, 1, 1, 0)),
    KERNEL(hard_tanh), .fast = hard_tanh_fast, .check = check_ordered },
  { "log_sigmoid", "-softplus(-x) = min(x, 0) - log1p(exp(-|x|))", KERNEL(log_sigmoid), .fast = log_sigmoid_fast },
  { "relu", "max(x, 0)", KERNEL(relu) },
  { "relu6", "min(max(x, 0), 6)", KERNEL(relu6) },
  { "leaky_relu", "x >= 0 ? x : alpha * x",
    PARAMS(NUMBER("alpha", 0.01, -10, 10, "slope for x < 0")),
    PRESETS(PRESET("pytorch", "torch.nn.LeakyReLU, ONNX LeakyRelu default", 0.01),
            PRESET("tf", "tf.nn.leaky_relu, Keras function, TF.js op default", 0.2),
            PRESET("keras", "Keras 2 / TF.js LeakyReLU layer default", 0.3)),
    KERNEL(leaky_relu) },
  { "prelu", "x >= 0 ? x : alpha[c] * x, c = floor(i / inner) % alpha.length",
    PARAMS(ARRAY("alpha", -10, 10, "one slope, or one per channel", 0.25f),
           INTEGER("inner", 1, 1, 2147483647.0, "elements per channel run: 1 = channels last (NHWC), H*W for NCHW")),
    KERNEL(prelu) },
  { "rrelu", "x >= 0 ? x : a x; a ~ U(lower, upper) per element when training, else (lower + upper) / 2",
    PARAMS(NUMBER("lower", 0.125, 0, 1, "lower bound of the slope"),
           NUMBER("upper", 1.0 / 3.0, 0, 1, "upper bound of the slope (>= lower)"),
           BOOLEAN("training", 0, "draw a slope per element (from seed) instead of the mean"),
           INTEGER("seed", 0, 0, 4294967295.0, "noise seed for training mode")),
    KERNEL(rrelu), .check = check_ordered_or_equal },
  { "elu", "x > 0 ? x : alpha (exp(x) - 1)",
    PARAMS(NUMBER("alpha", 1, 0, 10, "saturation value for x -> -inf is -alpha")), KERNEL(elu), .fast = elu_fast },
  { "selu", "scale (x > 0 ? x : alpha (exp(x) - 1)), alpha = 1.6732632, scale = 1.0507010", KERNEL(selu), .fast = selu_fast },
  { "celu", "max(0, x) + min(0, alpha (exp(x / alpha) - 1))",
    PARAMS(NUMBER("alpha", 1, 0.001, 10, "scale of the negative part")), KERNEL(celu), .fast = celu_fast },
  { "gelu", "x Phi(x) = x (1 + erf(x / sqrt 2)) / 2", KERNEL(gelu), .fast = gelu_fast_forward,
    .balanced = gelu_balanced_forward },
  { "gelu_tanh", "x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2", KERNEL(gelu_tanh), .fast = gelu_tanh_fast },
  { "silu", "x sigmoid(beta x) (swish)",
    PARAMS(NUMBER("beta", 1, -10, 10, "sharpness (1: SiLU; learnable in Swish)")), KERNEL(silu), .fast = silu_fast },
  { "hard_swish", "x clip(slope * x + offset, 0, 1)",
    PARAMS(NUMBER("slope", 1.0 / 6.0, 0.001, 10, "gate slope (1/6: x relu6(x + 3) / 6)"),
           NUMBER("offset", 0.5, -10, 10, "gate at x = 0")),
    KERNEL(hard_swish), .fast = hard_swish_fast },
  { "mish", "x tanh(softplus(x))", KERNEL(mish), .fast = mish_fast },
  { "softplus", "log(1 + exp(beta x)) / beta; x when beta x > threshold",
    PARAMS(NUMBER("beta", 1, 0.01, 100, "sharpness"),
           NUMBER("threshold", 20, 0, 100, "beta x above this returns x")),
    PRESETS(PRESET("pytorch", "torch.nn.Softplus defaults", 1, 20)),
    KERNEL(softplus), .fast = softplus_fast },
  { "softsign", "x / (1 + |x|)", KERNEL(softsign) },
  { "sqnl", "x > 2 ? 1 : x >= 0 ? x - x^2/4 : x >= -2 ? x + x^2/4 : -1", KERNEL(sqnl) },
  { "apl", "max(0, x) + sum_s a[s] max(0, b[s] - x)",
    PARAMS(ARRAY("a", -10, 10, "hinge slopes", -0.25f, 0.5f),
           ARRAY("b", -10, 10, "hinge locations (same length as a)", 0.0f, -1.5f)),
    KERNEL(apl), .check = check_same_length },
  { "hard_shrink", "|x| > lambda ? x : 0", PARAMS(NUMBER("lambda", 0.5, 0, 100, "dead zone half-width")),
    KERNEL(hard_shrink) },
  { "soft_shrink", "x - clip(x, -lambda, lambda)", PARAMS(NUMBER("lambda", 0.5, 0, 100, "dead zone half-width")),
    KERNEL(soft_shrink) },
  { "tanh_shrink", "x - tanh(x)", KERNEL(tanh_shrink) },
  { "threshold", "x > threshold ? x : value",
    PARAMS(NUMBER("threshold", 1, -100, 100, "inputs at or below it are replaced"),
           NUMBER("value", 0, -100, 100, "replacement value")),
    PRESETS(PRESET("onnx", "ONNX ThresholdedRelu (alpha = 1)", 1, 0)),
    KERNEL(threshold) },
  { "pwl", "linear through (knots[j], values[j]); constant beyond, or extended",
    PARAMS(ARRAY("knots", -10000, 10000, "increasing", -1.0f, 1.0f),
           ARRAY("values", -10000, 10000, "one per knot", -1.0f, 1.0f),
           BOOLEAN("extend_left", 0, "extend the first segment"),
           BOOLEAN("extend_right", 0, "extend the last segment")),
    KERNEL(pwl), .check = check_pwl },
};

const uint32_t actq_activation_count = sizeof(actq_activations) / sizeof(actq_activations[0]);
