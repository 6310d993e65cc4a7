/* Integer codes <-> float lanes, for the quantization kernels: a block is 4 vectors
 * (16 codes with SIMD, 4 without). Codes to store arrive as int32 lanes, clamped here to
 * their range; codes loaded leave as exact integers in float lanes: every conversion below
 * is exact, and both builds agree. */
#ifndef ACTQ_SIMD_CODES_H
#define ACTQ_SIMD_CODES_H

#include "simd.h"

#define QBLOCK (4 * VLEN)

/* storage of a code: int8, uint8, int16, uint16 */
enum { CODE_S8 = 0, CODE_U8 = 1, CODE_S16 = 2, CODE_U16 = 3 };

#if ACTQ_V128

V_INLINE vf v_trunc(vf a) { return wasm_f32x4_trunc(a); }
V_INLINE vf v_floor(vf a) { return wasm_f32x4_floor(a); }

/* Integer-valued floats |v| < 2^22 <-> int32 by the magic number 1.5 * 2^23: v + M has v in
 * its low mantissa bits. Two cheap ops each way; V8 lowers i32x4.trunc_sat_f32x4_s to about
 * eight x86 instructions, and LLVM scalarizes sitofp of <4 x i16> lane by lane. */
#define CODE_MAGIC 0x1.8p23f
#define CODE_MAGIC_BITS 0x4b400000
/* codes given as int32 lanes of any value: the signed packs saturate them to the storage
 * type, then a min and a max per stored vector clamp to [lo, hi], the code range splatted in
 * the storage's lanes (code_splat) */
typedef v128_t code_vec; /* a code in every lane of the storage type */
V_INLINE code_vec code_splat(int kind, int32_t c) { return kind >= CODE_S16 ? wasm_i16x8_splat((int16_t)c) : wasm_i8x16_splat((int8_t)c); }
V_INLINE v128_t clamp_codes(int kind, v128_t v, v128_t lo, v128_t hi) {
  switch (kind) {
    case CODE_S8: return wasm_i8x16_min(wasm_i8x16_max(v, lo), hi);
    case CODE_U8: return wasm_u8x16_min(wasm_u8x16_max(v, lo), hi);
    case CODE_S16: return wasm_i16x8_min(wasm_i16x8_max(v, lo), hi);
    default: return wasm_u16x8_min(wasm_u16x8_max(v, lo), hi);
  }
}
V_INLINE void store_codes_clamped(int kind, void* p, v128_t ia, v128_t ib, v128_t ic, v128_t id, code_vec lo, code_vec hi) {
  if (kind == CODE_S16 || kind == CODE_U16) {
    const int u = kind == CODE_U16;
    wasm_v128_store(p, clamp_codes(kind, u ? wasm_u16x8_narrow_i32x4(ia, ib) : wasm_i16x8_narrow_i32x4(ia, ib), lo, hi));
    wasm_v128_store((int16_t*)p + 8, clamp_codes(kind, u ? wasm_u16x8_narrow_i32x4(ic, id) : wasm_i16x8_narrow_i32x4(ic, id), lo, hi));
  } else {
    const v128_t l = wasm_i16x8_narrow_i32x4(ia, ib), h = wasm_i16x8_narrow_i32x4(ic, id);
    wasm_v128_store(p, clamp_codes(kind, kind == CODE_U8 ? wasm_u8x16_narrow_i16x8(l, h) : wasm_i8x16_narrow_i16x8(l, h), lo, hi));
  }
}

/* Loads QBLOCK codes as floats minus zp (exact: |q - zp| < 2^17). Each code becomes an
 * unsigned 16-bit u = q + bias (the signed kinds flip their top bit: bias 128 or 32768),
 * and interleaving u with 0x4b40 halves gives the bits of CODE_MAGIC + u, so one float
 * subtraction of CODE_MAGIC + bias + zp (an integer below 2^24, exact) finishes the job:
 * byte and halfword interleaves are single x86 unpacks, where widening each half by sign
 * extension costs V8 two instructions for the high half. */
