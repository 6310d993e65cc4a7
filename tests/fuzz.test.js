// Fuzzing in `npm test`: every libFuzzer harness (fuzz/*.c; ASan + UBSan, SIMD == scalar)
// replays its regression inputs and then runs for a few seconds (FUZZ_TEST_SECONDS, default
// 6; `npm run fuzz` is the long run). Skipped, with the install command, when clang or
// libFuzzer is missing and cannot be installed. Then the bugs those harnesses found, checked
// on the wasm builds the package ships (these always run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'actq';
import { buildNative } from './native/build.js';
import { HARNESSES, fuzzOne, table } from '../fuzz/run.mjs';

const skip = buildNative(['fuzz'], { fuzz: true }) ?? false;
if (skip) console.log(`# fuzz.test.js: fuzzing skipped: ${skip}`);
const SECONDS = Number(process.env.FUZZ_TEST_SECONDS ?? 6);

const results = [];
for (const name of HARNESSES) {
  test(`fuzz/${name}.c: regression inputs, then ${SECONDS} s of fuzzing without a crash or broken invariant`, { skip }, async () => {
    const r = await fuzzOne(name, SECONDS);
    results.push(r);
    assert.ok(r.ok, `${name} failed in ${r.stage}${r.reproduce ? ` (reproduce: ${r.reproduce})` : ''}:\n${r.log}`);
    assert.ok(r.runs > 0, `${name}: no runs`);
  });
}
test('fuzz: numbers', { skip }, () => console.log(table(results)));

// ---- the bugs the harnesses found, on the shipped wasm builds ------------------------------------

const aq = await load();
const sc = await load({ simd: false });
const INF = Infinity, MAX = 3.4028234663852886e38;

test('found by fuzzing: inf * 0 inside a kernel no longer comes out as -inf (silu, leaky_relu, prelu, rrelu)', () => {
  for (const a of [aq, sc]) {
    const x = Float32Array.of(-INF, INF, -MAX, MAX, -1, 1);
    // silu with beta = 0 is x / 2, its derivative 1/2 (was: silu(inf) = -inf, silu'(+-inf) = -inf)
    assert.deepEqual(Array.from(a.forward('silu', x, { beta: 0 })), [-INF, INF, -MAX / 2, MAX / 2, -0.5, 0.5]);
    assert.deepEqual(Array.from(a.derivative('silu', x, { beta: 0 })), [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    // |beta| < 2.6e-37: the clamp bound 88 / |beta| overflowed (silu(inf; -2^-149) was -inf, limit 0)
    const tiny = a.forward('silu', Float32Array.of(INF, -INF), { beta: -(2 ** -149) });
    assert.ok(Object.is(tiny[0], 0) && tiny[1] === -INF, `silu(+-inf; beta = -2^-149) = ${tiny}`);
    assert.ok(Object.is(a.forward('silu', Float32Array.of(-INF), { beta: 2 ** -149 })[0], -0));
    // alpha = 0: relu (was: f(-inf) = -inf)
    assert.ok(Object.is(a.forward('leaky_relu', Float32Array.of(-INF), { alpha: 0 })[0], -0));
    assert.ok(Object.is(a.forward('prelu', Float32Array.of(-INF, -INF), { alpha: [0, 0.5] })[0], -0));
    assert.ok(Object.is(a.forward('rrelu', Float32Array.of(-INF), { lower: 0, upper: 0 })[0], -0));
    assert.ok(Object.is(a.forward('rrelu', Float32Array.of(-INF), { lower: 0, upper: 0, training: true, seed: 3 })[0], -0));
    // other slopes keep their limits
    assert.equal(a.forward('leaky_relu', Float32Array.of(-INF), { alpha: -1e-30 })[0], INF);
    assert.equal(a.forward('silu', Float32Array.of(INF), { beta: 1e-38 })[0], INF);
  }
});

test('found by fuzzing: apl whose hinges overflow in float gives its (finite) value, not +-inf', () => {
  for (const a of [aq, sc]) {
    // a = {10, -10}: below every hinge apl(x) = -x (10 - 10) + 10 * 1 = 10 (was +-inf / NaN
    // where 10 |x| overflows; between, the float sum of the hinges cancels as floats do)
    const y = a.forward('apl', Float32Array.of(-INF, -MAX, -1e38, -5), { a: [10, -10], b: [1, 0] });
    assert.deepEqual(Array.from(y), [10, 10, 10, 10]);
    // a = {10, -9.99}: the line -x (10 - 9.99) (x = -1e38: about 1e36, was +inf)
    const z = a.forward('apl', Float32Array.of(-1e38), { a: [10, -9.99], b: [0, 0] })[0];
    const want = -Math.fround(-1e38) * (10 + Math.fround(-9.99));
    assert.ok(Math.abs(z - want) <= 1e-6 * want, `apl(-1e38) = ${z}, expected ${want}`);
    // where the true value overflows it still does
    assert.equal(a.forward('apl', Float32Array.of(-MAX), { a: [10, 10], b: [0, 0] })[0], INF);
  }
});

test('found by fuzzing: integer hard_sigmoid / hard_swish no longer overflow int32', () => {
  // m (q - zin) + bias + 2^(shift-1) passed 2^31: codes 100..127 gave 0 instead of 1
  const k = aq.integerKernel('hard_sigmoid', { slope: 0.2, offset: 0.9 }, { scale: 0.0195, zeroPoint: -128 }, { scale: 1 });
  const q = Int8Array.of(-128, 0, 100, 120, 127);
  const float = aq.quantize(aq.forward('hard_sigmoid', aq.dequantize(q, k.inQp), k.params), k.outQp);
  for (const a of [aq, sc]) {
    assert.deepEqual(Array.from(a.integerKernel('hard_sigmoid', k.params, k.inQp, k.outQp).apply(q)), Array.from(float));
  }
  // tiny output scale: the result saturates instead of wrapping
  const s = aq.integerKernel('hard_swish', null, { scale: 0.5 }, { scale: 1e-9 });
  assert.deepEqual(Array.from(s.apply(Int8Array.of(-128, -1, 0, 1, 127))), [0, -128, 0, 127, 127]);
});
