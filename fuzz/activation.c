/* Fuzz harness: actq_forward_args / actq_derivative_args / actq_forward_fast_args /
 * actq_forward_balanced_args.
 *
 * From the input: the activation, its parameters (arrays included; out of range at times),
 * the start offset, 0..4096 elements, misalignment of x and y, in place or not. Invariants:
 *  - SIMD and scalar builds agree on validation, and return the same bits;
 *  - invalid arguments give ACTQ_E_ARGS and write nothing;
 *  - nothing written outside y[0 .. n-1] (guards), nothing read past x[n-1] (ASan);
 *  - a NaN input comes back with its bits unchanged; a non-NaN input never gives NaN, and
 *    a finite one a finite result unless the true value overflows (leaky_relu, prelu, selu,
 *    apl, pwl: checked in double);
 *  - f(+-inf) is consistent with f(+-FLT_MAX) (0 where that is 0, else 0 or the same sign);
 *  - one call equals the same work split in two calls (start = the index of x[0]).
 */
#include "fuzz.h"

/* Must the result be finite? Derivatives: always (their limits at +-inf are finite too).
 * Forward at a finite x: yes, except where the true value overflows: leaky_relu / prelu
 * (x alpha), selu (scale x), apl (sum of hinges), pwl (extended ends), evaluated in double. */
static int finite_expected(uint32_t id, const actq_args* a, float x, int forward) {
  const char* name = actq_get(id)->name;
  if (!forward) return 1;
  if (isinf(x)) return 0;
  double ref = 0;
  if (strcmp(name, "leaky_relu") == 0) ref = x < 0 ? x * a->p[0] : x;
  else if (strcmp(name, "prelu") == 0) {
    for (uint32_t c = 0; c < a->len[0]; ++c) ref = fmax(ref, fabs(x * (double)a->arr[0][c]));
  } else if (strcmp(name, "selu") == 0) ref = 1.0507009873554805 * x;
  else if (strcmp(name, "apl") == 0) {
    ref = fmax(x, 0);
    for (uint32_t s = 0; s < a->len[0]; ++s) ref += a->arr[0][s] * fmax((double)a->arr[1][s] - x, 0);
  } else if (strcmp(name, "pwl") == 0) { /* extended outer segments are lines */
    const float *t = a->arr[0], *v = a->arr[1];
    const uint32_t m = a->len[0];
    if (m > 1 && a->p[2] != 0 && x < t[0]) ref = v[0] + (x - (double)t[0]) * ((double)v[1] - v[0]) / ((double)t[1] - t[0]);
    if (m > 1 && a->p[3] != 0 && x > t[m - 1])
      ref = v[m - 1] + (x - (double)t[m - 1]) * ((double)v[m - 1] - v[m - 2]) / ((double)t[m - 1] - t[m - 2]);
  } else return 1;
  return fabs(ref) < 0x1p127; /* with a margin for the float evaluation's rounding */
}

typedef int (*run_fn)(uint32_t, const actq_args*, const float*, float*, size_t);

