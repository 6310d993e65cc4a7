// aq.fit and `actq fit`: the optimizer against brute force, equioscillation of minimax
// results, constrained slopes and grids, the quantization-aware metric, the pwl table entry
// that runs every result (accuracy, SIMD = scalar), the integer C export compiled with gcc,
// and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'actq';
import { lutToC } from 'actq/export';
import { REFERENCES } from './reference.js';
import { paramsObject, rng, ulpOf } from './accuracy.js';
import { targetFunction } from '../src/js/fit/targets.js';
import { slopeSet } from '../src/js/fit/discrete.js';

const aq = await load();
const scalar = await load({ simd: false });
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const f32 = Math.fround;

const sameBits = (a, b) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
const grid = (a, b, n) => Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

/** max |f - p| on a dense grid plus p's kinks (independent of the package's evaluator):
 *  between the kinks e is smooth, so the grid misses at most e'' h^2 / 8 (< 1e-6 here). */
function gridMax(f, p, xs, kinks = []) {
  let m = 0;
  for (const x of xs) m = Math.max(m, Math.abs(f(x) - p(x)));
  for (const x of kinks) if (x >= xs[0] && x <= xs[xs.length - 1]) m = Math.max(m, Math.abs(f(x) - p(x)));
  return m;
}
const clip = (v, lo, hi) => Math.min(Math.max(v, lo), hi);

/** Brute force: the best of a grid over a box, refined three times around the best point. */
function bruteForce(objective, box, points = 21, levels = 4) {
  let best = null, lo = box.map((b) => b[0]), hi = box.map((b) => b[1]);
  for (let level = 0; level < levels; level++) {
    const dims = lo.length, idx = new Array(dims).fill(0);
    for (;;) {
      const theta = idx.map((k, d) => lo[d] + ((hi[d] - lo[d]) * k) / (points - 1));
      const v = objective(theta);
      if (!best || v < best.v) best = { v, theta };
      let d = 0;
      while (d < dims && ++idx[d] === points) { idx[d] = 0; d++; }
      if (d === dims) break;
    }
    const width = hi.map((h, d) => (h - lo[d]) / (points - 1));
    lo = best.theta.map((t, d) => t - 2 * width[d]);
    hi = best.theta.map((t, d) => t + 2 * width[d]);
  }
  return best;
}

// ---- the float64 targets -------------------------------------------------------------------

test('the fitter\'s float64 targets are the kernels\' functions (every activation, presets, pwl)', () => {
  const x = Float32Array.from(grid(-20, 20, 40001));
  for (const entry of aq.activations) {
    for (const params of [undefined, ...Object.keys(entry.presets)]) {
      if (entry.name === 'rrelu' && params) continue;
      const p = paramsObject(entry, params);
      const t = targetFunction(entry.name, p), y = aq.forward(entry.name, x, params);
      let worst = 0;
      for (let i = 0; i < x.length; i++) {
        const ref = REFERENCES[entry.name].f(x[i], p, i);
        worst = Math.max(worst, Math.abs(t.f(x[i]) - ref) / Math.max(1, Math.abs(ref)), Math.abs(t.f(x[i]) - y[i]) / Math.max(1, Math.abs(ref)) / 16);
      }
      assert.ok(worst < 1e-7, `${entry.name} ${params ?? ''}: ${worst}`);
    }
  }
});

// ---- brute force ---------------------------------------------------------------------------

