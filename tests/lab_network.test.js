// The lab's network API as a user calls it (actq/lab): the float net against a float64
// forward, training determinism and SIMD == scalar bits, the integer network against the
// plain-JS reference bit for bit on every test sample, JSON round trips, memory (no heap
// growth over 100 epochs, free() gives everything back), and bad input that throws a
// named error and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadLab } from 'actq/lab';
import { referenceLogits } from './lab/int_reference.js';

const lab = await loadLab();
const scalar = await loadLab({ simd: false });
const moons = await lab.data('moons', { seed: 3 });
const mnist = await lab.data('mnist', { seed: 2, train: 2000, test: 1000 });

const sameBits = (a, b, what) => {
  assert.equal(a.length, b.length, what);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) assert.fail(`${what}: element ${i} differs (${a[i]} vs ${b[i]})`);
};

test('the float forward equals a float64 forward of the same weights (logits within 1e-5)', () => {
  const net = lab.mlp({ sizes: [784, 32, 16, 10], activation: 'gelu', seed: 3 });
  try {
    const x = mnist.test.x.subarray(0, 50 * 784);
    const logits = net.logits(x);
    const L = [0, 1, 2].map((l) => net.layer(l));
    const Phi = (v) => 0.5 * (1 + erf(v / Math.SQRT2));
    for (let r = 0; r < 50; r++) {
      let a = Array.from(x.subarray(r * 784, (r + 1) * 784));
      L.forEach(({ weights, bias }, l) => {
        const out = bias.length, inputs = a.length;
        const z = Array.from(bias, (b, c) => a.reduce((s, v, k) => s + v * weights[c * inputs + k], b));
        a = l < 2 ? z.map((v) => v * Phi(v)) : z;
        assert.equal(out, z.length);
      });
      a.forEach((v, c) => assert.ok(Math.abs(logits[r * 10 + c] - v) < 1e-5, `row ${r} class ${c}: ${logits[r * 10 + c]} vs ${v}`));
    }
  } finally {
    net.free();
  }
});

// erf by its Taylor series / continued fraction is in tests/reference.js; a short series suffices here (|x| < 6)
function erf(x) {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y = 1 - t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? y : -y; // Numerical Recipes erfc approximation: |error| < 1.2e-7
}

test('training is deterministic for a seed, differs across seeds, and the SIMD and scalar builds give the same bits', () => {
  const run = (l, seed, optimizer) => {
    const net = l.mlp({ sizes: [784, 24, 10], activation: 'sigmoid', seed });
    try {
      net.train(mnist.train, { epochs: 1, batch: 50, optimizer });
      return net.parameters();
    } finally {
      net.free();
    }
  };
  for (const optimizer of ['sgd', 'adam']) {
    const a = run(lab, 1, optimizer);
    sameBits(a, run(lab, 1, optimizer), `${optimizer}: same seed`);
    sameBits(a, run(scalar, 1, optimizer), `${optimizer}: SIMD vs scalar`);
    assert.notDeepEqual(a, run(lab, 2, optimizer));
  }
});

