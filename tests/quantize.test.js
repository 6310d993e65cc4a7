// Quantization: bit-exact ONNX semantics (checked against onnxruntime-web), rounding modes,
// per-channel layout, fake quantization, calibration, error metrics, integer tables and
// integer-only kernels, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-web';
import { load } from 'actq';
import { onnxModel } from '../bench/onnx.mjs';
import { REFERENCES } from './reference.js';
import { rng, paramsObject } from './accuracy.js';

const aq = await load();
const scalar = await load({ simd: false });
ort.env.wasm.numThreads = 1;

const sameBits = (a, b) => a.length === b.length &&
  Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

// float64 model of the spec: q = clamp(round(fround(x / scale)) + zp, qmin, qmax)
const ROUND = {
  half_even: (v) => { const r = Math.round(v); return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r; },
  half_away: (v) => Math.sign(v) * Math.round(Math.abs(v)),
  half_up: (v) => Math.floor(v + 0.5) === v + 0.5 ? v + 0.5 : Math.round(v),
};
function specQuantize(x, { scale, zeroPoint = 0, bits = 8, signed = true, narrowRange = false, rounding = 'half_even' }) {
  const [qmin, qmax] = aq.codeRange({ scale, bits, signed, narrowRange });
  if (Number.isNaN(x)) return zeroPoint;
  const v = Math.fround(Math.fround(x) / Math.fround(scale));
  return Math.min(qmax, Math.max(qmin, ROUND[rounding](v) + zeroPoint));
}

function testInputs(scale, qmin, qmax, n = 4000, seed = 1) {
  const next = rng(seed), x = [];
  for (let i = 0; i < n; i++) x.push((next() - 0.5) * 2.4 * scale * (qmax - qmin)); // includes saturation
  for (let k = qmin - 3; k <= qmax + 3; k += Math.max(1, Math.floor((qmax - qmin) / 300))) {
    x.push(k * scale, (k + 0.5) * scale, (k - 0.5) * scale, Math.fround((k + 0.5) * scale) * (1 + 2 ** -23));
  }
  x.push(0, -0, 1e30, -1e30, scale * 0.49999997, -scale * 0.49999997);
  return Float32Array.from(x);
}

const ORT_TYPES = [
  ['int8', Int8Array, { bits: 8, signed: true }],
  ['uint8', Uint8Array, { bits: 8, signed: false }],
  ['int16', Int16Array, { bits: 16, signed: true }],
  ['uint16', Uint16Array, { bits: 16, signed: false }],
];

async function ortRun(op, x, xType, scale, zp, zpType, ZpArray, outType) {
  const model = onnxModel({
    nodes: [{ op, inputs: ['x', 'scale', 'zp'], outputs: ['y'] }],
    inputs: [{ name: 'x', type: xType, shape: [x.length] }],
    outputs: [{ name: 'y', type: outType, shape: [x.length] }],
    initializers: [
      { name: 'scale', type: 'float32', data: Float32Array.of(scale) },
      { name: 'zp', type: zpType, data: ZpArray.of(zp) },
    ],
    opsets: { '': 21 },
  });
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
  const result = await session.run({ x: new ort.Tensor(xType, x, [x.length]) });
  await session.release();
  return result.y.data;
}

test('quantize / dequantize are bit-exact with onnxruntime-web QuantizeLinear / DequantizeLinear', async () => {
  for (const [type, Codes, spec] of ORT_TYPES) {
    const [qmin, qmax] = aq.codeRange({ scale: 1, ...spec });
    for (const [scale, zp] of [[0.0078125, 0], [0.0123, spec.signed ? -7 : 100], [3.7e-4, spec.signed ? 5 : 3]]) {
      const qp = { scale, zeroPoint: zp, ...spec };
      const x = testInputs(scale, qmin, qmax);
      const ours = aq.quantize(x, qp);
      const theirs = await ortRun('QuantizeLinear', x, 'float32', scale, zp, type, Codes, type);
      assert.ok(ours instanceof Codes);
      const i = ours.findIndex((v, j) => v !== theirs[j]);
      assert.equal(i, -1, `${type} scale ${scale} zp ${zp}: x = ${x[i]}: actq ${ours[i]}, ORT ${theirs[i]}`);
      const back = aq.dequantize(ours, qp);
      const ortBack = await ortRun('DequantizeLinear', ours, type, scale, zp, type, Codes, 'float32');
      assert.ok(sameBits(back, Float32Array.from(ortBack)), `${type} DequantizeLinear`);
    }
  }
});

