// Property tests of the public API: seeded random sequences of calls -- activations with
// random names, presets and parameters (arrays included), quantization with random qparams
// (per channel too), tables, integer kernels, calibration, alloc / free, buffers used after
// free, in place, out arrays of every kind -- on both builds. Properties:
//  - only TypeError or RangeError ever come out;
//  - a call that throws writes nothing (out and inputs byte for byte unchanged);
//  - a call that returns equals a fresh call on plain copies of its inputs, bit for bit;
//  - liveAllocations() is back at its baseline after every sequence (wasm memory too).
// Reproducible: PROPERTY_SEED=n replays one sequence; a failure names its seed and call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'actq';
import { rng } from './accuracy.js';

const aq = await load();
const sc = await load({ simd: false });
const SEEDS = process.env.PROPERTY_SEED !== undefined ? [Number(process.env.PROPERTY_SEED)]
  : Array.from({ length: Number(process.env.PROPERTY_SEEDS ?? 60) }, (_, i) => i + 1);
const CALLS = 60;
const stats = { returned: 0, threw: 0 };

// ---- random values --------------------------------------------------------------------------------

class Random {
  constructor(seed) { this.next = rng(seed * 7919 + 13); }
  float() { return this.next(); }
  int(lo, hi) { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  bool(p = 0.5) { return this.next() < p; }
  pick(list) { return list[Math.floor(this.next() * list.length)]; }
}

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 3.4e38, -3.4e38, 0.5, -0.5, 2.5, -3, 6];
function floats(r, n) {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = r.bool(0.1) ? r.pick(SPECIAL) : (r.float() - 0.5) * r.pick([2, 12, 60, 1e4]);
  return x;
}
const CODE_TYPES = [Int8Array, Uint8Array, Int16Array, Uint16Array];
function codes(r, Type, n) {
  const q = new Type(n);
  for (let i = 0; i < n; i++) q[i] = r.int(-40000, 70000); // wraps: any pattern
  return q;
}
const WRONG = () => [[1, 2, 3], new Float64Array(3), 'abc', 7, null, {}, new Int32Array(3)];

function scalarValue(r, p) {
  const c = r.int(0, 9);
  if (c < 6) {
    const v = p.min + (p.max - p.min) * r.float();
    return p.kind === 'integer' ? Math.round(v) : p.kind === 'boolean' ? r.bool() : v;
  }
  return r.pick([p.min, p.max, p.max + 1, p.min - 1, NaN, Infinity, '1', [1], 0.5, true]);
}
function params(r, entry) {
  const c = r.int(0, 9);
  if (c === 0) return undefined;
  if (c === 1) return null;
  const presets = Object.keys(entry.presets);
  if (c === 2) return r.bool(0.8) && presets.length ? r.pick(presets) : 'no_such_preset';
  if (c === 3) return r.pick([42, true, [1]]);
  const out = {};
  if (r.bool(0.2) && presets.length) out.preset = r.pick(presets);
  for (const p of entry.params) {
    if (!r.bool(0.6)) continue;
    if (p.kind === 'array') {
      out[p.name] = r.bool(0.85)
        ? Array.from({ length: r.int(0, 5) }, () => (r.bool(0.9) ? p.min + (p.max - p.min) * r.float() : r.pick([NaN, p.max * 2])))
        : r.pick([0.1, 'x', [NaN]]);
    } else {
      out[p.name] = scalarValue(r, p);
    }
  }
  if (r.bool(0.05)) out.no_such_param = 1;
  return out;
}
function qparams(r, n) {
  const qp = {};
  const bits = r.bool(0.9) ? r.int(2, 16) : r.pick([1, 17, 8.5, '8']);
  if (r.bool(0.8)) qp.bits = bits;
  if (r.bool(0.5)) qp.signed = r.bool(0.95) ? r.bool() : 'yes';
  if (r.bool(0.2)) qp.narrowRange = r.bool();
  if (r.bool(0.5)) qp.rounding = r.pick(['half_even', 'half_away', 'half_up', 'half_up', 'nearest']);
  qp.scale = r.bool(0.9) ? r.pick([1 / 128, 0.02, 0.1, 3.7, 1e-3, 2 ** -12]) : r.pick([0, -1, NaN, Infinity, '0.1', 1e-50]);
  const b = Number.isInteger(qp.bits ?? 8) ? qp.bits ?? 8 : 8, signed = qp.signed ?? true;
  const lo = signed === true ? -(2 ** (b - 1)) : 0, hi = signed === true ? 2 ** (b - 1) - 1 : 2 ** b - 1;
  if (r.bool(0.6)) qp.zeroPoint = r.bool(0.9) ? r.int(lo, hi) : r.pick([hi + 1, lo - 1, 0.5]);
  if (r.bool(0.15) && n > 0) { // per channel: shape [c, n / c]
    const divisors = [1, 2, 3, 4, 5].filter((c) => n % c === 0);
    const c = r.pick(divisors);
    qp.shape = r.bool(0.9) ? [c, n / c] : [c + 1, 2];
    qp.axis = r.pick([0, 0, -2, 2]);
    qp.scale = Array.from({ length: r.bool(0.9) ? c : c + 1 }, () => r.pick([0.01, 0.05, 0.3]));
  }
  return qp;
}

