// actq/lab: train a small network with one activation, deploy another, quantize it (PTQ)
// or fine-tune it with fake quantization (QAT), and run it as integers as an edge chip
// does -- the measured cost of "train with sigmoid, deploy hard sigmoid".
//
//   import { loadLab } from 'actq/lab';
//   const lab = await loadLab();
//   const data = await lab.data('mnist');
//   const net = lab.mlp({ sizes: [784, 64, 10], activation: 'sigmoid', seed: 1 });
//   net.train(data.train, { epochs: 5, optimizer: 'adam' });
//   const deployed = lab.quantize(net.withActivation('hard_sigmoid', 'pytorch'), data.train, { bits: 4 });
//   deployed.evaluate(data.test);   // { accuracy, loss } of the integer network
//
// Everything runs in the lab's wasm build (the core kernels plus src/c/lab/); the module
// imports nothing Node-only, so it runs in browsers and Web Workers too.

import { loadModule } from '../index.js';
import { Mlp, resolveActivation, trainOptions, OPTIMIZERS, DEFAULTS } from './network.js';
import { IntegerNetwork, calibrate, toInteger, checkBits } from './integer.js';
import { loadData, DATASETS } from './data.js';
import { integerNetworkFromJSON, integerNetworkToJSON, integerNetworkToC } from './export_c.js';
import { normalizeQParams } from '../quantize.js';

export { DATASETS, OPTIMIZERS, DEFAULTS, integerNetworkToC, integerNetworkToJSON, integerNetworkFromJSON };
export { decisionMap, confusionMatrix, newlyWrong, histogram, integerActivation } from './analysis.js';

const describe = (v) => (typeof v === 'string' ? `'${v}'` : String(v));

/** 'hard_sigmoid:pytorch' -> { name: 'hard_sigmoid', params: 'pytorch' }; objects
 *  { name, params? | preset? } pass through. Names are checked where they are used. */
export function parseActivation(spec) {
  if (typeof spec === 'string') {
    const [name, preset, ...rest] = spec.split(':');
    if (rest.length || name === '' || preset === '') throw new RangeError(`activation ${describe(spec)}: expected NAME or NAME:PRESET`);
    return { name, params: preset ?? null };
  }
  if (spec && typeof spec === 'object' && typeof spec.name === 'string') {
    return { name: spec.name, params: spec.params ?? (spec.preset !== undefined ? spec.preset : null) };
  }
  throw new TypeError(`activation must be 'NAME[:PRESET]' or { name, params }, got ${spec === null ? 'null' : typeof spec}`);
}

class Lab {
  constructor(aq) {
    /** the actq API over the lab's wasm instance (forward, quantize, lut, ...) */
    this.aq = aq;
    this.simd = aq.simd;
  }

  /** A data set: see data.js (mnist, spiral, moons, circles, xor, gaussians). */
  data(name, options) { return loadData(name, options); }

  /**
   * A new MLP: sizes [inputs, hidden..., classes] (or inputs, hidden: [..], classes),
   * hidden activation name with params (a preset name or { name: value }), seed for the
   * initial weights (PyTorch's nn.Linear default init).
   */
  mlp(options = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('mlp: options must be an object');
    const sizes = options.sizes ?? [options.inputs, ...(options.hidden ?? [64]), options.classes];
    if (!Array.isArray(sizes) || sizes.length < 2) throw new RangeError('mlp: sizes must be an array [inputs, hidden..., classes]');
    sizes.forEach((s, i) => {
      if (!Number.isInteger(s) || s < 1 || s > 1 << 16) {
        throw new RangeError(`mlp: layer size ${i} must be an integer in [1, 65536], got ${s}`);
      }
    });
    if (sizes[sizes.length - 1] < 2) throw new RangeError('mlp: a classifier needs at least 2 classes');
    const seed = options.seed ?? 1;
    if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw new RangeError(`mlp: seed must be an integer in [0, 2^32), got ${seed}`);
    const { name, params } = parseActivation(options.activation ?? 'sigmoid');
    const activation = resolveActivation(this.aq, name, options.params ?? params);
    return new Mlp(this, sizes, activation, seed, null);
  }

