// The integer network of the lab (what PTQ / QAT produce, src/js/lab/integer.js) as a
// self-contained C99 header for deployment, and its JSON form for files.
//
// The format ('actq-integer-mlp', version 1), in its typed-array form:
//   { format, version, bits,                      // bits: weight and hidden-activation width, 2..8
//     activation: { name, preset | null, params },  // the hidden activation the LUTs were built from
//     input: qparams of the uint8 input codes (unsigned, half_even: the C quantizes floats with it),
//     layers: [{ inputs, outputs,
//       weights: Int8Array(outputs * inputs)  row c = output channel c, symmetric b-bit codes
//       weightScales: Float32Array(outputs)   informational: float weight = code * scale
//       bias: Int32Array(outputs)             at scale inputScale * weightScales[c]
//       multiplier: Int32Array(outputs)       in [0, 2^31)
//       shift: Int32Array(outputs)            in [1, 62]
//       output: qparams                       hidden: int8 pre-activation codes; last: int16 logits, zero point 0
//       lut: Uint8Array(256) | null           hidden: lut[z & 255] = activation code of pre-activation code z
//       activationOutput: qparams | null }]}  hidden: b-bit unsigned codes of the lut = next layer's input
// where qparams = { scale, zeroPoint, bits, signed, narrowRange, rounding } (normalizeQParams'
// public form). Per layer, with x the input codes and zin their zero point:
//   acc[c] = bias[c] + sum_k (x[k] - zin) * w[c][k]                 int32
//   r[c]   = floor((acc[c] * multiplier[c] + 2^(shift[c]-1)) / 2^shift[c])   exact, round half up
//   hidden: h[c] = lut[clamp(r[c] + output.zeroPoint, -128, 127) & 255];  last: clamp(r[c], int16)
//   prediction = index of the first maximum logit.
// The JSON form is the same object with plain arrays for the typed ones.
//
//   import { integerNetworkToC } from './export_c.js';
//   const header = integerNetworkToC(net, { name: 'mnist_int4', version });
//
// Pure string formatting (no wasm, no I/O, no clock): the same network gives the same bytes.

import { cIdentifier, exactDecimal, hexFloat } from '../export.js';
import { codeRange } from '../quantize.js'; // pure (no wasm): the one definition of [qmin, qmax]

export const INTEGER_MLP_FORMAT = 'actq-integer-mlp';
export const INTEGER_MLP_VERSION = 1;

const INT32_MIN = -(2 ** 31), INT32_MAX = 2 ** 31 - 1;
const ROUNDINGS = ['half_even', 'half_away', 'half_up'];

// ---- validation: one function for integerNetworkToC / ToJSON / FromJSON ---------------------

const describe = (v) => (v === null ? 'null' : Array.isArray(v) ? `an array of ${v.length}`
  : ArrayBuffer.isView(v) ? `a ${v.constructor.name}(${v.length})`
  : typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? 'an object' : String(v));

function object(v, what) {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) {
    throw new TypeError(`${what} must be an object, got ${describe(v)}`);
  }
  return v;
}

function integer(v, what, lo, hi) {
  if (typeof v !== 'number') throw new TypeError(`${what} must be a number, got ${describe(v)}`);
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${what} must be an integer in [${lo}, ${hi}], got ${v}`);
  return v;
}

function positive(v, what) {
  if (typeof v !== 'number') throw new TypeError(`${what} must be a number, got ${describe(v)}`);
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${what} must be finite and > 0, got ${v}`);
  return v;
}

/** An array (plain or typed) of `length` integers in [lo, hi], copied into a new `Type`. */
function codes(v, what, length, lo, hi, Type) {
  if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) {
    throw new TypeError(`${what} must be an array or a typed array, got ${describe(v)}`);
  }
  if (v.length !== length) throw new RangeError(`${what} has ${v.length} entries, expected ${length}`);
  for (let i = 0; i < length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < lo || x > hi) {
      throw new RangeError(`${what}[${i}] = ${describe(x)} is not an integer in [${lo}, ${hi}]`);
    }
  }
  return Type.from(v);
}