// ---- snapshots, inputs, comparison --------------------------------------------------------------------

const isTyped = (v) => ArrayBuffer.isView(v);
const bytes = (a, v) => {
  if (a.isBuffer(v)) return v.freed ? null : Buffer.from(new Uint8Array(v.view.buffer, v.view.byteOffset, v.view.byteLength));
  return isTyped(v) ? Buffer.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) : null;
};
/** plain copy of an input for the fresh call (buffers -> typed arrays) */
const plain = (a, v) => (a.isBuffer(v) && !v.freed ? v.view.slice() : isTyped(v) ? v.slice() : v);

/** An array argument: mostly a typed array or a live buffer of Type, at times the wrong kind or freed. */
function arrayArg(r, a, pool, freed, Type, n) {
  const c = r.int(0, 19);
  if (c < 11) return Type === Float32Array ? floats(r, n) : codes(r, Type, n);
  if (c < 16) {
    const fit = pool.filter((b) => b.type === Type && !b.freed);
    if (fit.length) return r.pick(fit);
    const b = a.alloc(n, Type);
    b.view.set(Type === Float32Array ? floats(r, n) : codes(r, Type, n));
    pool.push(b);
    return b;
  }
  if (c < 17 && freed.length) return r.pick(freed);
  if (c < 18) return r.pick(CODE_TYPES.concat([Float32Array]).filter((T) => T !== Type)).from({ length: n }, () => 1);
  return r.pick(WRONG());
}
/** out: absent, null, x itself (in place), a fresh typed array, a buffer, the wrong length or type */
function outArg(r, a, pool, freed, Type, n, x) {
  const c = r.int(0, 19);
  if (c < 5) return undefined;
  if (c < 6) return null;
  if (c < 9) return x;
  if (c < 13) return new Type(n).fill(7);
  if (c < 16) {
    const fit = pool.filter((b) => b.type === Type && b.length === n && !b.freed && b !== x);
    if (fit.length) return r.pick(fit);
    const b = a.alloc(n, Type);
    b.view.fill(7);
    pool.push(b);
    return b;
  }
  if (c < 17 && freed.length) return r.pick(freed);
  if (c < 18) return new Type(n + 1);
  return r.pick(WRONG());
}

function sameResult(a, got, want, what) {
  const g = bytes(a, got), w = bytes(a, want);
  assert.ok(g && w, `${what}: results are arrays`);
  assert.equal(got.constructor === want.constructor || a.isBuffer(got), true, `${what}: result type`);
  assert.ok(g.equals(w), `${what}: differs from a fresh call on copies of its inputs`);
}

// ---- the calls --------------------------------------------------------------------------------------

const NAMES = () => [...aq.activations.map((e) => e.name), 'swish', 'sigmod', 42, null];
const OUT_PRESETS = ['tflite-logistic', 'tflite-tanh', 'pytorch-sigmoid', 'pytorch-tanh', 'nope'];

