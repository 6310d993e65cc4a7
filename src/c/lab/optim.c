/* Optimizers over one contiguous block of parameters (all layers' weights and biases):
 * one call per step updates everything in place, state in wasm memory beside it.
 *   SGD with momentum (PyTorch form): v = mu v + g;  w -= lr v
 *   Adam (Kingma & Ba): m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *                       w -= lr (m / c1) / (sqrt(v / c2) + eps), c1 = 1 - b1^t, c2 = 1 - b2^t
 * The bias corrections c1, c2 come from the caller (float64 powers, rounded once). */
#include "../actq.h"
#include "../simd.h"

ACTQ_EXPORT void lab_sgd(uint32_t n, float* w, const float* g, float* v, float lr, float momentum) {
  const vf vlr = v_set(lr), vmu = v_set(momentum);
  size_t i = 0;
  for (; i + VLEN <= n; i += VLEN) {
    const vf vel = v_add(v_mul(vmu, v_load(v + i)), v_load(g + i));
    v_store(v + i, vel);
    v_store(w + i, v_sub(v_load(w + i), v_mul(vlr, vel)));
  }
  for (; i < n; ++i) {
    v[i] = momentum * v[i] + g[i];
    w[i] = w[i] - lr * v[i];
  }
}

V_INLINE vf adam_lanes(vf w, vf g, vf* m, vf* v, vf lr, vf b1, vf b2, vf eps, vf c1, vf c2) {
  const vf one = v_set(1.0f);
  *m = v_add(v_mul(b1, *m), v_mul(v_sub(one, b1), g));
  *v = v_add(v_mul(b2, *v), v_mul(v_sub(one, b2), v_mul(g, g)));
  const vf step = v_div(v_div(*m, c1), v_add(v_sqrt(v_div(*v, c2)), eps));
  return v_sub(w, v_mul(lr, step));
}

ACTQ_EXPORT void lab_adam(uint32_t n, float* w, const float* g, float* m, float* v, float lr, float beta1,
                          float beta2, float eps, float c1, float c2) {
  const vf vlr = v_set(lr), b1 = v_set(beta1), b2 = v_set(beta2), ve = v_set(eps), vc1 = v_set(c1), vc2 = v_set(c2);
  size_t i = 0;
  for (; i + VLEN <= n; i += VLEN) {
    vf mi = v_load(m + i), vi_ = v_load(v + i);
    v_store(w + i, adam_lanes(v_load(w + i), v_load(g + i), &mi, &vi_, vlr, b1, b2, ve, vc1, vc2));
    v_store(m + i, mi);
    v_store(v + i, vi_);
  }
  /* the tail through one-lane copies of the same vector code: same operations, same bits */
  for (; i < n; ++i) {
    float wt[VLEN] = { 0 }, gt[VLEN] = { 0 }, mt[VLEN] = { 0 }, vt[VLEN] = { 0 };
    wt[0] = w[i], gt[0] = g[i], mt[0] = m[i], vt[0] = v[i];
    vf mi = v_load(mt), vi_ = v_load(vt);
    v_store(wt, adam_lanes(v_load(wt), v_load(gt), &mi, &vi_, vlr, b1, b2, ve, vc1, vc2));
    v_store(mt, mi);
    v_store(vt, vi_);
    w[i] = wt[0], m[i] = mt[0], v[i] = vt[0];
  }
}
