/* Fuzz harness: quantize / dequantize / fake quantize / its gradient mask -- per tensor
 * through the C API (qparams from the input, at their limits often, invalid at times) and
 * per channel through the wrapper kernels (channels, inner run, start offset).
 *
 * Invariants: SIMD == scalar bit for bit; every code equals an independent reference
 * (x / scale in float, then exact rounding in double); NaN -> the zero point; fake
 * quantization == dequantize(quantize(x)) bit for bit, in place too; the mask is 1 exactly
 * where the unclamped code is in range; quantize(dequantize(q)) == q where (q - zp) * scale
 * neither overflows nor underflows; invalid qparams give ACTQ_E_QPARAMS and write nothing;
 * nothing written past n (guards) or read past n (ASan).
 */
#include "fuzz.h"

/* the specification, independently: round(x / scale) + zp, clamped; NaN -> zp */
static double unclamped(float x, float scale, int32_t zp, int rounding) {
  const float y = x / scale; /* float32 division, as ONNX */
  double r;
  if (rounding == ACTQ_HALF_EVEN) r = nearbyint((double)y);
  else if (rounding == ACTQ_HALF_AWAY) r = round((double)y);
  else r = floor((double)y + 0.5); /* exact in double */
  return r + zp;
}
static int32_t ref_code(float x, float scale, int32_t zp, int32_t lo, int32_t hi, int rounding) {
  if (isnan(x)) return zp;
  const double c = unclamped(x, scale, zp, rounding);
  return c < lo ? lo : c > hi ? hi : (int32_t)c;
}

static int32_t code_at(const void* q, size_t i, int kind) {
  switch (kind) {
    case ACTQ_CODE_S8: return ((const int8_t*)q)[i];
    case ACTQ_CODE_U8: return ((const uint8_t*)q)[i];
    case ACTQ_CODE_S16: return ((const int16_t*)q)[i];
    default: return ((const uint16_t*)q)[i];
  }
}