test('minimax results are no worse than brute force over their parameters (small cases)', () => {
  const xs = grid(-8, 8, 4001), sig = REFERENCES.sigmoid.f, tanh = REFERENCES.tanh.f;
  // hard sigmoid: clip(s x + o, 0, 1)
  let r = aq.fit('sigmoid', { form: 'hard' });
  let bf = bruteForce(([s, o]) => gridMax(sig, (x) => clip(s * x + o, 0, 1), xs, [-o / s, (1 - o) / s]), [[0.05, 0.5], [0.3, 0.7]]);
  assert.ok(r.maxError <= bf.v + 1e-6, `hard sigmoid ${r.maxError} vs brute force ${bf.v} at ${bf.theta}`);
  assert.ok(Math.abs(r.params.slope - bf.theta[0]) < 1e-3 && Math.abs(r.params.offset - 0.5) < 1e-9);
  // hard tanh, symmetric: clip(s x, -1, 1)
  r = aq.fit('tanh', { form: 'hard', symmetric: true });
  bf = bruteForce(([s]) => gridMax(tanh, (x) => clip(s * x, -1, 1), xs, [-1 / s, 1 / s]), [[0.2, 2]], 41);
  assert.ok(r.maxError <= bf.v + 1e-6, `hard tanh ${r.maxError} vs ${bf.v}`);
  // hard swish family for silu: x clip(s x + o, 0, 1)
  r = aq.fit('silu', { form: 'hard' });
  const silu = (x) => REFERENCES.silu.f(x, { beta: 1 });
  bf = bruteForce(([s, o]) => gridMax(silu, (x) => x * clip(s * x + o, 0, 1), xs, [-o / s, (1 - o) / s]), [[0.05, 0.5], [0.2, 0.8]]);
  assert.ok(r.maxError <= bf.v + 1e-6, `hard silu ${r.maxError} vs ${bf.v}`);
  // 3-piece symmetric pwl of sigmoid: knots -t, t with values 1 - v, v
  r = aq.fit('sigmoid', { pieces: 3, symmetric: true });
  const pwl3 = (t, v) => (x) => (x <= -t ? 1 - v : x >= t ? v : 0.5 + ((v - 0.5) * x) / t);
  bf = bruteForce(([t, v]) => gridMax(sig, pwl3(t, v), xs, [-t, t]), [[0.5, 6], [0.7, 1]]);
  assert.ok(r.maxError <= bf.v + 1e-6, `pwl 3 sigmoid ${r.maxError} vs ${bf.v}`);
  // 2-piece pwl of softplus: constant v0 up to t, then the line to (8, v1), extended
  r = aq.fit('softplus', { pieces: 2 });
  const sp = (x) => REFERENCES.softplus.f(x, { beta: 1, threshold: 20 });
  bf = bruteForce(([t, v0, v1]) => gridMax(sp, (x) => (x <= t ? v0 : v0 + ((v1 - v0) * (x - t)) / (8 - t)), xs, [t]), [[-4, 2], [-0.5, 1.5], [7, 9]], 15, 5);
  assert.ok(r.maxError <= bf.v + 1e-6, `pwl 2 softplus ${r.maxError} vs ${bf.v}`);
  // power-of-two slopes: every slope of the set, offsets on a fine grid
  r = aq.fit('sigmoid', { form: 'hard', slopes: 'pow2x2' });
  let best = Infinity;
  for (const s of slopeSet('pow2x2').filter((v) => v > 0.01 && v < 2)) {
    best = Math.min(best, bruteForce(([o]) => gridMax(sig, (x) => clip(s * x + o, 0, 1), xs, [-o / s, (1 - o) / s]), [[0.3, 0.7]], 21, 3).v);
  }
  assert.ok(r.maxError <= best + 1e-6, `pow2x2 hard sigmoid ${r.maxError} vs ${best}`);
});

// ---- equioscillation -----------------------------------------------------------------------

test('minimax results equioscillate: the alternating extremes agree to 1e-6', () => {
  const cases = [
    // [target, options, alternation points expected at least]
    ['sigmoid', { form: 'hard' }, 4],
    ['tanh', { form: 'hard' }, 4],
    ['gelu', { form: 'hard' }, 3],
    ['sigmoid', { pieces: 3 }, 5],
    ['sigmoid', { pieces: 5 }, 9],
    ['sigmoid', { pieces: 7 }, 13],
    ['sigmoid', { pieces: 9, symmetric: true }, 16],
    ['tanh', { pieces: 5 }, 9],
    ['softplus', { pieces: 6 }, 12],
    ['elu', { pieces: 5 }, 10],
    ['sigmoid', { pieces: 15 }, 29],
    ['softplus', { pieces: 16 }, 32],
    ['silu', { pieces: 8 }, 15],
    ['sigmoid', { pieces: 8 }, 13],
  ];
  for (const [target, options, count] of cases) {
    const r = aq.fit(target, options);
    const what = `${target} ${JSON.stringify(options)}`;
    assert.ok(r.optimum, what);
    assert.ok(r.optimum.alternations >= count, `${what}: ${r.optimum.alternations} alternations < ${count}`);
    assert.ok(r.optimum.spread <= 1e-6, `${what}: spread ${r.optimum.spread}`);
    const level = r.optimum.extrema.filter((p) => Math.abs(p.error) >= r.optimum.maxError * (1 - 1e-6));
    for (let i = 1; i < level.length; i++) assert.ok(Math.sign(level[i].error) !== Math.sign(level[i - 1].error) || level[i].x - level[i - 1].x < 1e-9, `${what}: signs alternate`);
    // the stored (float32) parameters are within float32 rounding of the optimum
    assert.ok(Math.abs(r.maxError - r.optimum.maxError) <= 1e-6 * Math.max(1, r.optimum.maxError) + 2e-7, `${what}: ${r.maxError} vs ${r.optimum.maxError}`);
  }
});

