/* The native side of tests/native.test.js: reads requests from stdin, runs them through
 * the native library it is linked with (build/native/libactq.a or libactq-scalar.a) and
 * writes the results to stdout, so the JS test can compare them with the wasm builds bit
 * for bit.
 *
 * Everything is little-endian, packed. A request is a u32 op followed by its fields;
 * every reply starts with an i32 status. "args" is: u32 start, f64 p[4], u32 len[4], then
 * len[k] f32 for each k (len 0: no array). "qp" is: f32 scale, i32 zero_point, u32 bits,
 * i32 is_signed, i32 narrow_range, i32 rounding.
 *
 *   1 ACT        u32 id, u32 which (0 forward, 1 derivative, 2 fast; +16: through the
 *                wrapper API's global block instead of the C API), args, u32 n, f32 x[n]
 *                -> status, f32 y[n]
 *   2 QUANT      u32 what (0 quantize, 1 dequantize, 2 fake, 3 fake grad), u32 channels,
 *                u32 inner, u32 start, i32 qmin, i32 qmax, i32 rounding, i32 kind,
 *                f32 scales[channels], i32 zps[channels], u32 n, inputs
 *                -> 0, outputs        (the wrapper kernels, as the JS API calls them)
 *   3 QTENSOR    u32 what, qp, u32 n, inputs -> status, outputs   (the C API)
 *   4 LUT8       u8 table[256], u32 n, u8 in[n] -> 0, u8 out[n]
 *   5 LUT8BUILD  u32 id, u32 has_args, [args], qp in, qp out (has_args 0: NULL = defaults)
 *                -> count or error, u8 table[256], u8 raw[256]
 *   6 LUT16      i32 knots[257], i32 in_qmin, u32 shift, i32 in_unsigned, i32 out_min,
 *                i32 out_max, i32 out_unsigned, u32 n, u16 in[n] -> 0, u16 out[n]
 *   7 LUT16BUILD u32 id, u32 has_args, [args], qp in, qp out -> shift or error, i32 knots[257]
 *   8 INTHSIG    i32 in_unsigned, zin, m, shift, bias, zout, lo, hi, u32 n, u8 in[n]
 *                -> 0, u8 out[n]
 *   9 INTHSWISH  i32 in_unsigned, zin, t3, t6, m, shift, zout, qmin, qmax, u32 n, u8 in[n]
 *                -> 0, u8 out[n]
 *  10 FIND       u32 len, char name[len] -> actq_find(name)
 *  11 PRESET     u32 id, u32 len, char preset[len] (len 0: defaults)
 *                -> status, f64 p[4], u32 len[4]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actq.h"

static const unsigned char* in_buf;
static size_t in_len, in_pos;

static void fail(const char* what) {
  fprintf(stderr, "driver: malformed request (%s at byte %zu of %zu)\n", what, in_pos, in_len);
  exit(2);
}
static const void* take(size_t bytes, const char* what) {
  if (bytes > in_len - in_pos) fail(what);
  const void* p = in_buf + in_pos;
  in_pos += bytes;
  return p;
}
static uint32_t u32(void) { uint32_t v; memcpy(&v, take(4, "u32"), 4); return v; }
static int32_t i32(void) { int32_t v; memcpy(&v, take(4, "i32"), 4); return v; }
static float f32(void) { float v; memcpy(&v, take(4, "f32"), 4); return v; }
static double f64(void) { double v; memcpy(&v, take(8, "f64"), 8); return v; }
/* a copy of the next bytes, in fresh (aligned) memory: the kernels get aligned buffers */
static void* copy(size_t bytes, const char* what) {
  void* p = malloc(bytes ? bytes : 1);
  if (!p) { perror("driver"); exit(3); }
  memcpy(p, take(bytes, what), bytes);
  return p;
}
static void* zeroed(size_t bytes) {
  void* p = calloc(bytes ? bytes : 1, 1);
  if (!p) { perror("driver"); exit(3); }
  return p;
}

static void out(const void* p, size_t bytes) {
  if (bytes && fwrite(p, 1, bytes, stdout) != bytes) { perror("driver: write"); exit(3); }
}
static void out_i32(int32_t v) { out(&v, 4); }

