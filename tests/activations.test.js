// The activation table: registry, accuracy against float64, special values, SIMD/scalar
// agreement, lengths, zero-copy buffers. Imports the package the way users do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'actq';
import { REFERENCES, ODD } from './reference.js';
import { BOUNDS, measure, samplePoints, paramsObject, rng } from './accuracy.js';

const aq = await load();
const scalar = await load({ simd: false });
const points = samplePoints();

const DESIGN_NAMES = ['sigmoid', 'hard_sigmoid', 'tanh', 'hard_tanh', 'log_sigmoid', 'relu', 'relu6', 'leaky_relu',
  'prelu', 'rrelu', 'elu', 'selu', 'celu', 'gelu', 'gelu_tanh', 'silu', 'hard_swish', 'mish', 'softplus',
  'softsign', 'sqnl', 'apl', 'hard_shrink', 'soft_shrink', 'tanh_shrink', 'threshold', 'pwl'];

// Non-default parameters for every parametrized activation, with the looser ULP bound that
// rounding the parameters (and beta * x) to float costs.
const VARIANTS = {
  hard_tanh: [{ min_val: -0.5, max_val: 2 }, { slope: 0.75, offset: 0.25 }, { min_val: 0, max_val: 1, slope: 0.2, offset: 0.5 }],
  hard_swish: [{ slope: 0.25, offset: 0.5 }, { slope: 0.125, offset: 0.25 }],
  pwl: [{ knots: [-3, -1, 0.5, 2, 4.25], values: [0.05, 0.3, 0.55, 0.85, 1] }, { knots: [-2, 0, 3], values: [-1, 0.5, 4], extend_left: true, extend_right: true },
    { knots: [1.5], values: [2] }, { knots: [-4, 0, 4], values: [0, 0, 4], extend_right: true }],
  leaky_relu: ['tf', 'keras', { alpha: -0.7 }],
  prelu: [{ alpha: [0.1, -0.2, 0.3], inner: 5 }],
  rrelu: [{ lower: 0.05, upper: 0.4 }, { training: true, seed: 42 }],
  elu: [{ alpha: 0.4 }],
  celu: [{ alpha: 2.5 }],
  silu: [{ beta: 1.7 }],
  softplus: [{ beta: 2, threshold: 10 }],
  apl: [{ a: [0.2, -0.1, 0.05], b: [0.5, -1, 2] }],
  hard_shrink: [{ lambda: 1.25 }],
  soft_shrink: [{ lambda: 1.25 }],
  threshold: [{ threshold: -0.5, value: -2 }],
};
const VARIANT_ULP = { silu: 450, softplus: 8, celu: 8, elu: 4, leaky_relu: 1, rrelu: 1, hard_tanh: 0.5 };

test('the registry lists every activation of the design, with metadata from the C table', () => {
  assert.deepEqual(aq.activations.map((a) => a.name), DESIGN_NAMES);
  assert.deepEqual(Object.keys(REFERENCES).sort(), [...DESIGN_NAMES].sort(), 'a reference per activation');
  assert.deepEqual(Object.keys(BOUNDS).sort(), [...DESIGN_NAMES].sort(), 'a stated bound per activation');
  const hs = aq.activation('hard_sigmoid');
  assert.deepEqual(hs.params.map((p) => [p.name, p.default]), [['slope', 0.2], ['offset', 0.5]]);
  assert.deepEqual(Object.keys(hs.presets), ['onnx', 'pytorch', 'paddle', 'taylor', 'bnn']);
  assert.equal(hs.presets.pytorch.slope, 1 / 6);
  assert.equal(hs.presets.paddle.slope, 0.1666667);
  assert.equal(hs.presets.taylor.slope, 0.25);
  assert.equal(hs.presets.bnn.slope, 0.5);
  for (const a of aq.activations) {
    for (const p of a.params) {
      assert.ok(p.min <= p.max, `${a.name}.${p.name} range`);
      const defaults = p.kind === 'array' ? p.default : [Number(p.default)];
      for (const v of defaults) assert.ok(v >= p.min && v <= p.max, `${a.name}.${p.name} default in range`);
    }
  }
  assert.equal(aq.activation('swish'), aq.activation('silu'));
});

