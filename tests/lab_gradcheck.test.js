// Gradient checks of the lab's backward pass (wasm, float32) against float64 references:
// - central finite differences of a float64 forward (every layer: two hidden layers, so the
//   dX path is covered; every activation of the table, with presets and non-default
//   parameters), skipping only coordinates where the loss is not smooth at that step size;
// - QAT: the straight-through gradients against a float64 backprop written from the
//   definition (fake-quantized weights, pre-activations and outputs; masks 1 inside the
//   code range), with ranges narrow enough that some values clip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadLab } from 'actq/lab';
import { REFERENCES } from './reference.js';
import { rng } from '../src/js/lab/random.js';
import { normalizeQParams } from '../src/js/quantize.js';

const builds = [await loadLab(), await loadLab({ simd: false })];
const SIZES = [3, 5, 4, 3], ROWS = 8;

function batch(seed) {
  const r = rng(seed);
  return {
    x: Float32Array.from({ length: ROWS * SIZES[0] }, () => Math.fround(4 * r.next() - 2)),
    y: Int32Array.from({ length: ROWS }, (_, i) => (i * 7 + seed) % SIZES[SIZES.length - 1]),
    n: ROWS,
  };
}

/** Layer views [W (out x in), b] into a flat float64 parameter vector, as the network lays them out. */
function layers(theta) {
  const out = [];
  let o = 0;
  for (let l = 0; l + 1 < SIZES.length; l++) {
    const inputs = SIZES[l], outputs = SIZES[l + 1];
    out.push({ inputs, outputs, W: theta.subarray(o, o + inputs * outputs), b: theta.subarray(o + inputs * outputs, o + inputs * outputs + outputs) });
    o += inputs * outputs + outputs;
  }
  return out;
}

/** Mean cross-entropy of the float64 network; act(z, i) with i the index in the rows x outputs block. */
function loss64(theta, data, act) {
  let total = 0;
  let a = Array.from(data.x);
  const L = layers(theta);
  L.forEach(({ inputs, outputs, W, b }, l) => {
    const z = new Float64Array(ROWS * outputs);
    for (let r = 0; r < ROWS; r++) {
      for (let c = 0; c < outputs; c++) {
        let s = b[c];
        for (let k = 0; k < inputs; k++) s += a[r * inputs + k] * W[c * inputs + k];
        z[r * outputs + c] = s;
      }
    }
    a = l + 1 < L.length ? Array.from(z, (v, i) => act(v, i)) : Array.from(z);
  });
  const classes = SIZES[SIZES.length - 1];
  for (let r = 0; r < ROWS; r++) {
    const row = a.slice(r * classes, (r + 1) * classes), m = Math.max(...row);
    total += Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) - (row[data.y[r]] - m);
  }
  return total / ROWS;
}

const CASES = [
  ...['sigmoid', 'tanh', 'hard_tanh', 'log_sigmoid', 'relu', 'relu6', 'leaky_relu', 'prelu', 'rrelu', 'elu', 'selu', 'celu', 'gelu',
    'gelu_tanh', 'silu', 'hard_swish', 'mish', 'softplus', 'softsign', 'sqnl', 'apl', 'hard_shrink', 'soft_shrink', 'tanh_shrink',
    'threshold'].map((name) => [name, null]),
  ...['onnx', 'pytorch', 'paddle', 'taylor', 'bnn'].map((p) => ['hard_sigmoid', p]),
  ['leaky_relu', 'keras'],
  ['silu', { beta: 1.7 }],
  ['softplus', { beta: 2, threshold: 3 }],
  ['prelu', { alpha: [0.1, 0.2, 0.3, 0.4, 0.5], inner: 1 }], // one slope per hidden unit of the 5-wide layer
  ['rrelu', { training: true, seed: 9 }],
  ['apl', { a: [0.3, -0.2], b: [0.5, -1] }],
  ['hard_tanh', { min_val: -0.5, max_val: 1.5 }],
];

