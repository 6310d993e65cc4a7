// The quantization rows: quantize, dequantize, fake quantization (quantize then dequantize)
// and an 8-bit lookup table for sigmoid (int8 in and out, TFLite's LOGISTIC output qparams).
// Every system gets float inputs and turns them into its own codes outside the timing.
//
//   actq:   qp = { scale: 20/127, zeroPoint: 0 } int8, half-to-even rounding (ONNX)
//   ORT:    QuantizeLinear / DequantizeLinear / both / QLinearSigmoid (com.microsoft), int8
//   LiteRT: QUANTIZE / DEQUANTIZE / both / LOGISTIC, uint8 with scale 40/255, zero point 128
//           (LiteRT.js tensors are float32, int32 or uint8 only: int8 models cannot be fed)
import { onnxModel } from './onnx.mjs';
import { OP, tfliteChain } from './tflite.mjs';
import { REFERENCES } from '../tests/reference.js';
import { ulpOf } from '../tests/accuracy.js';

export const QUANT_OPS = [
  { name: 'quantize', kind: 'quant' },
  { name: 'dequantize', kind: 'quant' },
  { name: 'fake_quantize', kind: 'quant' },
  { name: 'lut_sigmoid', kind: 'quant' },
];

const INT8 = { scale: Math.fround(20 / 127), zeroPoint: 0, qmin: -128, qmax: 127, Codes: Int8Array };
const UINT8 = { scale: Math.fround(40 / 255), zeroPoint: 128, qmin: 0, qmax: 255, Codes: Uint8Array };
// sigmoid output: TFLite LOGISTIC int8 (1/256, -128), the same codes shifted for uint8
const OUT_INT8 = { scale: 1 / 256, zeroPoint: -128, qmin: -128, qmax: 127, Codes: Int8Array };
const OUT_UINT8 = { scale: 1 / 256, zeroPoint: 0, qmin: 0, qmax: 255, Codes: Uint8Array };

const roundHalfEven = (v) => {
  const r = Math.round(v); // half up
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
};
// x / scale in float32, as ONNX QuantizeLinear specifies (and actq implements)
const code = (v, q) => Math.min(q.qmax, Math.max(q.qmin, roundHalfEven(Math.fround(v / q.scale)) + q.zeroPoint));
/** reference codes of x under q */
const codesOf = (x, q) => q.Codes.from(x, (v) => code(v, q));

// ---- accuracy -------------------------------------------------------------------------------

function codeError(ref, y) {
  let maxCodeDiff = 0, mismatches = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(ref[i] - y[i]);
    if (d > 0) mismatches++;
    if (d > maxCodeDiff) maxCodeDiff = d;
  }
  return { maxCodeDiff, mismatches };
}
function floatError(ref, y) {
  let maxUlp = 0, maxAbs = 0;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(y[i] - ref[i]);
    if (!(err <= maxAbs)) maxAbs = err;
    if (Math.abs(ref[i]) >= 1e-3 && !(err / ulpOf(ref[i]) <= maxUlp)) maxUlp = err / ulpOf(ref[i]);
  }
  return { maxUlp, maxAbs };
}
/** The output code of the sigmoid table for input code c, built in float64. */
const lutCode = (c, qin, qout) => code(REFERENCES.sigmoid.f((c - qin.zeroPoint) * qin.scale), qout);

/** Error of a system's output y for op over float inputs x (spec: the qparams it used). */
function accuracy(op, spec, x, y) {
  const { q, out } = spec;
  if (op === 'quantize') return codeError(codesOf(x, q), y);
  const codes = codesOf(x, q);
  if (op === 'dequantize') return floatError(Float64Array.from(codes, (c) => (c - q.zeroPoint) * q.scale), y);
  // fake quantization returns multiples of the scale: compare them as codes
  if (op === 'fake_quantize') return codeError(codes, Float64Array.from(y, (v) => Math.round(v / q.scale) + q.zeroPoint));
  const table = new Map();
  return codeError(Int32Array.from(codes, (c) => {
    if (!table.has(c)) table.set(c, lutCode(c, q, out));
    return table.get(c);
  }), y);
}

// ---- systems ---------------------------------------------------------------------------------