for (const entry of aq.activations) {
  test(`${entry.name}: forward and derivative within the stated bounds over [-20, 20]`, () => {
    for (const which of ['forward', 'derivative']) {
      const [ulp, abs] = BOUNDS[entry.name][which];
      const presets = [undefined, ...Object.keys(entry.presets)];
      for (const params of presets) {
        const m = measure(aq, entry.name, which, params, points);
        const where = `${which}${params ? ` (${params})` : ''}`;
        assert.ok(m.maxUlp <= ulp, `${where}: ${m.maxUlp.toFixed(3)} ULP at x = ${m.ulpAt} > ${ulp}`);
        assert.ok(m.maxAbs <= abs, `${where}: abs error ${m.maxAbs} at x = ${m.absAt} > ${abs}`);
      }
      for (const params of VARIANTS[entry.name] ?? []) {
        const m = measure(aq, entry.name, which, params, points);
        const bound = Math.max(ulp, VARIANT_ULP[entry.name] ?? 0);
        assert.ok(m.maxUlp <= bound, `${which} ${JSON.stringify(params)}: ${m.maxUlp} ULP at ${m.ulpAt} > ${bound}`);
      }
    }
  });
}

test('hard_sigmoid presets round once: <= 0.5 ULP even next to the knees', () => {
  for (const preset of Object.keys(aq.activation('hard_sigmoid').presets)) {
    const p = paramsObject(aq.activation('hard_sigmoid'), preset);
    const knee = -p.offset / p.slope;
    // every float within 2^12 ULP of each knee
    const x = new Float32Array(8192 * 2);
    const f = new Float32Array(1), u = new Int32Array(f.buffer);
    [knee, knee + 1 / p.slope].forEach((k, j) => {
      f[0] = k;
      const base = u[0];
      for (let i = 0; i < 8192; i++) { u[0] = base + i - 4096; x[j * 8192 + i] = f[0]; }
    });
    const m = measure(aq, 'hard_sigmoid', 'forward', preset, x);
    assert.ok(m.maxUlp <= 0.5 + 1e-9, `${preset}: ${m.maxUlp} ULP at ${m.ulpAt}`);
  }
});

const EDGE = [NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 1.1754944e-38, -1.1754944e-38, 1e-30, -1e-30,
  3.4028235e38, -3.4028235e38, 1e30, -1e30, 88.7, -88.7, 87.3, -87.3, 103.9, -103.9, 20, -20, 9, -9, 17.5, -17.5,
  13, -13, 12, -12, 10, -10, 6, -6, 3, -3, 2.5, -2.5, 2, -2, 1.5, -1.5, 1, -1, 0.5, -0.5, 0.25, -0.25];

test('special values: NaN propagates, +-inf give the limits, odd functions keep -0', () => {
  const x = Float32Array.from(EDGE);
  for (const entry of aq.activations) {
    const { f, d } = REFERENCES[entry.name];
    const p = paramsObject(entry);
    const limit = (fn, s) => { const v = fn(s * 1e30, p, 0); return Math.abs(v) > 1e25 ? Math.sign(v) * Infinity : Math.fround(v); };
    for (const [which, fn] of [['forward', f], ['derivative', d]]) {
      const y = aq[which](entry.name, x);
      assert.ok(Number.isNaN(y[0]), `${entry.name} ${which}(NaN) = ${y[0]}`);
      for (const [i, s] of [[1, 1], [2, -1]]) {
        const want = limit(fn, s);
        assert.ok(y[i] === want || Math.abs(y[i] - want) <= 1e-6 * Math.abs(want),
          `${entry.name} ${which}(${s * Infinity}) = ${y[i]}, limit ${want}`);
      }
      for (let i = 3; i < x.length; i++) assert.ok(!Number.isNaN(y[i]), `${entry.name} ${which}(${x[i]}) is NaN`);
    }
  }
  for (const name of ODD) assert.ok(Object.is(aq.forward(name, Float32Array.of(-0))[0], -0), `${name}(-0) = -0`);
  for (const name of ['log_sigmoid', 'softplus']) {
    const y = aq.forward(name, Float32Array.of(-3.4e38, 3.4e38, -1e30, 1e30));
    assert.ok(y.every(Number.isFinite), `${name} stays finite: ${y}`);
  }
});