test('more pieces never fit worse; an even count for sigmoid returns the odd fit and says so', () => {
  let last = Infinity;
  for (let n = 2; n <= 9; n++) {
    const r = aq.fit('sigmoid', { pieces: n });
    assert.ok(r.optimum.maxError <= last * (1 + 1e-9), `${n} pieces: ${r.optimum.maxError} > ${last}`);
    assert.equal(r.piecesUsed, n > 2 && n % 2 === 0 ? n - 1 : n);
    assert.equal(r.params.knots.length, r.piecesUsed - 1);
    last = r.optimum.maxError;
  }
  // rms fits keep every piece
  assert.equal(aq.fit('sigmoid', { pieces: 6, metric: 'rms' }).piecesUsed, 6);
});

test('deterministic, and a 16-piece minimax fit stays fast (the time is reported, not asserted)', () => {
  const a = aq.fit('sigmoid', { pieces: 16 }), b = aq.fit('sigmoid', { pieces: 16 });
  assert.deepEqual(a.params, b.params);
  assert.equal(a.maxError, b.maxError);
  console.log(`# 16-piece sigmoid minimax: ${a.milliseconds.toFixed(0)} ms`);
});

// ---- results run everywhere ----------------------------------------------------------------

test('every result runs through a table entry: forward, derivative, LUT, C header; SIMD = scalar', () => {
  const x = Float32Array.from(grid(-10, 10, 20001));
  for (const [target, options, activation] of [
    ['sigmoid', { form: 'hard' }, 'hard_sigmoid'], ['tanh', { form: 'hard' }, 'hard_tanh'], ['silu', { form: 'hard' }, 'hard_swish'],
    ['gelu', { form: 'hard' }, 'hard_swish'], ['softsign', { form: 'hard' }, 'hard_tanh'],
    ['sigmoid', { pieces: 8 }, 'pwl'], ['gelu', { pieces: 6 }, 'pwl'], ['tanh', { pieces: 5, slopes: 'pow2' }, 'pwl'],
  ]) {
    const r = aq.fit(target, options);
    assert.equal(r.activation, activation, `${target} ${JSON.stringify(options)}`);
    const y = aq.forward(r.activation, x, r.params), d = aq.derivative(r.activation, x, r.params);
    assert.ok(sameBits(y, scalar.forward(r.activation, x, r.params)) && sameBits(d, scalar.derivative(r.activation, x, r.params)));
    // the kernel computes the function the result describes (pwl: correctly rounded)
    const t = targetFunction(r.activation, paramsObject(aq.activation(r.activation), r.params));
    let ulp = 0;
    for (let i = 0; i < x.length; i++) {
      const ref = t.f(x[i]);
      if (Math.abs(ref) >= 1e-3) ulp = Math.max(ulp, Math.abs(y[i] - ref) / ulpOf(ref));
      else assert.ok(Math.abs(y[i] - ref) <= 3e-8);
    }
    assert.ok(ulp <= 1, `${target} ${JSON.stringify(options)}: ${ulp} ULP`);
    const lut = aq.lut(r.activation, r.params, { scale: 1 / 16 }, { scale: 1 / 128 });
    assert.match(lutToC(lut, { name: 'fit_lut' }), /static const int8_t fit_lut\[256\]/);
  }
});