test('quantize far outside the code range and at the extremes: saturation in every storage, mode and range, SIMD and scalar', () => {
  // whole 16-element blocks of extremes, without NaN (the saturating path) and with one (the exact path)
  const extremes = [3.4e38, -3.4e38, Infinity, -Infinity, 1e10, -1e10, 2 ** 22, -(2 ** 22), 2 ** 23, -(2 ** 23),
    1.5 * 2 ** 23, -1.5 * 2 ** 23, 2 ** 24, -(2 ** 24), 7e5, -7e5];
  const x = Float32Array.from([...extremes, ...extremes.map((v) => v * 1e-6), ...extremes.map((v) => v * 1e-30), NaN, ...extremes.slice(1), 0.3, -0.7, 5]);
  for (const rounding of ['half_even', 'half_away', 'half_up']) {
    for (const [bits, signed, narrowRange, zeroPoint] of [[8, true, false, 0], [8, true, true, -5], [8, false, false, 128], [4, true, false, 1],
      [16, true, false, -300], [16, false, false, 65535], [12, true, true, 7], [2, false, false, 0]]) {
      for (const scale of [1, 0.013, 3e-20, 7e15]) {
        const qp = { scale, zeroPoint, bits, signed, narrowRange, rounding };
        const want = Array.from(x, (v) => specQuantize(v, qp));
        for (const [name, lib] of [['simd', aq], ['scalar', scalar]]) {
          const got = Array.from(lib.quantize(x, qp));
          const i = got.findIndex((v, j) => v !== want[j]);
          assert.equal(i, -1, `${name} ${JSON.stringify(qp)}: x = ${x[i]} gave ${got[i]}, want ${want[i]}`);
        }
      }
    }
  }
});

test('dequantize: every code of every storage (8 and 16 bits, signed and not, any zero point) is fround((q - zp) * s)', () => {
  for (const [bits, signed, zps] of [[8, true, [-128, -3, 0, 127]], [8, false, [0, 128, 255]], [16, true, [-32768, -1234, 0, 32767]],
    [16, false, [0, 30000, 65535]], [4, true, [-8, 2]], [12, false, [0, 4095]]]) {
    const [qmin, qmax] = aq.codeRange({ scale: 1, bits, signed });
    const Codes = bits > 8 ? (signed ? Int16Array : Uint16Array) : (signed ? Int8Array : Uint8Array);
    // every code, then a length that is not a multiple of the 16-code block
    const q = Codes.from({ length: qmax - qmin + 1 + 13 }, (_, i) => qmin + (i % (qmax - qmin + 1)));
    for (const zeroPoint of zps) {
      for (const scale of [0.0123, 3.7e-4, 2 ** -9]) {
        const qp = { scale, zeroPoint, bits, signed }, s = Math.fround(scale);
        const want = Float32Array.from(q, (c) => (c - zeroPoint) * s);
        for (const [name, lib] of [['simd', aq], ['scalar', scalar]]) {
          const got = lib.dequantize(q, qp);
          const i = got.findIndex((v, j) => !Object.is(v, want[j]));
          assert.equal(i, -1, `${name} ${JSON.stringify(qp)}: code ${q[i]} gave ${got[i]}, want ${want[i]}`);
        }
      }
    }
  }
});

