/* actq from C: hard_sigmoid (the PyTorch definition) on a few inputs, then an int8 sigmoid
 * lookup table built from the float kernel and applied to int8 codes.
 *
 *   make -f native.mk examples && build/native/examples/example
 */
#include <stdio.h>

#include "actq.h"

int main(void) {
  /* ---- float: hard_sigmoid, preset pytorch = relu6(x + 3) / 6 ---- */
  const int hs = actq_find("hard_sigmoid");
  actq_args args;
  if (hs < 0 || actq_args_preset((uint32_t)hs, "pytorch", &args) != ACTQ_OK) return 1;
  const float x[] = { -4.0f, -3.0f, -1.5f, 0.0f, 1.0f, 2.999f, 3.0f, 10.0f };
  enum { N = sizeof x / sizeof x[0] };
  float y[N], dy[N];
  if (actq_forward_args((uint32_t)hs, &args, x, y, N) != ACTQ_OK) return 1;
  if (actq_derivative_args((uint32_t)hs, &args, x, dy, N) != ACTQ_OK) return 1;
  printf("hard_sigmoid (pytorch: slope %.7g, offset %g)\n", args.p[0], args.p[1]);
  for (int i = 0; i < N; ++i) printf("  x = %6g   f = %.9g   f' = %.9g\n", x[i], y[i], dy[i]);

  /* a parameter by name, checked before anything runs */
  if (actq_args_set((uint32_t)hs, &args, "slope", 0.0) != ACTQ_OK) return 1;
  printf("slope = 0: actq_forward_args -> %d (ACTQ_E_ARGS), bad parameter index %d\n",
         actq_forward_args((uint32_t)hs, &args, x, y, N), actq_args_validate((uint32_t)hs, &args));

  /* ---- int8: the sigmoid table, input scale 1/16, TFLite's output qparams ---- */
  actq_qparams in = actq_qparams_default(1.0f / 16);
  actq_qparams out = actq_qparams_default(1.0f / 256);
  out.zero_point = -128;
  out.rounding = ACTQ_HALF_AWAY;
  uint8_t table[256], raw[256];
  const int entries = actq_lut8_build((uint32_t)actq_find("sigmoid"), NULL, &in, &out, table);
  if (entries != 256 || actq_lut8_raw(table, &in, raw) != ACTQ_OK) return 1;
  const int8_t q[] = { -128, -64, -16, -1, 0, 1, 16, 64, 127 };
  enum { M = sizeof q / sizeof q[0] };
  int8_t r[M];
  actq_apply_lut8(raw, (const uint8_t*)q, (uint8_t*)r, M);
  printf("int8 sigmoid LUT (in scale 1/16, out scale 1/256, zero point -128)\n");
  for (int i = 0; i < M; ++i)
    printf("  q = %4d (x = %8.4f) -> %4d (y = %.6f)\n", q[i], q[i] / 16.0, r[i], (r[i] + 128) / 256.0);
  return 0;
}
