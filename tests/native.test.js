// The native libraries (native.mk: libactq.a through SIMDe, libactq-scalar.a) against both
// wasm builds: every activation (forward, derivative, fast tier; defaults, every preset,
// non-default parameters with arrays), quantize / dequantize / fake quantize (+grad), per
// tensor and per channel, LUT build and apply, the int16 table and the integer kernels --
// the same bits, on the accuracy sample points plus edge values. The native side runs
// tests/native/driver.c (one binary per library), fed binary requests on stdin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { load } from 'actq';
import { samplePoints, rng } from './accuracy.js';
import { resolveParams, paramsObject } from '../src/js/registry.js';
import { normalizeQParams } from '../src/js/quantize.js';
import { buildNative, buildDir } from './native/build.js';

// ACTQ_NATIVE_TARGET=aarch64: the same tests on the aarch64 cross build (SIMDe on NEON),
// run under qemu-aarch64 (needs gcc-aarch64-linux-gnu and qemu-user; slower, so opt-in).
const CROSS = process.env.ACTQ_NATIVE_TARGET ? `${process.env.ACTQ_NATIVE_TARGET}-linux-gnu` : null;
const skip = buildNative(['driver'], { target: CROSS }) ?? false;
if (skip) console.log(`# native.test.js skipped: ${skip}`);

const aq = await load();
const sc = await load({ simd: false });
const dir = CROSS ? join(buildDir, '..', `native-${process.env.ACTQ_NATIVE_TARGET}`) : buildDir;
const DRIVERS = { simd: join(dir, 'driver-simd'), scalar: join(dir, 'driver-scalar') };
const exec = (driver) => (CROSS ? [`qemu-${process.env.ACTQ_NATIVE_TARGET}`, [driver]] : [driver, []]);
const counts = { activation: 0, quantization: 0, lut: 0, integer: 0, cases: 0 };

// ---- requests and replies -------------------------------------------------------------------