test('rounding modes, saturation, NaN and narrow range follow the stated conventions', () => {
  const ties = Float32Array.of(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49999997, -0.49999997, 1.4999999);
  const expect = {
    half_even: [-2, -2, 0, 0, 2, 2, 0, 0, 1],
    half_away: [-3, -2, -1, 1, 2, 3, 0, 0, 1],
    half_up: [-2, -1, 0, 1, 2, 3, 0, 0, 1],
  };
  for (const [rounding, want] of Object.entries(expect)) {
    assert.deepEqual(Array.from(aq.quantize(ties, { scale: 1, rounding })), want, rounding);
  }
  for (let bits = 2; bits <= 16; bits++) {
    for (const signed of [true, false]) {
      for (const narrowRange of [false, true]) {
        const qp = { scale: 0.5, bits, signed, narrowRange, zeroPoint: signed ? 0 : 1 };
        const [qmin, qmax] = aq.codeRange(qp);
        assert.equal(qmax, signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1);
        assert.equal(qmin, (signed ? -(2 ** (bits - 1)) : 0) + (narrowRange ? 1 : 0));
        const q = aq.quantize(Float32Array.of(Infinity, -Infinity, 1e9, -1e9, NaN, 0.3), qp);
        assert.deepEqual(Array.from(q), [qmax, qmin, qmax, qmin, qp.zeroPoint, qp.zeroPoint + 1], `${bits} ${signed} ${narrowRange}`);
        assert.ok(q instanceof (bits <= 8 ? (signed ? Int8Array : Uint8Array) : (signed ? Int16Array : Uint16Array)));
      }
    }
  }
  // every mode against the float model of the spec on random inputs and exact ties
  for (const rounding of Object.keys(ROUND)) {
    for (const qp of [{ scale: 0.1, zeroPoint: 3 }, { scale: 1 / 64, bits: 12, signed: false, zeroPoint: 2000 }, { scale: 0.37, bits: 4 }]) {
      const full = { ...qp, rounding };
      const [qmin, qmax] = aq.codeRange(full);
      const x = testInputs(qp.scale, qmin, qmax, 3000, 7);
      const q = aq.quantize(x, full);
      x.forEach((v, i) => assert.equal(q[i], specQuantize(v, full), `${rounding} ${JSON.stringify(qp)} x = ${v}`));
    }
  }
});

test('per-channel qparams: each channel quantizes as its own per-tensor call', () => {
  const shape = [2, 3, 5], next = rng(3);
  const x = Float32Array.from({ length: 30 }, () => (next() - 0.5) * 8);
  const scales = [0.05, 0.1, 0.02], zps = [-3, 0, 7];
  const q = aq.quantize(x, { scale: scales, zeroPoint: zps, axis: 1, shape });
  const back = aq.dequantize(q, { scale: scales, zeroPoint: zps, axis: -2, shape });
  for (let i = 0; i < 30; i++) {
    const c = Math.floor(i / 5) % 3;
    assert.equal(q[i], specQuantize(x[i], { scale: scales[c], zeroPoint: zps[c] }));
    assert.equal(back[i], Math.fround((q[i] - zps[c]) * Math.fround(scales[c])));
  }
  const last = aq.quantize(x, { scale: [0.1, 0.2, 0.3, 0.4, 0.5], axis: 2, shape });
  for (let i = 0; i < 30; i++) assert.equal(last[i], specQuantize(x[i], { scale: [0.1, 0.2, 0.3, 0.4, 0.5][i % 5] }));
  // chunked streaming keeps channels aligned on a large tensor
  const big = new Float32Array(3 * 50000).map((_, i) => (i % 97) / 10);
  const bq = aq.quantize(big, { scale: [0.5, 0.25, 0.125], axis: 0, shape: [3, 50000], bits: 10, signed: false });
  for (let i = 0; i < big.length; i += 997) {
    assert.equal(bq[i], specQuantize(big[i], { scale: [0.5, 0.25, 0.125][Math.floor(i / 50000)], bits: 10, signed: false }));
  }
});

test('fake quantization equals dequantize(quantize(x)); its gradient mask is 1 inside the code range', () => {
  for (const qp of [{ scale: 0.02, zeroPoint: -10 }, { scale: 0.3, bits: 4, signed: false, zeroPoint: 2, rounding: 'half_up' },
    { scale: [0.1, 0.2], zeroPoint: [0, 5], axis: 0, shape: [2, 2000], bits: 6 }]) {
    const next = rng(11);
    const x = Float32Array.from({ length: 4000 }, () => (next() - 0.5) * 20);
    x[0] = NaN; x[1] = Infinity; x[2] = -Infinity;
    const fq = aq.fakeQuantize(x, qp);
    assert.ok(sameBits(fq, aq.dequantize(aq.quantize(x, qp), qp)), JSON.stringify(qp));
    const grad = aq.fakeQuantizeGrad(x, qp);
    const [qmin, qmax] = aq.codeRange(qp);
    const perChannel = Array.isArray(qp.scale);
    for (let i = 0; i < x.length; i++) {
      const s = perChannel ? qp.scale[Math.floor(i / 2000)] : qp.scale, z = perChannel ? qp.zeroPoint[Math.floor(i / 2000)] : qp.zeroPoint;
      const u = ROUND[qp.rounding ?? 'half_even'](Math.fround(x[i] / Math.fround(s))) + z;
      assert.equal(grad[i], u >= qmin && u <= qmax ? 1 : 0, `x = ${x[i]}`);
    }
  }
});

