// The benchmark matrix: which operations are measured, how accuracy is scored, and the
// plain-JS loop for each (the "no library" baseline). Each peer module maps these names
// onto its own operators and says which it lacks.
import { REFERENCES } from '../tests/reference.js';
import { ulpOf } from '../tests/accuracy.js';

/** Elementwise float ops, with actq's default parameters (= the peers' defaults). */
export const FLOAT_OPS = [
  { name: 'sigmoid', kind: 'transcendental' },
  { name: 'tanh', kind: 'transcendental' },
  { name: 'silu', kind: 'transcendental' },
  { name: 'gelu', kind: 'transcendental' },
  { name: 'elu', kind: 'transcendental' },
  { name: 'softplus', kind: 'transcendental' },
  { name: 'relu', kind: 'piecewise' },
  { name: 'hard_sigmoid', kind: 'piecewise' }, // slope 0.2, offset 0.5: ONNX HardSigmoid defaults
  { name: 'hard_swish', kind: 'piecewise' },
  { name: 'hard_tanh', kind: 'piecewise' },
  { name: 'relu6', kind: 'piecewise' },
  { name: 'leaky_relu', kind: 'piecewise' }, // alpha 0.01: PyTorch, ONNX
];

/** Parameters the references take for the ops above (actq's registry defaults). */
export const REF_PARAMS = {
  hard_sigmoid: { slope: 0.2, offset: 0.5 },
  silu: { beta: 1 },
  elu: { alpha: 1 },
  softplus: { beta: 1, threshold: 20 },
  hard_tanh: { min_val: -1, max_val: 1, slope: 1, offset: 0 },
  hard_swish: { slope: 1 / 6, offset: 0.5 },
  leaky_relu: { alpha: 0.01 },
};

// erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): JS has no Math.erf
function erf(v) {
  const a = Math.abs(v), t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return v < 0 ? -y : y;
}

/** Plain JS loops, Float32Array in -> Float32Array out: the obvious code a user writes. */
export const JS_LOOPS = {
  sigmoid: (x, y) => { for (let i = 0; i < x.length; i++) y[i] = 1 / (1 + Math.exp(-x[i])); },
  tanh: (x, y) => { for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]); },
  silu: (x, y) => { for (let i = 0; i < x.length; i++) { const v = x[i]; y[i] = v / (1 + Math.exp(-v)); } },
  gelu: (x, y) => { for (let i = 0; i < x.length; i++) { const v = x[i]; y[i] = 0.5 * v * (1 + erf(v * Math.SQRT1_2)); } },
  elu: (x, y) => { for (let i = 0; i < x.length; i++) { const v = x[i]; y[i] = v > 0 ? v : Math.expm1(v); } },
  softplus: (x, y) => {
    for (let i = 0; i < x.length; i++) { const v = x[i]; y[i] = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))); }
  },
  relu: (x, y) => { for (let i = 0; i < x.length; i++) { const v = x[i]; y[i] = v > 0 ? v : 0; } },
  hard_sigmoid: (x, y) => { for (let i = 0; i < x.length; i++) y[i] = Math.min(Math.max(0.2 * x[i] + 0.5, 0), 1); },
  hard_swish: (x, y) => {
    for (let i = 0; i < x.length; i++) { const v = x[i]; y[i] = (v * Math.min(Math.max(v + 3, 0), 6)) / 6; }
  },
  hard_tanh: (x, y) => { for (let i = 0; i < x.length; i++) y[i] = Math.min(Math.max(x[i], -1), 1); },
  relu6: (x, y) => { for (let i = 0; i < x.length; i++) y[i] = Math.min(Math.max(x[i], 0), 6); },
  leaky_relu: (x, y) => { for (let i = 0; i < x.length; i++) { const v = x[i]; y[i] = v >= 0 ? v : 0.01 * v; } },
};

/**
 * Error of y against the float64 reference of op over inputs x, with the metric of
 * tests/accuracy.js: max ULP where |ref| >= 1e-3, max absolute error everywhere.
 */
export function floatAccuracy(op, x, y) {
  const ref = REFERENCES[op].f, p = REF_PARAMS[op] ?? {};
  let maxUlp = 0, maxAbs = 0;
  for (let i = 0; i < x.length; i++) {
    const r = ref(x[i], p, i);
    const err = Math.abs(y[i] - r);
    if (!(err <= maxAbs)) maxAbs = err; // NaN counts as infinitely wrong
    if (Math.abs(r) >= 1e-3 && !(err / ulpOf(r) <= maxUlp)) maxUlp = err / ulpOf(r);
  }
  return { maxUlp, maxAbs };
}

/** The accuracy grid: n evenly spaced float32 points over [-20, 20]. */
export function grid(n = 1 << 20) {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = -20 + (40 * i) / (n - 1);
  return x;
}

/** Timing input: n deterministic pseudo-random points over [-10, 10] (every branch taken). */
export function timingInput(n, seed = 12345) {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = (s / 4294967296) * 20 - 10;
  }
  return x;
}