test('every activation: the backward pass equals central differences of a float64 forward (all layers)', () => {
  const data = batch(1);
  for (const lab of builds) {
    for (const [name, params] of CASES) {
      const net = lab.mlp({ sizes: SIZES, activation: name, params, seed: 4 });
      try {
        const p = { ...net.activation.params };
        // prelu's channel of element i of a layer's rows x outputs block: (i / inner) % channels
        const ref = REFERENCES[net.activation.name];
        const act = (z, i) => ref.f(z, p, i);
        const { gradient } = net.gradient(data);
        const theta = Float64Array.from(net.parameters());
        let checked = 0;
        for (let j = 0; j < theta.length; j++) {
          const fd = (h) => {
            const t0 = theta[j];
            theta[j] = t0 + h; const up = loss64(theta, data, act);
            theta[j] = t0 - h; const down = loss64(theta, data, act);
            theta[j] = t0;
            return (up - down) / (2 * h);
          };
          const coarse = fd(1e-4), fine = fd(2.5e-5);
          if (Math.abs(coarse - fine) > 1e-7 + 1e-5 * Math.abs(fine)) continue; // a kink within the step: not smooth here
          checked++;
          const tol = 2e-6 + 2e-4 * Math.abs(fine);
          assert.ok(Math.abs(gradient[j] - fine) <= tol,
            `${lab.simd ? 'SIMD' : 'scalar'} ${name} ${JSON.stringify(params)}: dL/dtheta[${j}] = ${gradient[j]}, finite differences ${fine}`);
        }
        // hard_shrink / threshold put whole units at zero gradient; the rest must be checked
        assert.ok(checked >= 0.75 * theta.length, `${name}: only ${checked} of ${theta.length} coordinates were smooth enough to check`);
      } finally {
        net.free();
      }
    }
  }
});

// ---- QAT ------------------------------------------------------------------------------------

const f32 = Math.fround;
function fakeQuant(v, L) { // as actq_fake_quantize: code from x / scale in float32, half-even
  const s = L.scales[0], zp = L.zeroPoints[0];
  const t = f32(f32(v) / s);
  let q = Math.round(t);
  if (Math.abs(t % 1) === 0.5 && q % 2 !== 0) q -= 1;
  const unclamped = q + zp, code = Math.min(L.qmax, Math.max(L.qmin, unclamped));
  return { value: (code - zp) * s, pass: unclamped >= L.qmin && unclamped <= L.qmax ? 1 : 0 };
}