/** Per-tensor qparams with the bit width, signedness and zero points the format fixes. */
function qparams(v, what, { bits: [bitsLo, bitsHi], signed, zeroPoint, rounding }) {
  object(v, what);
  const scale = positive(v.scale, `${what}.scale`);
  const f = Math.fround(scale);
  if (!(f > 0) || !Number.isFinite(f)) throw new RangeError(`${what}.scale = ${scale} must be finite and > 0 as float32 too`);
  const bits = integer(v.bits, `${what}.bits`, bitsLo, bitsHi);
  if (typeof v.signed !== 'boolean') throw new TypeError(`${what}.signed must be a boolean, got ${describe(v.signed)}`);
  if (v.signed !== signed) throw new RangeError(`${what}.signed must be ${signed} in this format, got ${v.signed}`);
  const narrowRange = v.narrowRange ?? false;
  if (narrowRange !== false) throw new RangeError(`${what}.narrowRange must be false (the integer semantics clamp to the full code range), got ${describe(v.narrowRange)}`);
  const round = v.rounding ?? 'half_even';
  if (!(rounding ?? ROUNDINGS).includes(round)) {
    throw new RangeError(`${what}.rounding must be ${(rounding ?? ROUNDINGS).join(' or ')}, got ${describe(v.rounding)}`);
  }
  const [qmin, qmax] = zeroPoint ?? codeRange({ bits, signed });
  const zp = integer(v.zeroPoint, `${what}.zeroPoint`, qmin, qmax);
  return { scale, zeroPoint: zp, bits, signed, narrowRange, rounding: round };
}

function activation(v) {
  object(v, 'net.activation');
  if (typeof v.name !== 'string' || v.name === '') throw new TypeError(`net.activation.name must be a non-empty string, got ${describe(v.name)}`);
  const preset = v.preset ?? null;
  if (preset !== null && typeof preset !== 'string') throw new TypeError(`net.activation.preset must be a string or null, got ${describe(preset)}`);
  const params = {};
  for (const [k, p] of Object.entries(object(v.params ?? {}, 'net.activation.params'))) {
    const ok = (x) => typeof x === 'number' && Number.isFinite(x);
    if (ok(p) || typeof p === 'boolean') params[k] = p;
    else if ((Array.isArray(p) || ArrayBuffer.isView(p)) && Array.from(p).every(ok)) params[k] = Array.from(p);
    else throw new TypeError(`net.activation.params.${k} must be a finite number, a boolean or an array of numbers, got ${describe(p)}`);
  }
  return { name: v.name, preset, params };
}

/**
 * The exact range [lo, hi] of channel c's accumulator over every input the C accepts
 * (x in [0, xmax]): each term (x - zin) w is extreme at x = 0 or x = xmax. Since x = zin
 * makes a term 0, every term's minimum is <= 0 <= its maximum, so every partial sum starting
 * from the bias lies in [lo, hi] too -- the C accumulates in that order.
 */
function accumulatorRange(weights, bias, c, inputs, zin, xmax) {
  let lo = bias[c], hi = bias[c];
  for (let k = 0; k < inputs; k++) {
    const w = weights[c * inputs + k];
    const a = -zin * w, b = (xmax - zin) * w;
    lo += Math.min(a, b);
    hi += Math.max(a, b);
  }
  return [lo, hi];
}

