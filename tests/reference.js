// Float64 references for every activation and its derivative: the mathematical
// definitions (REFERENCE.md), written for accuracy rather than speed. `p` is the resolved
// params object ({ name: value }), as the registry defines it.

const { exp, expm1, log1p, abs, tanh, sqrt, max, min, PI } = Math;

const clip = (v, lo, hi) => min(max(v, lo), hi);
const sigmoid = (x) => (x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)));
const sigmoidPrime = (x) => { const e = exp(-abs(x)); return e / ((1 + e) * (1 + e)); };
const softplus = (x) => max(x, 0) + log1p(exp(-abs(x)));

// erfc(z) for z >= 0: Taylor series of erf below 2, continued fraction above (rel err ~1e-15)
function erfc(z) {
  if (z < 2) {
    let term = z, sum = z;
    for (let n = 1; n < 200 && abs(term) > 1e-18 * abs(sum); n++) {
      term *= (-z * z) / n;
      sum += term / (2 * n + 1);
    }
    return 1 - (2 / sqrt(PI)) * sum;
  }
  let f = z; // z + 1/2 / (z + 1 / (z + 3/2 / (z + ...))), evaluated backwards
  for (let n = 80; n >= 1; n--) f = z + (n / 2) / f;
  return exp(-z * z) / (sqrt(PI) * f);
}
const Phi = (x) => (x < 0 ? 0.5 * erfc(-x / Math.SQRT2) : 1 - 0.5 * erfc(x / Math.SQRT2));
const phi = (x) => exp(-0.5 * x * x) / sqrt(2 * PI);

const SELU_ALPHA = Math.fround(1.6732632423543772), SELU_SCALE = Math.fround(1.0507009873554805);
const GELU_K = sqrt(2 / PI);

// rrelu training noise, bit for bit as src/c/activations.c draws it
function fmix32(h) {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}
export function rreluSlope(p, i) {
  const f = Math.fround;
  const seed = fmix32((Math.imul(p.seed >>> 0, 0x9e3779b9) + 0x7f4a7c15) >>> 0);
  const u = f((fmix32((i ^ seed) >>> 0) >>> 8) * 2 ** -24);
  return f(f(p.lower) + f(f(f(p.upper - p.lower)) * u));
}
const channelOf = (p, i) => Math.floor(i / p.inner) % p.alpha.length;

