/* The thin SIMD interface every kernel is written against.
 *
 * Built with -msimd128 a vector holds 4 floats (wasm v128); built without, 1 float.
 * Each operation is defined by its IEEE semantics (not by "whatever the target's min
 * does"), so the two builds of one algorithm return the same bits:
 *   v_min(a, b) = b < a ? b : a      (wasm pmin: NaN in a propagates, -0/+0 keep a)
 *   v_max(a, b) = a < b ? b : a      (wasm pmax)
 *   masks are all-ones / all-zeros per lane; v_sel(m, a, b) = m ? a : b
 */
#ifndef ACTQ_SIMD_H
#define ACTQ_SIMD_H

#include <stdint.h>
#include <string.h>

#define V_INLINE static inline __attribute__((always_inline))

/* ACTQ_V128: the 4-lane build. In wasm (-msimd128) the intrinsics are the compiler's;
 * natively (native.mk, -DACTQ_SIMDE) the same wasm_* intrinsics come from SIMDe's
 * simde/wasm/simd128.h, lowered to SSE4.1 (or NEON), so the one SIMD source gives the
 * wasm SIMD build's bits. */
#if defined(__wasm_simd128__)
#define ACTQ_V128 1
#include <wasm_simd128.h>
#elif defined(ACTQ_SIMDE)
#define ACTQ_V128 1
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/wasm/simd128.h>
#else
#define ACTQ_V128 0
#endif

#if ACTQ_V128

#define VLEN 4
typedef v128_t vf; /* 4 x f32 */
typedef v128_t vm; /* 4 x mask */
typedef v128_t vi; /* 4 x i32 */

V_INLINE vf v_set(float c) { return wasm_f32x4_splat(c); }
V_INLINE vf v_load(const float* p) { return wasm_v128_load(p); }
V_INLINE void v_store(float* p, vf v) { wasm_v128_store(p, v); }
V_INLINE vf v_add(vf a, vf b) { return wasm_f32x4_add(a, b); }
V_INLINE vf v_sub(vf a, vf b) { return wasm_f32x4_sub(a, b); }
V_INLINE vf v_mul(vf a, vf b) { return wasm_f32x4_mul(a, b); }
V_INLINE vf v_div(vf a, vf b) { return wasm_f32x4_div(a, b); }
V_INLINE vf v_sqrt(vf a) { return wasm_f32x4_sqrt(a); }
V_INLINE vf v_abs(vf a) { return wasm_f32x4_abs(a); }
V_INLINE vf v_neg(vf a) { return wasm_f32x4_neg(a); }
/* v unchanged, hidden from the optimizer behind an empty asm: a constant used as t + C and
 * then (t + C) - C would otherwise be held twice, as C and as -C (LLVM adds the negation) */
#if defined(__wasm_simd128__)
V_INLINE vf v_opaque(vf v) { __asm__("" : "+r"(v)); return v; }
#elif defined(__aarch64__)
V_INLINE vf v_opaque(vf v) { __asm__("" : "+w"(v)); return v; }
#elif defined(__x86_64__) || defined(__i386__)
V_INLINE vf v_opaque(vf v) { __asm__("" : "+x"(v)); return v; }
#else
V_INLINE vf v_opaque(vf v) { return v; } /* no barrier: the same values, one register more */
#endif
#if defined(ACTQ_SIMDE) && defined(__aarch64__)
/* Native aarch64: clang 14's AArch64 backend turns select(a < b, b, a) into fmax / fmin,
 * which differ from pmax / pmin for -0 and NaN (gelu(-0) came out +0): there every
 * compare-and-select mask passes through an empty asm the combiner cannot see into. */