static void check_kernel(const char* what, run_fn simd, run_fn scalar, uint32_t id, const actq_args* a,
                         const float* x, size_t n, size_t x_off, size_t y_off, int in_place, size_t split) {
  const int valid = actq_args_validate(id, a) < 0;
  void* xbase;
  const float* xs = exact_copy(x, n * 4, x_off * 4, &xbase);
  guarded ys = guarded_new(n * 4, y_off * 4), yc = guarded_new(n * 4, y_off * 4);
  float* y1 = (float*)ys.data;
  float* y2 = (float*)yc.data;
  if (in_place) {
    memcpy(y1, x, n * 4);
    memcpy(y2, x, n * 4);
  }
  const int s1 = simd(id, a, in_place ? y1 : xs, y1, n);
  const int s2 = scalar(id, a, in_place ? y2 : xs, y2, n);
  guarded_check(&ys, what);
  guarded_check(&yc, what);
  CHECK(s1 == s2, "%s %s: status simd %d scalar %d", actq_get(id)->name, what, s1, s2);
  if (!valid) {
    CHECK(s1 == ACTQ_E_ARGS, "%s %s: invalid args gave %d", actq_get(id)->name, what, s1);
    for (size_t i = 0; i < n; ++i)
      CHECK(f2u(y1[i]) == (in_place ? f2u(x[i]) : 0xa5a5a5a5u), "%s: refused call wrote y[%zu]", what, i);
  } else {
    CHECK(s1 == ACTQ_OK, "%s %s: valid args gave %d", actq_get(id)->name, what, s1);
    for (size_t i = 0; i < n; ++i) {
      CHECK(f2u(y1[i]) == f2u(y2[i]), "%s %s: x[%zu] = %a (0x%08x): simd 0x%08x scalar 0x%08x", actq_get(id)->name,
            what, i, x[i], f2u(x[i]), f2u(y1[i]), f2u(y2[i]));
      if (isnan(x[i]))
        CHECK(f2u(y1[i]) == f2u(x[i]), "%s %s: NaN 0x%08x came back as 0x%08x", actq_get(id)->name, what, f2u(x[i]),
              f2u(y1[i]));
      else
        CHECK(!isnan(y1[i]), "%s %s: x = %a (0x%08x) gave NaN", actq_get(id)->name, what, x[i], f2u(x[i]));
      if (!isnan(x[i]) && finite_expected(id, a, x[i], simd != actq_derivative_args))
        CHECK(!isinf(y1[i]), "%s %s: x = %a (0x%08x) gave %a, the true value is finite", actq_get(id)->name, what,
              x[i], f2u(x[i]), y1[i]);
    }
    /* the same work in two calls */
    if (split <= n) {
      float* z = malloc(n * 4 + 4);
      actq_args b = *a;
      CHECK(simd(id, &b, xs, z, split) == ACTQ_OK, "split");
      b.start = a->start + (uint32_t)split;
      CHECK(simd(id, &b, xs + split, z + split, n - split) == ACTQ_OK, "split");
      for (size_t i = 0; i < n; ++i)
        CHECK(f2u(z[i]) == f2u(y1[i]), "%s %s: split at %zu: y[%zu] 0x%08x, one call 0x%08x", actq_get(id)->name,
              what, split, i, f2u(z[i]), f2u(y1[i]));
      free(z);
    }
  }
  guarded_free(&ys);
  guarded_free(&yc);
  free(xbase);
}

/* f(+-inf) against f(+-FLT_MAX): not NaN; 0 where f(+-FLT_MAX) is 0 (f is constant out
 * there); else 0 or of the same sign. (Catches a NaN from inf * 0, which the kernels' NaN
 * guard turns into -inf.) */
static void check_limits(uint32_t id, const actq_args* a) {
  for (int side = -1; side <= 1; side += 2) {
    const float big = side * 0x1.fffffep127f, inf = side * __builtin_inff();
    float fb, fi;
    CHECK(actq_forward_args(id, a, &big, &fb, 1) == ACTQ_OK && actq_forward_args(id, a, &inf, &fi, 1) == ACTQ_OK, "limits");
    const char* name = actq_get(id)->name;
    const double* p = a->p;
    CHECK(!isnan(fi), "%s(%g) is NaN (p = %a %a %a %a)", name, inf, p[0], p[1], p[2], p[3]);
    if (fb == 0)
      CHECK(fi == 0, "%s(%g) = %g, but f(%g) = %g (p = %a %a %a %a)", name, inf, fi, big, fb, p[0], p[1], p[2], p[3]);
    else
      CHECK(fi == 0 || (fi > 0) == (fb > 0), "%s(%g) = %g, but f(%g) = %g (p = %a %a %a %a)", name, inf, fi, big, fb,
            p[0], p[1], p[2], p[3]);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fz f = fz_init(data, size);
  const uint32_t id = fz_u8(&f) % actq_count();
  actq_args a;
  fz_arrays store;
  fz_args(&f, id, &a, &store);
  const uint8_t layout = fz_u8(&f);
  const size_t n = fz_u16(&f) % 4097;
  const size_t split = n ? fz_u16(&f) % (n + 1) : 0;
  float knees[64];
  const int nknees = fz_knees(&a, id, knees, 64);
  float* x = malloc(n * 4 + 4);
  for (size_t i = 0; i < n; ++i) x[i] = fz_float(&f, knees, nknees);
  const size_t x_off = layout & 3, y_off = (layout >> 2) & 3;
  const int in_place = (layout >> 4) & 1;
  check_kernel("forward", actq_forward_args, scalar_actq_forward_args, id, &a, x, n, x_off, y_off, in_place, split);
  check_kernel("derivative", actq_derivative_args, scalar_actq_derivative_args, id, &a, x, n, x_off, y_off, in_place,
               split);
  check_kernel("fast", actq_forward_fast_args, scalar_actq_forward_fast_args, id, &a, x, n, x_off, y_off, in_place,
               split);
  check_kernel("balanced", actq_forward_balanced_args, scalar_actq_forward_balanced_args, id, &a, x, n, x_off, y_off,
               in_place, split);
  if (actq_args_validate(id, &a) < 0) check_limits(id, &a);
  free(x);
  return 0;
}