test('calibration: min/max (PyTorch conventions), percentile, mse, entropy, moving average', () => {
  const x = Float32Array.of(-1, 0.5, 3);
  const asym = aq.calibrate(x);
  assert.equal(asym.scale, Math.fround(4 / 255));
  assert.equal(asym.zeroPoint, -128 - Math.round(-1 / Math.fround(4 / 255)));
  const sym = aq.calibrate(x, { symmetric: true });
  assert.equal(sym.scale, Math.fround(3 / 127.5));
  assert.equal(sym.zeroPoint, 0);
  assert.equal(aq.calibrate(x, { symmetric: true, signed: false }).zeroPoint, 128);
  const pos = aq.calibrate(Float32Array.of(0.2, 0.9), { signed: false });
  assert.equal(pos.zeroPoint, 0, 'the range always includes 0');
  assert.equal(pos.scale, Math.fround(0.9 / 255));

  // heavy tails: clipping methods pick a narrower range and a lower error than min/max
  const next = rng(5);
  const g = Float32Array.from({ length: 100000 }, () => {
    let s = 0;
    for (let k = 0; k < 6; k++) s += next();
    return (s - 3) * (next() < 0.001 ? 25 : 1);
  });
  const mse = (qp) => aq.error(g, aq.fakeQuantize(g, qp)).mse;
  const base = aq.calibrate(g, { symmetric: true });
  for (const method of ['percentile', 'mse', 'entropy']) {
    const qp = aq.calibrate(g, { symmetric: true, method });
    assert.ok(qp.scale < base.scale, `${method} clips: ${qp.scale} < ${base.scale}`);
  }
  assert.ok(mse(aq.calibrate(g, { symmetric: true, method: 'mse' })) <= mse(base));
  for (const bits of [4, 8]) {
    const qp = aq.calibrate(g, { bits, method: 'mse' });
    assert.ok(mse(qp) <= mse(aq.calibrate(g, { bits })), `mse method at ${bits} bits`);
  }

  const obs = aq.observer({ averagingConstant: 0.5 });
  obs.update(Float32Array.of(-1, 1));
  obs.update(Float32Array.of(-3, 5));
  assert.equal(obs.min, -2);
  assert.equal(obs.max, 3);
  assert.deepEqual(obs.qparams(), aq.calibrate(Float32Array.of(-2, 3)));
});

test('error metrics: mse, rmse, mae, maxAbs, SQNR in dB', () => {
  const ref = Float32Array.of(1, -2, 3, 0), approx = Float32Array.of(1.5, -2, 2, 0);
  const e = aq.error(ref, approx);
  assert.equal(e.mse, (0.25 + 1) / 4);
  assert.equal(e.rmse, Math.sqrt(1.25 / 4));
  assert.equal(e.mae, 1.5 / 4);
  assert.equal(e.maxAbs, 1);
  assert.ok(Math.abs(e.sqnrDb - 10 * Math.log10(14 / 1.25)) < 1e-12);
  assert.equal(aq.error(ref, ref).sqnrDb, Infinity);
  // weighted: weights 0 drop elements (also from maxAbs), others scale their share
  const w = aq.error(ref, approx, { weights: [1, 1, 0, 2] });
  assert.equal(w.mse, 0.25 / 4);
  assert.equal(w.maxAbs, 0.5);
  // a normal input distribution weights element i by exp(-((x_i - mean) / sd)^2 / 2)
  const x = Float32Array.of(-1, 0, 1, 2);
  const g = Array.from(x, (v) => Math.exp(-0.5 * ((v - 0.5) / 0.75) ** 2));
  const n = aq.error(ref, approx, { x, distribution: { normal: { mean: 0.5, sd: 0.75 } } });
  assert.ok(Math.abs(n.mse - (g[0] * 0.25 + g[2] * 1) / g.reduce((a, b) => a + b)) < 1e-15);
  assert.deepEqual(aq.error(ref, approx, { distribution: 'uniform' }), e);
  assert.throws(() => aq.error(ref, approx, { weights: [1, 1] }), /one weight per element/);
  assert.throws(() => aq.error(ref, approx, { weights: [1, -1, 1, 1] }), /weights\[1\] = -1/);
  assert.throws(() => aq.error(ref, approx, { distribution: { normal: { mean: 0, sd: 0 } }, x }), /sd > 0/);
  assert.throws(() => aq.error(ref, approx, { distribution: { normal: { mean: 0, sd: 1 } } }), TypeError);
});

