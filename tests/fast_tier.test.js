// The 'fast' accuracy tier (forward(..., { tier: 'fast' })): absolute error <= 2^-14 over
// [-20, 20], NaN returned unchanged, the limits at +-inf within the same bound, and the same
// bits in the SIMD and scalar builds; activations without a fast kernel return the precise bits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'actq';
import { REFERENCES } from './reference.js';
import { paramsObject, rng, samplePoints } from './accuracy.js';

const aq = await load();
const scalar = await load({ simd: false });
const BOUND = 2 ** -14;

const fast = (w, name, x) => w.forward(name, x, null, null, { tier: 'fast' });

const withFast = aq.activations.filter((a) => a.fast);

test('the fast tier exists for gelu', () => {
  assert.ok(withFast.some((a) => a.name === 'gelu'));
});

for (const entry of withFast) {
  test(`${entry.name} fast tier: abs error <= 2^-14 over [-20, 20], NaN and +-inf`, () => {
    const x = samplePoints();
    const y = fast(aq, entry.name, x), p = paramsObject(entry), ref = REFERENCES[entry.name].f;
    let worst = 0, at = NaN;
    for (let i = 0; i < x.length; i++) {
      const err = Math.abs(y[i] - ref(x[i], p, i));
      if (!(err <= worst)) { worst = err; at = x[i]; }
    }
    assert.ok(worst <= BOUND, `max abs error ${worst} at x = ${at}`);
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

test('fast tier: the SIMD and scalar builds return the same bits; NaN payloads unchanged', () => {
  const next = rng(11), x = new Float32Array(50000);
  for (let i = 0; i < x.length; i++) x[i] = (next() - 0.5) * (next() < 0.5 ? 60 : 2 ** (next() * 60 - 30));
  const nan = new Float32Array(new Uint32Array([0x7fc00000, 0xffc00001, 0x7fa00002]).buffer);
  x.set(nan, 0);
  for (const entry of aq.activations) {
    const a = fast(aq, entry.name, x), b = fast(scalar, entry.name, x);
    assert.ok(Buffer.from(a.buffer).equals(Buffer.from(b.buffer)), `${entry.name}: SIMD and scalar bits differ`);
    assert.deepEqual([...new Uint32Array(a.buffer, 0, 3)], [...new Uint32Array(nan.buffer)], `${entry.name}: NaN payloads`);
    if (!withFast.includes(entry)) {
      const precise = aq.forward(entry.name, x);
      assert.ok(Buffer.from(a.buffer).equals(Buffer.from(precise.buffer)), `${entry.name}: no fast kernel, so the precise bits`);
    }
  }
});
