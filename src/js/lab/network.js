// The lab's float network: an MLP whose parameters, gradients, optimizer state and batch
// activations all live in wasm memory, trained by the C kernels in src/c/lab/ (GEMM,
// bias, softmax cross-entropy, SGD / Adam) with the hidden activation and its derivative
// taken from the activation table. With `quant` set (QAT), the forward pass fake-quantizes
// the weights (per output channel, symmetric), the pre-activations (the integer network's
// 8-bit LUT input) and the activation outputs (`bits` bits), and the backward pass applies
// the straight-through masks -- the same quantization kernels as aq.fakeQuantize.
//
// Layout (llm.c style): one block of parameters [W0 b0 W1 b1 ...], W_l row-major
// outputs x inputs (a row per output channel, so per-channel quantization runs on rows),
// and a gradient block with the same offsets. The optimizer updates the whole block in
// one call per step.

import { paramsObject } from '../registry.js';
import { rng, shuffle } from './random.js';
import { checkData } from './data.js';
import { argmaxRows } from './integer.js';

export const OPTIMIZERS = ['sgd', 'adam'];
/** Optimizer defaults: Adam's usual betas and eps, SGD with momentum 0.9. The learning
 *  rates suit the lab's small MLPs (adam 0.01 trains the 784-64-10 sigmoid net on mnist to
 *  about 94% in 5 epochs; PyTorch's generic Adam default 0.001 reaches about 91%). */
export const DEFAULTS = {
  sgd: { lr: 0.1, momentum: 0.9 },
  adam: { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
};

const F32 = 4;
const typeName = (v) => (v === null ? 'null' : typeof v !== 'object' ? typeof v : v.constructor?.name ?? 'object');

/** The hidden activation of a network: name, preset (or null) and the full params object. */
export function resolveActivation(aq, name, params) {
  if (typeof name !== 'string') throw new TypeError(`activation must be a string, got ${typeName(name)}`);
  const entry = aq.activation(name); // RangeError listing the names
  aq._withParams(entry, params, () => {}); // RangeError naming a bad parameter or preset
  const preset = typeof params === 'string' ? params : params && typeof params === 'object' && params.preset !== undefined ? params.preset : null;
  return Object.freeze({ name: entry.name, preset, params: Object.freeze(paramsObject(entry, params)), entry });
}

function positiveInteger(v, what, max = 1 << 20) {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new RangeError(`${what} must be an integer in [1, ${max}], got ${v}`);
  return v;
}

/** Validates train/qat options against the defaults; returns the complete set. */
export function trainOptions(options = {}, what = 'train') {
  if (options === null || typeof options !== 'object') throw new TypeError(`${what}: options must be an object`);
  const optimizer = options.optimizer ?? 'adam';
  if (!OPTIMIZERS.includes(optimizer)) {
    throw new RangeError(`${what}: unknown optimizer ${JSON.stringify(optimizer)} (one of: ${OPTIMIZERS.join(', ')})`);
  }
  const o = { ...DEFAULTS[optimizer], epochs: 5, batch: 64, ...options, optimizer };
  positiveInteger(o.epochs, `${what}: epochs`, 100000);
  positiveInteger(o.batch, `${what}: batch`, 65536);
  if (typeof o.lr !== 'number' || !Number.isFinite(o.lr) || !(o.lr > 0)) {
    throw new RangeError(`${what}: lr must be a finite number > 0, got ${o.lr}`);
  }
  const unit = (k, lo, hiOpen) => {
    if (o[k] !== undefined && (typeof o[k] !== 'number' || !(o[k] >= lo && o[k] < hiOpen))) {
      throw new RangeError(`${what}: ${k} must be in [${lo}, ${hiOpen}), got ${o[k]}`);
    }
  };
  unit('momentum', 0, 1);
  unit('beta1', 0, 1);
  unit('beta2', 0, 1);
  if (o.eps !== undefined && (typeof o.eps !== 'number' || !(o.eps > 0 && Number.isFinite(o.eps)))) {
    throw new RangeError(`${what}: eps must be a finite number > 0, got ${o.eps}`);
  }
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && o.seed >= 0 && o.seed < 2 ** 32)) {
    throw new RangeError(`${what}: seed must be an integer in [0, 2^32), got ${o.seed}`);
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new TypeError(`${what}: onProgress must be a function`);
  return o;
}