  /** A network from its toJSON() form (weights exact: float32 values survive JSON). */
  fromJSON(json) {
    const obj = typeof json === 'string' ? JSON.parse(json) : json;
    if (!obj || obj.format !== 'actq-mlp') throw new TypeError("fromJSON: not an actq network (format 'actq-mlp')");
    if (obj.version !== 1) throw new RangeError(`fromJSON: unsupported version ${obj.version}`);
    const { name, preset, params } = obj.activation ?? {};
    const net = this.mlp({ sizes: obj.sizes, activation: name, params: preset ? { preset, ...params } : { ...params }, seed: obj.seed });
    try {
      const values = new Float32Array(net.parameterCount);
      if (!Array.isArray(obj.layers) || obj.layers.length !== net.layers.length) throw new RangeError('fromJSON: layers do not match sizes');
      net.layers.forEach((L, l) => {
        const { weights, bias } = obj.layers[l];
        if (weights?.length !== L.inputs * L.outputs || bias?.length !== L.outputs) {
          throw new RangeError(`fromJSON: layer ${l} must have ${L.inputs * L.outputs} weights and ${L.outputs} biases`);
        }
        values.set(weights, L.w);
        values.set(bias, L.b);
      });
      if (!values.every(Number.isFinite)) throw new RangeError('fromJSON: weights must be finite numbers');
      net.setParameters(values);
      if (obj.quant) {
        net.quant = {
          bits: checkBits(obj.quant.bits, 'fromJSON: quant.bits'),
          input: normalizeQParams(obj.quant.input, 'quant.input'),
          layers: obj.quant.layers.map((q, l) => ({ z: normalizeQParams(q.z, `quant.layers[${l}].z`), h: normalizeQParams(q.h, `quant.layers[${l}].h`) })),
        };
      }
      return net;
    } catch (e) {
      net.free();
      throw e;
    }
  }

  /**
   * PTQ: the integer network of `net` at options.bits, calibrated on the split `calibration`
   * ({ x, y }, e.g. the training set; the first options.samples rows, default 2000). A
   * network fine-tuned by qat() keeps its training-time qparams.
   */
  quantize(net, calibration, { bits = 8, samples = 2000 } = {}) {
    checkBits(bits);
    const x = calibration?.x;
    if (!(x instanceof Float32Array)) throw new TypeError('quantize: calibration must be a split { x: Float32Array, y }');
    const quant = net.quant?.bits === bits ? net.quant : calibrate(this.aq, net, x, bits, { samples });
    return new IntegerNetwork(this.aq, toInteger(this.aq, net, quant, x, { samples }));
  }

  /**
   * QAT: a fine-tuned copy of `net` trained on `split` with fake quantization at
   * options.bits (qparams calibrated on split first and then fixed; weights quantized per
   * channel at every step); the other options as in train(). Returns the new network
   * (net.quant set), ready for quantize().
   */
  qat(net, split, options = {}) {
    const { bits = 8, samples = 2000, ...rest } = options;
    checkBits(bits);
    trainOptions(rest, 'qat');
    const tuned = net.clone();
    try {
      tuned.quant = calibrate(this.aq, tuned, split.x, bits, { samples });
      tuned.train(split, { ...rest, quant: tuned.quant });
      return tuned;
    } catch (e) {
      tuned.free();
      throw e;
    }
  }

  /** An integer network from its JSON form (integerNetworkToJSON / the CLI's files). */
  integerFromJSON(json) {
    return new IntegerNetwork(this.aq, integerNetworkFromJSON(typeof json === 'string' ? JSON.parse(json) : json));
  }

