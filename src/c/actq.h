/* actq: activation functions and quantization kernels -- public C API.
 *
 * Every kernel has one shape: (n, x, y, args), y may equal x (in place), never writes
 * past y[n-1]. The activation table (activations.c) is the single source of truth for
 * names, parameters, presets and kernels; the JS registry is read from it at load time.
 *
 * Two ways in:
 *  - the C API (capi.c, native builds only: build/native/libactq.a, libactq-scalar.a),
 *    reentrant, every call checked -- for C programs. Start here.
 *  - the wrapper API (registry.c, quantize.c, lut.c): the wasm exports that src/js calls,
 *    one global argument block set field by field, arguments checked by the JS side.
 *
 * A C program (examples/c/example.c is the full version):
 *
 *   #include "actq.h"
 *   int id = actq_find("hard_sigmoid");              // -1 when unknown
 *   actq_args a;
 *   actq_args_preset(id, "pytorch", &a);             // defaults, then the preset
 *   actq_args_set(id, &a, "offset", 0.4);            // one parameter by name
 *   if (actq_forward_args(id, &a, x, y, n) != ACTQ_OK) ...   // checked, then run
 *
 *   actq_qparams in = actq_qparams_default(1.0f / 16), out = actq_qparams_default(1.0f / 256);
 *   out.zero_point = -128;
 *   uint8_t table[256], raw[256];
 *   actq_lut8_build(actq_find("sigmoid"), NULL, &in, &out, table);  // = aq.lut(...).table
 *   actq_lut8_raw(table, &in, raw);
 *   actq_apply_lut8(raw, codes, out_codes, n);       // int8 codes -> int8 codes
 *
 * Special values are those of the JS API (README): a NaN input comes out of every
 * activation kernel with its bits unchanged, NaN quantizes to the zero point, +-inf
 * saturate. The SIMD and scalar builds, native or wasm, return the same bits
 * (tests/native.test.js).
 */
#ifndef ACTQ_H
#define ACTQ_H

#include <stddef.h>
#include <stdint.h>

#define ACTQ_MAX_PARAMS 4
#define ACTQ_EXPORT __attribute__((used, visibility("default")))

enum actq_param_kind { ACTQ_NUMBER = 0, ACTQ_INTEGER = 1, ACTQ_BOOLEAN = 2, ACTQ_ARRAY = 3 };

/* Arguments of one call. Scalar parameter k lives in p[k]; an array parameter in
 * arr[k] / len[k] (the caller's memory: it must outlive the call). start is the index of
 * x[0] in the caller's whole tensor (per-channel and per-element-noise kernels need it
 * when a call is split into chunks; 0 otherwise). */
typedef struct {
  double p[ACTQ_MAX_PARAMS];
  const float* arr[ACTQ_MAX_PARAMS];
  uint32_t len[ACTQ_MAX_PARAMS];
  uint32_t start;
} actq_args;

typedef void (*actq_kernel)(size_t n, const float* x, float* y, const actq_args* a);

typedef struct {
  const char* name;
  int kind;                 /* enum actq_param_kind */
  double def, min, max;     /* inclusive range; for arrays the range of each element */
  const float* def_array;   /* ACTQ_ARRAY: default elements */
  uint32_t def_len;
  const char* doc;
} actq_param;

typedef struct {
  const char* name;
  const char* doc;
  double values[ACTQ_MAX_PARAMS]; /* scalar parameters, table order */
} actq_preset;

typedef struct {
  const char* name;
  const char* formula;
  const actq_param* params;
  uint32_t nparams;
  const actq_preset* presets;
  uint32_t npresets;
  actq_kernel forward, derivative;
  int (*check)(const actq_args*); /* cross-parameter rule: index of the bad one, or -1 */
  actq_kernel fast; /* optional forward of the 'fast' accuracy tier: abs error <= 2^-14 */
  actq_kernel balanced; /* optional forward of the 'balanced' tier (below) */
} actq_activation;

/* Accuracy tiers of the forward kernels: precise (the stated ULP bounds; the default),
 * balanced (at least as accurate as every peer framework's kernel on the bench grid --
 * tfjs-wasm, onnxruntime-web, LiteRT -- in fewer instructions: gelu), fast (abs error
 * <= 2^-14; 2^-20 for the piecewise-linear ones). */