V_INLINE v128_t v_opaque_mask(v128_t m) { __asm__("" : "+w"(m)); return m; }
V_INLINE vf v_min(vf a, vf b) { return wasm_v128_bitselect(b, a, v_opaque_mask(wasm_f32x4_lt(b, a))); }
V_INLINE vf v_max(vf a, vf b) { return wasm_v128_bitselect(b, a, v_opaque_mask(wasm_f32x4_lt(a, b))); }
#define V_SEL_MASK(m) v_opaque_mask(m)
#define V_PMIN64(a, b) wasm_v128_bitselect(b, a, v_opaque_mask(wasm_f64x2_lt(b, a)))
#define V_PMAX64(a, b) wasm_v128_bitselect(b, a, v_opaque_mask(wasm_f64x2_lt(a, b)))
#else
V_INLINE vf v_min(vf a, vf b) { return wasm_f32x4_pmin(a, b); }
V_INLINE vf v_max(vf a, vf b) { return wasm_f32x4_pmax(a, b); }
#define V_SEL_MASK(m) (m)
#define V_PMIN64(a, b) wasm_f64x2_pmin(a, b)
#define V_PMAX64(a, b) wasm_f64x2_pmax(a, b)
#endif
V_INLINE vf v_nearest(vf a) { return wasm_f32x4_nearest(a); }
V_INLINE vm v_lt(vf a, vf b) { return wasm_f32x4_lt(a, b); }
V_INLINE vm v_le(vf a, vf b) { return wasm_f32x4_le(a, b); }
V_INLINE vm v_gt(vf a, vf b) { return wasm_f32x4_gt(a, b); }
V_INLINE vm v_ge(vf a, vf b) { return wasm_f32x4_ge(a, b); }
V_INLINE vm v_eq(vf a, vf b) { return wasm_f32x4_eq(a, b); }
V_INLINE vm v_isnan(vf a) { return wasm_f32x4_ne(a, a); }
V_INLINE vm m_and(vm a, vm b) { return wasm_v128_and(a, b); }
V_INLINE vm m_or(vm a, vm b) { return wasm_v128_or(a, b); }
V_INLINE int m_any(vm m) { return wasm_v128_any_true(m); }
V_INLINE vf v_sel(vm m, vf a, vf b) { return wasm_v128_bitselect(a, b, V_SEL_MASK(m)); }
/* the magnitude of a with the sign of s */
V_INLINE vf v_copysign(vf a, vf s) {
  return wasm_v128_bitselect(s, a, wasm_i32x4_splat((int32_t)0x80000000));
}
V_INLINE vi v_bits(vf a) { return a; }
V_INLINE vf v_from_bits(vi a) { return a; }
V_INLINE vi i_shl(vi a, int n) { return wasm_i32x4_shl(a, n); }
V_INLINE vi i_add(vi a, vi b) { return wasm_i32x4_add(a, b); }
V_INLINE vi i_sub(vi a, vi b) { return wasm_i32x4_sub(a, b); }
V_INLINE vi i_and(vi a, vi b) { return wasm_v128_and(a, b); }
V_INLINE vi i_set(int32_t c) { return wasm_i32x4_splat(c); }


/* f64 lanes for the piecewise-linear kernels that must round once (see activations.c):
 * a vd holds VLEN doubles. */
typedef struct { v128_t lo, hi; } vd;
V_INLINE vd d_from(vf x) {
  return (vd){ wasm_f64x2_promote_low_f32x4(x),
               wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 2, 3)) };
}
V_INLINE vf d_to(vd a) {
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(a.lo), wasm_f32x4_demote_f64x2_zero(a.hi), 0, 1, 4, 5);
}
V_INLINE vd d_set(double c) { v128_t v = wasm_f64x2_splat(c); return (vd){ v, v }; }
V_INLINE vd d_add(vd a, vd b) { return (vd){ wasm_f64x2_add(a.lo, b.lo), wasm_f64x2_add(a.hi, b.hi) }; }
V_INLINE vd d_sub(vd a, vd b) { return (vd){ wasm_f64x2_sub(a.lo, b.lo), wasm_f64x2_sub(a.hi, b.hi) }; }
V_INLINE vd d_div(vd a, vd b) { return (vd){ wasm_f64x2_div(a.lo, b.lo), wasm_f64x2_div(a.hi, b.hi) }; }
V_INLINE vd d_abs(vd a) { return (vd){ wasm_f64x2_abs(a.lo), wasm_f64x2_abs(a.hi) }; }
V_INLINE vd d_mul(vd a, vd b) { return (vd){ wasm_f64x2_mul(a.lo, b.lo), wasm_f64x2_mul(a.hi, b.hi) }; }
V_INLINE vd d_min(vd a, vd b) { return (vd){ V_PMIN64(a.lo, b.lo), V_PMIN64(a.hi, b.hi) }; }
V_INLINE vd d_max(vd a, vd b) { return (vd){ V_PMAX64(a.lo, b.lo), V_PMAX64(a.hi, b.hi) }; }
typedef vd vdm; /* f64 lane masks */
V_INLINE vdm d_lt(vd a, vd b) { return (vdm){ wasm_f64x2_lt(a.lo, b.lo), wasm_f64x2_lt(a.hi, b.hi) }; }
V_INLINE vd d_sel(vdm m, vd a, vd b) {
  return (vd){ wasm_v128_bitselect(a.lo, b.lo, V_SEL_MASK(m.lo)), wasm_v128_bitselect(a.hi, b.hi, V_SEL_MASK(m.hi)) };
}
/* the double whose bits are those of a shifted left by 52 */
V_INLINE vd d_shl52(vd a) { return (vd){ wasm_i64x2_shl(a.lo, 52), wasm_i64x2_shl(a.hi, 52) }; }

