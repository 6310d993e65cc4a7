// Shared by the tier suites (fast_tier.test.js, balanced_tier.test.js): a tier's kernels
// return the same bits in the SIMD and scalar builds, keep NaN payloads (quiet and
// signalling), and an activation without a kernel of the tier returns the precise bits.
import assert from 'node:assert/strict';
import { rng } from './accuracy.js';

const bits = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

export function checkTierBits(aq, scalar, tier, seed) {
  const next = rng(seed), x = new Float32Array(50000);
  for (let i = 0; i < x.length; i++) x[i] = (next() - 0.5) * (next() < 0.5 ? 60 : 2 ** (next() * 60 - 30));
  const nan = new Float32Array(new Uint32Array([0x7fc00000, 0xffc00001, 0x7fa00002]).buffer);
  x.set(nan, 0);
  for (const entry of aq.activations) {
    const a = aq.forward(entry.name, x, null, null, { tier }), b = scalar.forward(entry.name, x, null, null, { tier });
    assert.ok(bits(a).equals(bits(b)), `${entry.name}: SIMD and scalar bits differ`);
    assert.deepEqual([...new Uint32Array(a.buffer, 0, 3)], [...new Uint32Array(nan.buffer)], `${entry.name}: NaN payloads`);
    if (!entry[tier]) assert.ok(bits(a).equals(bits(aq.forward(entry.name, x))), `${entry.name}: no ${tier} kernel, so the precise bits`);
  }
}