test('pwl kernel on fitted and random parameters: <= 1 ULP, exact values at the knots, SIMD = scalar', () => {
  const next = rng(17);
  for (let trial = 0; trial < 40; trial++) {
    const n = 1 + Math.floor(next() * 20);
    const knots = [];
    let t = -10 + next() * 5;
    for (let i = 0; i < n; i++) { knots.push(f32(t)); t += 0.01 + next() * 2; }
    const values = knots.map(() => f32((next() - 0.5) * 6));
    const params = { knots, values, extend_left: next() < 0.5, extend_right: next() < 0.5 };
    const x = new Float32Array(30000);
    for (let i = 0; i < x.length; i++) x[i] = i < knots.length ? knots[i] : -25 + 50 * next();
    const y = aq.forward('pwl', x, params), d = aq.derivative('pwl', x, params);
    assert.ok(sameBits(y, scalar.forward('pwl', x, params)) && sameBits(d, scalar.derivative('pwl', x, params)), `trial ${trial}`);
    const p = paramsObject(aq.activation('pwl'), params);
    for (let i = 0; i < x.length; i++) {
      const ref = REFERENCES.pwl.f(x[i], p), dref = REFERENCES.pwl.d(x[i], p);
      const bound = Math.abs(ref) >= 1e-3 ? ulpOf(ref) : 6e-8 * Math.max(...values.map(Math.abs));
      assert.ok(Math.abs(y[i] - ref) <= bound, `trial ${trial} x = ${x[i]}: ${y[i]} vs ${ref}`);
      assert.ok(Math.abs(d[i] - dref) <= 0.5 * ulpOf(dref || 1) || d[i] === dref, `trial ${trial} d at ${x[i]}: ${d[i]} vs ${dref}`);
      if (i < knots.length) assert.equal(y[i], values[i], 'exact at a knot');
    }
  }
  assert.throws(() => aq.forward('pwl', Float32Array.of(0), { knots: [0, 0], values: [1, 2] }), /pwl: parameter 'knots'.*increasing/);
  assert.throws(() => aq.forward('pwl', Float32Array.of(0), { knots: [1, 0], values: [1, 2] }), /'knots'/);
  assert.throws(() => aq.forward('pwl', Float32Array.of(0), { knots: [0, 1], values: [1] }), /pwl: parameter 'values' = \[1\] conflicts with knots/);
});

test('hard_swish and hard_tanh gained slope and offset: the defaults are bit-identical to the old kernels', () => {
  const next = rng(3), x = new Float32Array(200000);
  for (let i = 0; i < x.length; i++) x[i] = next() < 0.9 ? (next() - 0.5) * 16 : (next() - 0.5) * 2 ** (next() * 60 - 30);
  x.set([0, -0, 3, -3, 4, -4, Infinity, -Infinity, 2.9999998, -3.0000002]);
  const hs = aq.forward('hard_swish', x), hsd = aq.derivative('hard_swish', x), ht = aq.forward('hard_tanh', x);
  for (let i = 0; i < x.length; i++) {
    const xd = Math.max(x[i], -4);
    assert.ok(Object.is(hs[i], f32(xd * clip(xd + 3, 0, 6) * (1 / 6))), `hard_swish(${x[i]})`); // x relu6(x + 3) / 6 in f64
    assert.ok(Object.is(hsd[i], x[i] < -3 ? 0 : x[i] > 3 ? 1 : f32(x[i] * (1 / 3) + 0.5)), `hard_swish'(${x[i]})`);
    assert.ok(Object.is(ht[i], clip(x[i], -1, 1)), `hard_tanh(${x[i]})`);
  }
  const codes = Int8Array.from({ length: 256 }, (_, i) => i - 128);
  const k0 = aq.integerKernel('hard_swish', null, { scale: 0.05 }, { scale: 0.03, zeroPoint: -20 });
  const k1 = aq.integerKernel('hard_swish', { slope: 1 / 6, offset: 0.5 }, { scale: 0.05 }, { scale: 0.03, zeroPoint: -20 });
  assert.deepEqual([k1.multiplier, k1.shift, k1.t3, k1.t6], [k0.multiplier, k0.shift, k0.t3, k0.t6]);
  assert.deepEqual(k1.apply(codes), k0.apply(codes));
});

// ---- constraints ---------------------------------------------------------------------------

