// The fitter's targets: every activation of the table as a float64 function of x, with the
// points where it (or its slope) is not smooth. The fit needs the target to ~1e-15: the
// float32 kernels (aq.forward, <= 8 ULP) would put noise of ~1e-7 into error curves whose
// extremes must agree to 1e-6 of errors as small as 1e-5. The tests check every function
// here against aq.forward, so both describe the same activation.

const { exp, expm1, log1p, abs, tanh, sqrt, max, min, PI } = Math;

const clip = (v, lo, hi) => min(max(v, lo), hi);
const sigmoid = (x) => (x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)));
const softplus = (x) => max(x, 0) + log1p(exp(-abs(x)));

// erfc(z), z >= 0: the series of erf below 2, a continued fraction above (~1e-15 relative)
function erfc(z) {
  if (z < 2) {
    let term = z, sum = z;
    for (let k = 1; k < 100 && abs(term) > 1e-17 * abs(sum); k++) {
      term *= (-z * z) / k;
      sum += term / (2 * k + 1);
    }
    return 1 - (2 / sqrt(PI)) * sum;
  }
  let f = z;
  for (let k = 60; k >= 1; k--) f = z + k / 2 / f;
  return exp(-z * z) / (sqrt(PI) * f);
}
const Phi = (x) => (x < 0 ? 0.5 * erfc(-x / Math.SQRT2) : 1 - 0.5 * erfc(x / Math.SQRT2));

const SELU_ALPHA = Math.fround(1.6732632423543772), SELU_SCALE = Math.fround(1.0507009873554805);
const GELU_K = sqrt(2 / PI);

/** Linear interpolation through (t[j], v[j]); constant or extended beyond the outer knots. */
export function pwlValue(x, t, v, extendLeft = false, extendRight = false) {
  const n = t.length;
  if (n === 1) return v[0];
  if (x <= t[0] && !extendLeft) return v[0];
  if (x >= t[n - 1] && !extendRight) return v[n - 1];
  let lo = 0, hi = n - 1; // segment [t[lo], t[lo + 1]]: the last knot <= x (the kernel's x >= t[j])
  if (x < t[1]) hi = 1;
  else if (x >= t[n - 2]) lo = n - 2;
  else {
    while (hi - lo > 1) { const m = (lo + hi) >> 1; if (x >= t[m]) lo = m; else hi = m; }
  }
  if (lo === n - 1) lo = n - 2;
  return v[lo] + (x - t[lo]) * ((v[lo + 1] - v[lo]) / (t[lo + 1] - t[lo]));
}

// f(x, p) and the non-smooth points kinks(p) (where f or f' jumps); jumps(p): where f itself does
const TARGETS = {
  sigmoid: { f: sigmoid },
  hard_sigmoid: {
    f: (x, p) => clip(p.slope * x + p.offset, 0, 1),
    kinks: (p) => [-p.offset / p.slope, (1 - p.offset) / p.slope],
  },
  tanh: { f: tanh },
  hard_tanh: {
    f: (x, p) => clip(p.slope * x + p.offset, p.min_val, p.max_val),
    kinks: (p) => [(p.min_val - p.offset) / p.slope, (p.max_val - p.offset) / p.slope],
  },
  log_sigmoid: { f: (x) => -softplus(-x) },
  relu: { f: (x) => max(x, 0), kinks: () => [0] },
  relu6: { f: (x) => clip(x, 0, 6), kinks: () => [0, 6] },
  leaky_relu: { f: (x, p) => (x >= 0 ? x : p.alpha * x), kinks: () => [0] },
  prelu: { f: (x, p) => (x >= 0 ? x : p.alpha[0] * x), kinks: () => [0] },
  rrelu: { f: (x, p) => (x >= 0 ? x : ((p.lower + p.upper) / 2) * x), kinks: () => [0] },
  elu: { f: (x, p) => (x > 0 ? x : p.alpha * expm1(x)), kinks: () => [0] },
  selu: { f: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * expm1(x)), kinks: () => [0] },
  celu: { f: (x, p) => (x > 0 ? x : p.alpha * expm1(x / p.alpha)), kinks: () => [0] },
  gelu: { f: (x) => x * Phi(x) },
  gelu_tanh: { f: (x) => 0.5 * x * (1 + tanh(GELU_K * (x + 0.044715 * x * x * x))) },
  silu: { f: (x, p) => x * sigmoid(p.beta * x) },
  hard_swish: {
    f: (x, p) => x * clip(p.slope * x + p.offset, 0, 1),
    kinks: (p) => [-p.offset / p.slope, (1 - p.offset) / p.slope],
  },
  mish: { f: (x) => x * tanh(softplus(x)) },
  softplus: {
    f: (x, p) => (p.beta * x > p.threshold ? x : softplus(p.beta * x) / p.beta),
    kinks: (p) => [p.threshold / p.beta],
    jumps: (p) => [p.threshold / p.beta],
  },
  softsign: { f: (x) => x / (1 + abs(x)), kinks: () => [0] },
  sqnl: {
    f: (x) => (x > 2 ? 1 : x >= 0 ? x - (x * x) / 4 : x >= -2 ? x + (x * x) / 4 : -1),
    kinks: () => [-2, 0, 2],
  },
  apl: {
    f: (x, p) => p.a.reduce((y, a, s) => y + a * max(0, p.b[s] - x), max(0, x)),
    kinks: (p) => [0, ...p.b],
  },
  hard_shrink: { f: (x, p) => (abs(x) > p.lambda ? x : 0), kinks: (p) => [-p.lambda, p.lambda], jumps: (p) => [-p.lambda, p.lambda] },
  soft_shrink: {
    f: (x, p) => (x > p.lambda ? x - p.lambda : x < -p.lambda ? x + p.lambda : 0),
    kinks: (p) => [-p.lambda, p.lambda],
  },
  tanh_shrink: { f: (x) => (abs(x) < 0.01 ? x ** 3 / 3 - (2 * x ** 5) / 15 + (17 * x ** 7) / 315 : x - tanh(x)) },
  threshold: { f: (x, p) => (x > p.threshold ? x : p.value), kinks: (p) => [p.threshold], jumps: (p) => [p.threshold] },
  pwl: {
    f: (x, p) => pwlValue(x, p.knots, p.values, p.extend_left, p.extend_right),
    kinks: (p) => [...p.knots],
  },
};