#else /* scalar: the same operations on one float */

#define VLEN 1
typedef float vf;
typedef uint32_t vm;
typedef uint32_t vi;

V_INLINE vf v_set(float c) { return c; }
V_INLINE vf v_load(const float* p) { return *p; }
V_INLINE void v_store(float* p, vf v) { *p = v; }
V_INLINE vf v_add(vf a, vf b) { return a + b; }
V_INLINE vf v_sub(vf a, vf b) { return a - b; }
V_INLINE vf v_mul(vf a, vf b) { return a * b; }
V_INLINE vf v_div(vf a, vf b) { return a / b; }
V_INLINE vf v_sqrt(vf a) { return __builtin_sqrtf(a); }
V_INLINE vf v_abs(vf a) { return __builtin_fabsf(a); }
V_INLINE vf v_neg(vf a) { return -a; }
/* LLVM's wasm backend turns `a < C ? C : a` with a constant C into f32.max, which differs
 * from pmax for -0; hiding C behind an empty asm keeps the select. */
#define V_OPAQUE(v) __asm__("" : "+r"(v))
V_INLINE vf v_min(vf a, vf b) { V_OPAQUE(b); return b < a ? b : a; }
V_INLINE vf v_max(vf a, vf b) { V_OPAQUE(b); return a < b ? b : a; }
V_INLINE vf v_opaque(vf v) { V_OPAQUE(v); return v; }
V_INLINE vf v_nearest(vf a) { return __builtin_rintf(a); }
V_INLINE vm v_lt(vf a, vf b) { return a < b ? ~0u : 0u; }
V_INLINE vm v_le(vf a, vf b) { return a <= b ? ~0u : 0u; }
V_INLINE vm v_gt(vf a, vf b) { return a > b ? ~0u : 0u; }
V_INLINE vm v_ge(vf a, vf b) { return a >= b ? ~0u : 0u; }
V_INLINE vm v_eq(vf a, vf b) { return a == b ? ~0u : 0u; }
V_INLINE vm v_isnan(vf a) { return a != a ? ~0u : 0u; }
V_INLINE vm m_and(vm a, vm b) { return a & b; }
V_INLINE vm m_or(vm a, vm b) { return a | b; }
V_INLINE int m_any(vm m) { return m != 0; }
V_INLINE vf v_sel(vm m, vf a, vf b) { return m ? a : b; }
V_INLINE vf v_copysign(vf a, vf s) { return __builtin_copysignf(a, s); }
V_INLINE vi v_bits(vf a) { vi r; memcpy(&r, &a, 4); return r; }
V_INLINE vf v_from_bits(vi a) { vf r; memcpy(&r, &a, 4); return r; }
V_INLINE vi i_shl(vi a, int n) { return a << n; }
V_INLINE vi i_add(vi a, vi b) { return a + b; }
V_INLINE vi i_sub(vi a, vi b) { return a - b; }
V_INLINE vi i_and(vi a, vi b) { return a & b; }
V_INLINE vi i_set(int32_t c) { return (vi)c; }