function layer(v, l, count, bits, inputs, zin) {
  const what = `net.layers[${l}]`;
  object(v, what);
  const hidden = l + 1 < count;
  integer(v.inputs, `${what}.inputs`, 1, 2 ** 24);
  if (v.inputs !== inputs && inputs !== null) {
    throw new RangeError(`${what}.inputs must be ${inputs} (net.layers[${l - 1}].outputs), got ${v.inputs}`);
  }
  const outputs = integer(v.outputs, `${what}.outputs`, 1, 2 ** 24);
  const n = v.inputs * outputs;
  if (n > 2 ** 30) throw new RangeError(`${what}: ${v.inputs} x ${outputs} weights is too many`);
  const wmax = 2 ** (bits - 1) - 1;
  const L = {
    inputs: v.inputs,
    outputs,
    weights: codes(v.weights, `${what}.weights`, n, -wmax, wmax, Int8Array),
    weightScales: null,
    bias: codes(v.bias, `${what}.bias`, outputs, INT32_MIN, INT32_MAX, Int32Array),
    multiplier: codes(v.multiplier, `${what}.multiplier`, outputs, 0, INT32_MAX, Int32Array),
    shift: codes(v.shift, `${what}.shift`, outputs, 1, 62, Int32Array),
    output: hidden
      ? qparams(v.output, `${what}.output`, { bits: [8, 8], signed: true })
      : qparams(v.output, `${what}.output`, { bits: [16, 16], signed: true, zeroPoint: [0, 0] }),
    lut: null,
    activationOutput: null,
  };
  const ws = v.weightScales;
  if (!Array.isArray(ws) && !ArrayBuffer.isView(ws)) throw new TypeError(`${what}.weightScales must be an array or a typed array, got ${describe(ws)}`);
  if (ws.length !== outputs) throw new RangeError(`${what}.weightScales has ${ws.length} entries, expected ${outputs}`);
  L.weightScales = Float32Array.from(ws);
  L.weightScales.forEach((s, c) => {
    // 0 is allowed: a channel whose weights are all 0 has nothing to scale
    if (typeof ws[c] !== 'number' || !(s >= 0) || !Number.isFinite(s)) throw new RangeError(`${what}.weightScales[${c}] must be finite and >= 0 (as float32), got ${describe(ws[c])}`);
  });
  if (hidden) {
    if (v.lut === null || v.lut === undefined) throw new TypeError(`${what}.lut is missing: a hidden layer needs its 256-entry activation table`);
    L.lut = codes(v.lut, `${what}.lut`, 256, 0, 2 ** bits - 1, Uint8Array);
    L.activationOutput = qparams(v.activationOutput, `${what}.activationOutput`, { bits: [bits, bits], signed: false });
  } else {
    if (v.lut !== null && v.lut !== undefined) throw new RangeError(`${what}.lut must be null: the last layer gives logits, it has no activation`);
    if (v.activationOutput !== null && v.activationOutput !== undefined) throw new RangeError(`${what}.activationOutput must be null on the last layer`);
  }
  // int32 accumulation must not overflow for any input the C function accepts: layer 0
  // takes any uint8, later layers the lut's codes [0, 2^bits - 1].
  const xmax = l === 0 ? 255 : 2 ** bits - 1;
  for (let c = 0; c < outputs; c++) {
    const [lo, hi] = accumulatorRange(L.weights, L.bias, c, L.inputs, zin, xmax);
    if (lo < INT32_MIN || hi > INT32_MAX) {
      throw new RangeError(`${what}.bias[${c}] = ${L.bias[c]}: the accumulator reaches [${lo}, ${hi}] for inputs in [0, ${xmax}], outside int32`);
    }
  }
  return L;
}

/**
 * Checks an integer network (typed-array or JSON form) and returns its typed-array form,
 * copied and normalized (qparams complete, preset null when absent). Throws a TypeError or
 * RangeError naming the field for anything the format or the C semantics cannot take.
 */
export function validateIntegerNetwork(net) {
  object(net, 'net');
  if (net.format !== INTEGER_MLP_FORMAT) throw new RangeError(`net.format must be '${INTEGER_MLP_FORMAT}', got ${describe(net.format)}`);
  if (net.version !== INTEGER_MLP_VERSION) throw new RangeError(`net.version must be ${INTEGER_MLP_VERSION}, got ${describe(net.version)}`);
  const bits = integer(net.bits, 'net.bits', 2, 8);
  const act = activation(net.activation);
  const input = qparams(net.input, 'net.input', { bits: [2, 8], signed: false, rounding: ['half_even'] });
  if (!Array.isArray(net.layers)) throw new TypeError(`net.layers must be an array, got ${describe(net.layers)}`);
  if (net.layers.length === 0) throw new RangeError('net.layers must not be empty');
  const layers = [];
  let inputs = null, zin = input.zeroPoint;
  net.layers.forEach((v, l) => {
    const L = layer(v, l, net.layers.length, bits, inputs, zin);
    layers.push(L);
    inputs = L.outputs;
    zin = L.activationOutput?.zeroPoint;
  });
  return { format: INTEGER_MLP_FORMAT, version: INTEGER_MLP_VERSION, bits, activation: act, input, layers };
}