// f(x, p, i) and d(x, p, i); i is the element index (prelu channels, rrelu noise)
export const REFERENCES = {
  sigmoid: { f: sigmoid, d: sigmoidPrime },
  hard_sigmoid: {
    f: (x, p) => clip(p.slope * x + p.offset, 0, 1),
    d: (x, p) => { const y = p.slope * x + p.offset; return y > 0 && y < 1 ? p.slope : 0; },
  },
  tanh: { f: tanh, d: (x) => { const e = exp(-2 * abs(x)); return (4 * e) / ((1 + e) * (1 + e)); } },
  hard_tanh: {
    f: (x, p) => clip(p.slope * x + p.offset, p.min_val, p.max_val),
    d: (x, p) => { const y = p.slope * x + p.offset; return y > p.min_val && y < p.max_val ? p.slope : 0; },
  },
  log_sigmoid: { f: (x) => -softplus(-x), d: (x) => sigmoid(-x) },
  relu: { f: (x) => max(x, 0), d: (x) => (x > 0 ? 1 : 0) },
  relu6: { f: (x) => clip(x, 0, 6), d: (x) => (x > 0 && x < 6 ? 1 : 0) },
  leaky_relu: { f: (x, p) => (x >= 0 ? x : p.alpha * x), d: (x, p) => (x > 0 ? 1 : p.alpha) },
  prelu: {
    f: (x, p, i) => (x >= 0 ? x : p.alpha[channelOf(p, i)] * x),
    d: (x, p, i) => (x > 0 ? 1 : p.alpha[channelOf(p, i)]),
  },
  rrelu: {
    f: (x, p, i) => (x >= 0 ? x : x * (p.training ? rreluSlope(p, i) : (p.lower + p.upper) / 2)),
    d: (x, p, i) => (x > 0 ? 1 : p.training ? rreluSlope(p, i) : (p.lower + p.upper) / 2),
  },
  elu: { f: (x, p) => (x > 0 ? x : p.alpha * expm1(x)), d: (x, p) => (x > 0 ? 1 : p.alpha * exp(x)) },
  selu: {
    f: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * expm1(x)),
    d: (x) => SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * exp(x)),
  },
  celu: { f: (x, p) => (x > 0 ? x : p.alpha * expm1(x / p.alpha)), d: (x, p) => (x > 0 ? 1 : exp(x / p.alpha)) },
  gelu: { f: (x) => x * Phi(x), d: (x) => Phi(x) + x * phi(x) },
  gelu_tanh: {
    f: (x) => 0.5 * x * (1 + tanh(GELU_K * (x + 0.044715 * x * x * x))),
    d: (x) => {
      const t = tanh(GELU_K * (x + 0.044715 * x * x * x));
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_K * (1 + 3 * 0.044715 * x * x);
    },
  },
  silu: {
    f: (x, p) => x * sigmoid(p.beta * x),
    d: (x, p) => { const s = sigmoid(p.beta * x); return s + p.beta * x * s * sigmoid(-p.beta * x); },
  },
  hard_swish: {
    f: (x, p) => x * clip(p.slope * x + p.offset, 0, 1),
    // PyTorch's convention at the knees: the middle piece from the lower knee on, up to the upper one
    d: (x, p) => (x < -p.offset / p.slope ? 0 : x <= (1 - p.offset) / p.slope ? 2 * p.slope * x + p.offset : 1),
  },
  mish: {
    f: (x) => x * tanh(softplus(x)),
    d: (x) => { const t = tanh(softplus(x)); return t + x * sigmoid(x) * (1 - t * t); },
  },
  softplus: {
    f: (x, p) => (p.beta * x > p.threshold ? x : softplus(p.beta * x) / p.beta),
    d: (x, p) => (p.beta * x > p.threshold ? 1 : sigmoid(p.beta * x)),
  },
  softsign: { f: (x) => x / (1 + abs(x)), d: (x) => 1 / ((1 + abs(x)) * (1 + abs(x))) },
  sqnl: {
    f: (x) => (x > 2 ? 1 : x >= 0 ? x - (x * x) / 4 : x >= -2 ? x + (x * x) / 4 : -1),
    d: (x) => (abs(x) > 2 ? 0 : 1 - abs(x) / 2),
  },
  apl: {
    f: (x, p) => p.a.reduce((y, a, s) => y + a * max(0, p.b[s] - x), max(0, x)),
    d: (x, p) => p.a.reduce((d, a, s) => d - (x < p.b[s] ? a : 0), x > 0 ? 1 : 0),
  },
  hard_shrink: { f: (x, p) => (abs(x) > p.lambda ? x : 0), d: (x, p) => (abs(x) > p.lambda ? 1 : 0) },
  soft_shrink: {
    f: (x, p) => (x > p.lambda ? x - p.lambda : x < -p.lambda ? x + p.lambda : 0),
    d: (x, p) => (abs(x) > p.lambda ? 1 : 0),
  },
  tanh_shrink: {
    // series below 0.01, where x - tanh(x) cancels in float64 too
    f: (x) => (abs(x) < 0.01 ? x ** 3 / 3 - (2 * x ** 5) / 15 + (17 * x ** 7) / 315 : x - tanh(x)),
    d: (x) => tanh(x) ** 2,
  },
  threshold: { f: (x, p) => (x > p.threshold ? x : p.value), d: (x, p) => (x > p.threshold ? 1 : 0) },
  pwl: { f: (x, p) => pwlAt(x, p).y, d: (x, p) => pwlAt(x, p).d },
};

// pwl: linear through (knots[j], values[j]), constant beyond (or the outer segment extended);
// the derivative takes the left segment at a knot
function pwlAt(x, p) {
  const t = p.knots, v = p.values, n = t.length;
  if (n === 1) return { y: v[0], d: 0 };
  const seg = (j) => ({ y: v[j] + (x - t[j]) * ((v[j + 1] - v[j]) / (t[j + 1] - t[j])), d: (v[j + 1] - v[j]) / (t[j + 1] - t[j]) });
  if (x <= t[0]) return p.extend_left ? seg(0) : { y: v[0], d: 0 };
  if (x > t[n - 1]) return p.extend_right ? seg(n - 2) : { y: v[n - 1], d: 0 };
  let j = 0;
  while (j < n - 2 && x > t[j + 1]) j++;
  return seg(j);
}

/** Functions with f(-x) = -f(x) whose kernels must return -0 for -0. */
export const ODD = ['tanh', 'softsign', 'sqnl', 'tanh_shrink', 'hard_tanh'];