test('compare(): the same rows for the same seed, in both builds; integer nets equal the plain-JS reference on every test sample', async () => {
  const options = { data: moons, hidden: [12], train: 'tanh', deploy: ['hard_tanh', 'hard_sigmoid:bnn'], bits: [8, 3], epochs: 20, qatEpochs: 1, seed: 5 };
  const a = await lab.compare(options), b = await lab.compare(options), c = await scalar.compare(options);
  assert.deepEqual(a.rows, b.rows);
  assert.deepEqual(a.rows, c.rows);
  assert.deepEqual(a.integer, c.integer);
  assert.deepEqual(a.rows.map((r) => `${r.activation}:${r.preset}:${r.stage}:${r.bits}`), [
    'tanh:null:float:null',
    'hard_tanh:null:swap:null', 'hard_tanh:null:ptq:8', 'hard_tanh:null:ptq:3', 'hard_tanh:null:qat:8', 'hard_tanh:null:qat:3',
    'hard_sigmoid:bnn:swap:null', 'hard_sigmoid:bnn:ptq:8', 'hard_sigmoid:bnn:ptq:3', 'hard_sigmoid:bnn:qat:8', 'hard_sigmoid:bnn:qat:3',
  ]);
  a.rows.forEach((r) => assert.ok(r.accuracy >= 0 && r.accuracy <= 1 && Number.isFinite(r.loss)));
  assert.ok(a.rows[0].accuracy > 0.95, `moons float accuracy ${a.rows[0].accuracy}`);
  // every integer network of the table: wasm logits == reference logits, and its accuracy is the row's
  a.integer.forEach((json, i) => {
    if (!json) return;
    const int = lab.integerFromJSON(json);
    const codes = int.quantizeInput(moons.test.x);
    assert.deepEqual(int.logitsFromCodes(codes), referenceLogits(json, codes, moons.test.n), `row ${i}`);
    assert.equal(int.evaluate(moons.test).accuracy, a.rows[i].accuracy);
  });
});

test('mnist PTQ and QAT integer networks (8, 4, 2 bits): wasm == plain-JS reference, bit for bit, on every test sample', () => {
  const net = lab.mlp({ sizes: [784, 32, 10], activation: 'sigmoid', seed: 1 });
  const swapped = [];
  try {
    net.train(mnist.train, { epochs: 3 });
    const float = net.evaluate(mnist.test).accuracy;
    assert.ok(float > 0.85, `float accuracy ${float}`);
    for (const [name, preset] of [['sigmoid', null], ['hard_sigmoid', 'pytorch']]) {
      const d = net.withActivation(name, preset);
      swapped.push(d);
      for (const bits of [8, 4, 2]) {
        for (const [stage, model] of [['ptq', d], ['qat', lab.qat(d, mnist.train, { bits, epochs: 1, lr: 0.001 })]]) {
          try {
            for (const l of [lab, scalar]) {
              const int = l.quantize(model, mnist.train, { bits });
              const codes = int.quantizeInput(mnist.test.x);
              const logits = int.logitsFromCodes(codes);
              assert.deepEqual(logits, referenceLogits(int.spec, codes, mnist.test.n), `${name} ${stage} ${bits}-bit`);
              if (bits === 8) assert.ok(int.evaluate(mnist.test).accuracy > float - 0.02, `${name} ${stage} 8-bit keeps the float accuracy`);
            }
          } finally {
            if (model !== d) model.free();
          }
        }
      }
    }
  } finally {
    net.free();
    for (const d of swapped) d.free();
  }
});

test('JSON round trips: a float network (exact weights, QAT settings) and an integer network', () => {
  const net = lab.mlp({ sizes: [2, 8, 2], activation: 'hard_sigmoid', params: 'pytorch', seed: 9 });
  const tuned = lab.qat(net, moons.train, { bits: 4, epochs: 1 });
  try {
    for (const n of [net, tuned]) {
      const copy = lab.fromJSON(JSON.stringify(n.toJSON()));
      try {
        sameBits(copy.parameters(), n.parameters(), 'parameters');
        assert.deepEqual(copy.toJSON(), n.toJSON());
        assert.deepEqual(copy.evaluate(moons.test), n.evaluate(moons.test));
        assert.deepEqual(lab.quantize(copy, moons.train, { bits: 4 }).spec, lab.quantize(n, moons.train, { bits: 4 }).spec);
      } finally {
        copy.free();
      }
    }
    const int = lab.quantize(tuned, moons.train, { bits: 4 });
    const json = JSON.parse(JSON.stringify(lab.integerFromJSON(JSON.parse(JSON.stringify(int.spec, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v)))).spec,
      (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v)));
    assert.deepEqual(lab.integerFromJSON(json).logitsFromCodes(int.quantizeInput(moons.test.x)), int.logitsFromCodes(int.quantizeInput(moons.test.x)));
  } finally {
    net.free();
    tuned.free();
  }
});