test('pow2 and pow2x2 slopes are exact shifts / shift-adds; fracBits puts knots and values on the grid', () => {
  const pow2 = new Set(slopeSet('pow2')), pow2x2 = new Set(slopeSet('pow2x2'));
  for (const [target, options, set] of [['sigmoid', { pieces: 8, slopes: 'pow2' }, pow2], ['tanh', { pieces: 6, slopes: 'pow2x2' }, pow2x2],
    ['sigmoid', { form: 'hard', slopes: 'pow2' }, pow2], ['silu', { pieces: 5, slopes: 'pow2', fracBits: 6 }, pow2]]) {
    const r = aq.fit(target, options);
    for (const s of r.segments) if (s.slope !== undefined) assert.ok(set.has(s.slope), `${target} ${JSON.stringify(options)}: slope ${s.slope}`);
    if (options.fracBits) {
      for (const v of [...r.params.knots, ...r.params.values]) assert.ok(Number.isInteger(v * 2 ** options.fracBits), `${v} on the 2^-${options.fracBits} grid`);
    }
    const free = aq.fit(target, { ...options, slopes: 'free', fracBits: undefined });
    assert.ok(r.maxError >= free.maxError * (1 - 1e-9), 'a constraint never helps');
  }
  const g = aq.fit('sigmoid', { pieces: 6, fracBits: 5 });
  for (const v of [...g.params.knots, ...g.params.values]) assert.ok(Number.isInteger(v * 32), `${v}`);
  const h = aq.fit('sigmoid', { form: 'hard', fracBits: 4 });
  assert.ok(Number.isInteger(h.params.slope * 16) && Number.isInteger(h.params.offset * 16));
  // the power-of-two 8-piece sigmoid beats PLAN, itself a power-of-two design
  const p8 = aq.fit('sigmoid', { pieces: 8, slopes: 'pow2' });
  const plan = p8.presets.find((row) => row.name.startsWith('PLAN'));
  assert.ok(p8.maxError < plan.maxError, `${p8.maxError} vs PLAN ${plan.maxError}`);
  assert.ok(Math.abs(plan.maxError - 0.018941) < 1e-5, `PLAN's published max error 0.0189: ${plan.maxError}`);
});

test('symmetric fits are symmetric; rms fits beat minimax fits on rms, weighted by a distribution or samples', () => {
  const r = aq.fit('tanh', { pieces: 7, symmetric: true });
  const { knots, values } = r.params;
  for (let i = 0; i < knots.length; i++) {
    assert.equal(knots[i], -knots[knots.length - 1 - i]);
    assert.equal(values[i], -values[values.length - 1 - i]);
  }
  const s = aq.fit('sigmoid', { pieces: 6, symmetric: true });
  s.params.values.forEach((v, i) => assert.ok(Math.abs(v + s.params.values[s.params.values.length - 1 - i] - 1) < 1e-7));
  for (const [target, options] of [['sigmoid', { pieces: 6 }], ['gelu', { form: 'hard' }], ['tanh', { pieces: 5, distribution: { normal: [0, 1.5] } }]]) {
    const max = aq.fit(target, { ...options, distribution: undefined });
    const rms = aq.fit(target, { ...options, metric: 'rms' });
    assert.ok(rms.rmsError <= max.rmsError * (1 + 1e-6), `${target}: rms fit ${rms.rmsError} vs minimax fit's ${max.rmsError}`);
    assert.ok(rms.maxError >= max.maxError * (1 - 1e-6), `${target}: and minimax wins on max`);
  }
  const samples = Float64Array.from({ length: 4000 }, (_, i) => 2 * Math.sin(i * 12.9898) * Math.sin(i * 0.37));
  const w = aq.fit('sigmoid', { form: 'hard', metric: 'rms', distribution: { samples } });
  assert.ok(w.range[0] >= -2 && w.range[1] <= 2);
  let se = 0;
  for (const x of samples) se += (REFERENCES.sigmoid.f(x) - clip(w.params.slope * x + w.params.offset, 0, 1)) ** 2;
  assert.ok(Math.abs(Math.sqrt(se / samples.length) - w.rmsError) < 1e-9, 'rms over the samples');
});

// ---- quantization-aware --------------------------------------------------------------------