typedef double vd;
V_INLINE vd d_from(vf x) { return (double)x; }
V_INLINE vf d_to(vd a) { return (float)a; }
V_INLINE vd d_set(double c) { return c; }
V_INLINE vd d_add(vd a, vd b) { return a + b; }
V_INLINE vd d_sub(vd a, vd b) { return a - b; }
V_INLINE vd d_div(vd a, vd b) { return a / b; }
V_INLINE vd d_abs(vd a) { return __builtin_fabs(a); }
V_INLINE vd d_mul(vd a, vd b) { return a * b; }
V_INLINE vd d_min(vd a, vd b) { V_OPAQUE(b); return b < a ? b : a; }
V_INLINE vd d_max(vd a, vd b) { V_OPAQUE(b); return a < b ? b : a; }
typedef uint64_t vdm;
V_INLINE vdm d_lt(vd a, vd b) { return a < b ? ~0ull : 0ull; }
V_INLINE vd d_sel(vdm m, vd a, vd b) { return m ? a : b; }
V_INLINE vd d_shl52(vd a) { uint64_t u; memcpy(&u, &a, 8); u <<= 52; memcpy(&a, &u, 8); return a; }

#endif

/* Polynomial c[0] + c[1] x + ... by Horner, n coefficients */
#define V_HORNER(x, c, n) v_horner_((x), (c), (n))
V_INLINE vf v_horner_(vf x, const float* c, int n) {
  vf p = v_set(c[n - 1]);
#pragma clang loop unroll(full) /* constant n: straight-line code even at -O2 */
  for (int i = n - 2; i >= 0; --i) p = v_add(v_mul(p, x), v_set(c[i]));
  return p;
}


/* ---- appended: cheap sign-bit operations (V8 materializes the masks of f32x4.abs/neg
 * with two instructions at every use; an and/or/xor with a splatted constant is one) ---- */
#if ACTQ_V128
V_INLINE vf v_or_sign(vf a) { return wasm_v128_or(a, wasm_f32x4_splat(-0.0f)); }        /* -|a| */
V_INLINE vf v_sign_of(vf a) { return wasm_v128_and(a, wasm_f32x4_splat(-0.0f)); }       /* a & sign */
V_INLINE vf v_xor(vf a, vf b) { return wasm_v128_xor(a, b); }
V_INLINE vf v_or(vf a, vf b) { return wasm_v128_or(a, b); }
/* LLVM rewrites and(mask, a) into select(mask, a, 0), which it emits as v128.bitselect of a
 * zero constant: three x86 instructions in V8 instead of one. An empty asm on the mask
 * hides where it came from (wasm only: natively the select compiles to the same and). */
#if defined(__wasm_simd128__)
#define V_HIDE_MASK(m) __asm__("" : "+r"(m))
#else
#define V_HIDE_MASK(m) (void)0
#endif
V_INLINE vf v_and_mask(vm m, vf a) { V_HIDE_MASK(m); return wasm_v128_and(a, m); }      /* m ? a : +0 */
V_INLINE vf v_andnot_mask(vm m, vf a) { V_HIDE_MASK(m); return wasm_v128_andnot(a, m); } /* m ? +0 : a */
V_INLINE vi i_shr_s(vi a, int n) { return wasm_i32x4_shr(a, n); }
V_INLINE vi i_min_s(vi a, vi b) { return wasm_i32x4_min(a, b); }
#else
V_INLINE vf v_or_sign(vf a) { return -__builtin_fabsf(a); }
V_INLINE vf v_sign_of(vf a) { return __builtin_copysignf(0.0f, a); }
V_INLINE vf v_xor(vf a, vf b) { return v_from_bits(v_bits(a) ^ v_bits(b)); }
V_INLINE vf v_or(vf a, vf b) { return v_from_bits(v_bits(a) | v_bits(b)); }
V_INLINE vf v_and_mask(vm m, vf a) { return v_from_bits(v_bits(a) & m); }
V_INLINE vf v_andnot_mask(vm m, vf a) { return v_from_bits(v_bits(a) & ~m); }
V_INLINE vi i_shr_s(vi a, int n) { return (vi)((int32_t)a >> n); }
V_INLINE vi i_min_s(vi a, vi b) { return (int32_t)a < (int32_t)b ? a : b; }
#endif
/* For a negative constant c: a where c <= a <= -0, else c (a >= +0, a < c and every NaN),
 * in one signed-integer minimum of the bits (pminsd), as negative floats' bits order by
 * magnitude and the positive ones' sort above them. It replaces min(a, 0) and a clamp
 * below where a >= 0 may become any argument <= 0 (elu: max(x, expm1(z)) is x for every
 * z <= 0 when x >= 0, and keeps a NaN x). */
V_INLINE vf v_neg_clamp(vf a, float c) { return v_from_bits(i_min_s(v_bits(a), v_bits(v_set(c)))); }

#endif