test('memory: 100 epochs do not grow the wasm heap after the first; free() returns every allocation', () => {
  const base = lab.aq.liveAllocations();
  const net = lab.mlp({ sizes: [2, 16, 2], activation: 'relu', seed: 1 });
  const small = { x: moons.train.x.subarray(0, 400), y: moons.train.y.subarray(0, 200), n: 200 };
  net.train(small, { epochs: 1, optimizer: 'adam' });
  const heap = lab.aq.wasm.memory.buffer.byteLength;
  const live = lab.aq.liveAllocations();
  net.train(small, { epochs: 100, optimizer: 'adam', validation: moons.test });
  assert.equal(lab.aq.wasm.memory.buffer.byteLength, heap);
  assert.equal(lab.aq.liveAllocations(), live);
  lab.quantize(net, small, { bits: 4 }).evaluate(moons.test);
  assert.equal(lab.aq.liveAllocations(), live);
  net.free();
  assert.equal(lab.aq.liveAllocations(), base);
  assert.throws(() => net.evaluate(moons.test), /used after free/);
  net.free(); // twice is harmless
});

test('bad input: named TypeError / RangeError, and the network is unchanged', () => {
  const net = lab.mlp({ sizes: [2, 8, 2], activation: 'tanh', seed: 1 });
  try {
    const before = net.parameters();
    const bad = [
      [() => net.train({ x: new Float32Array(5), y: new Int32Array(3) }), RangeError, /x has length 5, expected n \* dim/],
      [() => net.train({ x: new Float64Array(6), y: new Int32Array(3) }), TypeError, /x must be a Float32Array/],
      [() => net.train({ x: new Float32Array(6), y: Int32Array.of(0, 2, 1) }), RangeError, /y\[1\] = 2 is not a label/],
      [() => net.train({ x: Float32Array.of(0, 1, NaN, 0, 1, 1), y: new Int32Array(3) }), RangeError, /x\[2\] is NaN/],
      [() => net.train(moons.train, { lr: 0 }), RangeError, /lr must be a finite number > 0/],
      [() => net.train(moons.train, { lr: NaN }), RangeError, /lr must be/],
      [() => net.train(moons.train, { lr: Infinity }), RangeError, /lr must be/],
      [() => net.train(moons.train, { optimizer: 'rmsprop' }), RangeError, /unknown optimizer "rmsprop"/],
      [() => net.train(moons.train, { epochs: 0 }), RangeError, /epochs must be an integer/],
      [() => net.train(moons.train, { batch: 1.5 }), RangeError, /batch must be an integer/],
      [() => lab.quantize(net, moons.train, { bits: 1 }), RangeError, /bits must be an integer in \[2, 8\]/],
      [() => lab.quantize(net, moons.train, { bits: 9 }), RangeError, /bits must be an integer in \[2, 8\]/],
      [() => lab.qat(net, moons.train, { bits: 12 }), RangeError, /bits must be an integer in \[2, 8\]/],
      [() => lab.mlp({ sizes: [2, 8, 2], activation: 'tanhh' }), RangeError, /unknown activation 'tanhh'/],
      [() => lab.mlp({ sizes: [2, 8, 2], activation: 'hard_sigmoid', params: 'keras9' }), RangeError, /unknown preset 'keras9'/],
      [() => lab.mlp({ sizes: [2, 8, 2], activation: 'hard_sigmoid:pytorch:x' }), RangeError, /expected NAME or NAME:PRESET/],
      [() => lab.mlp({ sizes: [2, 0, 2] }), RangeError, /layer size 1 must be an integer/],
      [() => net.withActivation('elu', { alpha: -1 }), RangeError, /parameter 'alpha'/],
      [() => net.evaluate({ x: new Float32Array(6), y: new Int32Array(2) }), RangeError, /expected n \* dim = 2 \* 2 = 4/],
    ];
    for (const [call, Type, message] of bad) assert.throws(call, (e) => e instanceof Type && message.test(e.message), String(call));
    assert.deepEqual(net.parameters(), before);
  } finally {
    net.free();
  }
});