// ---- JSON form ------------------------------------------------------------------------------

const ARRAY_FIELDS = ['weights', 'weightScales', 'bias', 'multiplier', 'shift', 'lut'];

/** The JSON form (plain arrays; JSON.stringify it) of an integer network. Float32 weight
 *  scales are written as their exact double values, so they read back unchanged. */
export function integerNetworkToJSON(net) {
  const n = validateIntegerNetwork(net); // a fresh copy: only its typed arrays need replacing
  for (const L of n.layers) {
    for (const k of ARRAY_FIELDS) if (L[k] !== null) L[k] = Array.from(L[k]);
  }
  return n;
}

/** The typed-array form of an integer network from its JSON form (the parsed object). */
export function integerNetworkFromJSON(obj) {
  if (typeof obj === 'string') throw new TypeError('integerNetworkFromJSON expects the parsed object: JSON.parse the text first');
  return validateIntegerNetwork(obj);
}

// ---- C header -------------------------------------------------------------------------------

const cInt = (v) => (v < 0 ? `(${v})` : String(v)); // for macros
// In C, -2147483648 is 2147483648 (not an int: a long or long long) negated; INT32_MIN is an int32_t.
const cInit = (v) => (v === INT32_MIN ? 'INT32_MIN' : String(v));
const noComment = (s) => String(s).replace(/\*\//g, '* /').replace(/\/\*/g, '/ *'); // text inside /* */
const paramText = (v) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
// JavaScript's shortest spelling reads back as the same double in C.
const cDouble = (x) => (/[.e]/.test(String(x)) ? String(x) : `${x}.0`);
// A float32 value as a decimal float literal that is the value exactly (so no conversion
// can round it). Decimal rather than hex so that C++ before C++17 reads the header too.
const cFloatExact = (v) => { const d = exactDecimal(v); return `${d.includes('.') ? d : `${d}.0`}f`; };

/** The shortest decimal that reads back as float32 v (for comments). */
function float32Text(v) {
  for (let p = 1; p < 9; p++) {
    const s = String(Number(v.toPrecision(p)));
    if (Math.fround(Number(s)) === v) return s;
  }
  return String(Number(v.toPrecision(9)));
}

/** Comma-separated values, `perLine` a line, right-aligned to a common width. */
function rows(values, indent, perLine = 16, width = Math.max(...Array.from(values, (v) => String(v).length))) {
  const lines = [];
  for (let i = 0; i < values.length; i += perLine) {
    lines.push(indent + values.slice(i, i + perLine).map((v) => String(v).padStart(width)).join(', '));
  }
  return lines;
}

/** A block comment from lines of text (wrapped by the caller). */
const block = (lines, indent = '') => [`${indent}/* ${noComment(lines[0])}`,
  ...lines.slice(1).map((line) => (line ? `${indent} * ${noComment(line)}` : `${indent} *`)), `${indent} */`];

const qpText = (qp) => `scale ${qp.scale} (${hexFloat(qp.scale)}), zero point ${qp.zeroPoint}, ` +
  `${qp.bits}-bit ${qp.signed ? 'signed' : 'unsigned'} [${codeRange(qp).join(', ')}]`;

/**
 * A self-contained C99 header running the integer network: the arrays, the input qparams
 * and NAME_logits / NAME_predict / NAME_quantize_input, with a comment block saying what it
 * computes. Only <stdint.h>; compiles warning-free with -std=c99 -pedantic -Wall -Wextra.
 * @param {object} net the integer network, typed-array or JSON form
 * @param {{ name?: string, version?: string, source?: string }} [options]
 *   name: C identifier prefix (sanitized with cIdentifier), default 'actq_net'; version: the
 *   actq version to record; source: where the network came from (data set, training,
 *   accuracy), quoted in the comment.
 */
export function integerNetworkToC(net, { name = 'actq_net', version, source } = {}) {
  const n = validateIntegerNetwork(net);
  const id = cIdentifier(name);
  const M = id.toUpperCase();
  const { bits, input, layers } = n;
  const last = layers.length - 1;
  const sizes = [layers[0].inputs, ...layers.map((L) => L.outputs)];
  const widest = Math.max(0, ...layers.slice(0, last).map((L) => L.outputs));
  const [inMin, inMax] = codeRange(input);
  const scale32 = Math.fround(input.scale);
  const logitScale = layers[last].output.scale;
  const act = n.activation;
  const params = Object.entries(act.params);
  const wmax = 2 ** (bits - 1) - 1;
  const stack = widest * Math.min(2, last) + 2 * layers[last].outputs; // the buffers of _logits and _predict

  const about = [
    `${id}.h: integer MLP ${sizes.join('-')} (${bits}-bit weights and activations), generated by actq ${version ?? '(version unknown)'}.`,
    '',
    'A quantized multilayer perceptron run with integer arithmetic only, as an edge chip runs it:',
    `uint8 input codes, int8 weight codes, int32 accumulation, fixed-point requantization per`,
    'output channel and the hidden activation as a 256-entry lookup table.',
    '',
    ...(source !== undefined ? String(source).split('\n').map((s, i) => `${i ? '            ' : 'source      '}${s}`) : []),
    `activation  ${act.name}${act.preset !== null ? ` (preset ${act.preset})` : ''}` +
      `${params.length ? `: ${params.map(([k, v]) => `${k} = ${paramText(v)}`).join(', ')}` : ''}`,
    `bits        ${bits}: weights symmetric codes in [${-wmax}, ${wmax}], hidden activations codes in [0, ${2 ** bits - 1}]`,
    `layers      ${sizes.join(' -> ')} (${layers.length} dense layers)`,
    `input       scale ${input.scale} (exact decimal ${exactDecimal(input.scale)}, hex ${hexFloat(input.scale)})`,
    `            zero point ${input.zeroPoint}, codes ${input.bits}-bit unsigned [${inMin}, ${inMax}]`,
    `logits      int16, scale ${logitScale} (${hexFloat(logitScale)}), zero point 0`,
    '',
    'Semantics, per layer, with x the layer\'s uint8 input codes and zin their zero point:',
    '  acc[c] = bias[c] + sum_k (x[k] - zin) * w[c][k]                       (int32)',
    '  r[c]   = floor((acc[c] * m[c] + 2^(s[c] - 1)) / 2^s[c])               (int64, exact: round half up)',
    '  hidden: z[c] = clamp(r[c] + output zero point, -128, 127) (the int8 pre-activation code),',
    '          x\'[c] = lut[(uint8_t)z[c]] (the next layer\'s input codes)',
    '  last:   logits[c] = clamp(r[c], -32768, 32767)',
    '  prediction: the index of the first largest logit.',
    'For every uint8 input, every accumulator stays inside int32 (actq checked it, per channel).',
    '',
    'Use:',
    `  uint8_t x[${M}_INPUTS];`,
    `  int16_t logits[${M}_CLASSES];`,
    `  for (i = 0; i < ${M}_INPUTS; i++) x[i] = ${id}_quantize_input(features[i]);`,
    `  ${id}_logits(x, logits);      (float logits: logits[c] * ${M}_LOGIT_SCALE)`,
    `  k = ${id}_predict(x);         (or only the class: the first largest logit)`,
    'features[] are floats at the input scale; x[] may also be filled with codes directly.',
    `Plain C99 with <stdint.h> only: no libm, no allocation, no global state; ${stack} bytes of stack buffers.`,
  ];

  const out = [...block(about), `#ifndef ACTQ_${M}_H`, `#define ACTQ_${M}_H`, '', '#include <stdint.h>', ''];
  out.push(
    `#define ${M}_INPUTS ${layers[0].inputs}`,
    `#define ${M}_CLASSES ${layers[last].outputs}`,
    `#define ${M}_LAYERS ${layers.length}`,
    `#define ${M}_BITS ${bits}`,
    ...(widest ? [`#define ${M}_MAX_WIDTH ${widest} /* the widest hidden layer: the stack buffers' size */`] : []),
    `#define ${M}_INPUT_SCALE ${cDouble(input.scale)} /* exact decimal ${exactDecimal(input.scale)} */`,
    `#define ${M}_INPUT_SCALE_F32 ${cFloatExact(scale32)} /* the scale as float32, exactly (${hexFloat(scale32)}) */`,
    `#define ${M}_INPUT_ZERO_POINT ${cInt(input.zeroPoint)}`,
    `#define ${M}_INPUT_QMIN ${inMin}`,
    `#define ${M}_INPUT_QMAX ${inMax}`,
    `#define ${M}_LOGIT_SCALE ${cDouble(logitScale)} /* float logit = int16 logit * scale */`,
    '',
  );

  layers.forEach((L, l) => {
    const P = `${M}_L${l}`, p = `${id}_l${l}`;
    const hidden = l < last;
    const zin = l === 0 ? input.zeroPoint : layers[l - 1].activationOutput.zeroPoint;
    out.push(...block([
      `Layer ${l}: ${L.inputs} -> ${L.outputs}, ${hidden ? `hidden (${act.name})` : 'the logits'}.`,
      `input codes   ${l === 0 ? 'the network input' : `layer ${l - 1}'s activation codes`}, zero point ${zin}`,
      hidden
        ? `pre-activation codes z: ${qpText(L.output)}`
        : `logits: ${qpText(L.output)}`,
      ...(hidden ? [`activation codes lut[(uint8_t)z]: ${qpText(L.activationOutput)}`] : []),
      'weight scales per output channel (float32; float weight = code * scale; bias scale = input scale * this):',
      ...rows(Array.from(L.weightScales, float32Text), '  ', 8),
    ]));
    out.push(
      `#define ${P}_INPUTS ${L.inputs}`,
      `#define ${P}_OUTPUTS ${L.outputs}`,
      `#define ${P}_IN_ZERO_POINT ${cInt(zin)}`,
      ...(hidden ? [`#define ${P}_OUT_ZERO_POINT ${cInt(L.output.zeroPoint)}`] : []),
      '',
      `/* weights: row c (output channel c) is ${p}_weights[c * ${P}_INPUTS + k], k = 0 .. ${P}_INPUTS - 1 */`,
      `static const int8_t ${p}_weights[${P}_OUTPUTS * ${P}_INPUTS] = {`,
    );
    const width = String(-wmax).length;
    for (let c = 0; c < L.outputs; c++) {
      const row = rows(Array.from(L.weights.subarray(c * L.inputs, (c + 1) * L.inputs)), '  ', 16, width);
      out.push(`  /* ${c} */`, `${row.join(',\n')}${c + 1 < L.outputs ? ',' : ''}`);
    }
    out.push('};');
    const arr = (type, field, values, what) => [`static const ${type} ${p}_${field}[${P}_OUTPUTS] = { /* ${what} */`,
      rows(Array.from(values, cInit), '  ', 8).join(',\n'), '};'];
    out.push(
      ...arr('int32_t', 'bias', L.bias, 'at scale input scale * weight scale'),
      ...arr('int32_t', 'multiplier', L.multiplier, 'fixed-point multiplier m, in [0, 2^31)'),
      ...arr('uint8_t', 'shift', L.shift, 'right shift s, in [1, 62]'),
    );
    if (hidden) {
      out.push(`static const uint8_t ${p}_lut[256] = { /* indexed by the byte of the int8 code z: 0..127, then -128..-1 */`,
        rows(Array.from(L.lut), '  ').join(',\n'), '};');
    }
    out.push('');
  });

  out.push(...block([
    `floor(t / 2^s) for 1 <= s <= 62, well defined in C99: >> of a negative value is`,
    'implementation-defined (C99 6.5.7), so a negative t uses floor(t / d) = -floor((-t - 1) / d) - 1',
    '(d > 0), where -t - 1 >= 0 (t > INT64_MIN here, see below).',
  ]), `static inline int64_t ${id}_floor_shift(int64_t t, int s) {`,
  '  return t >= 0 ? t >> s : -((-t - 1) >> s) - 1;',
  '}',
  '',
  ...block([
    'r = floor((acc * m + 2^(s - 1)) / 2^s): acc * m / 2^s rounded half up, exact in int64:',
    '|acc| <= 2^31 and m < 2^31 give |acc * m| < 2^62, and 2^(s - 1) <= 2^61 keeps the sum < 2^63.',
  ]),
  `static inline int64_t ${id}_requantize(int32_t acc, int32_t m, int s) {`,
  `  return ${id}_floor_shift((int64_t)acc * m + ((int64_t)1 << (s - 1)), s);`,
  '}',
  '',
  ...block([
    'acc = bias + sum_k (x[k] - zin) * w[k] in int32, accumulated from the bias: actq checked that',
    'every such partial sum stays inside int32 for any input codes, so nothing overflows.',
  ]),
  `static inline int32_t ${id}_dot(const uint8_t *x, int32_t zin, const int8_t *w, uint32_t n, int32_t bias) {`,
  '  int32_t acc = bias;',
  '  uint32_t k;',
  '  for (k = 0; k < n; k++) acc += ((int32_t)x[k] - zin) * (int32_t)w[k];',
  '  return acc;',
  '}',
  '');
  if (widest) {
    out.push(...block([
      'A hidden layer: z = clamp(r + zout, -128, 127), the int8 pre-activation code; h = lut[z\'s byte]',
      '((uint8_t)z is z mod 256, C99 6.3.1.3, which is the two\'s complement byte of the int8 code).',
    ]),
    `static inline void ${id}_hidden(const uint8_t *x, int32_t zin, const int8_t *w, const int32_t *bias,`,
    '    const int32_t *m, const uint8_t *s, const uint8_t *lut, int32_t zout, uint32_t inputs, uint32_t outputs,',
    '    uint8_t *h) {',
    '  uint32_t c;',
    '  for (c = 0; c < outputs; c++) {',
    `    int64_t z = ${id}_requantize(${id}_dot(x, zin, w + c * inputs, inputs, bias[c]), m[c], s[c]) + zout;`,
    '    if (z < -128) z = -128;',
    '    if (z > 127) z = 127;',
    '    h[c] = lut[(uint8_t)z];',
    '  }',
    '}',
    '');
  }
  out.push('/* The last layer: logits = clamp(r, -32768, 32767). */',
    `static inline void ${id}_last(const uint8_t *x, int32_t zin, const int8_t *w, const int32_t *bias,`,
    '    const int32_t *m, const uint8_t *s, uint32_t inputs, uint32_t outputs, int16_t *logits) {',
    '  uint32_t c;',
    '  for (c = 0; c < outputs; c++) {',
    `    int64_t r = ${id}_requantize(${id}_dot(x, zin, w + c * inputs, inputs, bias[c]), m[c], s[c]);`,
    '    if (r < -32768) r = -32768;',
    '    if (r > 32767) r = 32767;',
    '    logits[c] = (int16_t)r;',
    '  }',
    '}',
    '');

  // The layers in order, hidden codes ping-ponging between two stack buffers.
  const buffers = ['h0', 'h1'].slice(0, Math.min(2, last));
  const inputOf = (l) => (l === 0 ? 'input' : buffers[(l - 1) % 2]);
  const args = (l) => `${inputOf(l)}, ${M}_L${l}_IN_ZERO_POINT, ${id}_l${l}_weights, ${id}_l${l}_bias, ${id}_l${l}_multiplier, ${id}_l${l}_shift`;
  out.push(`/* The int16 logits of one input (uint8 codes, see ${id}_quantize_input). */`,
    `static inline void ${id}_logits(const uint8_t input[${M}_INPUTS], int16_t logits[${M}_CLASSES]) {`,
    ...(buffers.length ? [`  uint8_t ${buffers.map((b) => `${b}[${M}_MAX_WIDTH]`).join(', ')}; /* hidden activation codes */`] : []),
    ...layers.slice(0, last).map((L, l) => `  ${id}_hidden(${args(l)},\n      ${id}_l${l}_lut, ${M}_L${l}_OUT_ZERO_POINT, ${M}_L${l}_INPUTS, ${M}_L${l}_OUTPUTS, ${buffers[l % 2]});`),
    `  ${id}_last(${args(last)},\n      ${M}_L${last}_INPUTS, ${M}_L${last}_OUTPUTS, logits);`,
    '}',
    '',
    '/* The predicted class: the index of the first largest logit. */',
    `static inline int ${id}_predict(const uint8_t input[${M}_INPUTS]) {`,
    `  int16_t logits[${M}_CLASSES];`,
    '  int best = 0, c;',
    `  ${id}_logits(input, logits);`,
    `  for (c = 1; c < ${M}_CLASSES; c++) if (logits[c] > logits[best]) best = c;`,
    '  return best;',
    '}',
    '');

  // quantize_input: clamp q to [QMIN - ZP - 1, QMAX - ZP + 1] before rounding (the result
  // is the same: anything beyond rounds to a code that clamps to QMIN / QMAX anyway).
  const qlo = inMin - input.zeroPoint - 1, qhi = inMax - input.zeroPoint + 1;
  const cFloat = (v) => (v < 0 ? `(${v}.0f)` : `${v}.0f`);
  out.push(...block([
    'The input code of a float, as ONNX QuantizeLinear (and actq\'s quantize) computes it:',
    `clamp(round_half_even(x / scale) + ${M}_INPUT_ZERO_POINT, ${M}_INPUT_QMIN, ${M}_INPUT_QMAX), x / scale in`,
    'float32; NaN gives the zero point, +-inf saturate. Without libm: q is first clamped to',
    `[${qlo}, ${qhi}] (one past the codes each side, which changes no result and makes the int32`,
    'conversion defined), truncated to t; q - t is then exact (Sterbenz), and a fraction of exactly',
    'one half goes to the even neighbour; no float is compared with == (-Wfloat-equal). Assumes IEEE',
    'float division (FLT_EVAL_METHOD 0, or the assignment to float dropping excess precision as C99',
    'requires) and no -ffast-math (which may drop the NaN test).',
  ]),
  `static inline uint8_t ${id}_quantize_input(float x) {`,
  `  float q = x / ${M}_INPUT_SCALE_F32;`,
  '  float f;',
  '  int32_t t;',
  `  if (q < ${cFloat(qlo)}) q = ${cFloat(qlo)};`,
  `  else if (q > ${cFloat(qhi)}) q = ${cFloat(qhi)};`,
  `  else if (!(q >= ${cFloat(qlo)})) return (uint8_t)${M}_INPUT_ZERO_POINT; /* NaN: no comparison holds */`,
  '  t = (int32_t)q; /* toward zero */',
  '  f = q - (float)t; /* the exact fraction, in (-1, 1) */',
  '  /* past one half: away from zero; exactly one half (">=" once ">" failed): to the even one */',
  '  if (f > 0.5f || (f >= 0.5f && t % 2 != 0)) t += 1;',
  '  else if (f < -0.5f || (f <= -0.5f && t % 2 != 0)) t -= 1;',
  `  t += ${M}_INPUT_ZERO_POINT;`,
  `  if (t < ${M}_INPUT_QMIN) t = ${M}_INPUT_QMIN;`,
  `  if (t > ${M}_INPUT_QMAX) t = ${M}_INPUT_QMAX;`,
  '  return (uint8_t)t;',
  '}',
  '',
  `#endif /* ACTQ_${M}_H */`,
  '');
  return out.join('\n');
}