test('with output qparams the metric is on the dequantized codes of the deployed kernel', () => {
  const inQp = { scale: 1 / 16, zeroPoint: 0 }, outQp = aq.outputQParams('tflite-logistic');
  const codes = Int8Array.from({ length: 256 }, (_, i) => i - 128);
  const xq = aq.dequantize(codes, inQp);
  const onCodes = (activation, params) => {
    const out = aq.dequantize(aq.applyLut(aq.lut(activation, params, inQp, outQp), codes), outQp);
    let m = 0;
    for (let i = 0; i < 256; i++) m = Math.max(m, Math.abs(out[i] - REFERENCES.sigmoid.f(xq[i])));
    return m;
  };
  for (const options of [{ form: 'hard' }, { pieces: 6 }, { pieces: 6, slopes: 'pow2' }]) {
    const q = aq.fit('sigmoid', { ...options, outQp: 'tflite-logistic', inQp });
    assert.ok(Math.abs(q.maxError - onCodes(q.activation, q.params)) < 1e-12, `${JSON.stringify(options)}: the result's error is the LUT's`);
    const plain = aq.fit('sigmoid', options);
    assert.ok(q.maxError <= onCodes(plain.activation, plain.params) + 1e-12, `${JSON.stringify(options)}: quantization-aware is no worse on the codes`);
    for (const row of q.presets.filter((p) => p.activation)) assert.ok(Math.abs(row.maxError - onCodes(row.activation, row.params)) < 1e-12, row.name);
    assert.ok(q.maxError >= 0.5 / 256 - 1e-12, 'at least half an output step');
  }
  const b4 = aq.fit('sigmoid', { pieces: 4, bits: 4 });
  assert.equal(b4.quantization.outQp.bits, 4);
  assert.ok(b4.maxError >= 0.5 * b4.quantization.outQp.scale - 1e-9);
});

// ---- bad input -----------------------------------------------------------------------------

test('bad input: RangeErrors that name the option', () => {
  const bad = [
    [['sigmod'], /unknown activation 'sigmod'/],
    [['sigmoid', { form: 'cubic' }], /fit: unknown form 'cubic' \(one of: hard, pwl\)/],
    [['sigmoid', { pieces: 1 }], /pieces must be an integer in \[2, 64\], got 1/],
    [['sigmoid', { pieces: 65 }], /pieces must be an integer in \[2, 64\]/],
    [['sigmoid', { pieces: 2.5 }], /pieces/],
    [['sigmoid', { form: 'hard', pieces: 5 }], /pieces applies to form 'pwl'/],
    [['sigmoid', { range: [2, 2] }], /range must be \[lo, hi\] with finite lo < hi, got \[2, 2\]/],
    [['sigmoid', { range: [3, -3] }], /range must be/],
    [['sigmoid', { range: [0, NaN] }], /range must be/],
    [['sigmoid', { range: [-1e4, 1e4] }], /within \[-1000, 1000\]/],
    [['sigmoid', { metric: 'mae' }], /unknown metric 'mae'/],
    [['sigmoid', { metric: 'max', distribution: { normal: [0, 1] } }], /metric 'max' takes no input distribution/],
    [['sigmoid', { metric: 'rms', distribution: { normal: [0, -1] } }], /sd > 0/],
    [['sigmoid', { slopes: 'pow3' }], /unknown slopes 'pow3'/],
    [['silu', { symmetric: true }], /silu has no point symmetry/],
    [['sigmoid', { symmetric: true, range: [1, 5] }], /must contain 0/],
    [['softplus', { form: 'hard' }], /form 'hard' needs .*softplus is neither/],
    [['sigmoid', { fracBits: 30 }], /fracBits must be an integer in \[0, 24\]/],
    [['sigmoid', { bits: 1 }], /bits must be an integer in \[2, 16\]/],
    [['sigmoid', { outQp: 'tflite-logistic', bits: 4 }], /bits = 4 conflicts with outQp.bits = 8/],
    [['sigmoid', { outQp: { scale: -1 } }], /outQp.scale/],
    [['sigmoid', { slope: 1 }], /unknown option 'slope'/],
    [['hard_sigmoid', { params: { slope: 99 } }], /hard_sigmoid: parameter 'slope'/],
    [['prelu', { params: { alpha: [0.1, 0.2] } }], /prelu with one slope per channel/],
  ];
  for (const [args, pattern] of bad) {
    assert.throws(() => aq.fit(...args), (e) => e instanceof RangeError && pattern.test(e.message), `${JSON.stringify(args)} -> ${pattern}`);
  }
  assert.throws(() => aq.fit('sigmoid', 'pwl'), TypeError);
});