/** One random call: { what, run(x, out) -> result, inputs: [...], out, fresh() -> result } */
function randomCall(r, a, pool, freed) {
  const kind = r.int(0, 13);
  const n = r.pick([0, 1, 3, 4, 5, 15, 16, 17, 33, 64, 100, 257]);
  if (kind <= 4) { // activations
    const name = r.pick(NAMES());
    const entry = typeof name === 'string' && aq.activations.find((e) => e.name === (name === 'swish' ? 'silu' : name));
    const p = entry ? params(r, entry) : undefined;
    const which = r.bool(0.7) ? 'forward' : 'derivative';
    const options = which === 'forward' && r.bool(0.3) ? { tier: r.pick(['fast', 'balanced', 'precise', 'quick']) } : undefined;
    const x = arrayArg(r, a, pool, freed, Float32Array, n), out = outArg(r, a, pool, freed, Float32Array, x?.length ?? n, x);
    return { what: `${which}(${JSON.stringify(name)}, n=${x?.length}, ${JSON.stringify(p)}, ${options?.tier ?? ''})`, inputs: [x], out,
      run: () => a[which](name, x, p, out, options), fresh: (xs) => a[which](name, xs[0], p, undefined, options) };
  }
  if (kind <= 8) { // quantization
    const op = r.pick(['quantize', 'dequantize', 'fakeQuantize', 'fakeQuantizeGrad']);
    const qp = qparams(r, n);
    const bits = Number.isInteger(qp.bits ?? 8) ? qp.bits ?? 8 : 8;
    const CodeType = CODE_TYPES[(bits > 8 ? 2 : 0) + (qp.signed === false ? 1 : 0)];
    const x = arrayArg(r, a, pool, freed, op === 'dequantize' ? CodeType : Float32Array, n);
    const out = outArg(r, a, pool, freed, op === 'quantize' ? CodeType : Float32Array, x?.length ?? n, x);
    return { what: `${op}(n=${x?.length}, ${JSON.stringify(qp)})`, inputs: [x], out,
      run: () => a[op](x, qp, out), fresh: (xs) => a[op](xs[0], qp) };
  }
  if (kind <= 10) { // 8-bit tables
    const name = r.pick(NAMES());
    const entry = typeof name === 'string' && aq.activations.find((e) => e.name === (name === 'swish' ? 'silu' : name));
    const p = entry ? params(r, entry) : undefined;
    const inQp = { ...qparams(r, 0), bits: r.bool(0.9) ? r.int(2, 8) : 12 };
    const outQp = r.bool(0.3) ? r.pick(OUT_PRESETS) : { ...qparams(r, 0), bits: r.int(2, 8) };
    const signed = inQp.signed !== false;
    const q = arrayArg(r, a, pool, freed, signed ? Int8Array : Uint8Array, n);
    const out = outArg(r, a, pool, freed, outQp.signed === false ? Uint8Array : Int8Array, q?.length ?? n, q);
    const raw = r.bool(0.15), rawLength = r.bool(0.9) ? 256 : 255;
    const table = () => (raw ? Int8Array.from({ length: rawLength }, (_, i) => i) : a.lut(name, p, inQp, outQp));
    return { what: `applyLut(lut(${JSON.stringify(name)}, ${JSON.stringify(p)}, ${JSON.stringify(inQp)}, ${JSON.stringify(outQp)}), n=${q?.length})`,
      inputs: [q], out, run: () => a.applyLut(table(), q, out), fresh: (xs) => a.applyLut(table(), xs[0]) };
  }
  if (kind === 11) { // int16 tables
    const name = r.pick(['tanh', 'sigmoid', 'gelu', 'hard_swish', 'prelu', 'sigmod']);
    const inQp = { scale: r.pick([1 / 4096, 1 / 512, 0]), bits: r.pick([16, 12, 9, 8]), signed: r.bool(0.8) };
    const outQp = { scale: r.pick([1 / 32768, 1 / 4096]), bits: r.pick([16, 12, 10, 8]), signed: r.bool(0.8) };
    const CodeType = inQp.signed ? Int16Array : Uint16Array;
    const q = arrayArg(r, a, pool, freed, CodeType, n);
    const out = outArg(r, a, pool, freed, outQp.signed ? Int16Array : Uint16Array, q?.length ?? n, q);
    return { what: `applyLut16(lut16(${name}, ${JSON.stringify(inQp)}, ${JSON.stringify(outQp)}), n=${q?.length})`, inputs: [q], out,
      run: () => a.applyLut16(a.lut16(name, null, inQp, outQp), q, out), fresh: (xs) => a.applyLut16(a.lut16(name, null, inQp, outQp), xs[0]) };
  }
  if (kind === 12) { // integer kernels
    const name = r.pick(['hard_sigmoid', 'hard_swish', 'relu']);
    const p = name === 'hard_sigmoid' ? r.pick([null, 'pytorch', 'onnx', { slope: 0.3 }, { slope: 0 }]) : r.pick([null, null, 'x']);
    const inQp = { scale: r.pick([0.05, 0.1, 1 / 32, 2 ** -8, 100]), bits: r.bool(0.9) ? 8 : 7, signed: r.bool(), zeroPoint: r.int(0, 20) };
    const outQp = r.bool(0.4) ? 'tflite-logistic' : { scale: r.pick([1 / 256, 0.04, 1e-9]), signed: r.bool() };
    const q = arrayArg(r, a, pool, freed, inQp.signed ? Int8Array : Uint8Array, n);
    const outSigned = typeof outQp === 'string' || outQp.signed;
    const out = outArg(r, a, pool, freed, outSigned ? Int8Array : Uint8Array, q?.length ?? n, q);
    return { what: `integerKernel(${name}, ${JSON.stringify(p)}, ${JSON.stringify(inQp)}, ${JSON.stringify(outQp)}).apply(n=${q?.length})`,
      inputs: [q], out, run: () => a.integerKernel(name, p, inQp, outQp).apply(q, out), fresh: (xs) => a.integerKernel(name, p, inQp, outQp).apply(xs[0]) };
  }
  // calibration (returns qparams: compared as JSON)
  const x = r.bool(0.9) ? floats(r, Math.max(n, 1)).map((v) => (Number.isFinite(v) ? v : 0)) : r.pick([new Float32Array(0), Float32Array.of(NaN), [1, 2]]);
  const options = { method: r.pick(['minmax', 'percentile', 'mse', 'entropy', 'best']), bits: r.pick([4, 8, 16, 20]), symmetric: r.bool(), signed: r.bool() };
  return { what: `calibrate(n=${x.length}, ${JSON.stringify(options)})`, inputs: [x], out: undefined, json: true,
    run: () => a.calibrate(x, options), fresh: (xs) => a.calibrate(xs[0], options) };
}

