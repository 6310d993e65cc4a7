// The quantization half of the API: affine quantize / dequantize / fake quantization,
// calibration, error metrics, integer lookup tables and integer-only kernels. The
// elementwise work runs in wasm (src/c/quantize.c, src/c/lut.c); this module validates
// arguments, lays out per-channel parameters and builds tables from the float kernels.

import { paramsObject } from './registry.js';

const ROUNDINGS = ['half_even', 'half_away', 'half_up'];
const CODE_TYPES = [Int8Array, Uint8Array, Int16Array, Uint16Array]; // index = C storage kind
const METHODS = ['minmax', 'percentile', 'mse', 'entropy'];

/** Fixed output qparams of the frameworks' quantized sigmoid / tanh (REFERENCE.md). */
const OUTPUT_PRESETS = {
  'tflite-logistic': { signed: { scale: 1 / 256, zeroPoint: -128 }, rounding: 'half_away' },
  'tflite-tanh': { signed: { scale: 1 / 128, zeroPoint: 0 }, rounding: 'half_away' },
  'pytorch-sigmoid': { signed: { scale: 1 / 256, zeroPoint: -128 }, unsigned: { scale: 1 / 256, zeroPoint: 0 } },
  'pytorch-tanh': { signed: { scale: 2 / 256, zeroPoint: 0 }, unsigned: { scale: 2 / 256, zeroPoint: 128 } },
};

const isInt = (v) => Number.isInteger(v);
const describe = (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v);

/** [qmin, qmax] for bits / signed / narrowRange. */
export function codeRange({ bits = 8, signed = true, narrowRange = false } = {}) {
  const half = 1 << (bits - 1); // bits <= 16
  const qmin = signed ? -half : 0, qmax = signed ? half - 1 : 2 * half - 1;
  return [qmin + (narrowRange ? 1 : 0), qmax];
}

/**
 * Validates and completes qparams. Returns the public normalized object plus the layout
 * the kernels need: float32 scales, integer zero points, channels and inner run length.
 */
export function normalizeQParams(qp, what = 'qp') {
  if (qp === null || typeof qp !== 'object') throw new TypeError(`${what} must be an object with a scale, got ${describe(qp)}`);
  const { bits = 8, signed = true, narrowRange = false, rounding = 'half_even', axis, shape } = qp;
  if (!isInt(bits) || bits < 2 || bits > 16) throw new RangeError(`${what}.bits must be an integer in [2, 16], got ${bits}`);
  if (typeof signed !== 'boolean') throw new TypeError(`${what}.signed must be a boolean`);
  if (typeof narrowRange !== 'boolean') throw new TypeError(`${what}.narrowRange must be a boolean`);
  if (!ROUNDINGS.includes(rounding)) {
    throw new RangeError(`${what}.rounding: unknown rounding mode ${JSON.stringify(rounding)} (one of: ${ROUNDINGS.join(', ')})`);
  }
  const [qmin, qmax] = codeRange({ bits, signed, narrowRange });
  const list = (v, name) => {
    if (typeof v === 'number') return [v];
    if (v && typeof v === 'object' && typeof v.length === 'number') return Array.from(v);
    throw new TypeError(`${what}.${name} must be a number or an array of numbers, got ${describe(v)}`);
  };
  const scales = list(qp.scale, 'scale');
  let zeroPoints = list(qp.zeroPoint ?? 0, 'zeroPoint');
  const perChannel = axis !== undefined || scales.length > 1 || zeroPoints.length > 1;
  let channels = 1, inner = 1, size = null;
  if (perChannel) {
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => isInt(d) && d > 0)) {
      throw new RangeError(`${what}.shape: per-channel qparams need the tensor shape (positive integers)`);
    }
    const ax = axis ?? 0;
    if (!isInt(ax) || ax < -shape.length || ax >= shape.length) {
      throw new RangeError(`${what}.axis must be an integer in [${-shape.length}, ${shape.length - 1}], got ${axis}`);
    }
    const a = ax < 0 ? ax + shape.length : ax;
    channels = shape[a];
    inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
    size = shape.reduce((p, d) => p * d, 1);
    if (scales.length !== channels) {
      throw new RangeError(`${what}.scale: length ${scales.length} does not match shape[${a}] = ${channels}`);
    }
    if (zeroPoints.length === 1) zeroPoints = Array(channels).fill(zeroPoints[0]);
    if (zeroPoints.length !== channels) {
      throw new RangeError(`${what}.zeroPoint: length ${zeroPoints.length} does not match shape[${a}] = ${channels}`);
    }
  }
  const scale32 = Float32Array.from(scales);
  scales.forEach((s, i) => {
    if (typeof s !== 'number' || !Number.isFinite(s) || !(s > 0) || !(scale32[i] > 0) || !Number.isFinite(scale32[i])) {
      throw new RangeError(`${what}.scale must be finite and > 0 (as float32), got ${s}`);
    }
  });
  zeroPoints.forEach((z) => {
    if (!isInt(z) || z < qmin || z > qmax) {
      throw new RangeError(`${what}.zeroPoint must be an integer in [${qmin}, ${qmax}], got ${z}`);
    }
  });
  const normalized = perChannel
    ? { scale: Array.from(scale32), zeroPoint: zeroPoints, bits, signed, narrowRange, rounding, axis: axis ?? 0, shape: [...shape] }
    : { scale: scale32[0], zeroPoint: zeroPoints[0], bits, signed, narrowRange, rounding };
  const kind = (bits > 8 ? 2 : 0) + (signed ? 0 : 1);
  return { normalized, scales: scale32, zeroPoints: Int32Array.from(zeroPoints), channels, inner, size, qmin, qmax,
    kind, CodeArray: CODE_TYPES[kind], roundingId: ROUNDINGS.indexOf(rounding) };
}

