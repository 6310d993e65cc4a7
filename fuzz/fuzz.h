/* Shared by the libFuzzer harnesses (one .c file per entry point in fuzz/): decoding
 * parameters from the fuzz input, guarded buffers, the invariant check, and the scalar
 * build's symbols.
 *
 * Each harness links both native builds: the SIMD one (SIMDe) as actq_*, the scalar one
 * with every symbol renamed scalar_actq_* (native.mk, objcopy --redefine-syms), so a
 * harness can require SIMD == scalar bit for bit in one process.
 */
#ifndef ACTQ_FUZZ_H
#define ACTQ_FUZZ_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actq.h"

/* the scalar build: same prototypes, prefixed names */
#define SCALAR(f) extern __typeof__(f) scalar_##f
SCALAR(actq_args_validate);
SCALAR(actq_forward_args);
SCALAR(actq_derivative_args);
SCALAR(actq_forward_fast_args);
SCALAR(actq_forward_balanced_args);
SCALAR(actq_quantize_tensor);
SCALAR(actq_dequantize_tensor);
SCALAR(actq_fake_quantize_tensor);
SCALAR(actq_fake_quantize_grad_tensor);
SCALAR(actq_quantize);
SCALAR(actq_dequantize);
SCALAR(actq_fake_quantize);
SCALAR(actq_fake_quantize_grad);
SCALAR(actq_lut8_build);
SCALAR(actq_lut8_raw);
SCALAR(actq_apply_lut8);
SCALAR(actq_lut16_build);
SCALAR(actq_apply_lut16_tensor);
SCALAR(actq_int_hard_sigmoid);
SCALAR(actq_int_hard_swish);