/** alloc / free / view-after-free: the memory side of a sequence */
function memoryCall(r, a, pool, freed) {
  const c = r.int(0, 9);
  if (c < 4) {
    const n = r.bool(0.9) ? r.int(0, 300) : r.pick([-1, 1.5, 2 ** 31, NaN, '3']);
    const Type = r.bool(0.95) ? r.pick(CODE_TYPES.concat([Float32Array])) : Float64Array;
    return { what: `alloc(${n}, ${Type.name})`, run: () => { const b = a.alloc(n, Type); pool.push(b); return b; } };
  }
  if (c < 8 && pool.length) {
    const i = r.int(0, pool.length - 1);
    return { what: 'free()', run: () => { const [b] = pool.splice(i, 1); b.free(); b.free(); freed.push(b); } };
  }
  const b = freed.length ? r.pick(freed) : null;
  return { what: 'view of a freed buffer', run: () => { if (b) assert.throws(() => b.view, RangeError); } };
}

function runSequence(seed, a) {
  const r = new Random(seed);
  const pool = [], freed = [];
  const baseline = a.liveAllocations();
  const log = [];
  try {
    for (let k = 0; k < CALLS; k++) {
      if (r.bool(0.25)) {
        const m = memoryCall(r, a, pool, freed);
        log.push(m.what);
        try { m.run(); } catch (e) { if (!(e instanceof TypeError || e instanceof RangeError)) throw e; }
        continue;
      }
      const call = randomCall(r, a, pool, freed);
      log.push(call.what);
      const before = [...call.inputs, call.out].map((v) => bytes(a, v));
      const copies = call.inputs.map((v) => plain(a, v));
      let result, error = null;
      try { result = call.run(); } catch (e) { error = e; }
      stats[error ? 'threw' : 'returned']++;
      if (error) {
        assert.ok(error instanceof TypeError || error instanceof RangeError, `threw ${error?.constructor?.name}: ${error?.stack ?? error}`);
        [...call.inputs, call.out].forEach((v, i) => {
          if (before[i]) assert.ok(bytes(a, v).equals(before[i]), `a call that threw (${error.message}) wrote into ${i < call.inputs.length ? 'an input' : 'out'}`);
        });
        continue;
      }
      if (call.out !== undefined && call.out !== null) assert.equal(result, call.out, 'returns out');
      const fresh = call.fresh(copies);
      if (call.json) assert.deepEqual(result, fresh, 'same as a fresh call');
      else sameResult(a, result, fresh, 'result');
    }
    for (const b of pool) b.free();
    assert.equal(a.liveAllocations(), baseline, 'liveAllocations back to its baseline');
  } catch (e) {
    for (const b of pool) b.free();
    e.message = `seed ${seed} (PROPERTY_SEED=${seed} replays it), ${a.simd ? 'simd' : 'scalar'}, call ${log.length}: ` +
      `${log.at(-1)}\n  ${e.message}\n  calls so far:\n    ${log.join('\n    ')}`;
    throw e;
  }
}

test(`random API call sequences (${SEEDS.length} seeds x ${CALLS} calls, both builds): only TypeError / RangeError, ` +
  'nothing written on throw, results = fresh calls, allocations back to baseline', () => {
  const memory = aq.wasm.memory.buffer.byteLength;
  const start = Date.now();
  let calls = 0;
  for (const seed of SEEDS) {
    for (const a of [aq, sc]) { runSequence(seed, a); calls += CALLS; }
  }
  console.log(`# property: ${calls} calls in ${Date.now() - start} ms: ${stats.returned} API calls returned, ` +
    `${stats.threw} threw a TypeError / RangeError, the rest alloc / free`);
  assert.ok(stats.returned > calls / 6 && stats.threw > calls / 10, 'both outcomes are exercised');
  assert.ok(aq.wasm.memory.buffer.byteLength <= Math.max(memory, 64 << 20), 'wasm memory stayed bounded');
});