// float64-built reference table: f at the float32 dequantized input, in float64, then the
// output rounding of outQp. Also returns the unrounded ratio f(x) / out_scale per code.
function referenceTable(name, params, inQp, outQp) {
  const entry = aq.activation(name), p = paramsObject(entry, params);
  const [qmin, qmax] = aq.codeRange(inQp);
  const [omin, omax] = aq.codeRange(outQp);
  const out = [], ratios = [];
  for (let q = qmin; q <= qmax; q++) {
    const x = Math.fround((q - (inQp.zeroPoint ?? 0)) * Math.fround(inQp.scale));
    const y = REFERENCES[entry.name].f(x, p, 0) / Math.fround(outQp.scale);
    ratios.push(y);
    out.push(Math.min(omax, Math.max(omin, ROUND[outQp.rounding ?? 'half_even'](y) + (outQp.zeroPoint ?? 0))));
  }
  return Object.assign(out, { ratios });
}

// The tables are built by the float32 kernels (the same the float API runs), so an entry may
// only differ from the float64 build where f(x) / out_scale lies within the kernel's float32
// error of a rounding boundary (k + 1/2): e.g. hard_sigmoid onnx at x = -1 gives 0.3 / (1/255)
// = 76.49999..., and 0.3 is 0.30000001 in float32. Such entries are counted, never ignored.
const nearTie = (r, ulps) => Math.abs(Math.abs(r % 1) - 0.5) <= Math.abs(r) * ulps * 2 ** -23;

test('lut: every entry equals the float64-built reference (but for float32 near-ties), all rounding modes', (t) => {
  const inputs = [{ scale: 0.0625 }, { scale: 0.05, zeroPoint: 10 }, { scale: 0.03, signed: false, zeroPoint: 128 }, { scale: 0.5, bits: 4 }];
  const cases = [['sigmoid', null, 'tflite-logistic'], ['tanh', null, 'tflite-tanh'], ['hard_sigmoid', 'pytorch', 'pytorch-sigmoid'],
    ['hard_sigmoid', 'onnx', { scale: 1 / 255, zeroPoint: -128 }], ['hard_swish', null, { scale: 0.05, zeroPoint: -60 }],
    ['gelu', null, { scale: 0.04, zeroPoint: -100 }], ['silu', null, { scale: 0.03, signed: false, zeroPoint: 20 }],
    ['hard_tanh', null, 'pytorch-tanh'], ['elu', null, { scale: 0.02, zeroPoint: 0, bits: 6 }]];
  let entries = 0, nearTies = 0;
  for (const inQp of inputs) {
    for (const [name, params, out] of cases) {
      for (const rounding of Object.keys(ROUND)) {
        const outQp = typeof out === 'string' ? aq.outputQParams(out, { rounding }) : { ...out, rounding };
        const lut = aq.lut(name, params, inQp, outQp);
        const want = referenceTable(name, params, { zeroPoint: 0, ...inQp }, outQp);
        assert.equal(lut.table.length, 2 ** (inQp.bits ?? 8));
        lut.table.forEach((v, j) => {
          entries++;
          if (v === want[j]) return;
          const where = `${name} ${JSON.stringify(inQp)} -> ${JSON.stringify(outQp)}: code #${j}: ${v} vs ${want[j]}`;
          assert.ok(Math.abs(v - want[j]) === 1 && nearTie(want.ratios[j], 12), where);
          nearTies++;
        });
      }
    }
  }
  t.diagnostic(`${entries} entries, ${nearTies} near-ties off by one LSB`);
  assert.ok(nearTies <= entries * 0.01, `${nearTies} near-tie entries of ${entries}`);
  assert.deepEqual(aq.outputQParams('tflite-logistic'), { scale: 1 / 256, zeroPoint: -128, bits: 8, signed: true, narrowRange: false, rounding: 'half_away' });
  assert.deepEqual(aq.outputQParams('pytorch-tanh', { signed: false }).zeroPoint, 128);
});