/* args with their arrays; free_args releases the arrays */
static actq_args read_args(void) {
  actq_args a;
  memset(&a, 0, sizeof a);
  a.start = u32();
  for (int k = 0; k < ACTQ_MAX_PARAMS; ++k) a.p[k] = f64();
  for (int k = 0; k < ACTQ_MAX_PARAMS; ++k) a.len[k] = u32();
  for (int k = 0; k < ACTQ_MAX_PARAMS; ++k) a.arr[k] = a.len[k] ? copy((size_t)a.len[k] * 4, "array") : NULL;
  return a;
}
static void free_args(actq_args* a) {
  for (int k = 0; k < ACTQ_MAX_PARAMS; ++k) free((void*)a->arr[k]);
}
static actq_qparams read_qp(void) {
  actq_qparams qp;
  qp.scale = f32();
  qp.zero_point = i32();
  qp.bits = u32();
  qp.is_signed = i32();
  qp.narrow_range = i32();
  qp.rounding = i32();
  return qp;
}

static size_t kind_bytes(int kind) { return kind >= ACTQ_CODE_S16 ? 2 : 1; }

static void op_act(void) {
  const uint32_t id = u32(), which = u32();
  actq_args a = read_args();
  const uint32_t n = u32();
  float* x = copy((size_t)n * 4, "x");
  float* y = zeroed((size_t)n * 4);
  int status;
  if (which & 16) { /* the wrapper API, as the JS side drives it */
    for (int k = 0; k < ACTQ_MAX_PARAMS; ++k) {
      actq_set_param((uint32_t)k, a.p[k]);
      actq_set_array((uint32_t)k, a.arr[k], a.len[k]);
    }
    actq_set_start(a.start);
    status = actq_validate(id) >= 0 ? ACTQ_E_ARGS : ACTQ_OK;
    if (status == ACTQ_OK) {
      static const uint32_t tiers[4] = { ACTQ_TIER_PRECISE, 0, ACTQ_TIER_FAST, ACTQ_TIER_BALANCED };
      if ((which & 15) == 1) actq_derivative(id, x, y, n);
      else actq_forward_tier(id, tiers[which & 3], x, y, n);
    }
  } else {
    status = (which == 0 ? actq_forward_args : which == 1 ? actq_derivative_args : which == 2 ? actq_forward_fast_args
              : actq_forward_balanced_args)(id, &a, x, y, n);
  }
  out_i32(status);
  out(y, (size_t)n * 4);
  free(x);
  free(y);
  free_args(&a);
}

static void op_quant(void) {
  const uint32_t what = u32(), channels = u32(), inner = u32(), start = u32();
  const int32_t qmin = i32(), qmax = i32(), rounding = i32(), kind = i32();
  float* scales = copy((size_t)channels * 4, "scales");
  int32_t* zps = copy((size_t)channels * 4, "zps");
  const uint32_t n = u32();
  const size_t in_bytes = what == 1 ? kind_bytes(kind) : 4, out_bytes = what == 0 ? kind_bytes(kind) : 4;
  void* x = copy(n * in_bytes, "inputs");
  void* y = zeroed(n * out_bytes);
  switch (what) {
    case 0: actq_quantize(x, y, n, scales, zps, channels, inner, start, qmin, qmax, rounding, kind); break;
    case 1: actq_dequantize(x, y, n, scales, zps, channels, inner, start, kind); break;
    case 2: actq_fake_quantize(x, y, n, scales, zps, channels, inner, start, qmin, qmax, rounding); break;
    default: actq_fake_quantize_grad(x, y, n, scales, zps, channels, inner, start, qmin, qmax, rounding); break;
  }
  out_i32(0);
  out(y, n * out_bytes);
  free(scales);
  free(zps);
  free(x);
  free(y);
}

static void op_qtensor(void) {
  const uint32_t what = u32();
  const actq_qparams qp = read_qp();
  const uint32_t n = u32();
  const size_t code = qp.bits > 8 ? 2 : 1;
  const size_t in_bytes = what == 1 ? code : 4, out_bytes = what == 0 ? code : 4;
  void* x = copy(n * in_bytes, "inputs");
  void* y = zeroed(n * out_bytes);
  int status;
  switch (what) {
    case 0: status = actq_quantize_tensor(&qp, x, y, n); break;
    case 1: status = actq_dequantize_tensor(&qp, x, y, n); break;
    case 2: status = actq_fake_quantize_tensor(&qp, x, y, n); break;
    default: status = actq_fake_quantize_grad_tensor(&qp, x, y, n); break;
  }
  out_i32(status);
  out(y, n * out_bytes);
  free(x);
  free(y);
}