test('bad input to compare() and data(): rejected before any training', async () => {
  const cases = [
    [{ data: 'cifar' }, /unknown data set 'cifar'/],
    [{ data: moons, train: 'nope' }, /unknown activation 'nope'/],
    [{ data: moons, deploy: ['hard_sigmoid:nope'] }, /unknown preset 'nope'/],
    [{ data: moons, bits: [8, 1] }, /bits must be an integer in \[2, 8\]/],
    [{ data: moons, lr: -1 }, /lr must be a finite number > 0/],
    [{ data: moons, qatEpochs: -1 }, /qatEpochs must be an integer/],
  ];
  let calls = 0;
  for (const [o, message] of cases) {
    await assert.rejects(lab.compare({ ...o, onProgress: () => { calls++; } }), (e) => e instanceof RangeError && message.test(e.message), JSON.stringify(Object.keys(o)));
  }
  assert.equal(calls, 0, 'no training step ran');
  await assert.rejects(lab.data('nope'), RangeError);
});

test('a diverging run stops with an error naming the learning rate, and restores the weights', () => {
  const net = lab.mlp({ sizes: [784, 16, 10], activation: 'tanh', seed: 1 });
  try {
    const before = net.parameters();
    assert.throws(() => net.train(mnist.train, { epochs: 3, optimizer: 'sgd', lr: 1e38 }),
      (e) => e instanceof RangeError && /loss became (NaN|Infinity)/.test(e.message) && /lower learning rate/.test(e.message));
    assert.deepEqual(net.parameters(), before);
  } finally {
    net.free();
  }
});

test('onProgress: step and epoch events, and returning false stops training', () => {
  const net = lab.mlp({ sizes: [2, 8, 2], seed: 1 });
  try {
    const events = [];
    const r = net.train(moons.train, { epochs: 3, batch: 100, validation: moons.test, onProgress: (e) => { events.push(e); } });
    assert.equal(events.filter((e) => e.type === 'step').length, 3 * 16);
    const epochs = events.filter((e) => e.type === 'epoch');
    assert.deepEqual(epochs.map((e) => e.epoch), [1, 2, 3]);
    assert.ok(epochs.every((e) => e.testAccuracy >= 0 && e.loss > 0));
    assert.equal(r.history.length, 3);
    let steps = 0;
    const stopped = net.train(moons.train, { epochs: 3, batch: 100, onProgress: (e) => (e.type === 'step' && ++steps === 5 ? false : undefined) });
    assert.equal(stopped.stopped, true);
    assert.equal(steps, 5);
  } finally {
    net.free();
  }
});

test('compare(): onRow streams the rows, epoch events carry test metrics, and onProgress returning false stops with the rows so far', async () => {
  const streamed = [], epochs = [];
  const full = await lab.compare({ data: moons, hidden: [8], deploy: ['hard_sigmoid'], bits: [4], epochs: 2, qatEpochs: 1,
    onRow: (row, i) => streamed.push([i, row]), onProgress: (e) => { if (e.type === 'epoch') epochs.push(e); } });
  assert.deepEqual(streamed.map(([i, r]) => [i, r]), full.rows.map((r, i) => [i, r]));
  assert.equal(full.stopped, false);
  assert.deepEqual(epochs.map((e) => `${e.phase}${e.bits ?? ''}:${e.epoch}`), ['train:1', 'train:2', 'qat4:1']);
  assert.ok(epochs.every((e) => e.testAccuracy >= 0 && e.testAccuracy <= 1));
  let steps = 0;
  const stopped = await lab.compare({ data: moons, hidden: [8], deploy: ['hard_sigmoid'], bits: [4], epochs: 2, qatEpochs: 3,
    onProgress: (e) => (e.type === 'step' && e.phase === 'qat' && ++steps === 3 ? false : undefined) });
  assert.equal(stopped.stopped, true);
  assert.deepEqual(stopped.rows.map((r) => r.stage), ['float', 'swap', 'ptq']);
  assert.deepEqual(stopped.rows, full.rows.slice(0, 3));
});