test('applyLut looks up every code (SIMD build = scalar build), at every length', () => {
  for (const inQp of [{ scale: 0.0625 }, { scale: 0.03, signed: false, zeroPoint: 128 }, { scale: 0.5, bits: 4 }]) {
    const lut = aq.lut('sigmoid', null, inQp, 'tflite-logistic');
    const [qmin, qmax] = aq.codeRange(inQp);
    const Codes = inQp.signed === false ? Uint8Array : Int8Array;
    const next = rng(9);
    const q = Codes.from({ length: 100000 + 37 }, () => Math.floor(next() * 256) - (Codes === Int8Array ? 128 : 0));
    const y = aq.applyLut(lut, q), ys = scalar.applyLut(scalar.lut('sigmoid', null, inQp, 'tflite-logistic'), q);
    assert.ok(sameBits(y, ys));
    for (let i = 0; i < q.length; i++) {
      const code = Math.min(qmax, Math.max(qmin, q[i]));
      assert.equal(y[i], lut.table[code - qmin]);
    }
    for (let n = 0; n <= 33; n++) assert.ok(sameBits(aq.applyLut(lut, q.subarray(0, n)), y.subarray(0, n)));
  }
});

test('int16 path: 257-knot interpolated tables, max error stated in LSB', () => {
  const inQp = { scale: 1 / 4096, bits: 16 }, codes = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
  const bounds = { sigmoid: [{ scale: 1 / 32768, bits: 16, signed: false }, 4], tanh: [{ scale: 1 / 32768, bits: 16 }, 13] };
  for (const [name, [outQp, bound]] of Object.entries(bounds)) {
    const lut = aq.lut16(name, null, inQp, outQp);
    assert.equal(lut.table.length, 257);
    const y = aq.applyLut16(lut, codes);
    assert.ok(sameBits(y, scalar.applyLut16(lut, codes)));
    const ref = referenceTable(name, null, inQp, outQp);
    let worst = 0;
    for (let i = 0; i < 65536; i++) worst = Math.max(worst, Math.abs(y[i] - ref[i]));
    assert.ok(worst <= bound, `${name}: ${worst} LSB > ${bound}`);
    assert.ok(worst >= 1, `${name}: interpolation is not exact (${worst})`);
  }
});

test('integer-only hard_sigmoid / hard_swish stay within 1 LSB of the float reference', () => {
  const all = Int8Array.from({ length: 256 }, (_, i) => i - 128);
  const allU = Uint8Array.from({ length: 256 }, (_, i) => i);
  const cases = [
    ['hard_sigmoid', 'pytorch', { scale: 0.05 }, 'tflite-logistic'],
    ['hard_sigmoid', 'onnx', { scale: 0.0625, zeroPoint: 3 }, { scale: 1 / 255, zeroPoint: -128 }],
    ['hard_sigmoid', { slope: 0.3, offset: 0.45 }, { scale: 0.02, signed: false, zeroPoint: 128 }, { scale: 1 / 250, signed: false }],
    ['hard_swish', null, { scale: 0.05 }, { scale: 0.03, zeroPoint: -20 }],
    ['hard_swish', null, { scale: 0.1, signed: false, zeroPoint: 100 }, { scale: 0.06, signed: false, zeroPoint: 10 }],
  ];
  for (const [name, params, inQp, out] of cases) {
    const outQp = typeof out === 'string' ? aq.outputQParams(out, { rounding: 'half_up' }) : { ...out, rounding: 'half_up' };
    const k = aq.integerKernel(name, params, inQp, outQp);
    assert.ok(Number.isInteger(k.multiplier) && Number.isInteger(k.shift) && k.multiplier < 2 ** 22);
    const codes = inQp.signed === false ? allU : all;
    const y = k.apply(codes);
    assert.ok(sameBits(y, scalar.integerKernel(name, params, inQp, outQp).apply(codes)));
    const ref = referenceTable(name, params, { zeroPoint: 0, ...inQp }, outQp);
    const worst = Math.max(...Array.from(y, (v, i) => Math.abs(v - ref[i])));
    assert.ok(worst <= 1, `${name} ${JSON.stringify(inQp)}: ${worst} LSB`);
  }
});