// ---- the command line ----------------------------------------------------------------------

const actq = (...args) => spawnSync(process.execPath, [join(root, 'bin', 'actq.mjs'), ...args], { encoding: 'utf8' });

test('actq fit: table, JSON (the documented keys, = aq.fit), errors as one line', () => {
  const t = actq('fit', 'sigmoid', '--form', 'hard');
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /^actq fit: sigmoid, hard \(hard_sigmoid\), minimax over \[-8, 8\]/);
  assert.match(t.stdout, /\| hard_sigmoid pytorch \| 6\.918e-2 \|/);
  assert.match(t.stdout, /\| PLAN \(Amin et al\. 1997\) \| 1\.894e-2 \|/);
  const j = actq('fit', 'tanh', '--pieces', '6', '--metric', 'max', '--slopes', 'pow2', '--range', '-4,4', '--symmetric', '--frac-bits', '8', '--format', 'json');
  assert.equal(j.status, 0, j.stderr);
  const out = JSON.parse(j.stdout);
  assert.deepEqual(Object.keys(out), ['target', 'form', 'pieces', 'metric', 'slopes', 'activation', 'params', 'maxError', 'maxErrorAt', 'rmsError', 'presets']);
  const r = aq.fit('tanh', { pieces: 6, slopes: 'pow2', range: [-4, 4], symmetric: true, fracBits: 8 });
  assert.deepEqual(out.params, r.params);
  assert.equal(out.maxError, r.maxError);
  assert.deepEqual(out.presets, r.presets.map(({ name, maxError, rmsError }) => ({ name, maxError, rmsError })));
  const q = JSON.parse(actq('fit', 'sigmoid', '--form', 'hard', '--bits', '4', '--format', 'json').stdout);
  assert.ok(q.maxError > 0.03);
  const o = JSON.parse(actq('fit', 'sigmoid', '--pieces', '4', '--out-scale', '1/256', '--out-zero-point', '-128', '--format', 'json').stdout);
  assert.equal(o.maxError, aq.fit('sigmoid', { pieces: 4, outQp: { scale: 1 / 256, zeroPoint: -128 } }).maxError);
  for (const [args, pattern] of [
    [['fit'], /^actq: fit: missing the activation name/],
    [['fit', 'sigmoid', '--form', 'cubic'], /^actq: fit: unknown form 'cubic'/],
    [['fit', 'sigmoid', '--pieces', '1'], /^actq: fit: --pieces must be an integer in \[2, 64\], got 1/],
    [['fit', 'sigmoid', '--pieces', 'x'], /^actq: --pieces: expected an integer/],
    [['fit', 'sigmoid', '--range', '5,1'], /^actq: fit: --range must be/],
    [['fit', 'sigmoid', '--range', '5'], /^actq: --range: expected two numbers/],
    [['fit', 'sigmoid', '--metric', 'max', '--normal', '0,1'], /^actq: fit: --metric 'max' takes no input distribution/],
    [['fit', 'sigmoid', '--frac-bits', '40'], /^actq: fit: --frac-bits must be an integer in \[0, 24\]/],
    [['fit', 'sigmoid', '--format', 'c'], /^actq: --format c: missing --in-scale/],
    [['fit', 'sigmoid', '--out', 'tflite-logistic', '--bits', '4'], /^actq: --out tflite-logistic fixes the output qparams: drop --bits/],
    [['fit', 'sigmoid', '--bogus'], /^actq: Unknown option '--bogus'/],
    [['fit', 'softplus', '--form', 'hard'], /^actq: fit: --form 'hard' needs/],
  ]) {
    const res = actq(...args);
    assert.equal(res.status, 1, `${args.join(' ')}: ${res.stderr}`);
    assert.equal(res.stdout, '');
    assert.match(res.stderr, pattern, args.join(' '));
    assert.equal(res.stderr.trim().split('\n').length, 1);
  }
  assert.match(actq('fit', '--help').stdout, /--frac-bits F/);
});