export class Mlp {
  #lab;
  #params = 0; // wasm pointers
  #grads = 0;
  #state = [0, 0]; // optimizer state (momentum, or Adam's m and v)
  #stateKind = null;
  #adamStep = 0;

  /** Use lab.mlp(...) or lab.fromJSON(...). */
  constructor(lab, sizes, activation, seed, weights) {
    this.#lab = lab;
    this.sizes = Object.freeze([...sizes]);
    this.activation = activation;
    this.seed = seed;
    this.quant = null; // QAT quantization settings (set by qat())
    this.layers = [];
    let offset = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const inputs = sizes[l], outputs = sizes[l + 1];
      this.layers.push({ inputs, outputs, w: offset, b: offset + inputs * outputs });
      offset += inputs * outputs + outputs;
    }
    this.parameterCount = offset;
    const aq = lab.aq;
    this.#params = aq._malloc(offset * F32);
    try {
      this.#grads = aq._malloc(offset * F32);
    } catch (e) {
      aq._free(this.#params);
      throw e;
    }
    if (weights) this.#heap().set(weights, this.#params / F32);
    else this.#initialize(seed);
  }

  #heap() { return this.#lab.aq.heapF32; }
  #check() { if (this.#params === 0) throw new RangeError('network: used after free()'); }