export function installQuantization(aq, wasm) {
  const stream = (x, out, kernel) => aq._stream(x, out, kernel);

  /** Copies the per-channel layout into wasm memory for body(scalesPtr, zpsPtr). */
  function withLayout(layout, body) {
    const bytes = layout.channels * 4;
    const scales = aq._malloc(bytes);
    let zps = 0;
    try {
      zps = aq._malloc(bytes);
      // element-wise copies: `.buffer` of the small, fresh typed arrays of the layout would
      // make V8 give each one an ArrayBuffer first (2.4 of quantize's 3.1 us per call at n = 16)
      aq.heapF32.set(layout.scales, scales >>> 2);
      new Int32Array(aq.heapU8.buffer, zps, layout.channels).set(layout.zeroPoints);
      return body(scales, zps);
    } finally {
      aq._free(scales);
      if (zps) aq._free(zps);
    }
  }

  function checkSize(layout, n, what) {
    if (layout.size !== null && layout.size !== n) {
      throw new RangeError(`${what}: length ${n} does not match the product of qp.shape (${layout.size})`);
    }
  }

  function floatToCodes(x, qp, out) {
    aq._checkInput(x);
    const L = normalizeQParams(qp);
    checkSize(L, x.length, 'x');
    const result = aq._checkOut(out, x.length, L.CodeArray) ?? new L.CodeArray(x.length);
    return withLayout(L, (s, z) => stream(x, result, (src, dst, m, start) =>
      wasm.actq_quantize(src, dst, m, s, z, L.channels, L.inner, start, L.qmin, L.qmax, L.roundingId, L.kind)));
  }

  function codesToFloat(q, qp, out) {
    const L = normalizeQParams(qp);
    aq._checkInput(q, `q (${L.normalized.bits}-bit ${L.normalized.signed ? 'signed' : 'unsigned'} codes)`, L.CodeArray);
    checkSize(L, q.length, 'q');
    const result = aq._checkOut(out, q.length) ?? new Float32Array(q.length);
    return withLayout(L, (s, z) => stream(q, result, (src, dst, m, start) =>
      wasm.actq_dequantize(src, dst, m, s, z, L.channels, L.inner, start, L.kind)));
  }

  function fake(x, qp, out, kernel) {
    aq._checkInput(x);
    const L = normalizeQParams(qp);
    checkSize(L, x.length, 'x');
    const result = aq._checkOut(out, x.length) ?? new Float32Array(x.length);
    return withLayout(L, (s, z) => stream(x, result, (src, dst, m, start) =>
      kernel(src, dst, m, s, z, L.channels, L.inner, start, L.qmin, L.qmax, L.roundingId)));
  }

  aq.codeRange = (qp) => codeRange(normalizeQParams(qp).normalized);
  aq.quantize = floatToCodes;
  aq.dequantize = codesToFloat;
  aq.fakeQuantize = (x, qp, out) => fake(x, qp, out, wasm.actq_fake_quantize);
  aq.fakeQuantizeGrad = (x, qp, out) => fake(x, qp, out, wasm.actq_fake_quantize_grad);

  // ---- error metrics ---------------------------------------------------------------------

  /**
   * Error of approx against reference: mse, rmse, mae, maxAbs, sqnrDb. options.weights (one
   * per element, >= 0) or options.distribution with options.x (the inputs of the elements:
   * 'uniform', or { normal: { mean, sd } }) weight mse, rmse, mae and sqnr by the input
   * distribution; maxAbs is taken over the elements of nonzero weight.
   */
  aq.error = (reference, approx, options = {}) => {
    for (const [v, name] of [[reference, 'reference'], [approx, 'approx']]) {
      if (!(v instanceof Float32Array)) throw new TypeError(`${name} must be a Float32Array, got ${v?.constructor?.name ?? describe(v)}`);
    }
    if (reference.length !== approx.length) {
      throw new RangeError(`approx: length ${approx.length} does not match the reference length ${reference.length}`);
    }
    const w = errorWeights(reference.length, options);
    let se = 0, ae = 0, maxAbs = 0, signal = 0, total = 0;
    for (let i = 0; i < reference.length; i++) {
      const wi = w ? w[i] : 1;
      if (wi === 0) continue;
      const d = approx[i] - reference[i], a = Math.abs(d);
      se += wi * d * d;
      ae += wi * a;
      signal += wi * reference[i] * reference[i];
      total += wi;
      if (!(a <= maxAbs)) maxAbs = a; // NaN makes it NaN
    }
    const n = total || 1, mse = se / n;
    return { mse, rmse: Math.sqrt(mse), mae: ae / n, maxAbs, sqnrDb: 10 * Math.log10(signal / se) };
  };

  function errorWeights(n, { weights, distribution, x } = {}) {
    if (weights !== undefined) {
      if (!(weights && typeof weights.length === 'number') || weights.length !== n) {
        throw new RangeError(`error: options.weights must have one weight per element (${n})`);
      }
      for (let i = 0; i < n; i++) {
        if (!(weights[i] >= 0 && Number.isFinite(weights[i]))) throw new RangeError(`error: options.weights[${i}] = ${weights[i]} must be finite and >= 0`);
      }
      return weights;
    }
    if (distribution === undefined || distribution === 'uniform') return null;
    const normal = distribution?.normal;
    if (!normal || !Number.isFinite(normal.mean) || !(normal.sd > 0 && Number.isFinite(normal.sd))) {
      throw new RangeError("error: options.distribution must be 'uniform' or { normal: { mean, sd } } with a finite mean and sd > 0");
    }
    if (!(x instanceof Float32Array) || x.length !== n) throw new TypeError(`error: a distribution needs options.x, the ${n} inputs (Float32Array)`);
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) { const t = (x[i] - normal.mean) / normal.sd; w[i] = Math.exp(-0.5 * t * t); }
    return w;
  }

  // ---- calibration -----------------------------------------------------------------------

  /** qparams from a [min, max] range (PyTorch MinMaxObserver conventions). */
  function fromRange(min, max, opts) {
    const { bits, signed, symmetric, narrowRange, rounding } = opts;
    const [qmin, qmax] = codeRange({ bits, signed, narrowRange });
    min = Math.min(min, 0);
    max = Math.max(max, 0);
    let scale, zeroPoint;
    if (symmetric) {
      const absMax = Math.max(-min, max);
      scale = absMax / ((qmax - qmin) / 2);
      zeroPoint = signed ? 0 : Math.floor((qmin + qmax + 1) / 2);
    } else {
      scale = (max - min) / (qmax - qmin);
    }
    scale = Math.max(Math.fround(scale), 1.1920928955078125e-7); // float32 epsilon, as PyTorch
    if (!symmetric) zeroPoint = Math.min(qmax, Math.max(qmin, qmin - roundHalfEven(min / scale)));
    return { scale, zeroPoint, bits, signed, narrowRange, rounding };
  }

  function calibrationOptions(options = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('calibrate: options must be an object');
    const { bits = 8, signed = true, symmetric = false, narrowRange = false, rounding = 'half_even',
      method = 'minmax', percentile = 99.99, averagingConstant = 0.01 } = options;
    normalizeQParams({ scale: 1, bits, signed, narrowRange, rounding }, 'calibrate');
    if (!METHODS.includes(method)) {
      throw new RangeError(`calibrate: unknown method ${JSON.stringify(method)} (one of: ${METHODS.join(', ')})`);
    }
    if (typeof percentile !== 'number' || !(percentile > 0 && percentile <= 100)) {
      throw new RangeError(`calibrate: percentile must be in (0, 100], got ${percentile}`);
    }
    if (typeof averagingConstant !== 'number' || !(averagingConstant > 0 && averagingConstant <= 1)) {
      throw new RangeError(`calibrate: averagingConstant must be in (0, 1], got ${averagingConstant}`);
    }
    return { bits, signed, symmetric, narrowRange, rounding, method, percentile, averagingConstant };
  }

  function finiteMinMax(x) {
    let min = Infinity, max = -Infinity;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (!Number.isFinite(min) || !Number.isFinite(max)) {
      throw new RangeError('calibrate: x must be non-empty with finite values (got an empty array, NaN or infinity)');
    }
    return [min, max];
  }

  /** MSE of fake-quantizing a (sub)sample with qparams qp, in wasm. */
  function quantMse(sample, qp, scratch) {
    aq.fakeQuantize(sample, qp, scratch);
    let se = 0;
    for (let i = 0; i < sample.length; i++) { const d = scratch[i] - sample[i]; se += d * d; }
    return se / sample.length;
  }

  // Symmetric (|x|) or one-sided histogram for the entropy method: 2048 bins, TensorRT style.
  function entropyRange(x, min, max, opts) {
    const oneSided = min >= 0 || !opts.signed;
    const top = oneSided ? max : Math.max(-min, max);
    const bins = 2048, hist = new Float64Array(bins), width = top / bins;
    if (!(width > 0)) return [min, max];
    for (let i = 0; i < x.length; i++) {
      const v = oneSided ? Math.max(x[i], 0) : Math.abs(x[i]);
      hist[Math.min(bins - 1, Math.floor(v / width))]++;
    }
    const [qmin, qmax] = codeRange(opts);
    const levels = oneSided ? qmax - Math.max(qmin, 0) + 1 : Math.floor((qmax - qmin + 1) / 2);
    let best = bins, bestKl = Infinity;
    for (let i = Math.min(levels, bins); i <= bins; i++) {
      const kl = klDivergence(hist, i, levels);
      if (kl < bestKl) { bestKl = kl; best = i; }
    }
    const t = best * width;
    return oneSided ? [Math.min(min, 0), t] : [-t, t];
  }

  aq.calibrate = (x, options) => {
    if (!(x instanceof Float32Array)) throw new TypeError(`calibrate: x must be a Float32Array, got ${x?.constructor?.name ?? describe(x)}`);
    const opts = calibrationOptions(options);
    const [min, max] = finiteMinMax(x);
    let range = [min, max];
    if (opts.method === 'percentile') {
      const sorted = Float32Array.from(x).sort();
      const at = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))))];
      if (opts.symmetric) {
        const abs = Float32Array.from(x, Math.abs).sort();
        const t = abs[Math.min(abs.length - 1, Math.round((opts.percentile / 100) * (abs.length - 1)))];
        range = [-t, t];
      } else {
        range = [at(100 - opts.percentile), at(opts.percentile)];
      }
    } else if (opts.method === 'mse') {
      // shrink the min/max range by factors in (0, 1]; score each on a strided sample
      const step = Math.max(1, Math.floor(x.length / 65536));
      const sample = new Float32Array(Math.ceil(x.length / step));
      for (let i = 0, j = 0; i < x.length; i += step) sample[j++] = x[i];
      const scratch = new Float32Array(sample.length);
      let best = Infinity;
      for (let k = 1; k <= 100; k++) {
        const f = k / 100;
        const mse = quantMse(sample, fromRange(min * f, max * f, opts), scratch);
        if (mse < best) { best = mse; range = [min * f, max * f]; }
      }
    } else if (opts.method === 'entropy') {
      range = entropyRange(x, min, max, opts);
    }
    return fromRange(range[0], range[1], opts);
  };

  aq.observer = (options) => {
    const opts = calibrationOptions({ ...options, method: 'minmax' });
    let min = NaN, max = NaN;
    return {
      update(x) {
        if (!(x instanceof Float32Array)) throw new TypeError('observer.update: x must be a Float32Array');
        const [lo, hi] = finiteMinMax(x);
        const c = opts.averagingConstant;
        if (Number.isNaN(min)) { min = lo; max = hi; } else { min += c * (lo - min); max += c * (hi - max); }
      },
      get min() { return min; },
      get max() { return max; },
      qparams() {
        if (Number.isNaN(min)) throw new RangeError('observer.qparams: no data observed yet (call update first)');
        return fromRange(min, max, opts);
      },
    };
  };

  aq.outputQParams = (preset, { signed = true, rounding } = {}) => {
    const p = Object.hasOwn(OUTPUT_PRESETS, preset) ? OUTPUT_PRESETS[preset] : null;
    if (!p) throw new RangeError(`unknown output qparams preset ${JSON.stringify(preset)} (one of: ${Object.keys(OUTPUT_PRESETS).join(', ')})`);
    const v = signed ? p.signed : p.unsigned;
    if (!v) throw new RangeError(`output qparams preset '${preset}' is int8 only (signed: true)`);
    return { ...v, bits: 8, signed, narrowRange: false, rounding: rounding ?? p.rounding ?? 'half_even' };
  };
  const outQParams = (outQp) => (typeof outQp === 'string' ? aq.outputQParams(outQp) : outQp);

  // ---- integer tables ----------------------------------------------------------------------

  /** Every code of an (8- or 16-bit) per-tensor qp, in order, as its code array type. */
  function allCodes(L, what) {
    if (L.channels !== 1) throw new RangeError(`${what}: integer tables need per-tensor qparams`);
    const codes = new L.CodeArray(L.qmax - L.qmin + 1);
    for (let i = 0; i < codes.length; i++) codes[i] = L.qmin + i;
    return codes;
  }

  /** A table holds one function of the input value; per-channel slopes and per-element
   *  noise depend on the element's position instead. */
  function checkTabulable(entry, params, what) {
    const p = paramsObject(entry, params);
    if (entry.name === 'prelu' && p.alpha.length > 1) {
      throw new RangeError(`${what}: prelu with one slope per channel depends on the element's channel; build one table per channel`);
    }
    if (entry.name === 'rrelu' && p.training) {
      throw new RangeError(`${what}: rrelu in training mode draws a slope per element; tables need training: false`);
    }
  }

  /** f over the given input codes, quantized with outQp: dequantize -> forward -> quantize. */
  function tableOf(name, params, inQp, outQp, codes) {
    const y = aq.forward(name, aq.dequantize(codes, inQp), params);
    return aq.quantize(y, outQp);
  }

  aq.lut = (name, params, inQp, outQp) => {
    const entry = aq.activation(name);
    const inL = normalizeQParams(inQp, 'inQp'), outL = normalizeQParams(outQParams(outQp), 'outQp');
    if (inL.normalized.bits > 8 || outL.normalized.bits > 8) {
      throw new RangeError('lut: inQp.bits and outQp.bits must be <= 8 (use lut16 for 16-bit codes)');
    }
    checkTabulable(entry, params, 'lut');
    const table = tableOf(entry.name, params, inL.normalized, outL.normalized, allCodes(inL, 'lut'));
    return { name: entry.name, params: paramsObject(entry, params), inQp: inL.normalized, outQp: outL.normalized, table };
  };

  // The table applyLut runs: 256 bytes indexed by the raw byte of an input code; codes outside
  // [qmin, qmax] (possible below 8 bits or with narrow range) map to the entry of the nearest
  // valid code. checkedTable validates, writeRawTable writes it into wasm memory.
  function checkedTable(lut) {
    if (lut instanceof Int8Array || lut instanceof Uint8Array) {
      if (lut.length !== 256) throw new RangeError(`applyLut: a raw table must have 256 entries, got ${lut.length}`);
      const signed = lut instanceof Int8Array;
      return { table: lut, qmin: signed ? -128 : 0, qmax: signed ? 127 : 255, signed };
    }
    if (!lut || !(lut.table instanceof Int8Array || lut.table instanceof Uint8Array)) {
      throw new TypeError('applyLut: expected a table from lut() or a 256-entry Int8Array / Uint8Array');
    }
    const [qmin, qmax] = codeRange(lut.inQp);
    return { table: lut.table, qmin, qmax, signed: lut.inQp.signed };
  }
  function writeRawTable(heap, ptr, { table, qmin, qmax, signed }) {
    // (setting an Int8Array into the Uint8Array heap keeps each byte: conversion is mod 256)
    if (qmax - qmin === 255) { // every byte is a code: two block copies (a JS loop: 0.9 us per call)
      if (signed) heap.set(table.subarray(128), ptr), heap.set(table.subarray(0, 128), ptr + 128);
      else heap.set(table, ptr);
      return;
    }
    for (let b = 0; b < 256; b++) {
      const code = signed && b >= 128 ? b - 256 : b;
      heap[ptr + b] = table[Math.min(qmax, Math.max(qmin, code)) - qmin];
    }
  }

  aq.applyLut = (lut, q, out) => {
    const t = checkedTable(lut), Out = t.table.constructor;
    aq._checkInput(q, "applyLut: q (the table's input codes)", t.signed ? Int8Array : Uint8Array);
    const result = aq._checkOut(out, q.length, Out) ?? new Out(q.length);
    const table = aq._malloc(256);
    try {
      writeRawTable(aq.heapU8, table, t);
      return stream(q, result, (src, dst, m) => wasm.actq_apply_lut8(table, src, dst, m));
    } finally {
      aq._free(table);
    }
  };

  // int16: 257 knots at input codes qmin + k 2^(bits - 8), interpolated (CMSIS-NN s16 scheme)
  aq.lut16 = (name, params, inQp, outQp) => {
    const entry = aq.activation(name);
    const inL = normalizeQParams(inQp, 'inQp'), outL = normalizeQParams(outQParams(outQp), 'outQp');
    if (inL.normalized.bits <= 8) throw new RangeError('lut16: inQp.bits must be in [9, 16] (use lut for 8-bit codes)');
    // the int16 kernel writes 16-bit codes: 8-bit outputs came back as the bytes of int16 codes
    if (outL.normalized.bits <= 8) throw new RangeError('lut16: outQp.bits must be in [9, 16] (int16 output codes)');
    if (inL.channels !== 1 || outL.channels !== 1) throw new RangeError('lut16: integer tables need per-tensor qparams');
    checkTabulable(entry, params, 'lut16');
    const shift = inL.normalized.bits - 8;
    // knot inputs as floats: the last knot lies one step past qmax, so dequantize in JS
    // the same way the kernel does ((q - zp) * scale in float32) and run the float kernel
    const x = new Float32Array(257);
    for (let k = 0; k <= 256; k++) x[k] = Math.fround((inL.qmin + k * 2 ** shift - inL.zeroPoints[0]) * inL.scales[0]);
    const y = aq.forward(entry.name, x, params);
    // 16-bit knots even for narrower outputs: the kernel clamps after interpolating
    const table = aq.quantize(y, { ...outL.normalized, bits: 16 });
    return { name: entry.name, params: paramsObject(entry, params), inQp: inL.normalized, outQp: outL.normalized, table, shift };
  };

  aq.applyLut16 = (lut, q, out) => {
    if (!lut || !(lut.table instanceof Int16Array || lut.table instanceof Uint16Array) || lut.table.length !== 257) {
      throw new TypeError('applyLut16: expected a table from lut16()');
    }
    const inL = normalizeQParams(lut.inQp, 'lut.inQp'), outL = normalizeQParams(lut.outQp, 'lut.outQp');
    if (inL.normalized.bits <= 8 || outL.normalized.bits <= 8) throw new RangeError('applyLut16: lut.inQp.bits and lut.outQp.bits must be in [9, 16]');
    aq._checkInput(q, 'applyLut16: q', inL.CodeArray);
    const result = aq._checkOut(out, q.length, outL.CodeArray) ?? new outL.CodeArray(q.length);
    const knots = aq._malloc(257 * 4);
    try {
      new Int32Array(aq.heapU8.buffer, knots, 257).set(lut.table);
      // codes below qmin (narrow range) are clamped by the caller's contract: q in [qmin, qmax]
      return stream(q, result, (src, dst, m) => wasm.actq_apply_lut16(knots, src, dst, m, inL.qmin, lut.shift ?? inL.normalized.bits - 8,
        inL.normalized.signed ? 0 : 1, outL.qmin, outL.qmax, outL.normalized.signed ? 0 : 1));
    } finally {
      aq._free(knots);
    }
  };

  // ---- integer-only hard_sigmoid / hard_swish -------------------------------------------------

  aq.integerKernel = (name, params, inQp, outQp) => {
    if (name !== 'hard_sigmoid' && name !== 'hard_swish') {
      throw new RangeError(`integerKernel: ${JSON.stringify(name)} has no integer-only kernel (hard_sigmoid, hard_swish)`);
    }
    const inL = normalizeQParams(inQp, 'inQp'), outL = normalizeQParams(outQParams(outQp), 'outQp');
    for (const [L, w] of [[inL, 'inQp'], [outL, 'outQp']]) {
      if (L.normalized.bits !== 8 || L.channels !== 1) throw new RangeError(`integerKernel: ${w} must be 8-bit per-tensor`);
    }
    const sin = inL.scales[0], sout = outL.scales[0], zin = inL.zeroPoints[0], zout = outL.zeroPoints[0];
    let run, fixed;
    if (name === 'hard_sigmoid') {
      const entry = aq.activation('hard_sigmoid');
      aq._withParams(entry, params, () => {}); // validates params
      const p = paramsObject(entry, params);
      const M = (p.slope * sin) / sout;
      const shift = fixedShift(M, Math.abs(p.offset / sout), 30);
      const m = Math.round(M * 2 ** shift), bias = Math.round((p.offset / sout) * 2 ** shift);
      const lo = Math.max(outL.qmin, Math.min(outL.qmax, zout));
      const hi = Math.max(outL.qmin, Math.min(outL.qmax, zout + roundHalfEven(1 / sout)));
      fixed = { multiplier: m, shift, bias, params: p };
      run = (src, dst, n) => wasm.actq_int_hard_sigmoid(src, dst, n, inL.normalized.signed ? 0 : 1, zin, m, shift, bias, zout, lo, hi);
    } else {
      // x clip(s x + o, 0, 1) = s x clip(x + c, 0, w), w = 1 / s, c = o w (as the float kernel;
      // the defaults give c = 3, w = 6: x relu6(x + 3) / 6)
      const entry = aq.activation('hard_swish');
      aq._withParams(entry, params, () => {}); // validates params
      const p = paramsObject(entry, params);
      const w = 1 / p.slope, c = p.offset * w;
      if (sin < 2 ** -7 * 0.999) throw new RangeError(`integerKernel: inQp.scale must be >= 2^-7 for hard_swish (int32 range), got ${sin}`);
      const t3 = Math.round((c / sin) * 256), t6 = Math.round((w / sin) * 256);
      if (Math.abs(t3) >= 2 ** 22 || t6 >= 2 ** 22) throw new RangeError(`integerKernel: hard_swish slope ${p.slope} and offset ${p.offset} need a gate beyond the int32 range at inQp.scale ${sin}`);
      const M = (sin * sin) / (w * sout * 256);
      const shift = fixedShift(M, 0, 40); // the product is taken in int64
      const m = Math.round(M * 2 ** shift);
      fixed = { multiplier: m, shift, t3, t6, params: p };
      run = (src, dst, n) => wasm.actq_int_hard_swish(src, dst, n, inL.normalized.signed ? 0 : 1, zin, t3, t6, m, shift, zout, outL.qmin, outL.qmax);
    }
    const In = inL.CodeArray, Out = outL.CodeArray;
    return {
      name, inQp: inL.normalized, outQp: outL.normalized, ...fixed,
      apply(q, out) {
        aq._checkInput(q, 'integerKernel.apply: q', In);
        const result = aq._checkOut(out, q.length, Out) ?? new Out(q.length);
        return stream(q, result, run);
      },
    };
  };
}

