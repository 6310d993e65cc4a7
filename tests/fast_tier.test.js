// The 'fast' accuracy tier (forward(..., { tier: 'fast' })): absolute error <= 2^-14 over
// [-20, 20], NaN returned unchanged, the limits at +-inf within the same bound, and the same
// bits in the SIMD and scalar builds; activations without a fast kernel return the precise bits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'actq';
import { REFERENCES } from './reference.js';
import { paramsObject, rng, samplePoints } from './accuracy.js';
import { checkTierBits } from './tiers.js';

const aq = await load();
const scalar = await load({ simd: false });
const BOUND = 2 ** -14;

const fast = (w, name, x, params = null) => w.forward(name, x, params, null, { tier: 'fast' });

const withFast = aq.activations.filter((a) => a.fast);

// Every smooth activation has a fast kernel (abs error <= 2^-14), every piecewise-linear one
// with an offset a float one (abs error <= 2^-20: relu6 and leaky_relu are exact already,
// their fast tier is the precise kernel). The measured maxima (stated in vmath.h and
// activations.c) with some room, so a kernel that gets worse fails here first.
const SMOOTH = ['sigmoid', 'tanh', 'log_sigmoid', 'softplus', 'silu', 'gelu', 'gelu_tanh', 'elu', 'selu', 'celu', 'mish'];
const PIECEWISE = ['hard_sigmoid', 'hard_swish', 'hard_tanh'];
const PWL_BOUND = 2 ** -20;
const MEASURED = { // max abs error over [-20, 20], defaults and presets
  sigmoid: 2.4e-5, tanh: 2.28e-5, log_sigmoid: 1.27e-5, softplus: 1.27e-5, silu: 2.3e-5, gelu: 1.35e-5,
  gelu_tanh: 1.4e-5, elu: 7.22e-6, selu: 1.27e-5, celu: 7.22e-6, mish: 2.7e-5,
  hard_sigmoid: 4.8e-8, hard_swish: 2.4e-7, hard_tanh: 0,
};

test('the fast tier exists for every smooth activation and the piecewise-linear ones with an offset', () => {
  const names = withFast.map((a) => a.name).sort();
  assert.deepEqual(names, [...SMOOTH, ...PIECEWISE].sort());
});

const worstOf = (name, params, x) => {
  const entry = aq.activation(name), p = paramsObject(entry, params), ref = REFERENCES[name].f;
  const y = fast(aq, name, x, params);
  let worst = 0, at = NaN;
  for (let i = 0; i < x.length; i++) {
    const err = Math.abs(y[i] - ref(x[i], p, i));
    if (!(err <= worst)) { worst = err; at = x[i]; }
  }
  return { worst, at };
};

for (const entry of withFast) {
  const bound = PIECEWISE.includes(entry.name) ? PWL_BOUND : BOUND;
  test(`${entry.name} fast tier: abs error <= ${bound === BOUND ? '2^-14' : '2^-20'} over [-20, 20] (every preset), NaN and +-inf`, () => {
    const x = samplePoints();
    const p = paramsObject(entry), ref = REFERENCES[entry.name].f;
    for (const params of [null, ...Object.keys(entry.presets)]) {
      const { worst, at } = worstOf(entry.name, params, x);
      assert.ok(worst <= bound, `${params ?? 'defaults'}: max abs error ${worst} at x = ${at}`);
      assert.ok(worst <= MEASURED[entry.name] * 1.02, `${params ?? 'defaults'}: max abs error ${worst} at x = ${at}, measured ${MEASURED[entry.name]}`);
    }
    const edge = fast(aq, entry.name, Float32Array.of(NaN, Infinity, -Infinity, 0, -0));
    assert.ok(Number.isNaN(edge[0]));
    for (const [i, s] of [[1, 1], [2, -1]]) { // the limits: +-inf where the function diverges
      const want = ref(s * 1e30, p, 0), got = edge[i];
      const ok = Math.abs(want) > 1e25 ? got === Math.sign(want) * Infinity : Math.abs(got - want) <= BOUND;
      assert.ok(ok, `${entry.name}(${s * Infinity}) = ${got}, limit ${want}`);
    }
    assert.ok(Math.abs(edge[3] - ref(0, p, 0)) <= BOUND && Math.abs(edge[4] - ref(0, p, 0)) <= BOUND);
  });
}

test('fast tier: the SIMD and scalar builds return the same bits; NaN payloads unchanged; without a kernel of the tier, the precise bits', () => {
  checkTierBits(aq, scalar, 'fast', 11);
});

test('fast tier with non-default parameters: SIMD and scalar bits agree, within the bound', () => {
  const next = rng(5), x = new Float32Array(20000);
  for (let i = 0; i < x.length; i++) x[i] = (next() - 0.5) * 40;
  const cases = [
    ['elu', { alpha: 2 }], ['elu', { alpha: 0.5 }], ['celu', { alpha: 3 }], ['celu', { alpha: 0.25 }],
    ['silu', { beta: -1.5 }], ['silu', { beta: 2 }], ['softplus', { beta: 2, threshold: 10 }],
    ['hard_sigmoid', { slope: 0.3, offset: 0.4 }], ['hard_swish', { slope: 0.25, offset: 0.5 }],
    ['hard_tanh', { min_val: -2, max_val: 3, slope: 0.5, offset: 0.25 }],
  ];
  for (const [name, params] of cases) {
    const a = fast(aq, name, x, params), b = fast(scalar, name, x, params);
    assert.ok(Buffer.from(a.buffer).equals(Buffer.from(b.buffer)), `${name} ${JSON.stringify(params)}: SIMD and scalar bits differ`);
    const bound = PIECEWISE.includes(name) ? PWL_BOUND : name === 'celu' || name === 'elu' ? BOUND * Math.max(1, params.alpha) : BOUND;
    const { worst, at } = worstOf(name, params, x);
    assert.ok(worst <= bound, `${name} ${JSON.stringify(params)}: max abs error ${worst} at x = ${at}`);
  }
});