V_INLINE void load_codes_minus(int kind, const void* p, vf zp, vf* a, vf* b, vf* c, vf* d) {
  v128_t lo, hi;
  float bias = 0.0f;
  if (kind == CODE_S16 || kind == CODE_U16) {
    lo = wasm_v128_load(p);
    hi = wasm_v128_load((const int16_t*)p + 8);
    if (kind == CODE_S16) {
      const v128_t flip = wasm_i16x8_splat((int16_t)0x8000);
      lo = wasm_v128_xor(lo, flip), hi = wasm_v128_xor(hi, flip), bias = 32768.0f;
    }
  } else {
    v128_t v = wasm_v128_load(p);
    if (kind == CODE_S8) v = wasm_v128_xor(v, wasm_i8x16_splat((int8_t)0x80)), bias = 128.0f;
    const v128_t zero = wasm_i8x16_splat(0);
    lo = wasm_i8x16_shuffle(v, zero, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    hi = wasm_i8x16_shuffle(v, zero, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  }
  const v128_t m = wasm_i16x8_splat((int16_t)(CODE_MAGIC_BITS >> 16)); /* the low half of CODE_MAGIC's bits is 0 */
  const vf off = wasm_f32x4_add(wasm_f32x4_splat(CODE_MAGIC + bias), zp);
  *a = wasm_f32x4_sub(wasm_i16x8_shuffle(lo, m, 0, 8, 1, 9, 2, 10, 3, 11), off);
  *b = wasm_f32x4_sub(wasm_i16x8_shuffle(lo, m, 4, 12, 5, 13, 6, 14, 7, 15), off);
  *c = wasm_f32x4_sub(wasm_i16x8_shuffle(hi, m, 0, 8, 1, 9, 2, 10, 3, 11), off);
  *d = wasm_f32x4_sub(wasm_i16x8_shuffle(hi, m, 4, 12, 5, 13, 6, 14, 7, 15), off);
}

#else

V_INLINE vf v_trunc(vf a) { return __builtin_truncf(a); }
#define CODE_MAGIC 0x1.8p23f
#define CODE_MAGIC_BITS 0x4b400000
V_INLINE vf v_floor(vf a) { return __builtin_floorf(a); }

V_INLINE void store_code(int kind, void* p, int i, vi v) {
  const int32_t c = (int32_t)v;
  switch (kind) {
    case CODE_S8: ((int8_t*)p)[i] = (int8_t)c; break;
    case CODE_U8: ((uint8_t*)p)[i] = (uint8_t)c; break;
    case CODE_S16: ((int16_t*)p)[i] = (int16_t)c; break;
    default: ((uint16_t*)p)[i] = (uint16_t)c; break;
  }
}
typedef int32_t code_vec;
V_INLINE code_vec code_splat(int kind, int32_t c) { (void)kind; return c; }
/* vi is unsigned here: the lanes compare as int32 */
V_INLINE void store_codes_clamped(int kind, void* p, vi a, vi b, vi c, vi d, code_vec lo, code_vec hi) {
  const int32_t v[4] = { (int32_t)a, (int32_t)b, (int32_t)c, (int32_t)d };
  for (int i = 0; i < 4; i++) store_code(kind, p, i, (vi)(v[i] < lo ? lo : v[i] > hi ? hi : v[i]));
}
V_INLINE vf load_code(int kind, const void* p, int i) {
  switch (kind) {
    case CODE_S8: return (float)((const int8_t*)p)[i];
    case CODE_U8: return (float)((const uint8_t*)p)[i];
    case CODE_S16: return (float)((const int16_t*)p)[i];
    default: return (float)((const uint16_t*)p)[i];
  }
}
V_INLINE void load_codes_minus(int kind, const void* p, vf zp, vf* a, vf* b, vf* c, vf* d) {
  *a = load_code(kind, p, 0) - zp; *b = load_code(kind, p, 1) - zp;
  *c = load_code(kind, p, 2) - zp; *d = load_code(kind, p, 3) - zp;
}

#endif

V_INLINE size_t code_bytes(int kind) { return kind >= CODE_S16 ? 2 : 1; }

#endif
