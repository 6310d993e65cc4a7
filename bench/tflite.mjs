// A tiny TFLite model encoder (FlatBuffers, file identifier "TFL3"): one subgraph of a few
// builtin operators over 1-D tensors, so the benchmark builds its LiteRT.js models in
// memory. Field slots are those of tensorflow/lite/schema/schema.fbs.
import * as flatbuffers from 'flatbuffers';

/** schema.fbs BuiltinOperator codes used by the benchmark. */
export const OP = { DEQUANTIZE: 6, LOGISTIC: 14, RELU: 19, RELU6: 21, TANH: 28, ELU: 111, QUANTIZE: 114, HARD_SWISH: 117, GELU: 150 };
/** schema.fbs TensorType codes. */
export const TYPE = { float32: 0, int32: 2, uint8: 3, int8: 9 };

function intVector(b, values) {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
  return b.endVector();
}
function offsetVector(b, offsets) {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
  return b.endVector();
}

// QuantizationParameters { min 0, max 1, scale 2, zero_point 3 (long) }
function quantization(b, { scale, zeroPoint }) {
  b.startVector(4, 1, 4);
  b.addFloat32(scale);
  const scales = b.endVector();
  b.startVector(8, 1, 8);
  b.addInt64(BigInt(zeroPoint));
  const zeroPoints = b.endVector();
  b.startObject(7);
  b.addFieldOffset(2, scales, 0);
  b.addFieldOffset(3, zeroPoints, 0);
  return b.endObject();
}

// Tensor { shape 0, type 1, buffer 2, name 3, quantization 4 }
function tensor(b, { name, type, shape, quant }, bufferIndex) {
  const nameOffset = b.createString(name);
  const shapeOffset = intVector(b, shape);
  const quantOffset = quant ? quantization(b, quant) : 0;
  b.startObject(8);
  b.addFieldOffset(0, shapeOffset, 0);
  b.addFieldInt8(1, TYPE[type], -1);
  b.addFieldInt32(2, bufferIndex, -1);
  b.addFieldOffset(3, nameOffset, 0);
  if (quantOffset) b.addFieldOffset(4, quantOffset, 0);
  return b.endObject();
}

// Operator { opcode_index 0, inputs 1, outputs 2 }
function operator(b, { opcodeIndex, inputs, outputs }) {
  const ins = intVector(b, inputs), outs = intVector(b, outputs);
  b.startObject(3);
  b.addFieldInt32(0, opcodeIndex, -1);
  b.addFieldOffset(1, ins, 0);
  b.addFieldOffset(2, outs, 0);
  return b.endObject();
}

// OperatorCode { deprecated_builtin_code 0 (byte), custom_code 1, version 2, builtin_code 3 }
function operatorCode(b, code) {
  b.startObject(4);
  b.addFieldInt8(0, Math.min(code, 127), -1);
  b.addFieldInt32(2, 1, 0);
  b.addFieldInt32(3, code, -1);
  return b.endObject();
}

// TensorMap { name 0, tensor_index 1 }
function tensorMap(b, name, index) {
  const nameOffset = b.createString(name);
  b.startObject(2);
  b.addFieldOffset(0, nameOffset, 0);
  b.addFieldInt32(1, index, -1);
  return b.endObject();
}

/**
 * A chain of builtin operators over tensors of one shape:
 * tensors[0] -op0-> tensors[1] -op1-> tensors[2] ...
 * tensors: [{ name, type: 'float32' | 'int8' | 'uint8', quant?: { scale, zeroPoint } }]
 * @returns {Uint8Array} the .tflite bytes
 */
export function tfliteChain(ops, tensors, shape) {
  const b = new flatbuffers.Builder(1024);
  const codes = [...new Set(ops)];
  const tensorOffsets = tensors.map((t, i) => tensor(b, { ...t, shape }, i + 1));
  const operatorOffsets = ops.map((op, i) =>
    operator(b, { opcodeIndex: codes.indexOf(op), inputs: [i], outputs: [i + 1] }));
  const last = tensors.length - 1;

  // SubGraph { tensors 0, inputs 1, outputs 2, operators 3, name 4 }
  const tensorsVec = offsetVector(b, tensorOffsets);
  const inputsVec = intVector(b, [0]);
  const outputsVec = intVector(b, [last]);
  const operatorsVec = offsetVector(b, operatorOffsets);
  const subgraphName = b.createString('main');
  b.startObject(5);
  b.addFieldOffset(0, tensorsVec, 0);
  b.addFieldOffset(1, inputsVec, 0);
  b.addFieldOffset(2, outputsVec, 0);
  b.addFieldOffset(3, operatorsVec, 0);
  b.addFieldOffset(4, subgraphName, 0);
  const subgraph = b.endObject();

  // Buffer {} -- buffer 0 is the empty sentinel, then one (empty) per tensor
  const buffers = [];
  for (let i = 0; i <= tensors.length; i++) { b.startObject(1); buffers.push(b.endObject()); }

  // SignatureDef { inputs 0, outputs 1, signature_key 2, subgraph_index 4 }
  const sigInputs = offsetVector(b, [tensorMap(b, tensors[0].name, 0)]);
  const sigOutputs = offsetVector(b, [tensorMap(b, tensors[last].name, last)]);
  const sigKey = b.createString('serving_default');
  b.startObject(5);
  b.addFieldOffset(0, sigInputs, 0);
  b.addFieldOffset(1, sigOutputs, 0);
  b.addFieldOffset(2, sigKey, 0);
  b.addFieldInt32(4, 0, -1);
  const signature = b.endObject();

  // Model { version 0, operator_codes 1, subgraphs 2, description 3, buffers 4, ..., signature_defs 7 }
  const codesVec = offsetVector(b, codes.map((c) => operatorCode(b, c)));
  const subgraphsVec = offsetVector(b, [subgraph]);
  const description = b.createString('actq-bench');
  const buffersVec = offsetVector(b, buffers);
  const signaturesVec = offsetVector(b, [signature]);
  b.startObject(8);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(1, codesVec, 0);
  b.addFieldOffset(2, subgraphsVec, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, buffersVec, 0);
  b.addFieldOffset(7, signaturesVec, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array();
}

/** One float operator x -> y. */
export const tfliteUnary = (op, shape) =>
  tfliteChain([op], [{ name: 'x', type: 'float32' }, { name: 'y', type: 'float32' }], shape);
