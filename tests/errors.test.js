// Bad input: a clear TypeError / RangeError naming the culprit, nothing written, no leak.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'actq';

const aq = await load();

function throwsNothingWritten(fn, Err, pattern, out) {
  const before = out ? out.slice() : null;
  assert.throws(fn, (e) => e instanceof Err && pattern.test(e.message), `expected ${Err.name} ${pattern}`);
  if (out) assert.deepEqual(out, before, 'out untouched');
}

test('wrong array types are TypeErrors', () => {
  for (const bad of [[1, 2], new Float64Array(2), new Int8Array(2), null, undefined, 'abc', 3, {}]) {
    assert.throws(() => aq.forward('relu', bad), TypeError);
    assert.throws(() => aq.derivative('relu', bad), TypeError);
  }
  assert.throws(() => aq.forward('relu', new Float32Array(2), null, new Float64Array(2)), TypeError);
  assert.throws(() => aq.forward('relu', new Float32Array(2), null, [0, 0]), TypeError);
  assert.throws(() => aq.forward('prelu', new Float32Array(2), { alpha: 'x' }), TypeError);
  assert.throws(() => aq.forward('elu', new Float32Array(2), { alpha: '1' }), /alpha/);
  assert.throws(() => aq.forward('elu', new Float32Array(2), 42), TypeError);
});

test('RangeErrors name the activation, preset or parameter; out is left untouched', () => {
  const x = Float32Array.of(-1, 0.5, 2), out = Float32Array.of(7, 7, 7);
  throwsNothingWritten(() => aq.forward('sigmod', x, null, out), RangeError, /unknown activation 'sigmod'/, out);
  throwsNothingWritten(() => aq.forward('hard_sigmoid', x, 'keras9', out), RangeError, /unknown preset 'keras9'.*onnx/, out);
  throwsNothingWritten(() => aq.forward('relu', x, 'onnx', out), RangeError, /relu: unknown preset/, out);
  throwsNothingWritten(() => aq.forward('hard_sigmoid', x, { slop: 1 }, out), RangeError, /unknown parameter 'slop'/, out);
  for (const slope of [NaN, Infinity, -Infinity, 0, -1, 11]) {
    throwsNothingWritten(() => aq.forward('hard_sigmoid', x, { slope }, out), RangeError, /hard_sigmoid: parameter 'slope'/, out);
  }
  throwsNothingWritten(() => aq.derivative('hard_tanh', x, { min_val: 1, max_val: -1 }, out), RangeError, /'max_val' = -1 conflicts with min_val = 1/, out);
  throwsNothingWritten(() => aq.forward('rrelu', x, { lower: 0.5, upper: 0.2 }, out), RangeError, /'upper'/, out);
  throwsNothingWritten(() => aq.forward('rrelu', x, { seed: 1.5 }, out), RangeError, /'seed'.*integer/, out);
  throwsNothingWritten(() => aq.forward('prelu', x, { alpha: [] }, out), RangeError, /'alpha'/, out);
  throwsNothingWritten(() => aq.forward('prelu', x, { alpha: [0.1, NaN] }, out), RangeError, /'alpha'/, out);
  throwsNothingWritten(() => aq.forward('prelu', x, { inner: 0 }, out), RangeError, /'inner'/, out);
  throwsNothingWritten(() => aq.forward('apl', x, { a: [1, 2], b: [0] }, out), RangeError, /apl: parameter 'b' = \[0\] conflicts with a = \[1, 2\]/, out);
  throwsNothingWritten(() => aq.forward('relu', x, null, new Float32Array(2)), RangeError, /out: length 2/);
  throwsNothingWritten(() => aq.forward('gelu', x, null, out, { tier: 'quick' }), RangeError, /options.tier/, out);
  assert.throws(() => aq.alloc(-1), RangeError);
  assert.throws(() => aq.alloc(1.5), RangeError);
});

test('heap use returns to its baseline after 100,000 calls, failed ones included', () => {
  const x = new Float32Array(40).fill(-0.5);
  const out = new Float32Array(40);
  const baseline = aq.liveAllocations();
  const bytes = aq.wasm.memory.buffer.byteLength;
  for (let i = 0; i < 100000; i++) {
    switch (i % 5) {
      case 0: aq.forward('prelu', x, { alpha: [0.1, 0.2] }, out); break;
      case 1: aq.derivative('apl', x, null, out); break;
      case 2: assert.throws(() => aq.forward('prelu', x, { alpha: [0.1, 99] })); break;
      case 3: { const b = aq.alloc(64); aq.forward('gelu', b, null, b); b.free(); break; }
      default: aq.forward('sigmoid', x, undefined, x);
    }
  }
  assert.equal(aq.liveAllocations(), baseline);
  assert.equal(aq.wasm.memory.buffer.byteLength, bytes, 'memory did not grow');
});