  /**
   * The table of the lab: train one network with options.train, then for every
   * options.deploy activation the swap (float, no retraining), PTQ at every options.bits
   * and QAT (options.qatEpochs of fine-tuning at that width, then integer inference).
   * Learning rates: options.lr (default DEFAULTS[optimizer].lr), QAT options.qatLr
   * (default lr / 10). Returns { data, layers, trainSamplesPerSecond, rows, network,
   * integer, options } where rows are
   * { activation, preset, stage: 'float' | 'swap' | 'ptq' | 'qat', bits, accuracy, loss }
   * (accuracy and loss on the test split) and integer[i] the integer network (JSON form)
   * of every ptq / qat row, in row order (null for float rows). onProgress events carry
   * the test metrics after every epoch; onProgress returning false stops the run, which
   * then returns the rows so far with stopped: true. onRow(row, index) is called as each
   * row is measured.
   */
  async compare(options = {}) {
    const o = compareOptions(options);
    let stopped = false;
    const report = (event) => {
      if (o.onProgress?.(event) === false) stopped = true;
      return stopped ? false : undefined;
    };
    const data = typeof o.data === 'string' ? await this.data(o.data, { seed: o.seed, ...o.dataOptions }) : o.data;
    const trainSpec = parseActivation(o.train);
    const deploy = o.deploy.map(parseActivation);
    const net = this.mlp({ sizes: [data.dim, ...o.hidden, data.classes], activation: trainSpec.name, params: trainSpec.params, seed: o.seed });
    // every deploy activation is checked before any training
    const deployed = [];
    try {
      for (const d of deploy) deployed.push(net.withActivation(d.name, d.params));
    } catch (e) {
      for (const d of deployed) d.free();
      net.free();
      throw e;
    }
    const train = { epochs: o.epochs, batch: o.batch, lr: o.lr, optimizer: o.optimizer, seed: o.seed };
    const rows = [], integer = [];
    const row = (act, stage, bits, r, int = null) => {
      const entry = { activation: act.name, preset: act.preset, stage, bits, accuracy: r.accuracy, loss: r.loss };
      rows.push(entry);
      integer.push(int ? integerNetworkToJSON(int.spec) : null);
      o.onRow?.(entry, rows.length - 1);
    };
    let trained = { samplesPerSecond: NaN };
    try {
      run: {
        trained = net.train(data.train, { ...train, validation: data.test,
          onProgress: (e) => report({ phase: 'train', activation: net.activation.name, preset: net.activation.preset, ...e }) });
        if (stopped) break run;
        row(net.activation, 'float', null, net.evaluate(data.test));
        for (const d of deployed) d.setParameters(net.parameters()); // the trained weights
        for (const d of deployed) {
          row(d.activation, 'swap', null, d.evaluate(data.test));
          for (const bits of o.bits) {
            const q = this.quantize(d, data.train, { bits });
            row(d.activation, 'ptq', bits, q.evaluate(data.test), q);
          }
          for (const bits of o.qatEpochs > 0 ? o.bits : []) {
            const tuned = this.qat(d, data.train, {
              ...train, epochs: o.qatEpochs, lr: o.qatLr, bits, validation: data.test,
              onProgress: (e) => report({ phase: 'qat', activation: d.activation.name, preset: d.activation.preset, bits, ...e }),
            });
            try {
              if (stopped) break run;
              const q = this.quantize(tuned, data.train, { bits });
              row(d.activation, 'qat', bits, q.evaluate(data.test), q);
            } finally {
              tuned.free();
            }
          }
        }
      }
      return {
        data: { name: data.name, train: data.train.n, test: data.test.n, dim: data.dim, classes: data.classes },
        layers: [...net.sizes],
        trainSamplesPerSecond: trained.samplesPerSecond,
        rows,
        integer,
        network: net.toJSON(),
        stopped,
        options: { data: data.name, hidden: o.hidden, train: o.train, deploy: o.deploy, bits: o.bits, epochs: o.epochs,
          qatEpochs: o.qatEpochs, batch: o.batch, lr: o.lr, qatLr: o.qatLr, optimizer: o.optimizer, seed: o.seed },
      };
    } finally {
      for (const d of deployed) d.free();
      net.free();
    }
  }
}

export const COMPARE_DEFAULTS = Object.freeze({
  data: 'mnist', hidden: [64], train: 'sigmoid', deploy: ['hard_sigmoid:onnx', 'hard_sigmoid:pytorch', 'hard_sigmoid:bnn'],
  bits: [8, 4, 2], epochs: 5, qatEpochs: 2, batch: 64, optimizer: 'adam', seed: 1,
});

/** compare() options completed with the defaults and checked before any work. */
export function compareOptions(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('compare: options must be an object');
  const o = { ...COMPARE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  if (typeof o.data === 'string') {
    if (!DATASETS.includes(o.data)) throw new RangeError(`unknown data set ${describe(o.data)} (one of: ${DATASETS.join(', ')})`);
  } else if (!o.data || typeof o.data !== 'object' || !o.data.train || !o.data.test) {
    throw new TypeError('compare: data must be a data set name or a data set from lab.data()');
  }
  if (!Array.isArray(o.hidden) || o.hidden.length === 0) throw new RangeError('compare: hidden must be a non-empty array of layer sizes');
  if (!Array.isArray(o.deploy) || o.deploy.length === 0) throw new RangeError('compare: deploy must be a non-empty array of activations');
  if (!Array.isArray(o.bits) || o.bits.length === 0) throw new RangeError('compare: bits must be a non-empty array');
  o.bits.forEach((b) => checkBits(b, 'compare: bits'));
  if (!Number.isInteger(o.qatEpochs) || o.qatEpochs < 0 || o.qatEpochs > 100000) {
    throw new RangeError(`compare: qatEpochs must be an integer in [0, 100000], got ${o.qatEpochs}`);
  }
  o.lr ??= DEFAULTS[o.optimizer]?.lr;
  o.qatLr ??= o.lr / 10; // fine-tuning: a tenth of the training rate (measured better than the full rate)
  trainOptions({ epochs: o.epochs, batch: o.batch, lr: o.lr, optimizer: o.optimizer, seed: o.seed }, 'compare');
  trainOptions({ lr: o.qatLr, optimizer: o.optimizer }, 'compare: qatLr');
  for (const k of ['onProgress', 'onRow']) {
    if (o[k] !== undefined && typeof o[k] !== 'function') throw new TypeError(`compare: ${k} must be a function`);
  }
  return o;
}

const labs = new Map();

/** Loads the lab (its own wasm build: the core plus the training kernels), once per build. */
export function loadLab(options = {}) {
  const key = String(options.simd);
  if (!labs.has(key)) {
    const promise = loadModule('lab', options).then((aq) => new Lab(aq));
    promise.catch(() => labs.delete(key));
    labs.set(key, promise);
  }
  return labs.get(key);
}