test('actq fit --format c: integer-only C that compiles (gcc -std=c99 -Wall -Wextra -Werror) and equals applyLut for every code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'actq-fit-'));
  try {
    const cases = [
      { args: ['sigmoid', '--pieces', '8', '--slopes', 'pow2', '--out', 'tflite-logistic', '--in-scale', '1/16'], in: { scale: 1 / 16 }, out: aq.outputQParams('tflite-logistic'), fit: ['sigmoid', { pieces: 8, slopes: 'pow2', outQp: 'tflite-logistic', inQp: { scale: 1 / 16 } }] },
      { args: ['tanh', '--form', 'hard', '--out', 'tflite-tanh', '--in-scale', '0.05', '--in-zero-point', '-3'], in: { scale: 0.05, zeroPoint: -3 }, out: aq.outputQParams('tflite-tanh'), fit: ['tanh', { form: 'hard', outQp: 'tflite-tanh', inQp: { scale: 0.05, zeroPoint: -3 } }] },
      { args: ['silu', '--form', 'hard', '--out-scale', '0.04', '--out-zero-point', '-30', '--in-scale', '1/20'], in: { scale: 1 / 20 }, out: { scale: 0.04, zeroPoint: -30 }, fit: ['silu', { form: 'hard', outQp: { scale: 0.04, zeroPoint: -30 }, inQp: { scale: 1 / 20 } }] },
      { args: ['gelu', '--pieces', '7', '--slopes', 'pow2x2', '--out-scale', '1/32', '--out-zero-point', '10', '--out-unsigned', '--in-scale', '1/24', '--in-zero-point', '128', '--in-unsigned', '--range', '-6,6'], in: { scale: 1 / 24, zeroPoint: 128, signed: false }, out: { scale: 1 / 32, zeroPoint: 10, signed: false }, fit: ['gelu', { pieces: 7, slopes: 'pow2x2', range: [-6, 6], outQp: { scale: 1 / 32, zeroPoint: 10, signed: false }, inQp: { scale: 1 / 24, zeroPoint: 128, signed: false } }] },
      { args: ['sigmoid', '--pieces', '5', '--bits', '6', '--in-scale', '1/4', '--in-bits', '6', '--name', 'sig6'], in: { scale: 1 / 4, bits: 6 }, out: null, fit: ['sigmoid', { pieces: 5, bits: 6, inQp: { scale: 1 / 4, bits: 6 } }] },
    ];
    cases.forEach((c, k) => {
      const res = actq('fit', ...c.args, '--format', 'c');
      assert.equal(res.status, 0, res.stderr);
      const r = aq.fit(...c.fit);
      const outQp = c.out ? { ...r.quantization.outQp } : r.quantization.outQp;
      const inBits = c.in.bits ?? 8, signed = c.in.signed ?? true;
      const qmin = signed ? -(2 ** (inBits - 1)) : 0, n = 2 ** inBits;
      const Code = signed ? Int8Array : Uint8Array;
      const codes = Code.from({ length: n }, (_, i) => qmin + i);
      const want = aq.applyLut(aq.lut(r.activation, r.params, { ...c.in }, outQp), codes);
      const name = c.args.includes('--name') ? 'sig6' : `${c.args[0]}_fit`;
      writeFileSync(join(dir, `f${k}.h`), res.stdout);
      writeFileSync(join(dir, `m${k}.c`), `#include <stdio.h>\n#include "f${k}.h"\nint main(void) {\n  for (int q = ${qmin}; q < ${qmin + n}; q++) printf("%d\\n", (int)${name}((${signed ? 'int8_t' : 'uint8_t'})q));\n  return 0;\n}\n`);
      execFileSync('gcc', ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', '-o', join(dir, `m${k}`), join(dir, `m${k}.c`)]);
      const got = execFileSync(join(dir, `m${k}`), { encoding: 'utf8' }).trim().split('\n').map(Number);
      assert.deepEqual(got, Array.from(want), `${c.args.join(' ')}: the C equals applyLut for every code`);
      if (c.args.includes('pow2')) assert.doesNotMatch(res.stdout.split('static inline')[1], /\* \d/, 'pow2 slopes: shifts and adds, no multiply');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
