// The 'balanced' accuracy tier (forward(..., { tier: 'balanced' })): at least as accurate as
// every peer framework's kernel (the bench measures the peers: bench/run.mjs), in fewer
// instructions than the precise kernel. gelu has one (vmath.h v_gelu_balanced); the others
// run their precise kernel. Bounds are the measured maxima with some room, so a kernel that
// gets worse fails here first; NaN, +-inf, -0 as documented; the same bits in the SIMD and
// scalar builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'actq';
import { measure, rng, samplePoints } from './accuracy.js';
import { checkTierBits } from './tiers.js';

const aq = await load();
const scalar = await load({ simd: false });
const balanced = (w, name, x, out = null) => w.forward(name, x, null, out, { tier: 'balanced' });

// [max ULP where |ref| >= 1e-3, max abs] over the test points of [-20, 20], measured: gelu
// 102.3 ULP, 2.42e-7 (the peers on the bench grid: LiteRT 3907 ULP / 1.1e-6, onnxruntime-web
// 614 / 4.5e-7, tfjs has no gelu kernel)
const MEASURED = { gelu: [102.4, 2.43e-7] };
const BOUND = { gelu: [110, 2.5e-7] };

test('the balanced tier exists for gelu alone', () => {
  assert.deepEqual(aq.activations.filter((a) => a.balanced).map((a) => a.name), Object.keys(BOUND));
  assert.deepEqual(scalar.activations.filter((a) => a.balanced).map((a) => a.name), Object.keys(BOUND));
});

for (const name of Object.keys(BOUND)) {
  test(`${name} balanced tier: max ULP and abs error over [-20, 20] within the bound; NaN, +-inf and -0`, () => {
    const x = samplePoints();
    for (const w of [aq, scalar]) {
      const { maxUlp, maxAbs, ulpAt, absAt } = measure(w, name, 'forward', null, x, { tier: 'balanced' });
      const [bu, ba] = BOUND[name], [mu, ma] = MEASURED[name];
      assert.ok(maxUlp <= bu && maxUlp <= mu * 1.02, `max ULP ${maxUlp} at x = ${ulpAt} (bound ${bu}, measured ${mu})`);
      assert.ok(maxAbs <= ba && maxAbs <= ma * 1.02, `max abs ${maxAbs} at x = ${absAt} (bound ${ba}, measured ${ma})`);
      // the balanced kernel runs, not the precise one
      const y = balanced(w, name, x), precise = w.forward(name, x);
      assert.ok(!Buffer.from(y.buffer).equals(Buffer.from(precise.buffer)), 'the balanced kernel is its own');
    }
    const edge = balanced(aq, name, Float32Array.of(Infinity, -Infinity, -0, 0, -1e-30, 1e-30, -13.25, -1e4));
    assert.equal(edge[0], Infinity);
    assert.ok(Object.is(edge[2], -0) && Object.is(edge[3], 0), `gelu(-0), gelu(0) = ${edge[2]}, ${edge[3]}`);
    assert.equal(Math.abs(edge[1]), 0);
    for (const i of [4, 5]) { // gelu(x) = x / 2 for tiny x, to the tail's relative error at 0
      const half = Math.fround([-1e-30, 1e-30][i - 4]) / 2;
      assert.ok(Math.abs(edge[i] - half) <= 1e-5 * Math.abs(half), `gelu(${2 * half}) = ${edge[i]}`);
    }
    assert.ok(Math.abs(edge[6]) < 1e-30 && Math.abs(edge[7]) < 1e-30, `the far tail: ${edge[6]}, ${edge[7]}`);
  });
}

test('balanced tier: the SIMD and scalar builds return the same bits, NaN payloads unchanged; without a kernel of the tier, the precise bits', () => {
  checkTierBits(aq, scalar, 'balanced', 13);
});

test('balanced tier on buffers from alloc(), in place and x -> y, at every length mod 16', () => {
  const next = rng(17);
  for (let n = 0; n < 48; n++) {
    const x = new Float32Array(n).map(() => (next() - 0.5) * 16);
    const want = balanced(aq, 'gelu', x);
    const src = aq.alloc(n), dst = aq.alloc(n);
    src.view.set(x);
    balanced(aq, 'gelu', src, dst);
    assert.deepEqual([...dst.view], [...want], `x -> y, n = ${n}`);
    balanced(aq, 'gelu', src, src);
    assert.deepEqual([...src.view], [...want], `in place, n = ${n}`);
    src.free(); dst.free();
  }
});
