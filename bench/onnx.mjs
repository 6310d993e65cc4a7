// A tiny ONNX model encoder: enough protobuf to write a graph of a few nodes with typed
// inputs, outputs and initializers, so the benchmark builds its ONNX Runtime models in
// memory (no onnx Python package, no model files).
//
// Field numbers are those of onnx/onnx.proto: ModelProto, GraphProto, NodeProto,
// AttributeProto, TensorProto, ValueInfoProto, TypeProto, TensorShapeProto.

const utf8 = new TextEncoder();

/** ONNX TensorProto.DataType codes. */
export const DTYPE = { float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6 };

function varint(n) {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`onnx: varint needs a non-negative integer, got ${n}`);
  const out = [];
  while (n > 127) { out.push((n % 128) | 128); n = Math.floor(n / 128); }
  out.push(n);
  return out;
}
const key = (field, wire) => varint(field * 8 + wire);
const bytesOf = (parts) => Uint8Array.from(parts.flat(Infinity));

// one field each; a message is the concatenation of its fields
const int = (field, v) => [key(field, 0), varint(v)];
const f32 = (field, v) => [key(field, 5), [...new Uint8Array(Float32Array.of(v).buffer)]];
const raw = (field, u8) => [key(field, 2), varint(u8.length), [...u8]];
const str = (field, s) => raw(field, utf8.encode(s));
const msg = (field, parts) => raw(field, bytesOf(parts));

/** { f: 1.5 } | { i: 3 } | { s: 'tanh' } -> AttributeProto fields */
function attribute(name, value) {
  if ('f' in value) return [str(1, name), f32(2, value.f), int(20, 1)];
  if ('i' in value) return [str(1, name), int(3, value.i), int(20, 2)];
  if ('s' in value) return [str(1, name), str(4, value.s), int(20, 3)];
  throw new TypeError(`onnx: attribute ${name} must be { f } | { i } | { s }`);
}

function valueInfo({ name, type, shape }) {
  const dims = shape.map((d) => msg(1, typeof d === 'string' ? str(2, d) : int(1, d)));
  const tensorType = [int(1, DTYPE[type]), msg(2, dims)];
  return [str(1, name), msg(2, msg(1, tensorType))];
}

function initializer({ name, type, dims = [], data }) {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return [...dims.map((d) => int(1, d)), int(2, DTYPE[type]), str(8, name), raw(9, bytes)];
}

function node({ op, domain = '', inputs, outputs, attrs = {} }, i) {
  return [
    ...inputs.map((n) => str(1, n)),
    ...outputs.map((n) => str(2, n)),
    str(3, `${op}_${i}`),
    str(4, op),
    ...Object.entries(attrs).map(([name, v]) => msg(5, attribute(name, v))),
    str(7, domain),
  ];
}

/**
 * Encodes a model. inputs/outputs: [{ name, type, shape }] (a string dimension is
 * symbolic); initializers: [{ name, type, dims, data: TypedArray }]; nodes: [{ op,
 * domain?, inputs, outputs, attrs? }]; opsets: { domain: version }.
 * @returns {Uint8Array} the ModelProto bytes, ready for InferenceSession.create
 */
export function onnxModel({ nodes, inputs, outputs, initializers = [], opsets = { '': 20 }, irVersion = 9 }) {
  const graph = [
    ...nodes.map((n, i) => msg(1, node(n, i))),
    str(2, 'actq_bench'),
    ...initializers.map((t) => msg(5, initializer(t))),
    ...inputs.map((v) => msg(11, valueInfo(v))),
    ...outputs.map((v) => msg(12, valueInfo(v))),
  ];
  return bytesOf([
    int(1, irVersion),
    str(2, 'actq-bench'),
    msg(7, graph),
    ...Object.entries(opsets).map(([domain, version]) => msg(8, [str(1, domain), int(2, version)])),
  ]);
}

/** A model of one elementwise node x -> y over a 1-D tensor of symbolic length N. */
export function unaryModel(op, { domain = '', attrs, type = 'float32', outType = type, opset = 20 } = {}) {
  const opsets = { '': opset };
  if (domain) opsets[domain] = 1;
  return onnxModel({
    nodes: [{ op, domain, inputs: ['x'], outputs: ['y'], attrs }],
    inputs: [{ name: 'x', type, shape: ['N'] }],
    outputs: [{ name: 'y', type: outType, shape: ['N'] }],
    opsets,
  });
}