static void op_lut8(void) {
  uint8_t* table = copy(256, "table");
  const uint32_t n = u32();
  uint8_t* x = copy(n, "codes");
  uint8_t* y = zeroed(n);
  actq_apply_lut8(table, x, y, n);
  out_i32(0);
  out(y, n);
  free(table);
  free(x);
  free(y);
}

static void op_lut_build(int bits16) {
  const uint32_t id = u32(), has_args = u32();
  actq_args a;
  memset(&a, 0, sizeof a);
  if (has_args) a = read_args();
  const actq_qparams in = read_qp(), outq = read_qp();
  if (bits16) {
    int32_t knots[257] = { 0 };
    out_i32(actq_lut16_build(id, has_args ? &a : NULL, &in, &outq, knots));
    out(knots, sizeof knots);
  } else {
    uint8_t table[256] = { 0 }, raw[256] = { 0 };
    const int count = actq_lut8_build(id, has_args ? &a : NULL, &in, &outq, table);
    if (count > 0) actq_lut8_raw(table, &in, raw);
    out_i32(count);
    out(table, 256);
    out(raw, 256);
  }
  free_args(&a);
}

static void op_lut16(void) {
  int32_t* knots = copy(257 * 4, "knots");
  const int32_t in_qmin = i32();
  const uint32_t shift = u32();
  const int32_t in_unsigned = i32(), out_min = i32(), out_max = i32(), out_unsigned = i32();
  const uint32_t n = u32();
  void* x = copy((size_t)n * 2, "codes");
  void* y = zeroed((size_t)n * 2);
  actq_apply_lut16(knots, x, y, n, in_qmin, shift, in_unsigned, out_min, out_max, out_unsigned);
  out_i32(0);
  out(y, (size_t)n * 2);
  free(knots);
  free(x);
  free(y);
}

static void op_int(int swish) {
  int32_t v[9];
  for (int i = 0; i < (swish ? 9 : 8); ++i) v[i] = i32();
  const uint32_t n = u32();
  void* x = copy(n, "codes");
  void* y = zeroed(n);
  if (swish) actq_int_hard_swish(x, y, n, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
  else actq_int_hard_sigmoid(x, y, n, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
  out_i32(0);
  out(y, n);
  free(x);
  free(y);
}

static char* read_string(void) {
  const uint32_t len = u32();
  char* s = zeroed((size_t)len + 1);
  memcpy(s, take(len, "string"), len);
  return s;
}

static void op_preset(void) {
  const uint32_t id = u32();
  char* name = read_string();
  actq_args a;
  memset(&a, 0, sizeof a);
  out_i32(actq_args_preset(id, name[0] ? name : NULL, &a));
  out(a.p, sizeof a.p);
  out(a.len, sizeof a.len);
  free(name);
}

int main(void) {
  static char obuf[1 << 20];
  setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
  size_t cap = 1 << 20;
  unsigned char* buf = malloc(cap);
  for (size_t got; buf && (got = fread(buf + in_len, 1, cap - in_len, stdin)) > 0;) {
    in_len += got;
    if (in_len == cap) buf = realloc(buf, cap *= 2);
  }
  if (!buf) { perror("driver"); return 3; }
  in_buf = buf;
  while (in_pos < in_len) {
    switch (u32()) {
      case 1: op_act(); break;
      case 2: op_quant(); break;
      case 3: op_qtensor(); break;
      case 4: op_lut8(); break;
      case 5: op_lut_build(0); break;
      case 6: op_lut16(); break;
      case 7: op_lut_build(1); break;
      case 8: op_int(0); break;
      case 9: op_int(1); break;
      case 10: { char* s = read_string(); out_i32(actq_find(s)); free(s); break; }
      case 11: op_preset(); break;
      default: fail("op");
    }
  }
  fflush(stdout);
  free(buf);
  return 0;
}