/* An invariant broke: say which and abort (libFuzzer saves the input as a crash). */
#define CHECK(cond, ...)                                                        \
  do {                                                                          \
    if (!(cond)) {                                                              \
      fprintf(stderr, "\ninvariant broken at %s:%d: %s\n  ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                             \
      fprintf(stderr, "\n");                                                    \
      abort();                                                                  \
    }                                                                           \
  } while (0)

/* ---- reading the fuzz input: bytes while they last, then a PRNG seeded by them -------- */

typedef struct {
  const uint8_t* p;
  size_t n;
  uint64_t s; /* xorshift state once the input is used up */
} fz;

static inline fz fz_init(const uint8_t* data, size_t size) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ size;
  for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 0x100000001b3ull;
  const fz f = { data, size, h | 1 };
  return f;
}
static inline uint8_t fz_u8(fz* f) {
  if (f->n) { f->n--; return *f->p++; }
  f->s ^= f->s << 13; f->s ^= f->s >> 7; f->s ^= f->s << 17;
  return (uint8_t)(f->s >> 24);
}
static inline uint32_t fz_u16(fz* f) { return fz_u8(f) | (uint32_t)fz_u8(f) << 8; }
static inline uint32_t fz_u32(fz* f) { return fz_u16(f) | fz_u16(f) << 16; }
static inline float fz_bits(fz* f) { uint32_t b = fz_u32(f); float v; memcpy(&v, &b, 4); return v; }
static inline uint32_t f2u(float v) { uint32_t b; memcpy(&b, &v, 4); return b; }
static inline float u2f(uint32_t b) { float v; memcpy(&v, &b, 4); return v; }
/* v moved by d ULP (in bit space; crosses zero and infinity like the bits do) */
static inline float nudge(float v, int d) { return u2f(f2u(v) + (uint32_t)d); }
/* a fraction in [0, 1] */
static inline double fz_unit(fz* f) { return fz_u32(f) / 4294967295.0; }

/* Special floats: NaNs with payloads (quiet and signalling, both signs), infinities,
 * zeros, subnormals, the normal and finite limits. */
static const uint32_t FZ_SPECIAL[] = {
  0x7fc00000, 0xffc00000, 0x7fc12345, 0xffedcba9, 0x7fffffff, 0xffffffff, 0x7f800001, 0xff800001,
  0x7fa00000, 0x7f812345, 0x7f800000, 0xff800000, 0x00000000, 0x80000000, 0x00000001, 0x80000001,
  0x007fffff, 0x807fffff, 0x00400000, 0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, 0x3f800000,
};

/* One input element: mostly the meaningful range, else raw bits, specials, one of the
 * caller's knees (with neighbours), or wide magnitudes. */
static inline float fz_float(fz* f, const float* knees, int nknees) {
  const uint8_t c = fz_u8(f);
  if (c < 110) return (float)((int16_t)fz_u16(f)) / 1200.0f; /* [-27.3, 27.3] */
  if (c < 140) return fz_bits(f);
  if (c < 170) return u2f(FZ_SPECIAL[fz_u8(f) % (sizeof FZ_SPECIAL / sizeof FZ_SPECIAL[0])]);
  if (c < 220 && nknees > 0) {
    const uint8_t k = fz_u8(f);
    return nudge(knees[k % nknees], (int)(k >> 5) - 4);
  }
  return ldexpf((float)(int8_t)fz_u8(f), (int)(fz_u8(f) % 300) - 150);
}

/* ---- activation arguments from the input --------------------------------------------
 * Each parameter: mostly in its range (the limits themselves often), sometimes out of it
 * (NaN, inf, beyond the limits, not an integer) so that refusal is fuzzed too. Arrays:
 * length 0..8 (0 is invalid), apl's b mostly as long as a. Arrays live in *store. */
typedef struct { float a[ACTQ_MAX_PARAMS][8]; } fz_arrays;

static inline double fz_param_value(fz* f, const actq_param* p) {
  const uint8_t c = fz_u8(f);
  double v;
  if (c < 150) v = p->min + (p->max - p->min) * fz_unit(f);
  else if (c < 175) v = p->min;
  else if (c < 200) v = p->max;
  else if (c < 215) v = p->def;
  else if (c < 225) v = (double)fz_bits(f);
  else if (c < 235) v = (double)(int8_t)fz_u8(f) / 4.0;
  else v = (double)u2f(FZ_SPECIAL[fz_u8(f) % (sizeof FZ_SPECIAL / sizeof FZ_SPECIAL[0])]);
  if (p->kind == ACTQ_INTEGER || p->kind == ACTQ_BOOLEAN) v = fz_u8(f) < 240 ? floor(v) : v;
  return v;
}

static inline void fz_args(fz* f, uint32_t id, actq_args* a, fz_arrays* store) {
  const actq_activation* act = actq_get(id);
  actq_args_init(id, a);
  uint32_t first_len = 1;
  for (uint32_t k = 0; k < act->nparams; ++k) {
    const actq_param* p = &act->params[k];
    if (p->kind != ACTQ_ARRAY) {
      a->p[k] = fz_u8(f) < 40 ? p->def : fz_param_value(f, p);
      continue;
    }
    uint32_t len = fz_u8(f) % 9;
    if (k > 0 && fz_u8(f) < 220) len = first_len; /* apl: same lengths, mostly */
    if (k == 0) first_len = len;
    for (uint32_t i = 0; i < len; ++i) store->a[k][i] = (float)fz_param_value(f, p);
    a->arr[k] = fz_u8(f) < 4 ? NULL : store->a[k];
    a->len[k] = len;
  }
  a->start = fz_u8(f) < 128 ? 0 : fz_u32(f) & 0x7fffffff;
}

/* knees of an activation's arguments: each scalar value and array element, negated too */
static inline int fz_knees(const actq_args* a, uint32_t id, float* out, int cap) {
  static const float generic[] = { 0, 0.5f, 1, 1.5f, 2, 2.5f, 3, 4, 6, 8, 12, 13, 13.25f, 17.5f, 20, 87.3365f, 88, 100 };
  int n = 0;
  for (size_t i = 0; i < sizeof generic / sizeof generic[0] && n + 2 <= cap; ++i) {
    out[n++] = generic[i];
    out[n++] = -generic[i];
  }
  const actq_activation* act = actq_get(id);
  for (uint32_t k = 0; k < act->nparams; ++k) {
    if (act->params[k].kind == ACTQ_ARRAY) {
      for (uint32_t i = 0; a->arr[k] && i < a->len[k] && n + 2 <= cap; ++i) {
        out[n++] = a->arr[k][i];
        out[n++] = -a->arr[k][i];
      }
    } else if (n + 2 <= cap) {
      out[n++] = (float)a->p[k];
      out[n++] = (float)-a->p[k];
    }
  }
  if (strcmp(act->name, "hard_sigmoid") == 0 && n + 2 <= cap && a->p[0] != 0) {
    out[n++] = (float)(-a->p[1] / a->p[0]);
    out[n++] = (float)((1 - a->p[1]) / a->p[0]);
  }
  return n;
}

/* ---- quantization parameters from the input: valid mostly, at their limits often ------ */

static inline float fz_scale(fz* f) {
  const uint8_t c = fz_u8(f);
  if (c < 100) return ldexpf(1.0f, (int)(fz_u8(f) % 40) - 20) * (1.0f + (float)fz_unit(f));
  if (c < 150) return ldexpf(1.0f, (int)(fz_u16(f) % 276) - 149); /* every power of two */
  if (c < 180) return u2f(fz_u32(f) & 0x7fffffff);                 /* any positive bits (NaN, inf too) */
  if (c < 200) return u2f(0x7f7fffff);                             /* FLT_MAX */
  if (c < 220) return u2f(1);                                      /* the smallest subnormal */
  return (float)(fz_u8(f) + 1) / 256.0f;
}

static inline void qrange(uint32_t bits, int is_signed, int narrow, int32_t* lo, int32_t* hi) {
  *lo = (is_signed ? -(1 << (bits - 1)) : 0) + (narrow ? 1 : 0);
  *hi = is_signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
}

/* bits in [lo_bits, hi_bits] when valid; mostly valid (invalid: any field broken) */
static inline actq_qparams fz_qparams(fz* f, uint32_t lo_bits, uint32_t hi_bits, int allow_invalid) {
  actq_qparams qp;
  qp.bits = lo_bits + fz_u8(f) % (hi_bits - lo_bits + 1);
  qp.is_signed = fz_u8(f) & 1;
  qp.narrow_range = fz_u8(f) < 40;
  qp.rounding = fz_u8(f) % 3;
  qp.scale = fz_scale(f);
  if (!allow_invalid && (!(qp.scale > 0) || isinf(qp.scale))) qp.scale = 1.0f;
  int32_t lo, hi;
  qrange(qp.bits, qp.is_signed, qp.narrow_range, &lo, &hi);
  const uint8_t z = fz_u8(f);
  qp.zero_point = z < 40 ? (lo > 0 ? lo : 0) : z < 70 ? lo : z < 100 ? hi : lo + (int32_t)(fz_u32(f) % (uint32_t)(hi - lo + 1));
  if (allow_invalid && fz_u8(f) < 12) {
    switch (fz_u8(f) % 5) {
      case 0: qp.bits = fz_u8(f) % 2 ? 1 : 17 + fz_u8(f); break;
      case 1: qp.zero_point = fz_u8(f) % 2 ? lo - 1 : hi + 1; break;
      case 2: qp.rounding = 3 + fz_u8(f); break;
      case 3: qp.scale = -qp.scale; break;
      default: qp.scale = fz_u8(f) % 2 ? u2f(0x7f800000) : u2f(0x7fc00000); break;
    }
  }
  return qp;
}

static inline int qparams_valid(const actq_qparams* qp) {
  if (qp->bits < 2 || qp->bits > 16 || qp->rounding < 0 || qp->rounding > 2) return 0;
  if (!(qp->scale > 0) || isinf(qp->scale)) return 0;
  int32_t lo, hi;
  qrange(qp->bits, qp->is_signed, qp->narrow_range, &lo, &hi);
  return qp->zero_point >= lo && qp->zero_point <= hi;
}

/* ---- guarded buffers ----------------------------------------------------------------
 * [guard | data | guard] in one allocation; the guards hold a pattern that every check
 * requires unchanged. Inputs are instead allocated to end exactly at their last element,
 * so ASan reports any read past n. */
#define GUARD 64
typedef struct { uint8_t* base; uint8_t* data; size_t bytes; } guarded;

static inline guarded guarded_new(size_t bytes, size_t offset) {
  guarded g;
  g.bytes = bytes;
  g.base = malloc(GUARD + offset + bytes + GUARD);
  if (!g.base) abort();
  memset(g.base, 0xa5, GUARD + offset + bytes + GUARD);
  g.data = g.base + GUARD + offset;
  return g;
}
static inline void guarded_check(const guarded* g, const char* what) {
  for (const uint8_t* p = g->base; p < g->data; ++p) CHECK(*p == 0xa5, "%s: write before the buffer", what);
  for (size_t i = 0; i < GUARD; ++i) CHECK(g->data[g->bytes + i] == 0xa5, "%s: write %zu bytes past its end", what, i);
}
static inline void guarded_free(guarded* g) { free(g->base); }

/* A copy of src in a fresh allocation of offset + bytes: the data start offset bytes past
 * malloc's 16-byte alignment and end at the allocation's last byte. */
static inline void* exact_copy(const void* src, size_t bytes, size_t offset, void** base) {
  *base = malloc(offset + bytes + (offset + bytes == 0));
  if (!*base) abort();
  uint8_t* p = (uint8_t*)*base + offset;
  if (bytes) memcpy(p, src, bytes);
  return p;
}

#endif