test('SIMD and scalar builds agree bit for bit on every quantization kernel', () => {
  const next = rng(21);
  const x = Float32Array.from({ length: 50003 }, () => (next() - 0.5) * 10 * 2 ** (next() * 8 - 4));
  x[5] = NaN; x[6] = Infinity; x[7] = -0;
  for (const qp of [{ scale: 0.013, zeroPoint: 4 }, { scale: 0.02, bits: 16, signed: false, zeroPoint: 30000, rounding: 'half_away' },
    { scale: 0.07, bits: 3, rounding: 'half_up' }, { scale: [0.01, 0.2, 0.3], axis: 0, shape: [3, 16667] }]) {
    const xs = Array.isArray(qp.scale) ? x.subarray(0, 3 * 16667) : x;
    for (const fn of ['quantize', 'fakeQuantize', 'fakeQuantizeGrad']) {
      assert.ok(sameBits(aq[fn](xs, qp), scalar[fn](xs, qp)), `${fn} ${JSON.stringify(qp)}`);
    }
    const q = aq.quantize(xs, qp);
    assert.ok(sameBits(aq.dequantize(q, qp), scalar.dequantize(q, qp)), `dequantize ${JSON.stringify(qp)}`);
  }
});

test('bad qparams and arrays: TypeError / RangeError naming the culprit, nothing written, no leak', () => {
  const x = Float32Array.of(0.1, 0.2, 0.3, 0.4), out = Int8Array.of(9, 9, 9, 9);
  const baseline = aq.liveAllocations();
  const bad = [
    [{ scale: 0.1, bits: 1 }, RangeError, /bits/], [{ scale: 0.1, bits: 17 }, RangeError, /bits/],
    [{ scale: 0 }, RangeError, /scale/], [{ scale: -1 }, RangeError, /scale/], [{ scale: NaN }, RangeError, /scale/],
    [{ scale: Infinity }, RangeError, /scale/], [{ scale: 1e-50 }, RangeError, /scale/],
    [{ scale: 0.1, zeroPoint: 0.5 }, RangeError, /zeroPoint/], [{ scale: 0.1, zeroPoint: 128 }, RangeError, /zeroPoint/],
    [{ scale: 0.1, signed: false, zeroPoint: -1 }, RangeError, /zeroPoint/],
    [{ scale: 0.1, rounding: 'nearest' }, RangeError, /rounding/],
    [{ scale: [0.1, 0.2, 0.3], axis: 0, shape: [2, 2] }, RangeError, /scale: length 3/],
    [{ scale: [0.1, 0.2], zeroPoint: [1, 2, 3], axis: 0, shape: [2, 2] }, RangeError, /zeroPoint: length 3/],
    [{ scale: [0.1, 0.2], axis: 2, shape: [2, 2] }, RangeError, /axis/],
    [{ scale: [0.1, 0.2] }, RangeError, /shape/],
    [{ scale: [0.1, 0.2], axis: 0, shape: [2, 3] }, RangeError, /does not match the product/],
    [{ scale: '0.1' }, TypeError, /scale/], [null, TypeError, /qp/],
  ];
  for (const [qp, Err, pattern] of bad) {
    for (const call of [() => aq.quantize(x, qp, out), () => aq.fakeQuantize(x, qp), () => aq.fakeQuantizeGrad(x, qp)]) {
      assert.throws(call, (e) => e instanceof Err && pattern.test(e.message), JSON.stringify(qp));
    }
    assert.deepEqual(Array.from(out), [9, 9, 9, 9]);
  }
  assert.throws(() => aq.quantize([0.1], { scale: 1 }), TypeError);
  assert.throws(() => aq.quantize(x, { scale: 1 }, new Uint8Array(4)), TypeError);
  assert.throws(() => aq.quantize(x, { scale: 1 }, new Int8Array(3)), /out: length 3/);
  assert.throws(() => aq.dequantize(new Uint8Array(4), { scale: 1 }), TypeError);
  assert.throws(() => aq.dequantize(new Int16Array(4), { scale: 1 }), TypeError);
  assert.throws(() => aq.calibrate(x, { method: 'kl' }), /unknown method/);
  assert.throws(() => aq.calibrate(x, { bits: 20 }), /bits/);
  assert.throws(() => aq.calibrate(Float32Array.of(NaN), {}), RangeError);
  assert.throws(() => aq.calibrate(x, { method: 'percentile', percentile: 0 }), /percentile/);
  assert.throws(() => aq.lut('sigmoid', null, { scale: 0.1, bits: 9 }, 'tflite-logistic'), /bits/);
  assert.throws(() => aq.lut('sigmoid', null, { scale: 0.1 }, 'tflite-relu'), /unknown output qparams preset/);
  assert.throws(() => aq.lut('sigmoidd', null, { scale: 0.1 }, 'tflite-logistic'), /unknown activation/);
  assert.throws(() => aq.applyLut(new Int8Array(10), new Int8Array(4)), RangeError);
  assert.throws(() => aq.applyLut(aq.lut('tanh', null, { scale: 0.1 }, 'tflite-tanh'), new Uint8Array(4)), TypeError);
  assert.throws(() => aq.integerKernel('sigmoid', null, { scale: 0.1 }, 'tflite-logistic'), RangeError);
  assert.throws(() => aq.lut('prelu', { alpha: [0.1, 0.2] }, { scale: 0.1 }, 'tflite-tanh'), /per channel/);
  assert.throws(() => aq.lut('rrelu', { training: true }, { scale: 0.1 }, 'tflite-tanh'), /training/);
  assert.throws(() => aq.lut16('rrelu', { training: true }, { scale: 0.1, bits: 16 }, { scale: 0.1, bits: 16 }), /training/);
  assert.equal(aq.lut('prelu', { alpha: [0.1] }, { scale: 0.1 }, 'tflite-tanh').table.length, 256);
  assert.throws(() => aq.error(x, Float32Array.of(1)), RangeError);
  assert.throws(() => aq.error(x, [1, 2, 3, 4]), TypeError);
  for (let i = 0; i < 20000; i++) {
    aq.quantize(x, { scale: [0.1, 0.2], axis: 0, shape: [2, 2] });
    aq.applyLut(aq.lut('sigmoid', null, { scale: 0.1, bits: 4 }, 'tflite-logistic'), new Int8Array(5));
    assert.throws(() => aq.quantize(x, { scale: [0.1, 0.2], axis: 0, shape: [2, 3] }));
  }
  assert.equal(aq.liveAllocations(), baseline);
});