enum actq_tier { ACTQ_TIER_PRECISE, ACTQ_TIER_BALANCED, ACTQ_TIER_FAST };
/* The forward kernel of a tier: the table's own, else the precise one. */
static inline actq_kernel actq_tier_forward(const actq_activation* a, int tier) {
  const actq_kernel k = tier == ACTQ_TIER_FAST ? a->fast : tier == ACTQ_TIER_BALANCED ? a->balanced : 0;
  return k ? k : a->forward;
}

/* The table itself: actq_activations[id] for id < actq_activation_count. */
extern const actq_activation actq_activations[];
extern const uint32_t actq_activation_count;

/* ======================================================================================
 * The C API (capi.c). Native builds only; reentrant (no global state); every function
 * checks its arguments and, when it returns an error, has written nothing.
 * ====================================================================================== */

/* Return values: ACTQ_OK (0) or one of these (< 0). */
enum actq_status {
  ACTQ_OK = 0,
  ACTQ_E_ACTIVATION = -1, /* no activation with that id */
  ACTQ_E_NAME = -2,       /* unknown preset or parameter name, or a scalar/array mix-up */
  ACTQ_E_ARGS = -3,       /* a parameter out of its range (see actq_args_validate) */
  ACTQ_E_QPARAMS = -4,    /* quantization parameters invalid (see actq_qparams_check) */
  ACTQ_E_TABLE = -5,      /* the activation cannot be tabulated with these arguments */
  ACTQ_E_NULL = -6        /* a required pointer is NULL */
};

/* ---- finding activations, parameters and presets --------------------------------------- */

/* The id of an activation by its canonical name ("hard_sigmoid"; "swish" is silu), or -1. */
int actq_find(const char* name);
/* The table entry of id, or NULL when id >= actq_count(). */
const actq_activation* actq_get(uint32_t id);
/* Index k of parameter `name` of activation id (a->p[k] / a->arr[k]), or -1. */
int actq_param_find(uint32_t id, const char* name);
/* Index j of preset `name` of activation id (actq_activations[id].presets[j]), or -1. */
int actq_preset_find(uint32_t id, const char* name);

/* ---- arguments ------------------------------------------------------------------------- */

/* *a = the defaults of activation id (array parameters point at the table's default
 * arrays, start = 0). ACTQ_OK or ACTQ_E_ACTIVATION. */
int actq_args_init(uint32_t id, actq_args* a);
/* *a = the defaults, then preset `preset` (NULL: defaults only). ACTQ_E_NAME when id has
 * no such preset (then *a is untouched). */
int actq_args_preset(uint32_t id, const char* preset, actq_args* a);
/* Sets scalar parameter `name` (number, integer or boolean 0/1) to v. ACTQ_E_NAME when id
 * has no scalar parameter of that name. The value is checked by actq_args_validate. */
int actq_args_set(uint32_t id, actq_args* a, const char* name, double v);
/* Sets array parameter `name` to values[0 .. len-1] (not copied). ACTQ_E_NAME as above. */
int actq_args_set_array(uint32_t id, actq_args* a, const char* name, const float* values, uint32_t len);
/* -1 when *a is valid for activation id, else the index of the first parameter that is not:
 * outside its [min, max], NaN, not an integer, an empty or NULL array, or breaking a rule
 * between parameters (hard_tanh min_val < max_val, rrelu lower <= upper, apl equal
 * lengths). 0 for an unknown id. The same check the JS API runs (actq_validate). */
int actq_args_validate(uint32_t id, const actq_args* a);

/* ---- running --------------------------------------------------------------------------- */

/* y[i] = f(x[i]) / f'(x[i]) / the 'fast' or 'balanced' tier of f (the precise kernel where
 * the activation has none), for i < n; a NULL args means the defaults. y may be x (in
 * place); other overlaps are not supported. Alignment: natural (4 bytes) is enough.
 * ACTQ_OK, or ACTQ_E_ACTIVATION / ACTQ_E_ARGS / ACTQ_E_NULL with nothing written. */
int actq_forward_args(uint32_t id, const actq_args* a, const float* x, float* y, size_t n);
int actq_derivative_args(uint32_t id, const actq_args* a, const float* x, float* y, size_t n);
int actq_forward_fast_args(uint32_t id, const actq_args* a, const float* x, float* y, size_t n);
int actq_forward_balanced_args(uint32_t id, const actq_args* a, const float* x, float* y, size_t n);

/* ---- quantization (per tensor) ---------------------------------------------------------
 *   q = clamp(round(x / scale) + zero_point, qmin, qmax)   x / scale in float32 (ONNX)
 *   x = (q - zero_point) * scale
 * Codes are stored as int8_t / uint8_t for bits <= 8, int16_t / uint16_t above (is_signed
 * picks). Per-channel: the wrapper kernels actq_quantize & co. below. */