  /** PyTorch's default init for nn.Linear: W and b ~ U(-1/sqrt(inputs), 1/sqrt(inputs)). */
  #initialize(seed) {
    const random = rng(seed);
    const values = new Float32Array(this.parameterCount);
    for (const layer of this.layers) {
      const bound = 1 / Math.sqrt(layer.inputs);
      for (let i = layer.w; i < layer.b + layer.outputs; i++) values[i] = (2 * random.next() - 1) * bound;
    }
    this.#heap().set(values, this.#params / F32);
  }

  get freed() { return this.#params === 0; }
  get inputs() { return this.sizes[0]; }
  get classes() { return this.sizes[this.sizes.length - 1]; }

  /** A copy of all parameters [W0 b0 W1 b1 ...] (W row-major, outputs x inputs). */
  parameters() {
    this.#check();
    return this.#heap().slice(this.#params / F32, this.#params / F32 + this.parameterCount);
  }
  /** The weights (outputs x inputs) and bias of layer l, as copies. */
  layer(l) {
    this.#check();
    const L = this.layers[l];
    if (!L) throw new RangeError(`layer: index ${l} out of range [0, ${this.layers.length})`);
    const base = this.#params / F32;
    return { weights: this.#heap().slice(base + L.w, base + L.b), bias: this.#heap().slice(base + L.b, base + L.b + L.outputs) };
  }
  /** Layer l's symmetric per-output-channel weight scales at `bits` (max |w| / (2^(bits-1) - 1)),
   *  by the kernel the QAT forward uses. */
  weightScales(l, bits) {
    this.#check();
    const L = this.layers[l], aq = this.#lab.aq;
    const ptr = aq._malloc(L.outputs * F32);
    try {
      aq.wasm.lab_channel_scales(L.outputs, L.inputs, this.#params + L.w * F32, 2 ** (bits - 1) - 1, ptr);
      return aq.heapF32.slice(ptr / F32, ptr / F32 + L.outputs);
    } finally {
      aq._free(ptr);
    }
  }
  setParameters(values) {
    this.#check();
    if (!(values instanceof Float32Array) || values.length !== this.parameterCount) {
      throw new RangeError(`setParameters: expected a Float32Array of ${this.parameterCount} values`);
    }
    this.#heap().set(values, this.#params / F32);
  }

  /** A new network with the same weights and another hidden activation (no retraining). */
  withActivation(name, params) {
    this.#check();
    const activation = resolveActivation(this.#lab.aq, name, params);
    return new Mlp(this.#lab, this.sizes, activation, this.seed, this.parameters());
  }
  clone() {
    const copy = this.withActivation(this.activation.name, this.#activationArg());
    copy.quant = this.quant;
    return copy;
  }
  /** The activation as a params argument: its values, and its preset name (kept as a label). */
  #activationArg() {
    const { preset, params } = this.activation;
    return preset === null ? { ...params } : { preset, ...params };
  }

  free() {
    const aq = this.#lab.aq;
    for (const p of [this.#params, this.#grads, ...this.#state]) if (p) aq._free(p);
    this.#params = this.#grads = 0;
    this.#state = [0, 0];
  }

  // ---- passes ------------------------------------------------------------------------------

  /** Batch buffers for up to `rows` rows; freed by the caller with buffers.free(). */
  _buffers(rows, { training = false, quant = null } = {}) {
    const aq = this.#lab.aq;
    const owned = [];
    const alloc = (floats) => { const p = aq._malloc(Math.max(1, floats) * F32); owned.push(p); return p; };
    try {
      const maxWidth = Math.max(...this.sizes);
      const b = {
        rows,
        x: alloc(rows * this.inputs),
        labels: alloc(rows),
        layers: this.layers.map((L) => ({
          z: alloc(rows * L.outputs), // pre-activation (logits on the last layer)
          zq: quant ? alloc(rows * L.outputs) : 0, // fake-quantized pre-activation
          h: alloc(rows * L.outputs), // activation output (before output fake quant)
          a: quant ? alloc(rows * L.outputs) : 0, // what the next layer reads
          wq: quant ? alloc(L.inputs * L.outputs) : 0, // fake-quantized weights
          wScales: quant ? alloc(L.outputs) : 0,
        })),
        delta: alloc(rows * maxWidth), // dL/dz of the current layer
        back: alloc(rows * maxWidth), // dL/da of the layer below
        scratch: alloc(Math.max(rows * maxWidth, ...this.layers.map((L) => L.inputs * L.outputs))),
        zeros: alloc(maxWidth), // zero points (all 0) for the per-channel weight kernels
        qp: alloc(4), // [z scale, z zp bits, h scale, h zp bits]: per-tensor qparams slots
        idx: alloc(rows),
        correct: alloc(1),
        free() { for (const p of owned) aq._free(p); owned.length = 0; },
      };
      aq.heapU8.fill(0, b.zeros, b.zeros + maxWidth * F32);
      b.training = training;
      return b;
    } catch (e) {
      for (const p of owned) aq._free(p);
      throw e;
    }
  }

  /** Runs the activation kernel `which` ('forward' | 'derivative') from src to dst. */
  #activation(which, src, dst, n) {
    const { aq } = this.#lab;
    const wasm = aq.wasm;
    aq._withParams(this.activation.entry, this.#activationArg(), () => {
      wasm.actq_set_start(0);
      (which === 'forward' ? wasm.actq_forward : wasm.actq_derivative)(this.activation.entry.id, src, dst, n);
    });
  }

  /** Per-tensor fake quantization (or its STE mask) of n floats with layout L. */
  #fake(src, dst, n, L, grad, b) {
    const { aq } = this.#lab;
    const wasm = aq.wasm;
    const heapF = aq.heapF32, heapI = new Int32Array(heapF.buffer);
    heapF[b.qp / F32] = L.scales[0];
    heapI[b.qp / F32 + 1] = L.zeroPoints[0];
    (grad ? wasm.actq_fake_quantize_grad : wasm.actq_fake_quantize)(src, dst, n, b.qp, b.qp + F32, 1, 1, 0, L.qmin, L.qmax, L.roundingId);
  }

  /** Forward pass of `rows` rows already in b.x; returns the logits pointer (b.layers[-1].z). */
  _forward(b, rows, quant = null) {
    const wasm = this.#lab.aq.wasm;
    let input = b.x;
    this.layers.forEach((L, l) => {
      const buf = b.layers[l];
      let w = this.#params + L.w * F32;
      if (quant) { // per-channel symmetric fake quantization of the weights
        const qmax = 2 ** (quant.bits - 1) - 1;
        wasm.lab_channel_scales(L.outputs, L.inputs, w, qmax, buf.wScales);
        wasm.actq_fake_quantize(w, buf.wq, L.inputs * L.outputs, buf.wScales, b.zeros, L.outputs, L.inputs, 0, -qmax, qmax, 0);
        w = buf.wq;
      }
      wasm.lab_set_rows(rows, L.outputs, this.#params + L.b * F32, buf.z);
      // z (rows x outputs) += input (rows x inputs) W^T: B[k][n] = W[n][k]
      wasm.lab_gemm(rows, L.outputs, L.inputs, input, L.inputs, 1, w, 1, L.inputs, buf.z, L.outputs, 1);
      if (l === this.layers.length - 1) return;
      const n = rows * L.outputs;
      let z = buf.z;
      if (quant) { this.#fake(buf.z, buf.zq, n, quant.layers[l].z, false, b); z = buf.zq; }
      this.#activation('forward', z, buf.h, n);
      if (quant) this.#fake(buf.h, buf.a, n, quant.layers[l].h, false, b);
      input = quant ? buf.a : buf.h;
    });
    return b.layers[this.layers.length - 1].z;
  }

  /** Backward pass after _forward and the loss gradient in b.delta; gradients into #grads. */
  _backward(b, rows, quant = null) {
    const wasm = this.#lab.aq.wasm;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const L = this.layers[l], buf = b.layers[l];
      const input = l === 0 ? b.x : quant ? b.layers[l - 1].a : b.layers[l - 1].h;
      const dw = this.#grads + L.w * F32, db = this.#grads + L.b * F32;
      // dW (outputs x inputs) = delta^T (outputs x rows) input (rows x inputs)
      wasm.lab_gemm(L.outputs, L.inputs, rows, b.delta, 1, L.outputs, input, L.inputs, 1, dw, L.inputs, 0);
      wasm.lab_col_sum(rows, L.outputs, b.delta, db);
      const w = quant ? buf.wq : this.#params + L.w * F32;
      if (quant) { // STE of the weight fake quantization: pass where the code is in range
        const qmax = 2 ** (quant.bits - 1) - 1, n = L.inputs * L.outputs;
        wasm.actq_fake_quantize_grad(this.#params + L.w * F32, b.scratch, n, buf.wScales, b.zeros, L.outputs, L.inputs, 0, -qmax, qmax, 0);
        wasm.lab_mul(n, dw, b.scratch, dw);
      }
      if (l === 0) break;
      // dA (rows x inputs) = delta (rows x outputs) W (outputs x inputs)
      wasm.lab_gemm(rows, L.inputs, L.outputs, b.delta, L.outputs, 1, w, L.inputs, 1, b.back, L.inputs, 0);
      const below = b.layers[l - 1], n = rows * L.inputs;
      if (quant) {
        this.#fake(below.h, b.scratch, n, quant.layers[l - 1].h, true, b);
        wasm.lab_mul(n, b.back, b.scratch, b.back);
      }
      this.#activation('derivative', quant ? below.zq : below.z, b.scratch, n);
      wasm.lab_mul(n, b.back, b.scratch, b.delta);
      if (quant) {
        this.#fake(below.z, b.scratch, n, quant.layers[l - 1].z, true, b);
        wasm.lab_mul(n, b.delta, b.scratch, b.delta);
      }
    }
  }

  /** Mean loss and its gradient (into b.delta) for the logits of `rows` rows. */
  _loss(b, rows, logits, withGradient) {
    const wasm = this.#lab.aq.wasm;
    const sum = wasm.lab_softmax_xent(rows, this.classes, logits, b.labels, withGradient ? b.delta : 0, 1 / rows, b.correct);
    return { loss: sum / rows, correct: new Uint32Array(this.#lab.aq.heapU8.buffer, b.correct, 1)[0] };
  }

  /** The gradient of the mean loss over a batch {x, y, n} (for tests: a copy of the gradient block). */
  gradient(split, { quant = this.quant } = {}) {
    this.#check();
    const s = checkData(split, this.inputs, this.classes, 'gradient');
    const b = this._buffers(s.n, { training: true, quant });
    try {
      this.#upload(b, s.x, s.y, 0, s.n);
      const logits = this._forward(b, s.n, quant);
      const { loss } = this._loss(b, s.n, logits, true);
      this._backward(b, s.n, quant);
      return { loss, gradient: this.#heap().slice(this.#grads / F32, this.#grads / F32 + this.parameterCount) };
    } finally {
      b.free();
    }
  }

  #upload(b, x, y, from, count) {
    const aq = this.#lab.aq;
    aq.heapF32.set(x.subarray(from * this.inputs, (from + count) * this.inputs), b.x / F32);
    new Int32Array(aq.heapU8.buffer).set(y.subarray(from, from + count), b.labels / F32);
  }

  /** Float logits (n x classes) for the rows of x, in chunks; quant: the QAT forward. */
  logits(x, { quant = null } = {}) {
    this.#check();
    if (!(x instanceof Float32Array)) throw new TypeError(`logits: x must be a Float32Array, got ${typeName(x)}`);
    if (x.length % this.inputs !== 0) throw new RangeError(`logits: x length ${x.length} is not a multiple of ${this.inputs} inputs`);
    const n = x.length / this.inputs, chunk = Math.min(n, 1024) || 1;
    const out = new Float32Array(n * this.classes);
    const b = this._buffers(chunk, { quant });
    try {
      for (let i = 0; i < n; i += chunk) {
        const m = Math.min(chunk, n - i);
        this.#lab.aq.heapF32.set(x.subarray(i * this.inputs, (i + m) * this.inputs), b.x / F32);
        const logits = this._forward(b, m, quant);
        out.set(this.#lab.aq.heapF32.subarray(logits / F32, logits / F32 + m * this.classes), i * this.classes);
      }
      return out;
    } finally {
      b.free();
    }
  }

  /** Predicted classes (first maximum logit) for the rows of x. */
  predict(x, options) { return argmaxRows(this.logits(x, options), this.classes); }

  /** { accuracy, loss } of the float network (or its QAT forward) on a split {x, y, n}. */
  evaluate(split, { quant = null } = {}) {
    this.#check();
    const s = checkData(split, this.inputs, this.classes, 'evaluate');
    const chunk = Math.min(s.n, 1024) || 1;
    const b = this._buffers(chunk, { quant });
    try {
      let loss = 0, correct = 0;
      for (let i = 0; i < s.n; i += chunk) {
        const m = Math.min(chunk, s.n - i);
        this.#upload(b, s.x, s.y, i, m);
        const r = this._loss(b, m, this._forward(b, m, quant), false);
        loss += r.loss * m;
        correct += r.correct;
      }
      return { accuracy: s.n ? correct / s.n : NaN, loss: s.n ? loss / s.n : NaN };
    } finally {
      b.free();
    }
  }

  /** Pre-activations of hidden layer l (rows x outputs) on the rows of x (calibration, histograms). */
  hiddenPreActivations(x, l = 0, { quant = null, limit = Infinity } = {}) {
    this.#check();
    if (!(l >= 0 && l < this.layers.length - 1)) throw new RangeError(`hiddenPreActivations: layer ${l} is not a hidden layer`);
    const n = Math.min(x.length / this.inputs, limit), width = this.layers[l].outputs;
    const out = new Float32Array(n * width), chunk = Math.min(n, 1024) || 1;
    const b = this._buffers(chunk, { quant });
    try {
      for (let i = 0; i < n; i += chunk) {
        const m = Math.min(chunk, n - i);
        this.#lab.aq.heapF32.set(x.subarray(i * this.inputs, (i + m) * this.inputs), b.x / F32);
        this._forward(b, m, quant);
        const z = b.layers[l].z / F32;
        out.set(this.#lab.aq.heapF32.subarray(z, z + m * width), i * width);
      }
      return out;
    } finally {
      b.free();
    }
  }

  // ---- training ----------------------------------------------------------------------------

  #optimizerState(kind) {
    const aq = this.#lab.aq;
    if (this.#stateKind === kind) return;
    for (const p of this.#state) if (p) aq._free(p);
    this.#state = [0, 0];
    const bytes = this.parameterCount * F32;
    this.#state[0] = aq._malloc(bytes);
    if (kind === 'adam') this.#state[1] = aq._malloc(bytes);
    this.#stateKind = kind;
    this.resetOptimizer();
  }
  /** Zeroes the optimizer state (momentum / Adam moments and step count). */
  resetOptimizer() {
    const heap = this.#lab.aq.heapU8;
    for (const p of this.#state) if (p) heap.fill(0, p, p + this.parameterCount * F32);
    this.#adamStep = 0;
  }

  #update(o) {
    const wasm = this.#lab.aq.wasm;
    if (o.optimizer === 'sgd') {
      wasm.lab_sgd(this.parameterCount, this.#params, this.#grads, this.#state[0], o.lr, o.momentum);
    } else {
      const t = ++this.#adamStep;
      wasm.lab_adam(this.parameterCount, this.#params, this.#grads, this.#state[0], this.#state[1], o.lr, o.beta1, o.beta2, o.eps,
        1 - o.beta1 ** t, 1 - o.beta2 ** t);
    }
  }

  /**
   * Trains on a split {x, y, n} for options.epochs epochs of shuffled mini-batches (the
   * last, partial batch included). onProgress({ type: 'step' | 'epoch', ... }) may return
   * false to stop early. options.validation: a split evaluated after every epoch.
   * A loss that becomes NaN or infinite restores the weights and throws a RangeError.
   */
  train(split, options = {}) {
    this.#check();
    const o = trainOptions(options);
    const s = checkData(split, this.inputs, this.classes, 'train');
    const validation = o.validation === undefined ? null : checkData(o.validation, this.inputs, this.classes, 'train: validation');
    const quant = o.quant ?? null;
    const aq = this.#lab.aq, wasm = aq.wasm;
    const rows = Math.min(o.batch, s.n);
    const steps = Math.ceil(s.n / o.batch);
    const random = rng(o.seed ?? this.seed);
    const order = Uint32Array.from({ length: s.n }, (_, i) => i);
    const snapshot = this.parameters();
    this.#optimizerState(o.optimizer);
    const b = this._buffers(rows, { training: true, quant });
    let data = 0, labels = 0;
    const history = [];
    const started = performance.now();
    let samples = 0, stopped = false;
    try {
      data = aq._malloc(s.x.length * F32);
      labels = aq._malloc(s.n * F32);
      aq.heapF32.set(s.x, data / F32);
      new Int32Array(aq.heapU8.buffer).set(s.y, labels / F32);
      outer: for (let epoch = 1; epoch <= o.epochs; epoch++) {
        shuffle(order, random);
        let lossSum = 0, correct = 0, seen = 0;
        for (let step = 0; step < steps; step++) {
          const from = step * o.batch, m = Math.min(o.batch, s.n - from);
          new Uint32Array(aq.heapU8.buffer).set(order.subarray(from, from + m), b.idx / F32);
          wasm.lab_gather(m, this.inputs, b.idx, data, labels, b.x, b.labels);
          const logits = this._forward(b, m, quant);
          const r = this._loss(b, m, logits, true);
          if (!Number.isFinite(r.loss)) {
            throw new RangeError(`train: the loss became ${r.loss} at epoch ${epoch}, step ${step + 1} (lr = ${o.lr}, ` +
              `${o.optimizer}); training stopped and the weights were restored -- try a lower learning rate`);
          }
          this._backward(b, m, quant);
          this.#update(o);
          lossSum += r.loss * m;
          correct += r.correct;
          seen += m;
          samples += m;
          if (o.onProgress && o.onProgress({
            type: 'step', epoch, epochs: o.epochs, step: step + 1, steps, loss: lossSum / seen, accuracy: correct / seen,
            elapsed: (performance.now() - started) / 1000,
          }) === false) { stopped = true; break outer; }
        }
        const entry = { epoch, loss: lossSum / seen, accuracy: correct / seen };
        if (validation) {
          const v = this.evaluate(validation, { quant });
          entry.testLoss = v.loss;
          entry.testAccuracy = v.accuracy;
        }
        history.push(entry);
        if (o.onProgress && o.onProgress({ type: 'epoch', epochs: o.epochs, elapsed: (performance.now() - started) / 1000, ...entry }) === false) {
          stopped = true;
          break;
        }
      }
    } catch (e) {
      if (this.#params) this.#heap().set(snapshot, this.#params / F32);
      throw e;
    } finally {
      b.free();
      if (data) aq._free(data);
      if (labels) aq._free(labels);
    }
    const seconds = (performance.now() - started) / 1000;
    return { history, stopped, samples, seconds, samplesPerSecond: samples / seconds };
  }

  // ---- serialization -----------------------------------------------------------------------

  toJSON() {
    this.#check();
    const { name, preset, params } = this.activation;
    return {
      format: 'actq-mlp', version: 1, sizes: [...this.sizes], seed: this.seed,
      activation: { name, preset, params: { ...params } },
      layers: this.layers.map((_, l) => {
        const { weights, bias } = this.layer(l);
        return { weights: Array.from(weights), bias: Array.from(bias) };
      }),
      quant: this.quant ? quantToJSON(this.quant) : null,
    };
  }
}

/** QAT settings as plain numbers (qparams objects only). */
function quantToJSON(q) {
  return { bits: q.bits, input: q.input.normalized, layers: q.layers.map((l) => ({ z: l.z.normalized, h: l.h.normalized })) };
}