static void per_tensor(const actq_qparams qp, const float* x, size_t n, uint8_t layout) {
  const int valid = qparams_valid(&qp);
  int32_t lo = 0, hi = 0;
  int kind = 0;
  const int status = actq_qparams_check(&qp, &lo, &hi, &kind);
  CHECK((status == ACTQ_OK) == valid, "qparams_check %d, expected valid %d", status, valid);
  const size_t cb = qp.bits > 8 ? 2 : 1, x_off = (layout & 3) * 4, q_off = ((layout >> 2) & 3) * cb;
  void* xbase;
  const float* xs = exact_copy(x, n * 4, x_off, &xbase);
  guarded q1 = guarded_new(n * cb, q_off), q2 = guarded_new(n * cb, q_off);
  const int s1 = actq_quantize_tensor(&qp, xs, q1.data, n), s2 = scalar_actq_quantize_tensor(&qp, xs, q2.data, n);
  guarded_check(&q1, "quantize simd");
  guarded_check(&q2, "quantize scalar");
  CHECK(s1 == s2 && s1 == (valid ? ACTQ_OK : ACTQ_E_QPARAMS), "quantize status %d / %d", s1, s2);
  if (!valid) {
    for (size_t i = 0; i < n * cb; ++i) CHECK(q1.data[i] == 0xa5, "refused quantize wrote byte %zu", i);
    float y[4] = { 1, 2, 3, 4 };
    CHECK(actq_fake_quantize_tensor(&qp, y, y, 4) == ACTQ_E_QPARAMS && y[0] == 1 && y[3] == 4, "refused fake");
    CHECK(actq_dequantize_tensor(&qp, q1.data, y, 0) == ACTQ_E_QPARAMS, "refused dequantize");
    goto done;
  }
  CHECK(memcmp(q1.data, q2.data, n * cb) == 0, "quantize: simd != scalar");
  for (size_t i = 0; i < n; ++i) {
    const int32_t c = code_at(q1.data, i, kind), want = ref_code(x[i], qp.scale, qp.zero_point, lo, hi, qp.rounding);
    CHECK(c == want, "quantize x = %a scale %a zp %d [%d, %d] rounding %d: code %d, reference %d", x[i], qp.scale,
          qp.zero_point, lo, hi, qp.rounding, c, want);
  }
  /* dequantize (x misaligned like the codes), fake quantization in place or not, the mask */
  guarded d1 = guarded_new(n * 4, x_off), d2 = guarded_new(n * 4, x_off);
  CHECK(actq_dequantize_tensor(&qp, q1.data, (float*)d1.data, n) == ACTQ_OK, "dequantize");
  CHECK(scalar_actq_dequantize_tensor(&qp, q1.data, (float*)d2.data, n) == ACTQ_OK, "dequantize");
  guarded_check(&d1, "dequantize simd");
  guarded_check(&d2, "dequantize scalar");
  CHECK(memcmp(d1.data, d2.data, n * 4) == 0, "dequantize: simd != scalar");
  const int in_place = (layout >> 4) & 1;
  guarded fk1 = guarded_new(n * 4, x_off), fk2 = guarded_new(n * 4, x_off);
  guarded g1 = guarded_new(n * 4, x_off), g2 = guarded_new(n * 4, x_off);
  if (in_place) memcpy(fk1.data, x, n * 4), memcpy(fk2.data, x, n * 4), memcpy(g1.data, x, n * 4), memcpy(g2.data, x, n * 4);
  CHECK(actq_fake_quantize_tensor(&qp, in_place ? (float*)fk1.data : xs, (float*)fk1.data, n) == ACTQ_OK, "fake");
  CHECK(scalar_actq_fake_quantize_tensor(&qp, in_place ? (float*)fk2.data : xs, (float*)fk2.data, n) == ACTQ_OK, "fake");
  CHECK(actq_fake_quantize_grad_tensor(&qp, in_place ? (float*)g1.data : xs, (float*)g1.data, n) == ACTQ_OK, "grad");
  CHECK(scalar_actq_fake_quantize_grad_tensor(&qp, in_place ? (float*)g2.data : xs, (float*)g2.data, n) == ACTQ_OK, "grad");
  guarded_check(&fk1, "fake simd");
  guarded_check(&fk2, "fake scalar");
  guarded_check(&g1, "grad simd");
  guarded_check(&g2, "grad scalar");
  CHECK(memcmp(fk1.data, fk2.data, n * 4) == 0, "fake quantize: simd != scalar");
  CHECK(memcmp(g1.data, g2.data, n * 4) == 0, "fake quantize grad: simd != scalar");
  CHECK(memcmp(fk1.data, d1.data, n * 4) == 0, "fake quantize != dequantize(quantize(x))");
  const float* mask = (const float*)g1.data;
  for (size_t i = 0; i < n; ++i) {
    const double c = isnan(x[i]) ? 0 : unclamped(x[i], qp.scale, qp.zero_point, qp.rounding);
    const float want = !isnan(x[i]) && c >= lo && c <= hi ? 1.0f : 0.0f;
    CHECK(f2u(mask[i]) == f2u(want), "grad x = %a: mask %a, expected %a", x[i], mask[i], want);
  }
  /* codes -> floats -> the same codes, where (q - zp) * scale stays a normal float */
  if (qp.scale >= 0x1p-110f && qp.scale <= 0x1p+110f) {
    guarded r = guarded_new(n * cb, 0);
    CHECK(actq_quantize_tensor(&qp, (const float*)d1.data, r.data, n) == ACTQ_OK, "requantize");
    for (size_t i = 0; i < n; ++i)
      CHECK(code_at(r.data, i, kind) == code_at(q1.data, i, kind), "quantize(dequantize(%d)) = %d, scale %a zp %d",
            code_at(q1.data, i, kind), code_at(r.data, i, kind), qp.scale, qp.zero_point);
    guarded_free(&r);
  }
  guarded_free(&d1), guarded_free(&d2), guarded_free(&fk1), guarded_free(&fk2), guarded_free(&g1), guarded_free(&g2);
done:
  guarded_free(&q1);
  guarded_free(&q2);
  free(xbase);
}

