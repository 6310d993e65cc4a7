// Deployment formats for a lookup table from `aq.lut()`: a C header, JSON and CSV.
// Pure string formatting (no wasm, no I/O, no clock), so the CLI and the web page emit
// byte-identical files for the same table.
//
//   import { lutToC } from 'actq/export';
//   const header = lutToC(aq.lut('sigmoid', null, { scale: 1 / 16 }, 'tflite-logistic'), { version });

import { codeRange } from './quantize.js'; // pure (no wasm): the one definition of [qmin, qmax]

const ROUNDING = {
  half_even: 'round half to even (ONNX, PyTorch)',
  half_away: 'round half away from zero (TFLite)',
  half_up: 'round half up (CMSIS-NN)',
};

const C_KEYWORDS = new Set(('auto break case char const continue default do double else enum extern float for ' +
  'goto if inline int long register restrict return short signed sizeof static struct switch typedef union ' +
  'unsigned void volatile while _Bool _Complex _Imaginary bool true false').split(' '));

/** A valid C identifier from any string: other characters become '_'. */
export function cIdentifier(name) {
  let id = String(name).replace(/[^A-Za-z0-9_]/g, '_');
  if (id === '') id = 'actq_lut';
  else if (/^[0-9]/.test(id) || C_KEYWORDS.has(id)) id = `actq_${id}`;
  return id;
}

/** Normalized per-tensor qparams plus their code range; throws on what a LUT cannot have. */
function qparams(qp, what) {
  if (qp === null || typeof qp !== 'object') throw new TypeError(`${what}: expected a QParams object, got ${qp}`);
  const q = {
    scale: qp.scale,
    zeroPoint: qp.zeroPoint ?? 0,
    bits: qp.bits ?? 8,
    signed: qp.signed ?? true,
    narrowRange: qp.narrowRange ?? false,
    rounding: qp.rounding ?? 'half_even',
  };
  if (typeof q.scale !== 'number' || !(q.scale > 0) || !Number.isFinite(q.scale)) {
    throw new RangeError(`${what}.scale must be one finite number > 0 (a LUT is per-tensor), got ${q.scale}`);
  }
  if (!Number.isInteger(q.bits) || q.bits < 2 || q.bits > 16) throw new RangeError(`${what}.bits must be an integer in [2, 16], got ${q.bits}`);
  if (!(q.rounding in ROUNDING)) throw new RangeError(`${what}.rounding must be one of ${Object.keys(ROUNDING).join(', ')}, got ${q.rounding}`);
  [q.qmin, q.qmax] = codeRange(q);
  if (!Number.isInteger(q.zeroPoint) || q.zeroPoint < q.qmin || q.zeroPoint > q.qmax) {
    throw new RangeError(`${what}.zeroPoint must be an integer in [${q.qmin}, ${q.qmax}], got ${q.zeroPoint}`);
  }
  return q;
}

/** Checks a Lut and returns what every format needs. */
function unpack(lut) {
  if (lut === null || typeof lut !== 'object') throw new TypeError(`expected a Lut from aq.lut(), got ${lut}`);
  if (typeof lut.name !== 'string') throw new TypeError(`lut.name must be a string, got ${typeof lut.name}`);
  const inQp = qparams(lut.inQp, 'lut.inQp');
  const outQp = qparams(lut.outQp, 'lut.outQp');
  const t = lut.table;
  if (!(ArrayBuffer.isView(t) || Array.isArray(t))) throw new TypeError('lut.table must be a typed array or an array');
  const size = inQp.qmax - inQp.qmin + 1;
  if (t.length !== size) throw new RangeError(`lut.table has ${t.length} entries; input codes [${inQp.qmin}, ${inQp.qmax}] need ${size}`);
  const table = Array.from(t);
  const bad = table.findIndex((v) => !Number.isInteger(v) || v < outQp.qmin || v > outQp.qmax);
  if (bad >= 0) throw new RangeError(`lut.table[${bad}] = ${table[bad]} is outside the output codes [${outQp.qmin}, ${outQp.qmax}]`);
  return { name: lut.name, params: lut.params ?? {}, inQp, outQp, table };
}

// ---- exact number spelling -------------------------------------------------------------

