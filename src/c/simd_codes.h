/* Integer codes <-> float lanes, for the quantization kernels: a block is 4 vectors
 * (16 codes with SIMD, 4 without). Codes arrive as exact integers in float lanes, already
 * clamped to their range, so every conversion below is exact and both builds agree. */
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
/* float(v) - offset for int32 lanes v, offset an integer-valued float (the zero point) */
V_INLINE vf float_from_codes(v128_t v, vf magic_plus_offset) {
  return wasm_f32x4_sub(wasm_i32x4_add(v, wasm_i32x4_splat(CODE_MAGIC_BITS)), magic_plus_offset);
}

/* codes given as int32 lanes, in range */
V_INLINE void store_code_bits(int kind, void* p, v128_t ia, v128_t ib, v128_t ic, v128_t id) {
  if (kind == CODE_S16 || kind == CODE_U16) {
    const int u = kind == CODE_U16;
    wasm_v128_store(p, u ? wasm_u16x8_narrow_i32x4(ia, ib) : wasm_i16x8_narrow_i32x4(ia, ib));
    wasm_v128_store((int16_t*)p + 8, u ? wasm_u16x8_narrow_i32x4(ic, id) : wasm_i16x8_narrow_i32x4(ic, id));
  } else {
    const v128_t lo = wasm_i16x8_narrow_i32x4(ia, ib), hi = wasm_i16x8_narrow_i32x4(ic, id);
    wasm_v128_store(p, kind == CODE_U8 ? wasm_u8x16_narrow_i16x8(lo, hi) : wasm_i8x16_narrow_i16x8(lo, hi));
  }
}

/* Loads QBLOCK codes as floats minus zp (exact: |q - zp| < 2^17). */
V_INLINE void load_codes_minus(int kind, const void* p, vf zp, vf* a, vf* b, vf* c, vf* d) {
  v128_t lo, hi;
  if (kind == CODE_S16 || kind == CODE_U16) {
    lo = wasm_v128_load(p);
    hi = wasm_v128_load((const int16_t*)p + 8);
  } else {
    const v128_t v = wasm_v128_load(p);
    lo = kind == CODE_U8 ? wasm_u16x8_extend_low_u8x16(v) : wasm_i16x8_extend_low_i8x16(v);
    hi = kind == CODE_U8 ? wasm_u16x8_extend_high_u8x16(v) : wasm_i16x8_extend_high_i8x16(v);
  }
  const int u = kind == CODE_U16 || kind == CODE_U8; /* after widening u8 is non-negative i16 */
  const vf off = wasm_f32x4_add(wasm_f32x4_splat(CODE_MAGIC), zp);
  *a = float_from_codes(u ? wasm_u32x4_extend_low_u16x8(lo) : wasm_i32x4_extend_low_i16x8(lo), off);
  *b = float_from_codes(u ? wasm_u32x4_extend_high_u16x8(lo) : wasm_i32x4_extend_high_i16x8(lo), off);
  *c = float_from_codes(u ? wasm_u32x4_extend_low_u16x8(hi) : wasm_i32x4_extend_low_i16x8(hi), off);
  *d = float_from_codes(u ? wasm_u32x4_extend_high_u16x8(hi) : wasm_i32x4_extend_high_i16x8(hi), off);
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
V_INLINE void store_code_bits(int kind, void* p, vi a, vi b, vi c, vi d) {
  store_code(kind, p, 0, a); store_code(kind, p, 1, b); store_code(kind, p, 2, c); store_code(kind, p, 3, d);
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