/** The largest shift (<= maxShift) with round(M 2^shift) < 2^22 and |bias| 2^shift < 2^30. */
function fixedShift(M, biasMagnitude, maxShift) {
  let shift = maxShift;
  while (shift > 1 && (M * 2 ** shift >= 2 ** 22 || biasMagnitude * 2 ** shift >= 2 ** 30)) shift--;
  if (Math.round(M * 2 ** shift) < 1) throw new RangeError(`integerKernel: the scale ratio ${M} is too small for a fixed-point multiplier`);
  // even at shift 1: the kernels' limits (m < 2^22, |bias| < 2^30; m is passed as an int32)
  if (Math.round(M * 2 ** shift) >= 2 ** 22 || biasMagnitude * 2 ** shift >= 2 ** 30) {
    throw new RangeError(`integerKernel: the scale ratio ${M} is too large for a fixed-point multiplier (< 2^22)`);
  }
  return shift;
}

function roundHalfEven(v) {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** KL(P || Q) for a threshold at bin i (TensorRT entropy calibration): P = hist[0, i) with
 *  the outliers folded into its last bin; Q = hist[0, i) merged into `levels` levels, each
 *  level spread evenly over its non-empty bins. */
function klDivergence(hist, i, levels) {
  const p = hist.slice(0, i);
  for (let j = i; j < hist.length; j++) p[i - 1] += hist[j];
  const q = new Float64Array(i);
  for (let l = 0; l < levels; l++) {
    const start = Math.floor((l * i) / levels), end = Math.floor(((l + 1) * i) / levels);
    let sum = 0, nonzero = 0;
    for (let j = start; j < end; j++) { sum += hist[j]; if (hist[j] > 0) nonzero++; }
    for (let j = start; j < end; j++) if (hist[j] > 0) q[j] = sum / nonzero;
  }
  let ps = 0, qs = 0;
  for (let j = 0; j < i; j++) { ps += p[j]; qs += q[j]; }
  if (ps === 0 || qs === 0) return Infinity;
  let kl = 0;
  for (let j = 0; j < i; j++) {
    if (p[j] === 0) continue;
    const pj = p[j] / ps, qj = q[j] / qs;
    kl += qj > 0 ? pj * Math.log(pj / qj) : Infinity;
  }
  return kl;
}