/** { mantissa, exponent } with value = mantissa * 2^exponent exactly (finite x > 0). */
function binary(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0), lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  return biased === 0
    ? { fraction, biased, mantissa: fraction, exponent: -1074 }
    : { fraction, biased, mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** The exact decimal value of a double (every finite double has one). */
export function exactDecimal(x) {
  let { mantissa: m, exponent: e } = binary(x);
  if (m === 0n) return '0';
  while ((m & 1n) === 0n) { m >>= 1n; e++; }
  if (e >= 0) return (m << BigInt(e)).toString();
  const digits = (m * 5n ** BigInt(-e)).toString().padStart(-e + 1, '0'); // m / 2^k = m 5^k / 10^k
  return `${digits.slice(0, e)}.${digits.slice(e)}`;
}

/** C99 hexadecimal floating literal (what printf("%a") prints), exact. */
export function hexFloat(x) {
  const { fraction, biased } = binary(x);
  const hex = fraction.toString(16).padStart(13, '0').replace(/0+$/, '');
  const lead = biased === 0 ? '0' : '1';
  const exponent = biased === 0 ? -1022 : biased - 1023;
  return `0x${lead}${hex ? `.${hex}` : ''}p${exponent >= 0 ? '+' : ''}${exponent}`;
}

// ---- formats -------------------------------------------------------------------------------

// JavaScript's shortest spelling reads back as the same double in C (and in C++, which has
// no hex float literals before C++17).
const cDouble = (x) => (/[.e]/.test(String(x)) ? String(x) : `${x}.0`);
const cInt = (v) => (v < 0 ? `(${v})` : String(v));
const noComment = (s) => String(s).replace(/\*\//g, '* /').replace(/\/\*/g, '/ *'); // text inside /* */
const paramText = (v) => (Array.isArray(v) || ArrayBuffer.isView(v) ? `[${Array.from(v).join(', ')}]` : String(v));
const typeName = (qp) => `${qp.signed ? '' : 'u'}int${qp.bits <= 8 ? 8 : 16}_t`;

function rows(values, indent) {
  const width = Math.max(...values.map((v) => String(v).length));
  const lines = [];
  for (let i = 0; i < values.length; i += 16) {
    lines.push(indent + values.slice(i, i + 16).map((v) => String(v).padStart(width)).join(', '));
  }
  return lines.join(',\n');
}

/**
 * A self-contained C99 header: the table, its qparams as macros and a lookup helper, with a
 * comment block saying exactly how it was made.
 * @param {import('./index.js').Lut} lut
 * @param {{ name?: string, version?: string, formula?: string }} [options]
 *   name: C identifier prefix (sanitized), default `<activation>_lut`; version: the actq
 *   version to record; formula: the activation's formula, for the comment.
 */
export function lutToC(lut, options = {}) {
  const { name: act, params, inQp, outQp, table } = unpack(lut);
  const id = cIdentifier(options.name ?? `${act}_lut`);
  const M = id.toUpperCase();
  const inType = typeName(inQp), outType = typeName(outQp);
  const entries = Object.entries(params);
  const scaleLine = (x) => `${x} (exact decimal ${exactDecimal(x)}, hex ${hexFloat(x)})`;
  const qpLines = (qp, label) => [
    `${label} scale       ${scaleLine(qp.scale)}`,
    `       zero point  ${qp.zeroPoint}`,
    `       codes       ${qp.bits}-bit ${qp.signed ? 'signed' : 'unsigned'}${qp.narrowRange ? ' narrow range' : ''}, [${qp.qmin}, ${qp.qmax}]`,
  ];
  const about = [
    `${id}.h: ${outType.replace('_t', '')} lookup table for ${act}, generated by actq ${options.version ?? '(version unknown)'}.`,
    '',
    `activation  ${act}${options.formula ? `: ${options.formula}` : ''}`,
    `parameters  ${entries.length ? entries.map(([k, v]) => `${k} = ${paramText(v)}`).join(', ') : '(none)'}`,
    ...qpLines(inQp, 'input '),
    ...qpLines(outQp, 'output'),
    `       rounding    ${outQp.rounding}: ${ROUNDING[outQp.rounding]}`,
    '',
    `Input code q in [${M}_QMIN, ${M}_QMAX] -> output code ${id}[q - ${M}_QMIN].`,
    'Every entry = clamp(round(f((q - IN_ZERO_POINT) * IN_SCALE) / OUT_SCALE) + OUT_ZERO_POINT,',
    '                    OUT_QMIN, OUT_QMAX),',
    "with f computed by actq's float32 WebAssembly kernel and round() as above.",
  ].map(noComment);
  const comment = [`/* ${about[0]}`, ...about.slice(1).map((line) => (line ? ` * ${line}` : ' *')), ' */'];
  // Clamp only where the C type holds codes outside the table (fewer bits, narrow range):
  // elsewhere the comparison would be always false and -Wtype-limits would say so.
  const typeMin = inQp.signed ? -(2 ** ((inQp.bits <= 8 ? 8 : 16) - 1)) : 0;
  const typeMax = inQp.signed ? -typeMin - 1 : 2 ** (inQp.bits <= 8 ? 8 : 16) - 1;
  const clamp = [
    ...(inQp.qmin > typeMin ? [`  if (q < ${M}_QMIN) q = ${M}_QMIN;`] : []),
    ...(inQp.qmax < typeMax ? [`  if (q > ${M}_QMAX) q = ${M}_QMAX;`] : []),
  ];
  return [
    ...comment,
    `#ifndef ACTQ_${M}_H`,
    `#define ACTQ_${M}_H`,
    '',
    '#include <stdint.h>',
    '',
    `#define ${M}_IN_SCALE ${cDouble(inQp.scale)} /* ${hexFloat(inQp.scale)} */`,
    `#define ${M}_IN_ZERO_POINT ${cInt(inQp.zeroPoint)}`,
    `#define ${M}_OUT_SCALE ${cDouble(outQp.scale)} /* ${hexFloat(outQp.scale)} */`,
    `#define ${M}_OUT_ZERO_POINT ${cInt(outQp.zeroPoint)}`,
    `#define ${M}_QMIN ${cInt(inQp.qmin)} /* lowest input code: ${id}[q - ${M}_QMIN] */`,
    `#define ${M}_QMAX ${cInt(inQp.qmax)}`,
    `#define ${M}_OUT_QMIN ${cInt(outQp.qmin)}`,
    `#define ${M}_OUT_QMAX ${cInt(outQp.qmax)}`,
    `#define ${M}_SIZE ${table.length}`,
    '',
    `static const ${outType} ${id}[${table.length}] = {`,
    rows(table, '  '),
    '};',
    '',
    `/* Output code for input code q. */`,
    `static inline ${outType} ${id}_lookup(${inType} q) {`,
    ...clamp,
    `  return ${id}[q - ${M}_QMIN];`,
    '}',
    '',
    `#endif /* ACTQ_${M}_H */`,
    '',
  ].join('\n');
}

const qpRecord = (qp) => ({
  scale: qp.scale, zeroPoint: qp.zeroPoint, bits: qp.bits,
  signed: qp.signed, narrowRange: qp.narrowRange, rounding: qp.rounding,
});
const plainParams = (params) => Object.fromEntries(Object.entries(params)
  .map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v) : v]));

