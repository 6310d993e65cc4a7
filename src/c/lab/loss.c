/* Softmax cross-entropy over a batch of logits, its gradient and the count of correct
 * predictions. Per row, in float64: m = max l, s = sum exp(l - m), loss = log s - (l_y - m),
 * p = exp(l - m) / s; dlogits = (p - onehot(y)) * grad_scale (grad_scale = 1 / batch for a
 * mean loss). The prediction is the first maximum (ties go to the lower class). */
#include <math.h>

#include "../actq.h"

ACTQ_EXPORT double lab_softmax_xent(uint32_t rows, uint32_t classes, const float* logits, const int32_t* labels,
                                    float* dlogits, float grad_scale, uint32_t* correct) {
  double total = 0.0;
  uint32_t right = 0;
  for (size_t r = 0; r < rows; ++r) {
    const float* l = logits + r * classes;
    uint32_t best = 0;
    for (uint32_t c = 1; c < classes; ++c) best = l[c] > l[best] ? c : best;
    const double m = l[best];
    double s = 0.0;
    for (uint32_t c = 0; c < classes; ++c) s += exp((double)l[c] - m);
    const int32_t y = labels[r];
    total += log(s) - ((double)l[y] - m);
    right += best == (uint32_t)y;
    if (dlogits) {
      float* d = dlogits + r * classes;
      for (uint32_t c = 0; c < classes; ++c)
        d[c] = (float)((exp((double)l[c] - m) / s - (c == (uint32_t)y ? 1.0 : 0.0)) * grad_scale);
    }
  }
  if (correct) *correct = right;
  return total;
}