enum actq_rounding { ACTQ_HALF_EVEN = 0, ACTQ_HALF_AWAY = 1, ACTQ_HALF_UP = 2 };
enum actq_code_kind { ACTQ_CODE_S8 = 0, ACTQ_CODE_U8 = 1, ACTQ_CODE_S16 = 2, ACTQ_CODE_U16 = 3 };

typedef struct {
  float scale;         /* finite, > 0 */
  int32_t zero_point;  /* in [qmin, qmax] */
  uint32_t bits;       /* 2..16 */
  int is_signed;       /* 1: [-2^(bits-1), 2^(bits-1) - 1]; 0: [0, 2^bits - 1] */
  int narrow_range;    /* 1: drops the lowest code (symmetric int8: [-127, 127]) */
  int rounding;        /* enum actq_rounding */
} actq_qparams;

/* { scale, zero point 0, 8 bits, signed, full range, half_even } */
actq_qparams actq_qparams_default(float scale);
/* ACTQ_OK when *qp is valid, else ACTQ_E_QPARAMS (or ACTQ_E_NULL). On success stores the
 * code range and storage kind (enum actq_code_kind) in the non-NULL outputs. */
int actq_qparams_check(const actq_qparams* qp, int32_t* qmin, int32_t* qmax, int* kind);
/* Bytes per stored code: 1 or 2 (0 for invalid qparams). */
size_t actq_code_size(const actq_qparams* qp);

/* x (n floats) -> q (n codes); q -> x; x -> dequantize(quantize(x)) (QAT forward); x ->
 * the straight-through mask (1 where round(x/s) + z is inside [qmin, qmax], else 0; NaN
 * gives 0). fake quantization may run in place (y == x). ACTQ_OK, ACTQ_E_QPARAMS or
 * ACTQ_E_NULL with nothing written. */
int actq_quantize_tensor(const actq_qparams* qp, const float* x, void* q, size_t n);
int actq_dequantize_tensor(const actq_qparams* qp, const void* q, float* x, size_t n);
int actq_fake_quantize_tensor(const actq_qparams* qp, const float* x, float* y, size_t n);
int actq_fake_quantize_grad_tensor(const actq_qparams* qp, const float* x, float* y, size_t n);

/* ---- lookup tables, built from the float kernels ----------------------------------------
 * 8 bits: for every input code c of `in` (qmin .. qmax), in order,
 *   table[c - qmin] = quantize(out, f(dequantize(in, c)))
 * exactly what the JS aq.lut(name, params, inQp, outQp).table holds (same bytes), and what
 * `actq lut` exports. in and out must have bits <= 8; args NULL = defaults. Tables hold one
 * function of the input value: prelu with several slopes and rrelu in training mode give
 * ACTQ_E_TABLE. Returns the number of entries (qmax - qmin + 1, <= 256) or an error. */
int actq_lut8_build(uint32_t id, const actq_args* a, const actq_qparams* in, const actq_qparams* out,
                    uint8_t table[256]);
/* The layout actq_apply_lut8 takes: raw[b] = the entry of the input code whose byte is b
 * (signed codes: b = (uint8_t)c); bytes that are no valid code (bits < 8, narrow range)
 * take the entry of the nearest valid code. ACTQ_OK or ACTQ_E_QPARAMS / ACTQ_E_NULL. */
int actq_lut8_raw(const uint8_t* table, const actq_qparams* in, uint8_t raw[256]);

/* int16 (CMSIS-NN s16 scheme): 257 knots at input codes qmin + k 2^shift, shift = bits - 8,
 * knots[k] = quantize(out with 16 bits, f(dequantize(in, qmin + k 2^shift))) as
 * aq.lut16(...).table. in: bits 9..16; out: bits 9..16. Returns shift (> 0) or an error. */
int actq_lut16_build(uint32_t id, const actq_args* a, const actq_qparams* in, const actq_qparams* out,
                     int32_t knots[257]);
/* q (n codes of in, int16_t / uint16_t) -> y (n codes of out) through the knots of
 * actq_lut16_build, linear interpolation, round half up, clamped to out's range. */
int actq_apply_lut16_tensor(const int32_t knots[257], const actq_qparams* in, const actq_qparams* out,
                            const void* q, void* y, size_t n);

/* ======================================================================================
 * The wrapper API: what src/js calls (wasm exports). Arguments are NOT checked here (the
 * JS side checks them first); C callers use the API above or keep to the stated ranges.
 * ====================================================================================== */

