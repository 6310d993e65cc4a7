// Post-training quantization of a lab network into the integer network an edge chip runs,
// and that network's inference in wasm (src/c/lab/integer.c + the LUT kernel).
//
// At `bits` b: weights b-bit symmetric per output channel (narrow range, scale = max|w| /
// (2^(b-1) - 1), as the QAT forward computes it); the input 8-bit unsigned; each hidden
// layer's int32 accumulator requantized to an 8-bit signed pre-activation code (the LUT
// input, so the activation is resolved at 256 points whatever b is), then the activation
// as the float-built 256-entry table whose outputs are b-bit unsigned codes -- the next
// layer's input; the last layer's accumulator requantized to int16 logits. The format is
// documented in src/js/lab/export_c.js, which writes the same network as C.

import { normalizeQParams } from '../quantize.js';
import { checkData } from './data.js';


/** Checks a bit width for the integer network (2..8). */
export function checkBits(bits, what = 'bits') {
  if (!Number.isInteger(bits) || bits < 2 || bits > 8) throw new RangeError(`${what} must be an integer in [2, 8], got ${bits}`);
  return bits;
}

/** The real multiplier M > 0 as m 2^-shift with m in [2^30, 2^31) where the shift allows
 *  (shift in [1, 62]; below 2^-32 the multiplier loses bits and may reach 0). */
export function fixedPoint(M) {
  if (!(M > 0 && Number.isFinite(M))) throw new RangeError(`requantization multiplier must be finite and > 0, got ${M}`);
  let shift = 30 - Math.floor(Math.log2(M));
  while (M * 2 ** shift >= 2 ** 31) shift--;
  while (M * 2 ** shift < 2 ** 30) shift++;
  if (shift > 62) shift = 62;
  if (shift < 1) throw new RangeError(`requantization multiplier ${M} is too large (>= 2^30)`);
  let m = Math.round(M * 2 ** shift);
  if (m >= 2 ** 31) { m = 2 ** 30; shift--; }
  return { multiplier: m, shift };
}

/**
 * The quantization settings of a network at `bits`, calibrated (min/max) on the first
 * `samples` rows of x: input (8-bit unsigned), per hidden layer the pre-activation (8-bit
 * signed) and activation output (b-bit unsigned) qparams. Used by PTQ and fixed during QAT.
 */
export function calibrate(aq, net, x, bits, { samples = 2000 } = {}) {
  checkBits(bits);
  const n = Math.min(samples, x.length / net.inputs);
  if (!(n >= 1)) throw new RangeError('calibration data: need at least one sample');
  const sample = x.subarray(0, n * net.inputs);
  const layout = (qp) => normalizeQParams(qp);
  const input = aq.calibrate(sample, { bits: 8, signed: false });
  const layers = [];
  for (let l = 0; l + 1 < net.layers.length; l++) {
    // each layer sees the float network's values: PTQ calibrates the float model
    const z = net.hiddenPreActivations(sample, l);
    const h = aq.forward(net.activation.name, z, { ...net.activation.params });
    layers.push({ z: layout(aq.calibrate(z, { bits: 8, signed: true })), h: layout(aq.calibrate(h, { bits, signed: false })) });
  }
  return { bits, input: layout(input), layers };
}

/** The integer network (typed-array form) of a float network with quantization `quant`. */
export function toInteger(aq, net, quant, x, { samples = 2000 } = {}) {
  const { bits } = quant;
  // logits' qparams: symmetric int16 over the QAT forward's logits on the calibration rows
  const n = Math.min(samples, x.length / net.inputs);
  const logits = net.logits(x.subarray(0, n * net.inputs), { quant });
  const logitQp = normalizeQParams(aq.calibrate(logits, { bits: 16, signed: true, symmetric: true }));
  let inScale = quant.input.scales[0];
  const layers = net.layers.map((L, l) => {
    const { weights, bias } = net.layer(l);
    const scales = net.weightScales(l, bits); // the QAT forward's kernel: the same scales
    const codes = aq.quantize(weights, {
      scale: Array.from(scales), zeroPoint: 0, axis: 0, shape: [L.outputs, L.inputs], bits, signed: true, narrowRange: true,
    });
    const hidden = l + 1 < net.layers.length;
    const out = hidden ? quant.layers[l].z : logitQp;
    const outScale = out.scales[0];
    const biasCodes = new Int32Array(L.outputs), multiplier = new Int32Array(L.outputs), shift = new Int32Array(L.outputs);
    for (let c = 0; c < L.outputs; c++) {
      const accScale = inScale * scales[c];
      biasCodes[c] = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(bias[c] / accScale)));
      const f = fixedPoint(accScale / outScale);
      multiplier[c] = f.multiplier;
      shift[c] = f.shift;
    }
    const layer = {
      inputs: L.inputs, outputs: L.outputs, weights: codes, weightScales: scales, bias: biasCodes, multiplier, shift,
      output: out.normalized, lut: null, activationOutput: null,
    };
    if (hidden) {
      const h = quant.layers[l].h;
      const table = aq.lut(net.activation.name, { ...net.activation.params }, out.normalized, h.normalized).table;
      layer.lut = new Uint8Array(256); // indexed by the raw byte of the int8 code: lut[z & 255]
      for (let byte = 0; byte < 256; byte++) layer.lut[byte] = table[(byte >= 128 ? byte - 256 : byte) + 128];
      layer.activationOutput = h.normalized;
      inScale = h.scales[0];
    }
    return layer;
  });
  const { name, preset, params } = net.activation;
  return {
    format: 'actq-integer-mlp', version: 1, bits,
    activation: { name, preset, params: { ...params } },
    input: quant.input.normalized,
    layers,
  };
}