/**
 * JSON with the Lut's own field names (name, params, inQp, outQp, table) plus the input code
 * range; numbers are JavaScript's shortest round-trip spelling, so parsing gives the same doubles.
 * @param {import('./index.js').Lut} lut
 * @param {{ version?: string }} [options]
 */
export function lutToJson(lut, options = {}) {
  const { name, params, inQp, outQp, table } = unpack(lut);
  const doc = {
    generator: `actq ${options.version ?? '(version unknown)'}`,
    name,
    params: plainParams(params),
    inQp: qpRecord(inQp),
    outQp: qpRecord(outQp),
    qmin: inQp.qmin,
    qmax: inQp.qmax,
    table: '\0TABLE\0',
  };
  // The table 16 codes a line, like the C header; everything else as JSON.stringify lays it out.
  return `${JSON.stringify(doc, null, 2).replace('"\\u0000TABLE\\u0000"', `[\n${rows(table, '    ')}\n  ]`)}\n`;
}

/**
 * CSV, one row per input code: in_code,in_value,out_code,out_value (values dequantized in
 * double precision). The qparams come first as `# key=value` comment lines (pandas:
 * read_csv(path, comment='#')).
 * @param {import('./index.js').Lut} lut
 * @param {{ version?: string }} [options]
 */
export function lutToCsv(lut, options = {}) {
  const { name, params, inQp, outQp, table } = unpack(lut);
  const meta = [
    ['generator', `actq ${options.version ?? '(version unknown)'}`],
    ['name', name],
    ['params', JSON.stringify(plainParams(params))],
  ];
  for (const [prefix, qp] of [['in', inQp], ['out', outQp]]) {
    for (const [k, v] of Object.entries({ scale: qp.scale, zero_point: qp.zeroPoint, bits: qp.bits,
      signed: qp.signed, narrow_range: qp.narrowRange, rounding: qp.rounding })) meta.push([`${prefix}_${k}`, v]);
  }
  const lines = meta.map(([k, v]) => `# ${k}=${String(v).replace(/\n/g, ' ')}`);
  lines.push('in_code,in_value,out_code,out_value');
  table.forEach((code, i) => {
    const q = inQp.qmin + i;
    lines.push(`${q},${(q - inQp.zeroPoint) * inQp.scale},${code},${(code - outQp.zeroPoint) * outQp.scale}`);
  });
  return `${lines.join('\n')}\n`;
}