/* registry.c: the table through accessors, the global argument block, dispatch, the
 * counted allocator */
ACTQ_EXPORT uint32_t actq_count(void);
ACTQ_EXPORT const char* actq_name(uint32_t id);
ACTQ_EXPORT const char* actq_formula(uint32_t id);
ACTQ_EXPORT uint32_t actq_param_count(uint32_t id);
ACTQ_EXPORT uint32_t actq_preset_count(uint32_t id);
ACTQ_EXPORT uint32_t actq_has_tier(uint32_t id, uint32_t tier);
ACTQ_EXPORT void actq_set_param(uint32_t k, double v);
ACTQ_EXPORT void actq_set_array(uint32_t k, const float* values, uint32_t len);
ACTQ_EXPORT void actq_set_start(uint32_t start);
ACTQ_EXPORT int actq_validate(uint32_t id); /* actq_args_validate of the global block */
ACTQ_EXPORT void actq_forward(uint32_t id, const float* x, float* y, size_t n);
ACTQ_EXPORT void actq_derivative(uint32_t id, const float* x, float* y, size_t n);
ACTQ_EXPORT void actq_forward_tier(uint32_t id, uint32_t tier, const float* x, float* y, size_t n);
ACTQ_EXPORT void* actq_malloc(size_t bytes);
ACTQ_EXPORT void actq_free(void* p);
ACTQ_EXPORT uint32_t actq_live_allocations(void);

/* quantize.c: per tensor (channels = inner = 1) or per channel: element i of a call is in
 * channel ((start + i) / inner) % channels, with scales[c] (finite, > 0) and zps[c] (in
 * [qmin, qmax]); [qmin, qmax] within the range of the storage kind (enum actq_code_kind);
 * rounding: enum actq_rounding; channels, inner >= 1. */
ACTQ_EXPORT void actq_quantize(const float* x, void* q, size_t n, const float* scales, const int32_t* zps,
                               uint32_t channels, uint32_t inner, uint32_t start, int32_t qmin, int32_t qmax,
                               int rounding, int kind);
ACTQ_EXPORT void actq_dequantize(const void* q, float* x, size_t n, const float* scales, const int32_t* zps,
                                 uint32_t channels, uint32_t inner, uint32_t start, int kind);
ACTQ_EXPORT void actq_fake_quantize(const float* x, float* y, size_t n, const float* scales, const int32_t* zps,
                                    uint32_t channels, uint32_t inner, uint32_t start, int32_t qmin,
                                    int32_t qmax, int rounding);
ACTQ_EXPORT void actq_fake_quantize_grad(const float* x, float* y, size_t n, const float* scales,
                                         const int32_t* zps, uint32_t channels, uint32_t inner, uint32_t start,
                                         int32_t qmin, int32_t qmax, int rounding);

/* lut.c: out[i] = table[in[i]] (table: 256 bytes by raw code byte; see actq_lut8_raw). */
ACTQ_EXPORT void actq_apply_lut8(const uint8_t* table, const uint8_t* in, uint8_t* out, size_t n);
/* int16 interpolated table: 257 knots (|knot| < 2^16), 1 <= shift <= 8; codes int16_t
 * (in_unsigned 0) or uint16_t (1) in, out likewise (out_unsigned), clamped to
 * [out_min, out_max]. */
ACTQ_EXPORT void actq_apply_lut16(const int32_t* knots, const void* in, void* out, size_t n, int32_t in_qmin,
                                  uint32_t shift, int in_unsigned, int32_t out_min, int32_t out_max,
                                  int out_unsigned);
/* Integer-only hard sigmoid / hard swish on int8 (in_unsigned 0) or uint8 codes; the
 * fixed-point constants come from the JS aq.integerKernel (1 <= shift <= 30, m < 2^22,
 * |bias| < 2^30 for hard_sigmoid; shift <= 40, in scale >= 2^-7 for hard_swish). */
ACTQ_EXPORT void actq_int_hard_sigmoid(const void* in, void* out, size_t n, int in_unsigned, int32_t zin,
                                       int32_t m, int32_t shift, int32_t bias, int32_t zout, int32_t lo,
                                       int32_t hi);
ACTQ_EXPORT void actq_int_hard_swish(const void* in, void* out, size_t n, int in_unsigned, int32_t zin,
                                     int32_t t3, int32_t t6, int32_t m, int32_t shift, int32_t zout,
                                     int32_t qmin, int32_t qmax);

#endif