/* per channel through the wrapper kernels (arguments valid by construction, as JS makes them) */
static void per_channel(fz* f, const actq_qparams base, const float* x, size_t n) {
  const uint32_t channels = 1 + fz_u8(f) % 16, inner = 1 + fz_u8(f) % 64, start = fz_u16(f);
  int32_t lo, hi;
  int kind;
  CHECK(actq_qparams_check(&base, &lo, &hi, &kind) == ACTQ_OK, "fz_qparams gave invalid qparams");
  float scales[16];
  int32_t zps[16];
  for (uint32_t c = 0; c < channels; ++c) {
    scales[c] = c == 0 ? base.scale : fz_scale(f);
    if (!(scales[c] > 0) || isinf(scales[c])) scales[c] = 1.0f;
    zps[c] = lo + (int32_t)(fz_u32(f) % (uint32_t)(hi - lo + 1));
  }
  const size_t cb = base.bits > 8 ? 2 : 1;
  guarded q1 = guarded_new(n * cb, 0), q2 = guarded_new(n * cb, 0);
  actq_quantize(x, q1.data, n, scales, zps, channels, inner, start, lo, hi, base.rounding, kind);
  scalar_actq_quantize(x, q2.data, n, scales, zps, channels, inner, start, lo, hi, base.rounding, kind);
  guarded_check(&q1, "per-channel quantize simd");
  guarded_check(&q2, "per-channel quantize scalar");
  CHECK(memcmp(q1.data, q2.data, n * cb) == 0, "per-channel quantize: simd != scalar");
  for (size_t i = 0; i < n; ++i) {
    const uint32_t c = ((start + (uint32_t)i) / inner) % channels;
    const int32_t want = ref_code(x[i], scales[c], zps[c], lo, hi, base.rounding);
    CHECK(code_at(q1.data, i, kind) == want, "per-channel quantize [%zu] channel %u: %d, reference %d", i, c,
          code_at(q1.data, i, kind), want);
  }
  guarded d1 = guarded_new(n * 4, 0), d2 = guarded_new(n * 4, 0), g1 = guarded_new(n * 4, 0), g2 = guarded_new(n * 4, 0);
  actq_dequantize(q1.data, (float*)d1.data, n, scales, zps, channels, inner, start, kind);
  actq_fake_quantize(x, (float*)d2.data, n, scales, zps, channels, inner, start, lo, hi, base.rounding);
  actq_fake_quantize_grad(x, (float*)g1.data, n, scales, zps, channels, inner, start, lo, hi, base.rounding);
  scalar_actq_fake_quantize_grad(x, (float*)g2.data, n, scales, zps, channels, inner, start, lo, hi, base.rounding);
  guarded_check(&d1, "per-channel dequantize");
  guarded_check(&d2, "per-channel fake");
  guarded_check(&g1, "per-channel grad simd");
  guarded_check(&g2, "per-channel grad scalar");
  CHECK(memcmp(d1.data, d2.data, n * 4) == 0, "per-channel fake quantize != dequantize(quantize(x))");
  CHECK(memcmp(g1.data, g2.data, n * 4) == 0, "per-channel grad: simd != scalar");
  scalar_actq_dequantize(q1.data, (float*)d2.data, n, scales, zps, channels, inner, start, kind);
  CHECK(memcmp(d1.data, d2.data, n * 4) == 0, "per-channel dequantize: simd != scalar");
  guarded_free(&q1), guarded_free(&q2), guarded_free(&d1), guarded_free(&d2), guarded_free(&g1), guarded_free(&g2);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fz f = fz_init(data, size);
  const uint8_t layout = fz_u8(&f);
  const int channels = layout >> 7;
  const actq_qparams qp = fz_qparams(&f, 2, 16, !channels);
  const size_t n = fz_u16(&f) % 4097;
  /* inputs around the codes of qp: ties and their neighbours, at 0 and at both ends */
  float knees[32];
  int nk = 0;
  if (qparams_valid(&qp)) {
    int32_t lo, hi;
    qrange(qp.bits, qp.is_signed, qp.narrow_range, &lo, &hi);
    const float ends[] = { 0.0f, (float)(lo - qp.zero_point), (float)(hi - qp.zero_point) };
    for (int e = 0; e < 3; ++e)
      for (int k = -2; k <= 2; ++k) {
        knees[nk++] = (ends[e] + (float)k) * qp.scale;
        knees[nk++] = (ends[e] + (float)k + 0.5f) * qp.scale;
      }
  }
  float* x = malloc(n * 4 + 4);
  for (size_t i = 0; i < n; ++i) x[i] = fz_float(&f, knees, nk);
  if (channels) per_channel(&f, qp, x, n);
  else per_tensor(qp, x, n, layout);
  free(x);
  return 0;
}