/** Runs an integer network (typed-array form) in wasm. */
export class IntegerNetwork {
  #aq;
  constructor(aq, spec) {
    this.#aq = aq;
    this.spec = spec;
    this.bits = spec.bits;
    this.activation = spec.activation;
    this.inputs = spec.layers[0].inputs;
    this.classes = spec.layers[spec.layers.length - 1].outputs;
  }

  /** uint8 input codes of float inputs x (the network's input qparams). */
  quantizeInput(x) {
    return this.#aq.quantize(x, this.spec.input);
  }

  /** int16 logits (n x classes) for n rows of uint8 input codes. */
  logitsFromCodes(codes) {
    const aq = this.#aq, wasm = aq.wasm, spec = this.spec;
    if (!(codes instanceof Uint8Array)) throw new TypeError('logitsFromCodes: codes must be a Uint8Array of input codes');
    if (codes.length % this.inputs !== 0) throw new RangeError(`logitsFromCodes: length ${codes.length} is not a multiple of ${this.inputs}`);
    const n = codes.length / this.inputs, chunk = Math.min(n, 1024) || 1;
    const widest = Math.max(...spec.layers.map((L) => Math.max(L.inputs, L.outputs)));
    const out = new Int16Array(n * this.classes);
    const owned = [];
    const alloc = (bytes) => { const p = aq._malloc(bytes); owned.push(p); return p; };
    try {
      const bufA = alloc(chunk * widest), bufB = alloc(chunk * widest * 2);
      const layers = spec.layers.map((L) => {
        const p = { w: alloc(L.weights.length), bias: alloc(L.outputs * 4), mult: alloc(L.outputs * 4), shift: alloc(L.outputs * 4), lut: L.lut ? alloc(256) : 0 };
        const heap = aq.heapU8;
        heap.set(new Uint8Array(L.weights.buffer, L.weights.byteOffset, L.weights.length), p.w);
        heap.set(new Uint8Array(L.bias.buffer, L.bias.byteOffset, L.outputs * 4), p.bias);
        heap.set(new Uint8Array(L.multiplier.buffer, L.multiplier.byteOffset, L.outputs * 4), p.mult);
        heap.set(new Uint8Array(Int32Array.from(L.shift).buffer), p.shift);
        if (L.lut) heap.set(L.lut, p.lut);
        return p;
      });
      for (let i = 0; i < n; i += chunk) {
        const m = Math.min(chunk, n - i);
        aq.heapU8.set(codes.subarray(i * this.inputs, (i + m) * this.inputs), bufA);
        let zin = spec.input.zeroPoint;
        spec.layers.forEach((L, l) => {
          const p = layers[l];
          if (L.lut) {
            wasm.lab_int_dense(m, L.inputs, L.outputs, bufA, zin, p.w, p.bias, p.mult, p.shift, L.output.zeroPoint, -128, 127, bufB, 0);
            wasm.actq_apply_lut8(p.lut, bufB, bufA, m * L.outputs);
            zin = L.activationOutput.zeroPoint;
          } else {
            wasm.lab_int_dense(m, L.inputs, L.outputs, bufA, zin, p.w, p.bias, p.mult, p.shift, 0, -32768, 32767, bufB, 1);
            out.set(new Int16Array(aq.heapU8.buffer, bufB, m * L.outputs), i * this.classes);
          }
        });
      }
      return out;
    } finally {
      for (const p of owned) aq._free(p);
    }
  }

  /** Predicted classes (first maximum logit) for float inputs x. */
  predict(x) {
    const logits = this.logitsFromCodes(this.quantizeInput(x));
    return argmaxRows(logits, this.classes);
  }

  /** { accuracy, loss } on a split {x, y, n}; the loss is the cross-entropy of the
   *  dequantized integer logits (float32 logit code * scale), computed in wasm like the
   *  float network's, so it has the same bits in Node and in every browser. */
  evaluate(split) {
    const s = checkData(split, this.inputs, this.classes, 'evaluate');
    const aq = this.#aq, wasm = aq.wasm;
    const logits = this.logitsFromCodes(this.quantizeInput(s.x));
    const scale = Math.fround(this.spec.layers[this.spec.layers.length - 1].output.scale);
    const real = Float32Array.from(logits, (v) => v * scale); // exact products, rounded once to float32
    const owned = [];
    const alloc = (bytes) => { const p = aq._malloc(Math.max(4, bytes)); owned.push(p); return p; };
    try {
      const pl = alloc(real.length * 4), py = alloc(s.n * 4), pc = alloc(4);
      aq.heapF32.set(real, pl / 4);
      new Int32Array(aq.heapU8.buffer).set(s.y, py / 4);
      const sum = wasm.lab_softmax_xent(s.n, this.classes, pl, py, 0, 0, pc);
      const correct = new Uint32Array(aq.heapU8.buffer, pc, 1)[0];
      return { accuracy: s.n ? correct / s.n : NaN, loss: s.n ? sum / s.n : NaN };
    } finally {
      for (const p of owned) aq._free(p);
    }
  }
}

export function argmaxRows(values, width) {
  const n = values.length / width, out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (values[i * width + c] > values[i * width + best]) best = c;
    out[i] = best;
  }
  return out;
}