test('analysis for the page: decision maps (float and integer), confusion matrix, newly wrong samples, histograms, the integer activation', async () => {
  const { decisionMap, confusionMatrix, newlyWrong, histogram, integerActivation } = await import('actq/lab');
  const net = lab.mlp({ sizes: [2, 16, 2], activation: 'tanh', seed: 2 });
  try {
    net.train(moons.train, { epochs: 20 });
    const map = decisionMap(net, { x: [-1.5, 2.5], y: [-1, 1.5], resolution: 40 });
    assert.equal(map.class.length, 1600);
    // a grid cell's class is the network's prediction at the cell centre
    const centre = Float32Array.of(-1.5 + (7.5 / 40) * 4, 1.5 - (3.5 / 40) * 2.5);
    const logits = net.logits(centre);
    assert.equal(map.class[3 * 40 + 7], logits[1] > logits[0] ? 1 : 0);
    assert.ok(map.confidence.every((p) => p >= 0.5 && p <= 1));
    const int = lab.quantize(net.withActivation('hard_tanh'), moons.train, { bits: 4 });
    const imap = decisionMap(int, { x: [-1.5, 2.5], y: [-1, 1.5], resolution: 40 });
    const agree = imap.class.reduce((s, c, i) => s + (c === map.class[i]), 0);
    assert.ok(agree > 1200, `float and 4-bit maps agree on ${agree} of 1600 cells`);
    const fp = Int32Array.from({ length: moons.test.n }, (_, i) => (net.logits(moons.test.x.subarray(2 * i, 2 * i + 2))[1] > net.logits(moons.test.x.subarray(2 * i, 2 * i + 2))[0] ? 1 : 0));
    const ip = int.predict(moons.test.x);
    const m = confusionMatrix(ip, moons.test.y, 2);
    assert.equal(m.reduce((a, b) => a + b, 0), moons.test.n);
    assert.equal((m[0] + m[3]) / moons.test.n, int.evaluate(moons.test).accuracy);
    for (const i of newlyWrong(fp, ip, moons.test.y)) assert.ok(fp[i] === moons.test.y[i] && ip[i] !== moons.test.y[i]);
    const h = histogram(net.hiddenPreActivations(moons.test.x), { bins: 30 });
    assert.equal(h.counts.reduce((a, b) => a + b, 0), moons.test.n * 16);
    const curve = integerActivation(lab.aq, int.spec);
    assert.equal(curve.x.length, 256);
    for (let i = 1; i < 256; i++) assert.ok(curve.y[i] >= curve.y[i - 1], 'hard_tanh through the LUT is monotone');
    assert.ok(curve.y[255] - curve.y[0] > 1, 'the table spans most of hard_tanh\'s range [-1, 1]');
    const wide = lab.mlp({ sizes: [3, 4, 2] });
    assert.throws(() => decisionMap(wide), /must take 2 inputs/);
    wide.free();
  } finally {
    net.free();
  }
});

test('a preset stays attached through clone(), qat() and JSON', () => {
  const net = lab.mlp({ sizes: [2, 4, 2], activation: 'hard_sigmoid:bnn' });
  const tuned = lab.qat(net, moons.train, { bits: 4, epochs: 1 });
  try {
    for (const n of [net, net.clone(), tuned, lab.fromJSON(net.toJSON())]) {
      assert.deepEqual([n.activation.name, n.activation.preset, n.activation.params], ['hard_sigmoid', 'bnn', { slope: 0.5, offset: 0.5 }]);
      if (n !== net && n !== tuned) n.free();
    }
    assert.equal(lab.quantize(tuned, moons.train, { bits: 4 }).spec.activation.preset, 'bnn');
  } finally {
    net.free();
    tuned.free();
  }
});