test('zero-copy code buffers: quantize into, dequantize and applyLut from alloc(n, Int8Array)', () => {
  const baseline = aq.liveAllocations();
  const n = 100003, next = rng(4);
  const x = aq.alloc(n);
  x.view.set(Float32Array.from({ length: n }, () => (next() - 0.5) * 6));
  const qp = { scale: 0.03, zeroPoint: 2 };
  const q = aq.alloc(n, Int8Array), back = aq.alloc(n), y = aq.alloc(n, Int8Array);
  assert.equal(aq.quantize(x, qp, q), q);
  assert.ok(sameBits(q.view, aq.quantize(x.view.slice(), qp)));
  aq.dequantize(q, qp, back);
  assert.ok(sameBits(back.view, aq.dequantize(q.view.slice(), qp)));
  const lut = aq.lut('tanh', null, qp, 'tflite-tanh');
  aq.applyLut(lut, q, y);
  assert.ok(sameBits(y.view, aq.applyLut(lut, q.view.slice())));
  const wrong = aq.alloc(n, Uint8Array);
  assert.throws(() => aq.quantize(x, qp, wrong), TypeError);
  assert.throws(() => aq.forward('relu', q), TypeError);
  assert.throws(() => aq.dequantize(x, qp), TypeError);
  for (const b of [x, q, back, y, wrong]) b.free();
  assert.throws(() => aq.alloc(4, Float64Array), TypeError);
  assert.equal(aq.liveAllocations(), baseline);
});