/** Names of the activations the fitter knows (all of the table). */
export const TARGET_NAMES = Object.keys(TARGETS);

/**
 * The float64 target for a table entry and its resolved params object: { f, kinks, jumps }.
 * Throws a RangeError for targets that are no function of x alone (prelu with one slope per
 * channel, rrelu drawing slopes in training mode).
 */
export function targetFunction(name, p) {
  const t = TARGETS[name];
  if (!t) throw new RangeError(`fit: no float64 form of '${name}'`);
  if (name === 'prelu' && p.alpha.length > 1) {
    throw new RangeError('fit: prelu with one slope per channel is no function of x alone: give one alpha');
  }
  if (name === 'rrelu' && p.training) {
    throw new RangeError('fit: rrelu in training mode draws a slope per element: fit it with training: false');
  }
  const f = (x) => t.f(x, p);
  return { f, kinks: (t.kinks?.(p) ?? []).filter(Number.isFinite), jumps: (t.jumps?.(p) ?? []).filter(Number.isFinite) };
}

/**
 * What the fitter needs to know about a target's shape, found numerically:
 *  - center: f(0); symmetric: f(-x) = 2 f(0) - f(x) (odd about (0, f(0)): sigmoid, tanh, ...)
 *  - saturates.left / .right: f is constant far out on that side (a pwl ends there in a
 *    constant piece; otherwise the outer segment is extended)
 *  - bounded: { lo, hi } when f rises monotonically from a finite lo to a finite hi (the
 *    clip family clip(slope x + offset, lo, hi) applies)
 *  - gated: f = x g(x) with g going from 0 to 1 and f(0) = 0 (the x clip(slope x + offset,
 *    0, 1) family applies: silu, gelu, mish, hard_swish, relu)
 */
export function targetShape(f) {
  const c = f(0);
  const probe = [0.03, 0.1, 0.37, 0.5, 1, 1.7, 2.5, 3, 4.2, 6, 9.5, 15];
  const scale = max(1, abs(c), ...probe.map((x) => abs(f(x))));
  const symmetric = probe.every((x) => abs(f(-x) + f(x) - 2 * c) <= 1e-12 * scale);
  // flat far out (softsign's 1 - 1/x counts: it levels off, if slowly)
  const flat = (s) => abs(f(s * 1e8) - f(s * 1e7)) <= 1e-6 * max(1, abs(f(s * 1e8)));
  const saturates = { left: flat(-1), right: flat(1) };
  let bounded = null;
  if (saturates.left && saturates.right) {
    const level = (v) => (abs(v - Math.round(v)) < 1e-6 ? Math.round(v) : v);
    const lo = level(f(-1e9)), hi = level(f(1e9));
    let monotone = hi > lo;
    for (let i = 0, prev = lo; monotone && i <= 400; i++) {
      const v = f(-20 + i / 10);
      if (v < prev - 1e-12 * scale) monotone = false;
      prev = v;
    }
    if (monotone && Number.isFinite(lo) && Number.isFinite(hi)) bounded = { lo, hi };
  }
  const gated = c === 0 && abs(f(-50) / -50) < 1e-3 && abs(f(50) / 50 - 1) < 1e-3;
  return { center: c, symmetric, saturates, bounded, gated };
}