/** The QAT gradient by the straight-through definition, in float64. */
function qatGradient64(theta32, data, ref, p, quant, masks = true) {
  const L = layers(Float64Array.from(theta32));
  const qmax = 2 ** (quant.bits - 1) - 1;
  const acts = [Array.from(data.x)], zs = [], hs = [];
  const wq = L.map(({ inputs, outputs, W }) => {
    const out = new Float64Array(W.length);
    for (let c = 0; c < outputs; c++) {
      let m = 0;
      for (let k = 0; k < inputs; k++) m = Math.max(m, Math.abs(f32(W[c * inputs + k])));
      const s = m > 0 ? f32(m / qmax) : 1;
      for (let k = 0; k < inputs; k++) {
        const t = f32(f32(W[c * inputs + k]) / s);
        let q = Math.round(t);
        if (Math.abs(t % 1) === 0.5 && q % 2 !== 0) q -= 1;
        out[c * inputs + k] = Math.max(-qmax, Math.min(qmax, q)) * s;
      }
    }
    return out;
  });
  L.forEach(({ inputs, outputs, b }, l) => {
    const a = acts[l], z = new Float64Array(ROWS * outputs);
    for (let r = 0; r < ROWS; r++) {
      for (let c = 0; c < outputs; c++) {
        let s = b[c];
        for (let k = 0; k < inputs; k++) s += a[r * inputs + k] * wq[l][c * inputs + k];
        z[r * outputs + c] = s;
      }
    }
    zs.push(z);
    if (l + 1 < L.length) {
      const zq = Array.from(z, (v) => fakeQuant(v, quant.layers[l].z));
      const h = zq.map((q, i) => ref.f(q.value, p, i));
      const hq = h.map((v) => fakeQuant(v, quant.layers[l].h));
      hs.push({ zq, h, hq });
      acts.push(hq.map((q) => q.value));
    }
  });
  const classes = SIZES[SIZES.length - 1];
  let delta = new Float64Array(ROWS * classes);
  const logits = zs[zs.length - 1];
  for (let r = 0; r < ROWS; r++) {
    const row = Array.from(logits.subarray(r * classes, (r + 1) * classes)), m = Math.max(...row);
    const s = row.reduce((t, v) => t + Math.exp(v - m), 0);
    row.forEach((v, c) => { delta[r * classes + c] = (Math.exp(v - m) / s - (c === data.y[r])) / ROWS; });
  }
  const grad = new Float64Array(theta32.length);
  let offset = theta32.length;
  for (let l = L.length - 1; l >= 0; l--) {
    const { inputs, outputs } = L[l], a = acts[l];
    offset -= inputs * outputs + outputs;
    for (let c = 0; c < outputs; c++) {
      for (let k = 0; k < inputs; k++) {
        let s = 0;
        for (let r = 0; r < ROWS; r++) s += delta[r * outputs + c] * a[r * inputs + k];
        grad[offset + c * inputs + k] = s; // weight STE mask: symmetric max scaling never clips
      }
      let s = 0;
      for (let r = 0; r < ROWS; r++) s += delta[r * outputs + c];
      grad[offset + inputs * outputs + c] = s;
    }
    if (l === 0) break;
    const below = hs[l - 1], next = new Float64Array(ROWS * inputs);
    for (let r = 0; r < ROWS; r++) {
      for (let k = 0; k < inputs; k++) {
        let s = 0;
        for (let c = 0; c < outputs; c++) s += delta[r * outputs + c] * wq[l][c * inputs + k];
        const i = r * inputs + k;
        next[i] = s * (masks ? below.hq[i].pass * below.zq[i].pass : 1) * ref.d(below.zq[i].value, p, i);
      }
    }
    delta = next;
  }
  return grad;
}

test('QAT: straight-through gradients (weights, pre-activations, outputs) equal their float64 definition, masks included', () => {
  const data = batch(2);
  for (const lab of builds) {
    for (const [name, params, bits] of [['sigmoid', null, 4], ['hard_sigmoid', 'pytorch', 2], ['tanh', null, 8], ['relu', null, 3]]) {
      const net = lab.mlp({ sizes: SIZES, activation: name, params, seed: 5 });
      try {
        const p = { ...net.activation.params };
        const signedOut = name === 'tanh';
        // narrow ranges so that some pre-activations and outputs fall outside: masks of 0
        const quant = {
          bits,
          input: normalizeQParams({ scale: 1 / 64, zeroPoint: 0, bits: 8, signed: false }),
          layers: [0, 1].map(() => ({
            z: normalizeQParams({ scale: 1.2 / 127, zeroPoint: 0, bits: 8, signed: true }),
            h: normalizeQParams(signedOut ? { scale: 0.7 / (2 ** (bits - 1) - 1), zeroPoint: 0, bits, signed: true }
              : { scale: 0.8 / (2 ** bits - 1), zeroPoint: 0, bits, signed: false }),
          })),
        };
        const { gradient } = net.gradient(data, { quant });
        const expected = qatGradient64(net.parameters(), data, REFERENCES[net.activation.name], p, quant);
        for (let j = 0; j < expected.length; j++) {
          assert.ok(Math.abs(gradient[j] - expected[j]) <= 1e-6 + 1e-4 * Math.abs(expected[j]),
            `${lab.simd ? 'SIMD' : 'scalar'} ${name} ${bits}-bit: gradient[${j}] = ${gradient[j]}, expected ${expected[j]}`);
        }
        assert.ok(gradient.some((g) => g !== 0), 'the gradient is not all zero');
        // the ranges are narrow enough that the masks matter: without them the gradient differs
        const unmasked = qatGradient64(net.parameters(), data, REFERENCES[net.activation.name], p, quant, false);
        assert.ok(unmasked.some((g, j) => Math.abs(g - expected[j]) > 1e-3 * Math.max(...expected.map(Math.abs))), `${name}: no value clipped`);
      } finally {
        net.free();
      }
    }
  }
});