// The unrolled kernels test for NaN once per block of up to 32 elements (the block's sum) and
// then apply the guard to that block alone: NaNs (quiet, signalling, negative, with payloads)
// scattered through a long array, and +inf and -inf in one block (a NaN sum without a NaN),
// must give the bits of each element computed alone, in place and x -> y (typed arrays and
// two buffers), in every tier. 2600 elements: two-stage kernels (MAP_SPLIT) run in blocks of
// 1024, and x -> y between buffers takes their other path (the first stage stored in y).
test('NaN anywhere in a long array keeps its payload; every other element as computed alone (every tier, in place and x -> y)', () => {
  const next = rng(31), n = 2600;
  const x = new Float32Array(n), u = new Uint32Array(x.buffer);
  for (let i = 0; i < n; i++) x[i] = (next() - 0.5) * 24;
  const payloads = [0x7fc00000, 0xffc00001, 0x7fa00002, 0xff812345, 0x7fffffff];
  for (let k = 0; k < 40; k++) u[Math.floor(next() * n)] = payloads[k % payloads.length];
  x[500] = Infinity; x[504] = -Infinity; x[509] = Infinity; x[513] = -Infinity; // the same lane of a block
  x[1500] = Infinity; x[1504] = -Infinity; // and in a full block of the two-stage kernels
  const bits = (a) => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];
  for (const entry of aq.activations) {
    for (const tier of ['precise', 'fast', 'balanced']) {
      for (const build of [aq, scalar]) {
        const alone = new Float32Array(n), aloneBits = new Uint32Array(alone.buffer); // bits: a float read as a number is quieted
        for (let i = 0; i < n; i++) aloneBits[i] = new Uint32Array(build.forward(entry.name, x.subarray(i, i + 1), null, null, { tier }).buffer)[0];
        const what = `${entry.name} ${tier} (${build === aq ? 'SIMD' : 'scalar'})`;
        assert.deepEqual(bits(build.forward(entry.name, x, null, null, { tier })), bits(alone), `${what}, x -> y`);
        const buf = build.alloc(n);
        buf.view.set(x);
        const out = build.alloc(n);
        build.forward(entry.name, buf, null, out, { tier });
        assert.deepEqual(bits(out.view), bits(alone), `${what}, buffer x -> buffer y`);
        build.forward(entry.name, buf, null, buf, { tier });
        assert.deepEqual(bits(buf.view), bits(alone), `${what}, in place`);
        buf.free();
        out.free();
      }
    }
  }
});

function randomInputs(n, seed) {
  const next = rng(seed), x = new Float32Array(n + EDGE.length);
  for (let i = 0; i < n; i++) {
    const r = next();
    // mix of the meaningful range, wide magnitudes and tiny values
    x[i] = r < 0.6 ? (next() - 0.5) * 60 : r < 0.8 ? (next() - 0.5) * 2 ** (next() * 200 - 100) : (next() - 0.5) * 1e-3;
  }
  x.set(EDGE, n);
  return x;
}
const sameBits = (a, b) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

test('the SIMD and scalar builds return the same bits for every function, preset and variant', () => {
  assert.equal(aq.simd, true);
  assert.equal(scalar.simd, false);
  const x = randomInputs(100003, 3);
  for (const entry of aq.activations) {
    for (const params of [undefined, ...Object.keys(entry.presets), ...(VARIANTS[entry.name] ?? [])]) {
      for (const which of ['forward', 'derivative']) {
        const a = aq[which](entry.name, x, params), b = scalar[which](entry.name, x, params);
        if (!sameBits(a, b)) {
          const ua = new Uint32Array(a.buffer), ub = new Uint32Array(b.buffer);
          const i = ua.findIndex((v, j) => v !== ub[j]);
          assert.fail(`${entry.name} ${which} ${JSON.stringify(params)}: x = ${x[i]}: ` +
            `simd ${a[i]} (0x${ua[i].toString(16)}) scalar ${b[i]} (0x${ub[i].toString(16)})`);
        }
      }
    }
  }
});