const JS_QUANT = {
  quantize: (x, y, q) => { for (let i = 0; i < x.length; i++) y[i] = code(x[i], q); },
  dequantize: (c, y, q) => { for (let i = 0; i < c.length; i++) y[i] = (c[i] - q.zeroPoint) * q.scale; },
  fake_quantize: (x, y, q) => { for (let i = 0; i < x.length; i++) y[i] = (code(x[i], q) - q.zeroPoint) * q.scale; },
  lut_sigmoid: (c, y, q, table) => { for (let i = 0; i < c.length; i++) y[i] = table[c[i] - q.qmin]; },
};
/** The plain-JS sigmoid table: output code for each input code qmin..qmax. */
const jsTable = (q, out) => out.Codes.from({ length: q.qmax - q.qmin + 1 }, (_, i) => lutCode(q.qmin + i, q, out));

/** Input and output arrays of op for a system with qparams q (codes built untimed). */
function io(op, x, q, out = OUT_INT8) {
  const input = op === 'quantize' || op === 'fake_quantize' ? x : codesOf(x, q);
  const output = op === 'quantize' ? new q.Codes(x.length) : op === 'lut_sigmoid' ? new out.Codes(x.length) : new Float32Array(x.length);
  return { input, output };
}

/** actq's int8 qparams, the sigmoid table and a call per op on side aq. */
function actqCalls(aq) {
  const qp = { scale: INT8.scale, zeroPoint: 0, bits: 8, signed: true, rounding: 'half_even' };
  const lut = aq.lut('sigmoid', null, qp, 'tflite-logistic');
  return {
    quantize: (x, y) => aq.quantize(x, qp, y),
    dequantize: (c, y) => aq.dequantize(c, qp, y),
    fake_quantize: (x, y) => aq.fakeQuantize(x, qp, y),
    lut_sigmoid: (c, y) => aq.applyLut(lut, c, y),
  };
}

/** the qparams every actq row uses (accuracy() reads them back) */
const ACTQ_SPEC = { q: INT8, out: OUT_INT8 };

/** op on buffers in wasm memory (alloc(n) for floats, alloc(n, Int8Array) for codes); also bench/ab.mjs's */
export function actqQuantRunner(aq, op, x, call = actqCalls(aq)) {
  const { input, output } = io(op, x, INT8);
  const src = aq.alloc(x.length, input.constructor), dst = aq.alloc(x.length, output.constructor);
  src.view.set(input);
  return { spec: ACTQ_SPEC, run: () => call[op](src, dst), read: () => dst.view.slice(), dispose: () => { src.free(); dst.free(); } };
}

function actqSystems(aq, variant) {
  const call = actqCalls(aq);
  const list = [{
    id: `actq-${variant}-q`, label: `actq ${variant === 'simd' ? 'SIMD' : 'scalar'}, typed arrays (copying API)`,
    supports: () => true,
    prepare(op, x) {
      const { input, output } = io(op, x, INT8);
      return { spec: ACTQ_SPEC, run: () => call[op](input, output), read: () => output, dispose() {} };
    },
  }];
  if (variant === 'simd') {
    list.unshift({
      id: 'actq-q', label: 'actq SIMD, wasm buffers (zero-copy)', supports: () => true,
      prepare: (op, x) => actqQuantRunner(aq, op, x, call),
    });
  }
  return list;
}

function jsSystem() {
  const table = jsTable(INT8, OUT_INT8);
  return {
    id: 'js-q', label: 'plain JS loop', supports: () => true,
    prepare(op, x) {
      const { input, output } = io(op, x, INT8);
      return { spec: { q: INT8, out: OUT_INT8 }, run: () => JS_QUANT[op](input, output, INT8, table), read: () => output, dispose() {} };
    },
  };
}