class Request {
  #chunks = [];
  replies = []; // payload bytes of each reply, after its i32 status
  #scratch = Buffer.alloc(8);
  #put(write, bytes) { write(this.#scratch); this.#chunks.push(Buffer.from(this.#scratch.subarray(0, bytes))); }
  u32(v) { return this.#put((b) => b.writeUInt32LE(v >>> 0), 4), this; }
  i32(v) { return this.#put((b) => b.writeInt32LE(v | 0), 4), this; }
  f32(v) { return this.#put((b) => b.writeFloatLE(v), 4), this; }
  f64(v) { return this.#put((b) => b.writeDoubleLE(v), 8), this; }
  bytes(a) { this.#chunks.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength)); return this; }
  string(s) { const b = Buffer.from(s, 'utf8'); return this.u32(b.length).bytes(b); }
  args({ scalars, arrays }, start = 0) {
    this.u32(start);
    for (let k = 0; k < 4; k++) this.f64(scalars[k] ?? 0);
    for (let k = 0; k < 4; k++) this.u32(arrays[k]?.length ?? 0);
    for (let k = 0; k < 4; k++) if (arrays[k]?.length) this.bytes(arrays[k]);
    return this;
  }
  qp(q) {
    return this.f32(q.scale).i32(q.zeroPoint ?? 0).u32(q.bits ?? 8).i32((q.signed ?? true) ? 1 : 0)
      .i32(q.narrowRange ? 1 : 0).i32(['half_even', 'half_away', 'half_up'].indexOf(q.rounding ?? 'half_even'));
  }
  expect(bytes) { this.replies.push(bytes); return this; }
  get buffer() { return Buffer.concat(this.#chunks); }
}

/** Runs the request through one driver; returns [{ status, data: Buffer }] per reply. */
function run(build, req) {
  const [cmd, args] = exec(DRIVERS[build]);
  const r = spawnSync(cmd, args, { input: req.buffer, maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, `driver-${build}: ${r.stderr}`);
  const out = [];
  let pos = 0;
  for (const bytes of req.replies) {
    out.push({ status: r.stdout.readInt32LE(pos), data: r.stdout.subarray(pos + 4, pos + 4 + bytes) });
    pos += 4 + bytes;
  }
  assert.equal(pos, r.stdout.length, `driver-${build}: reply length`);
  return out;
}
const both = (req) => ({ simd: run('simd', req), scalar: run('scalar', req) });

const bytesOf = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
/** Asserts native reply == wasm result, byte for byte, naming the first differing element. */
function sameBits(native, wasm, what, x) {
  const w = bytesOf(wasm);
  if (Buffer.compare(native, w) === 0) return;
  const size = wasm.BYTES_PER_ELEMENT;
  let i = 0;
  while (native.subarray(i * size, (i + 1) * size).equals(w.subarray(i * size, (i + 1) * size))) i++;
  const hex = (b) => b.subarray(i * size, (i + 1) * size).toString('hex');
  const at = x ? ` at x = ${x[i]} (0x${new Uint32Array(x.buffer, x.byteOffset + i * 4, 1)[0].toString(16)})` : '';
  assert.fail(`${what}: element ${i}${at}: native ${hex(native)} wasm ${hex(w)} (little-endian bytes)`);
}

// ---- inputs ----------------------------------------------------------------------------------

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const fromBits = (b) => { u32[0] = b; return f32[0]; };
const bitsOf = (v) => { f32[0] = v; return u32[0]; };
/** v and its float neighbours k ULP either side */
function around(v, k = 3) {
  const out = [];
  const b = bitsOf(v);
  for (let d = -k; d <= k; d++) out.push(fromBits((b + d) >>> 0));
  return out;
}

const SPECIAL_BITS = [
  0x7fc00000, 0xffc00000, 0x7fc12345, 0xffedcba9, 0x7fffffff, 0xffffffff, // quiet NaNs with payloads
  0x7f800001, 0xff800001, 0x7fa00000, 0x7f812345, //                         signalling NaNs
  0x7f800000, 0xff800000, 0x00000000, 0x80000000, //                         +-inf, +-0
  0x00000001, 0x80000001, 0x00000fff, 0x007fffff, 0x807fffff, 0x00400000, 0x80400000, // subnormals
  0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, //                         min normal, max finite
];
const SPECIAL = Float32Array.from(SPECIAL_BITS, fromBits);
// where kernels switch branch or clamp (vmath.h, activations.c), each with its neighbours
const GENERIC_KNEES = [0, 0.5, 1, 1.5, 2, 2.5, 3, 4, 6, 8, 12, 13, 13.25, 17.5, 20, 87.3365, 87.7, 88, 88.72, 100,
  103.9, 2 ** -30, 2 ** 60, 1e30];

/** The activation's knees for params p: every scalar parameter value and its negation, the
 *  array elements, and the hard_sigmoid / silu / softplus specific ones. */
function knees(name, p) {
  const k = [...GENERIC_KNEES];
  for (const v of Object.values(p)) (Array.isArray(v) ? v : [Number(v)]).forEach((e) => k.push(e));
  if (name === 'hard_sigmoid') k.push(-p.offset / p.slope, (1 - p.offset) / p.slope);
  if (name === 'silu' && p.beta !== 0) k.push(88 / Math.abs(p.beta));
  if (name === 'softplus') k.push(p.threshold / p.beta);
  if (name === 'celu') k.push(p.alpha * 17.5, p.alpha * 87.3365);
  const x = [];
  for (const v of k) for (const s of [1, -1]) x.push(...around(Math.fround(s * v)));
  return Float32Array.from(x);
}

const POINTS = samplePoints();
function inputsFor(name, p) {
  const kn = knees(name, p);
  const x = new Float32Array(POINTS.length + SPECIAL.length + kn.length);
  x.set(POINTS);
  x.set(SPECIAL, POINTS.length);
  x.set(kn, POINTS.length + SPECIAL.length);
  return x;
}

// Non-default parameters (arrays included) on top of every preset.
const VARIANTS = {
  hard_sigmoid: [{ slope: 0.001, offset: -10 }, { slope: 10, offset: 10 }, { slope: 1 / 3, offset: 0.25 }],
  hard_tanh: [{ min_val: -0.5, max_val: 2 }, { min_val: -100, max_val: -99.5 }],
  leaky_relu: [{ alpha: -0.7 }, { alpha: 10 }, { alpha: 0 }],
  prelu: [{ alpha: [0.1, -0.2, 0.3, 10, -10], inner: 3 }, { alpha: [0.5, 2] }, { alpha: [-0.25], inner: 1000 }],
  rrelu: [{ lower: 0.05, upper: 0.4 }, { training: true, seed: 42 }, { training: true, seed: 4294967295, lower: 0, upper: 1 }],
  elu: [{ alpha: 0.4 }, { alpha: 0 }, { alpha: 10 }],
  celu: [{ alpha: 2.5 }, { alpha: 0.001 }],
  silu: [{ beta: 1.7 }, { beta: -2 }, { beta: 0 }, { beta: 10 }],
  softplus: [{ beta: 2, threshold: 10 }, { beta: 0.01, threshold: 0 }, { beta: 100, threshold: 100 }],
  apl: [{ a: [0.2, -0.1, 0.05], b: [0.5, -1, 2] }, { a: [10], b: [-10] }, { a: [1, -1, 2, -2, 0.5, -0.5, 3], b: [0, 0, 1, -1, 2, -2, 3] }],
  hard_shrink: [{ lambda: 1.25 }, { lambda: 0 }],
  soft_shrink: [{ lambda: 1.25 }, { lambda: 100 }],
  threshold: [{ threshold: -0.5, value: -2 }, { threshold: 100, value: -100 }],
};

// ---- activations -------------------------------------------------------------------------------

for (const entry of aq.activations) {
  test(`native == wasm: ${entry.name} forward, derivative, fast and balanced tiers, every preset and variant`, { skip }, () => {
    const cases = [undefined, ...Object.keys(entry.presets), ...(VARIANTS[entry.name] ?? [])];
    const req = new Request();
    const jobs = [];
    cases.forEach((params, c) => {
      const resolved = resolveParams(entry, params);
      const x = inputsFor(entry.name, paramsObject(entry, params));
      const whichs = [['forward', 0], ['derivative', 1], ...(c === 0 ? [['fast', 2], ['balanced', 3]] : [])];
      // the wrapper API (global block) on the defaults and the first variant, the C API on all
      if (c === 0 || c === cases.length - 1) whichs.push(['forward (wrapper API)', 16], ['derivative (wrapper API)', 17]);
      if (c === 0) whichs.push(['balanced (wrapper API)', 19]);
      for (const [which, code] of whichs) {
        req.u32(1).u32(entry.id).u32(code).args(resolved).u32(x.length).bytes(x).expect(x.length * 4);
        jobs.push({ params, which, code, x });
      }
    });
    const native = both(req);
    jobs.forEach(({ params, which, code, x }, j) => {
      const what = `${entry.name} ${which} ${JSON.stringify(params) ?? '(defaults)'}`;
      for (const [build, wasmAq] of [['simd', aq], ['scalar', sc]]) {
        const reply = native[build][j];
        assert.equal(reply.status, 0, `${what}: native ${build} status ${reply.status}`);
        const base = code & 15;
        const y = base === 1 ? wasmAq.derivative(entry.name, x, params)
          : wasmAq.forward(entry.name, x, params, undefined, { tier: ['precise', undefined, 'fast', 'balanced'][base] });
        sameBits(reply.data, y, `${what}: native ${build} vs wasm ${build}`, x);
        counts.activation += x.length;
      }
      counts.cases++;
    });
  });
}

test('native: invalid parameters are refused (ACTQ_E_ARGS) exactly where the JS API throws a RangeError', { skip }, () => {
  const bad = [['hard_sigmoid', { slope: 0 }], ['hard_sigmoid', { offset: NaN }], ['hard_tanh', { min_val: 1, max_val: -1 }],
    ['rrelu', { seed: 1.5 }], ['rrelu', { lower: 0.5, upper: 0.2 }], ['prelu', { alpha: [] }], ['prelu', { alpha: [0.1, 11] }],
    ['prelu', { inner: 0 }], ['apl', { a: [1, 2], b: [0] }], ['softplus', { beta: 0 }], ['elu', { alpha: -1 }],
    ['hard_sigmoid', { slope: 0.001 }], ['rrelu', { lower: 0.3, upper: 0.3 }], ['prelu', { alpha: [-10, 10], inner: 2147483647 }]];
  const x = Float32Array.of(-1, 0, 1);
  const CODES = [0, 1, 2, 3, 16]; // forward, derivative, fast, balanced (C API), forward (wrapper API)
  const req = new Request();
  for (const [name, params] of bad) {
    const e = aq.activation(name);
    const resolved = resolveParams(e, params);
    for (const code of CODES) req.u32(1).u32(e.id).u32(code).args(resolved).u32(x.length).bytes(x).expect(12);
  }
  const native = both(req);
  bad.forEach(([name, params], i) => {
    let threw = false;
    try { aq.forward(name, x, params); } catch (err) { assert.ok(err instanceof RangeError, `${name}: ${err}`); threw = true; }
    for (const build of ['simd', 'scalar']) {
      for (let c = 0; c < CODES.length; c++) {
        const r = native[build][i * CODES.length + c];
        assert.equal(r.status, threw ? -3 : 0, `${name} ${JSON.stringify(params)} (${build}, call ${c})`);
        if (threw) assert.ok(r.data.equals(Buffer.alloc(12)), 'nothing written');
      }
    }
  });
});

test('native C API: actq_find and actq_args_preset agree with the JS registry', { skip }, () => {
  const req = new Request();
  const names = [...aq.activations.map((a) => a.name), 'swish', 'sigmod', '', 'hard_sigmoid '];
  for (const n of names) req.u32(10).string(n).expect(0);
  const presetCases = [];
  for (const e of aq.activations) {
    for (const p of [undefined, ...Object.keys(e.presets), 'no_such_preset']) {
      req.u32(11).u32(e.id).string(p ?? '').expect(8 * 4 + 4 * 4);
      presetCases.push([e, p]);
    }
  }
  req.u32(11).u32(aq.activations.length).string('').expect(48);
  for (const [build, replies] of Object.entries(both(req))) {
    names.forEach((n, i) => {
      const want = n === 'swish' ? aq.activation('silu').id : aq.activations.findIndex((a) => a.name === n);
      assert.equal(replies[i].status, want, `${build}: actq_find(${JSON.stringify(n)})`);
    });
    presetCases.forEach(([e, p], j) => {
      const r = replies[names.length + j];
      if (p === 'no_such_preset') return assert.equal(r.status, -2, `${e.name}: unknown preset`);
      assert.equal(r.status, 0);
      const { scalars, arrays } = resolveParams(e, p);
      for (let k = 0; k < e.params.length; k++) {
        if (arrays[k]) assert.equal(r.data.readUInt32LE(32 + 4 * k), arrays[k].length, `${e.name}.${e.params[k].name} default length`);
        else assert.equal(r.data.readDoubleLE(8 * k), scalars[k], `${e.name} ${p}: ${e.params[k].name}`);
      }
    });
    assert.equal(replies.at(-1).status, -1, 'unknown id');
  }
});

// ---- quantization ------------------------------------------------------------------------------

const QPS = [
  { scale: 1 / 128 }, { scale: 0.02, zeroPoint: -10 }, { scale: 1 / 16, zeroPoint: 3, rounding: 'half_away' },
  { scale: 1 / 16, zeroPoint: -3, rounding: 'half_up' }, { scale: 0.1, bits: 4, signed: false, zeroPoint: 7 },
  { scale: 3.7, bits: 2 }, { scale: 0.05, narrowRange: true, rounding: 'half_away' },
  { scale: 1e-3, bits: 16, zeroPoint: 1234 }, { scale: 2 ** -12, bits: 16, signed: false, zeroPoint: 30000, rounding: 'half_up' },
  { scale: 0.013, bits: 12, narrowRange: true }, { scale: 1e-40, zeroPoint: 5 }, { scale: 3e38, bits: 16 },
  { scale: 1e30, signed: false, zeroPoint: 255, rounding: 'half_away' }, { scale: 1 / 3, bits: 9, signed: false },
];

function quantInputs(qp, seed) {
  const L = normalizeQParams(qp);
  const s = L.scales[0], span = L.qmax - L.qmin;
  const next = rng(seed), x = [];
  for (let i = 0; i < 60000; i++) x.push((next() - 0.5) * 2.4 * s * span); // includes saturation
  for (let k = L.qmin - L.zeroPoints[0] - 3; k <= L.qmax - L.zeroPoints[0] + 3; k += Math.max(1, Math.floor(span / 600))) {
    // exact and near ties
    for (const v of [k * s, (k + 0.5) * s, (k - 0.5) * s]) x.push(...around(Math.fround(v), 2));
  }
  const xs = Float32Array.from(x);
  const all = new Float32Array(POINTS.length + xs.length + SPECIAL.length);
  all.set(POINTS); all.set(xs, POINTS.length); all.set(SPECIAL, POINTS.length + xs.length);
  return all;
}
function codeInputs(L, seed) {
  const n = L.qmax - L.qmin + 1, next = rng(seed);
  const codes = new L.CodeArray(n + 5000);
  for (let i = 0; i < n; i++) codes[i] = L.qmin + i;
  for (let i = n; i < codes.length; i++) codes[i] = L.qmin + Math.floor(next() * n);
  return codes;
}

test('native == wasm: quantize, dequantize, fake quantize and its gradient, per tensor (raw kernels and C API)', { skip }, () => {
  const req = new Request();
  const jobs = [];
  QPS.forEach((qp, i) => {
    const L = normalizeQParams(qp);
    const x = quantInputs(qp, i + 1), codes = codeInputs(L, i + 1);
    const raw = (what, input, outBytes) => req.u32(2).u32(what).u32(1).u32(1).u32(0).i32(L.qmin).i32(L.qmax)
      .i32(L.roundingId).i32(L.kind).bytes(L.scales).bytes(L.zeroPoints).u32(input.length).bytes(input).expect(outBytes);
    const capi = (what, input, outBytes) => req.u32(3).u32(what).qp(L.normalized).u32(input.length).bytes(input).expect(outBytes);
    for (const send of [raw, capi]) {
      const api = send === raw ? 'raw' : 'C API';
      send(0, x, x.length * L.CodeArray.BYTES_PER_ELEMENT); jobs.push([qp, 'quantize', api, (a) => a.quantize(x, qp), x]);
      send(1, codes, codes.length * 4); jobs.push([qp, 'dequantize', api, (a) => a.dequantize(codes, qp)]);
      send(2, x, x.length * 4); jobs.push([qp, 'fakeQuantize', api, (a) => a.fakeQuantize(x, qp), x]);
      send(3, x, x.length * 4); jobs.push([qp, 'fakeQuantizeGrad', api, (a) => a.fakeQuantizeGrad(x, qp), x]);
    }
  });
  const native = both(req);
  jobs.forEach(([qp, op, api, fn, x], j) => {
    for (const [build, wasmAq] of [['simd', aq], ['scalar', sc]]) {
      const r = native[build][j];
      assert.equal(r.status, 0, `${op} ${JSON.stringify(qp)}: status`);
      const y = fn(wasmAq);
      sameBits(r.data, y, `${op} ${api} ${JSON.stringify(qp)}: native ${build} vs wasm ${build}`, x);
      counts.quantization += y.length;
    }
  });
});

test('native == wasm: per-channel quantization (axis, inner, several channels)', { skip }, () => {
  const layouts = [
    { scale: [0.1, 0.02, 0.5], zeroPoint: [0, -5, 7], axis: 1, shape: [4, 3, 1000] },
    { scale: [1 / 64, 1 / 8], zeroPoint: [3, 200], axis: -1, shape: [30001, 2], signed: false, rounding: 'half_up' },
    { scale: Array.from({ length: 17 }, (_, i) => 0.01 * (i + 1)), axis: 0, shape: [17, 5000], bits: 12, rounding: 'half_away' },
  ];
  const req = new Request();
  const jobs = [];
  layouts.forEach((qp, i) => {
    const L = normalizeQParams(qp);
    const next = rng(100 + i), x = new Float32Array(L.size);
    for (let j = 0; j < x.length; j++) x[j] = (next() - 0.5) * 300 * (j % 13 === 0 ? 1e-3 : 1);
    x.set(SPECIAL.subarray(0, Math.min(SPECIAL.length, x.length)));
    const codes = new L.CodeArray(L.size);
    for (let j = 0; j < codes.length; j++) codes[j] = L.qmin + Math.floor(next() * (L.qmax - L.qmin + 1));
    const send = (what, input, bytes) => req.u32(2).u32(what).u32(L.channels).u32(L.inner).u32(0).i32(L.qmin).i32(L.qmax)
      .i32(L.roundingId).i32(L.kind).bytes(L.scales).bytes(L.zeroPoints).u32(input.length).bytes(input).expect(bytes);
    send(0, x, x.length * L.CodeArray.BYTES_PER_ELEMENT); jobs.push([qp, 'quantize', (a) => a.quantize(x, qp)]);
    send(1, codes, codes.length * 4); jobs.push([qp, 'dequantize', (a) => a.dequantize(codes, qp)]);
    send(2, x, x.length * 4); jobs.push([qp, 'fakeQuantize', (a) => a.fakeQuantize(x, qp)]);
    send(3, x, x.length * 4); jobs.push([qp, 'fakeQuantizeGrad', (a) => a.fakeQuantizeGrad(x, qp)]);
  });
  const native = both(req);
  jobs.forEach(([qp, op, fn], j) => {
    for (const [build, wasmAq] of [['simd', aq], ['scalar', sc]]) {
      const y = fn(wasmAq);
      sameBits(native[build][j].data, y, `${op} per channel ${JSON.stringify(qp.shape)}: native ${build} vs wasm ${build}`);
      counts.quantization += y.length;
    }
  });
});

test('native C API: invalid qparams are refused (ACTQ_E_QPARAMS) where the JS API throws', { skip }, () => {
  const bad = [{ scale: 0 }, { scale: -1 }, { scale: NaN }, { scale: Infinity }, { scale: 1, bits: 1 }, { scale: 1, bits: 17 },
    { scale: 1, zeroPoint: 128 }, { scale: 1, zeroPoint: -1, signed: false }, { scale: 1, zeroPoint: -128, narrowRange: true }];
  const x = Float32Array.of(1, 2, 3);
  const req = new Request();
  for (const qp of bad) req.u32(3).u32(2).qp(qp).u32(3).bytes(x).expect(12);
  for (const [build, replies] of Object.entries(both(req))) {
    bad.forEach((qp, i) => {
      assert.throws(() => aq.fakeQuantize(x, qp), RangeError);
      assert.equal(replies[i].status, -4, `${build} ${JSON.stringify(qp)}`);
      assert.ok(replies[i].data.equals(Buffer.alloc(12)), 'nothing written');
    });
  }
});

// ---- lookup tables ------------------------------------------------------------------------------

const LUT_CASES = [
  ['sigmoid', null, { scale: 1 / 16 }, 'tflite-logistic'],
  ['sigmoid', null, { scale: 0.1, zeroPoint: -20 }, { scale: 1 / 256, signed: false, rounding: 'half_up' }],
  ['tanh', null, { scale: 1 / 32 }, 'tflite-tanh'],
  ['tanh', null, { scale: 0.05, signed: false, zeroPoint: 128 }, 'pytorch-tanh'],
  ['hard_sigmoid', 'pytorch', { scale: 0.05 }, { scale: 1 / 255, signed: false }],
  ['hard_sigmoid', 'onnx', { scale: 1 / 32, rounding: 'half_away' }, { scale: 1 / 256, zeroPoint: -128, rounding: 'half_away' }],
  ['hard_sigmoid', { slope: 0.3, offset: 0.4 }, { scale: 0.1, bits: 4 }, { scale: 1 / 15, bits: 4, signed: false }],
  ['hard_swish', null, { scale: 0.06, zeroPoint: 10 }, { scale: 0.04, zeroPoint: -100 }],
  ['gelu', null, { scale: 0.05, narrowRange: true }, { scale: 0.03, zeroPoint: -20, narrowRange: true }],
  ['silu', { beta: 1.5 }, { scale: 0.07 }, { scale: 0.05, zeroPoint: -10, bits: 6 }],
  ['elu', null, { scale: 0.04, zeroPoint: 50 }, { scale: 0.02, zeroPoint: 60 }],
  ['leaky_relu', 'tf', { scale: 0.1, bits: 3 }, { scale: 0.1 }],
  ['prelu', { alpha: [0.3] }, { scale: 0.1 }, { scale: 0.08 }],
  ['apl', null, { scale: 0.05 }, { scale: 0.02, zeroPoint: -50 }],
  ['relu6', null, { scale: 0.05, signed: false }, { scale: 6 / 255, signed: false, bits: 8 }],
  ['mish', null, { scale: 0.05 }, { scale: 0.03, zeroPoint: -10 }],
  ['softplus', 'pytorch', { scale: 0.1 }, { scale: 0.05, signed: false }],
];
const qpOf = (q) => (typeof q === 'string' ? aq.outputQParams(q) : q);

test('native C API: actq_lut8_build == aq.lut(...).table, actq_lut8_raw + actq_apply_lut8 == aq.applyLut', { skip }, () => {
  const req = new Request();
  for (const [name, params, inQp, outQp] of LUT_CASES) {
    const e = aq.activation(name);
    const resolved = resolveParams(e, params);
    req.u32(5).u32(e.id).u32(1).args(resolved).qp(inQp).qp(qpOf(outQp)).expect(512);
    req.u32(5).u32(e.id).u32(0).qp(inQp).qp(qpOf(outQp)).expect(512); // NULL args: the defaults
  }
  const native = both(req);
  LUT_CASES.forEach(([name, params, inQp, outQp], i) => {
    for (const [build, wasmAq] of [['simd', aq], ['scalar', sc]]) {
      const lut = wasmAq.lut(name, params, inQp, outQp);
      const what = `lut ${name} ${JSON.stringify(params)} ${JSON.stringify(inQp)} -> ${JSON.stringify(outQp)}: native ${build}`;
      const r = native[build][2 * i];
      assert.equal(r.status, lut.table.length, `${what}: entries`);
      sameBits(r.data.subarray(0, lut.table.length), lut.table, `${what} table`);
      // every input byte through applyLut (its raw layout) == the C raw layout
      const bytes = Uint8Array.from({ length: 256 }, (_, b) => b);
      const codes = lut.inQp.signed ? new Int8Array(bytes.buffer) : bytes;
      sameBits(r.data.subarray(256, 512), wasmAq.applyLut(lut, codes), `${what} raw layout`);
      const d = native[build][2 * i + 1], dl = wasmAq.lut(name, null, inQp, outQp);
      if (name === 'prelu') continue; // its default is also one slope, covered above
      sameBits(d.data.subarray(0, dl.table.length), dl.table, `${what} (defaults)`);
      counts.lut += 2 * lut.table.length + 256;
    }
  });
  // tables refuse what JS refuses
  const refuse = new Request();
  const pe = aq.activation('prelu'), re = aq.activation('rrelu');
  refuse.u32(5).u32(pe.id).u32(1).args(resolveParams(pe, { alpha: [0.1, 0.2] })).qp({ scale: 0.1 }).qp({ scale: 0.1 }).expect(512);
  refuse.u32(5).u32(re.id).u32(1).args(resolveParams(re, { training: true })).qp({ scale: 0.1 }).qp({ scale: 0.1 }).expect(512);
  refuse.u32(5).u32(0).u32(0).qp({ scale: 0.1, bits: 9 }).qp({ scale: 0.1 }).expect(512);
  for (const replies of Object.values(both(refuse))) assert.deepEqual(replies.map((r) => r.status), [-5, -5, -4]);
  assert.throws(() => aq.lut('prelu', { alpha: [0.1, 0.2] }, { scale: 0.1 }, { scale: 0.1 }), RangeError);
  assert.throws(() => aq.lut('rrelu', { training: true }, { scale: 0.1 }, { scale: 0.1 }), RangeError);
});

test('native == wasm: actq_apply_lut8 on random tables, every byte and random codes of every length mod 16', { skip }, () => {
  const next = rng(77);
  const req = new Request();
  const jobs = [];
  for (let t = 0; t < 8; t++) {
    const table = Uint8Array.from({ length: 256 }, () => Math.floor(next() * 256));
    const n = 65536 + 256 + t * 5 + (t % 16);
    const codes = new Uint8Array(n);
    for (let i = 0; i < n; i++) codes[i] = i < 256 ? i : Math.floor(next() * 256);
    req.u32(4).bytes(table).u32(n).bytes(codes).expect(n);
    jobs.push([table, codes]);
  }
  const native = both(req);
  jobs.forEach(([table, codes], j) => {
    for (const [build, wasmAq] of [['simd', aq], ['scalar', sc]]) {
      const tb = wasmAq.alloc(256, Uint8Array), qb = wasmAq.alloc(codes.length, Uint8Array), ob = wasmAq.alloc(codes.length, Uint8Array);
      try {
        tb.view.set(table); qb.view.set(codes);
        wasmAq.wasm.actq_apply_lut8(tb.ptr, qb.ptr, ob.ptr, codes.length);
        const y = ob.view.slice();
        sameBits(native[build][j].data, y, `apply_lut8 table ${j}: native ${build} vs wasm ${build}`);
        assert.ok(y.every((v, i) => v === table[codes[i]]), 'out[i] = table[in[i]]');
        counts.lut += y.length;
      } finally { tb.free(); qb.free(); ob.free(); }
    }
  });
});

const LUT16_CASES = [
  ['tanh', null, { scale: 1 / 4096, bits: 16 }, { scale: 1 / 32768, bits: 16 }],
  ['sigmoid', null, { scale: 1 / 4096, bits: 16 }, { scale: 1 / 32768, bits: 16, signed: false }],
  ['gelu', null, { scale: 1 / 2048, bits: 16, zeroPoint: -1000 }, { scale: 1 / 4096, bits: 16, rounding: 'half_away' }],
  ['hard_swish', null, { scale: 1 / 512, bits: 12 }, { scale: 1 / 256, bits: 12, narrowRange: true }],
  ['silu', { beta: 2 }, { scale: 0.01, bits: 10, signed: false, zeroPoint: 512 }, { scale: 0.01, bits: 14 }],
];

test('native C API: actq_lut16_build == aq.lut16(...).table; actq_apply_lut16 == aq.applyLut16', { skip }, () => {
  const req = new Request();
  const jobs = [];
  for (const [name, params, inQp, outQp] of LUT16_CASES) {
    const e = aq.activation(name);
    req.u32(7).u32(e.id).u32(1).args(resolveParams(e, params)).qp(inQp).qp(outQp).expect(257 * 4);
    const lut = aq.lut16(name, params, inQp, outQp);
    const inL = normalizeQParams(inQp), outL = normalizeQParams(outQp);
    const codes = codeInputs(inL, 5);
    req.u32(6).bytes(Int32Array.from(lut.table)).i32(inL.qmin).u32(lut.shift).i32(inL.normalized.signed ? 0 : 1)
      .i32(outL.qmin).i32(outL.qmax).i32(outL.normalized.signed ? 0 : 1).u32(codes.length).bytes(codes).expect(codes.length * 2);
    jobs.push([name, params, inQp, outQp, codes]);
  }
  const native = both(req);
  jobs.forEach(([name, params, inQp, outQp, codes], j) => {
    for (const [build, wasmAq] of [['simd', aq], ['scalar', sc]]) {
      const lut = wasmAq.lut16(name, params, inQp, outQp);
      const b = native[build][2 * j];
      assert.equal(b.status, lut.shift, `${name}: shift`);
      sameBits(b.data, Int32Array.from(lut.table), `lut16 ${name} knots: native ${build} vs wasm ${build}`);
      sameBits(native[build][2 * j + 1].data, wasmAq.applyLut16(lut, codes), `applyLut16 ${name}: native ${build} vs wasm ${build}`);
      counts.lut += 257 + codes.length;
    }
  });
});

// ---- integer-only kernels ------------------------------------------------------------------------

const roundHalfEven = (v) => { const r = Math.round(v); return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r; };
const INT_CASES = [
  ['hard_sigmoid', 'pytorch', { scale: 0.05 }, 'tflite-logistic'],
  ['hard_sigmoid', 'onnx', { scale: 0.1, signed: false, zeroPoint: 128 }, { scale: 1 / 255, signed: false }],
  ['hard_sigmoid', { slope: 0.3, offset: -0.2 }, { scale: 0.02, zeroPoint: -7 }, { scale: 1 / 200, zeroPoint: -100 }],
  ['hard_swish', null, { scale: 0.05 }, { scale: 0.04, zeroPoint: -20 }],
  ['hard_swish', null, { scale: 2 ** -7, signed: false, zeroPoint: 100 }, { scale: 0.01, signed: false, zeroPoint: 5 }],
  ['hard_swish', null, { scale: 0.3, zeroPoint: 30 }, { scale: 0.2, zeroPoint: -128 }],
];

test('native == wasm: integer-only hard_sigmoid and hard_swish on every code', { skip }, () => {
  const req = new Request();
  const kernels = [];
  for (const [name, params, inQp, outQp] of INT_CASES) {
    const k = aq.integerKernel(name, params, inQp, outQp);
    const inL = normalizeQParams(k.inQp), outL = normalizeQParams(k.outQp);
    const codes = codeInputs(inL, 9);
    const zin = inL.zeroPoints[0], zout = outL.zeroPoints[0], unsignedIn = inL.normalized.signed ? 0 : 1;
    if (name === 'hard_sigmoid') {
      const lo = Math.max(outL.qmin, Math.min(outL.qmax, zout));
      const hi = Math.max(outL.qmin, Math.min(outL.qmax, zout + roundHalfEven(1 / outL.scales[0])));
      req.u32(8).i32(unsignedIn).i32(zin).i32(k.multiplier).i32(k.shift).i32(k.bias).i32(zout).i32(lo).i32(hi);
    } else {
      req.u32(9).i32(unsignedIn).i32(zin).i32(k.t3).i32(k.t6).i32(k.multiplier).i32(k.shift).i32(zout).i32(outL.qmin).i32(outL.qmax);
    }
    req.u32(codes.length).bytes(codes).expect(codes.length);
    kernels.push([name, params, inQp, outQp, codes]);
  }
  const native = both(req);
  kernels.forEach(([name, params, inQp, outQp, codes], j) => {
    for (const [build, wasmAq] of [['simd', aq], ['scalar', sc]]) {
      const y = wasmAq.integerKernel(name, params, inQp, outQp).apply(codes);
      sameBits(native[build][j].data, y, `integer ${name} ${JSON.stringify(inQp)}: native ${build} vs wasm ${build}`);
      counts.integer += y.length;
    }
  });
});

test('examples/c/example.c builds, runs, and prints what the JS API computes', { skip: skip || CROSS ? 'native only' : false }, () => {
  assert.equal(buildNative(['examples']), null);
  const r = spawnSync(join(buildDir, 'examples', 'example'), { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const x = Float32Array.of(-4, -3, -1.5, 0, 1, 2.999, 3, 10);
  const y = aq.forward('hard_sigmoid', x, 'pytorch'), dy = aq.derivative('hard_sigmoid', x, 'pytorch');
  const rows = [...r.stdout.matchAll(/x = +(\S+) +f = (\S+) +f' = (\S+)/g)];
  assert.equal(rows.length, x.length);
  rows.forEach((m, i) => {
    assert.equal(Math.fround(Number(m[1])), x[i]);
    assert.equal(Math.fround(Number(m[2])), y[i], `f(${x[i]})`);
    assert.equal(Math.fround(Number(m[3])), dy[i], `f'(${x[i]})`);
  });
  const lut = aq.lut('sigmoid', null, { scale: 1 / 16 }, 'tflite-logistic');
  const codes = [...r.stdout.matchAll(/q = +(-?\d+) .*-> +(-?\d+)/g)];
  assert.equal(codes.length, 9);
  const out = aq.applyLut(lut, Int8Array.from(codes, (m) => Number(m[1])));
  codes.forEach((m, i) => assert.equal(Number(m[2]), out[i], `lut(${m[1]})`));
  assert.match(r.stdout, /slope = 0: actq_forward_args -> -3 \(ACTQ_E_ARGS\), bad parameter index 0/);
});

test('summary: values compared bit for bit', { skip }, () => {
  const total = counts.activation + counts.quantization + counts.lut + counts.integer;
  console.log(`# native${CROSS ? ` (${CROSS}, qemu)` : ''} == wasm (simd and scalar): ${counts.activation} activation outputs in ${counts.cases} cases, ` +
    `${counts.quantization} quantization outputs, ${counts.lut} table entries and codes, ${counts.integer} integer-kernel ` +
    `codes: ${total} in all, 0 differ`);
  assert.ok(total > 0);
});