test('every length from 0 to 33 and 2^20 + 3 gives the elementwise result (tails, chunks)', () => {
  const big = randomInputs((1 << 20) + 3 - EDGE.length, 5);
  for (const name of ['sigmoid', 'hard_swish', 'gelu', 'prelu', 'rrelu']) {
    const params = name === 'prelu' ? { alpha: [0.1, 0.2, 0.3], inner: 7 } : name === 'rrelu' ? { training: 1, seed: 9 } : undefined;
    const whole = aq.forward(name, big, params);
    assert.ok(sameBits(whole, scalar.forward(name, big, params)), `${name} at 2^20 + 3`);
    for (let n = 0; n <= 33; n++) {
      const part = aq.forward(name, big.subarray(0, n), params);
      assert.equal(part.length, n);
      assert.ok(sameBits(part, whole.subarray(0, n)), `${name} length ${n}`);
    }
    // a buffer (one kernel call) agrees with the chunked copying path
    const buf = aq.alloc(big.length);
    buf.view.set(big);
    aq.forward(name, buf, params, buf);
    assert.ok(sameBits(buf.view, whole), `${name} zero-copy`);
    buf.free();
  }
});

test('prelu: one slope per channel, NCHW via inner; rrelu training noise is seeded and in [lower, upper]', () => {
  const x = new Float32Array(2 * 3 * 4).fill(-1); // N=2, C=3, H*W=4
  const y = aq.forward('prelu', x, { alpha: [0.1, 0.2, 0.3], inner: 4 });
  assert.deepEqual(Array.from(y), [0, 1, 2, 0, 1, 2].flatMap((c) => Array(4).fill(-Math.fround([0.1, 0.2, 0.3][c]))));
  const nhwc = aq.forward('prelu', Float32Array.of(-1, -1, -1, -1), { alpha: [0.5, 2] });
  assert.deepEqual(Array.from(nhwc), [-0.5, -2, -0.5, -2]);
  const ones = new Float32Array(10000).fill(-1);
  const a = aq.forward('rrelu', ones, { training: true, seed: 1 });
  const b = aq.forward('rrelu', ones, { training: true, seed: 1 });
  const c = aq.forward('rrelu', ones, { training: true, seed: 2 });
  assert.ok(sameBits(a, b) && !sameBits(a, c));
  const slopes = Array.from(a, (v) => -v);
  assert.ok(slopes.every((s) => s >= 0.125 && s <= 1 / 3 + 1e-7));
  const mean = slopes.reduce((s, v) => s + v, 0) / slopes.length;
  assert.ok(Math.abs(mean - (0.125 + 1 / 3) / 2) < 0.005, `mean slope ${mean}`);
  const g = aq.derivative('rrelu', ones, { training: true, seed: 1 });
  assert.deepEqual(Array.from(g), slopes.map(Math.fround));
});

test('in place, buffers and 64M elements: memory grows, views stay valid', () => {
  const x = Float32Array.of(-2, -1, 0, 1, 2);
  const expect = aq.forward('tanh', x);
  assert.equal(aq.forward('tanh', x, null, x), x);
  assert.ok(sameBits(x, expect));

  const n = 64 * 1024 * 1024;
  const before = aq.wasm.memory.buffer.byteLength;
  const buf = aq.alloc(n);
  assert.ok(aq.wasm.memory.buffer.byteLength > before, 'memory grew');
  const v = buf.view;
  for (let i = 0; i < n; i += 4096) v[i] = (i / n) * 40 - 20;
  aq.forward('sigmoid', buf, null, buf);
  const w = buf.view;
  for (let i = 0; i < n; i += 1 << 20) assert.ok(Math.abs(w[i] - REFERENCES.sigmoid.f(Math.fround((i / n) * 40 - 20))) < 1e-6);
  buf.free();
  assert.throws(() => buf.view, RangeError);

  const big = new Float32Array(n);
  big[n - 1] = 1;
  const y = aq.forward('relu6', big);
  assert.equal(y.length, n);
  assert.equal(y[n - 1], 1);
});