const scalar = (type, v) => ({ type, dims: [], data: type === 'float32' ? Float32Array.of(v) : Int8Array.of(v) });
function ortModel(op) {
  const qInit = [
    { name: 's', ...scalar('float32', INT8.scale) }, { name: 'z', ...scalar('int8', 0) },
  ];
  const x = (type) => [{ name: 'x', type, shape: ['N'] }], y = (type) => [{ name: 'y', type, shape: ['N'] }];
  if (op === 'quantize') return onnxModel({ nodes: [{ op: 'QuantizeLinear', inputs: ['x', 's', 'z'], outputs: ['y'] }], inputs: x('float32'), outputs: y('int8'), initializers: qInit });
  if (op === 'dequantize') return onnxModel({ nodes: [{ op: 'DequantizeLinear', inputs: ['x', 's', 'z'], outputs: ['y'] }], inputs: x('int8'), outputs: y('float32'), initializers: qInit });
  if (op === 'fake_quantize') {
    return onnxModel({
      nodes: [{ op: 'QuantizeLinear', inputs: ['x', 's', 'z'], outputs: ['q'] }, { op: 'DequantizeLinear', inputs: ['q', 's', 'z'], outputs: ['y'] }],
      inputs: x('float32'), outputs: y('float32'), initializers: qInit,
    });
  }
  return onnxModel({
    nodes: [{ op: 'QLinearSigmoid', domain: 'com.microsoft', inputs: ['x', 's', 'z', 'ys', 'yz'], outputs: ['y'] }],
    inputs: x('int8'), outputs: y('int8'), opsets: { '': 20, 'com.microsoft': 1 },
    initializers: [...qInit, { name: 'ys', ...scalar('float32', OUT_INT8.scale) }, { name: 'yz', ...scalar('int8', OUT_INT8.zeroPoint) }],
  });
}

function ortSystem(ort) {
  const sessions = new Map();
  return {
    id: 'ort-q', label: 'onnxruntime-web (wasm EP)', supports: () => true,
    async prepare(op, x) {
      if (!sessions.has(op)) sessions.set(op, await ort.InferenceSession.create(ortModel(op), { executionProviders: ['wasm'] }));
      const session = sessions.get(op), { input } = io(op, x, INT8);
      const feeds = { x: new ort.Tensor(input instanceof Float32Array ? 'float32' : 'int8', input, [x.length]) };
      return {
        spec: { q: INT8, out: OUT_INT8 }, isAsync: true,
        run: async () => { await session.run(feeds); },
        read: async () => (await session.run(feeds)).y.data,
        dispose() {},
      };
    },
  };
}

function litertSystem({ litert, compile }) {
  const u8 = { type: 'uint8', quant: { scale: UINT8.scale, zeroPoint: UINT8.zeroPoint } };
  const chain = {
    quantize: [[OP.QUANTIZE], [{ name: 'x', type: 'float32' }, { name: 'y', ...u8 }]],
    dequantize: [[OP.DEQUANTIZE], [{ name: 'x', ...u8 }, { name: 'y', type: 'float32' }]],
    fake_quantize: [[OP.QUANTIZE, OP.DEQUANTIZE], [{ name: 'x', type: 'float32' }, { name: 'q', ...u8 }, { name: 'y', type: 'float32' }]],
    lut_sigmoid: [[OP.LOGISTIC], [{ name: 'x', ...u8 }, { name: 'y', type: 'uint8', quant: { scale: OUT_UINT8.scale, zeroPoint: 0 } }]],
  };
  return {
    id: 'litert-q', label: 'LiteRT.js (XNNPACK), uint8', supports: () => true,
    async prepare(op, x) {
      const model = await compile(tfliteChain(...chain[op], [x.length]));
      const { input } = io(op, x, UINT8, OUT_UINT8);
      const tensor = new litert.Tensor(input, [x.length]);
      const once = async () => { const [y] = await model.run(tensor); return y; };
      return {
        spec: { q: UINT8, out: OUT_UINT8 }, isAsync: true,
        run: async () => (await once()).delete(),
        read: async () => { const y = await once(); const d = y.toTypedArray().slice(); y.delete(); return d; },
        dispose: () => { tensor.delete(); model.delete(); },
      };
    },
  };
}

/** The quantization systems, given the float peers' state (run.mjs). */
export async function quantSystems(peers) {
  const aq = peers.actq?.simd;
  if (typeof aq?.applyLut !== 'function' || typeof aq?.lut !== 'function') {
    return { available: false, reason: 'this actq build has no quantization API (applyLut) yet' };
  }
  const list = [...actqSystems(aq, 'simd'), ...actqSystems(peers.actq.scalar, 'scalar'), jsSystem()];
  if (peers.ort) list.push(ortSystem(peers.ort.ort));
  if (peers.litert) list.push(litertSystem(peers.litert));
  return { available: true, list, accuracy };
}
