// The options of `actq fit` as flags: the flag values (as node:util parseArgs gives them)
// -> aq.fit options, the command line for a set of flag values, and the JSON the CLI prints.
// Shared by bin/fit.mjs and the page's Fit panel, so a fit made on the page is the fit the
// printed command makes, byte for byte. No Node-only module: it runs in browsers too.

import { VERSION } from '../index.js';
import { fitToC, referenceTable } from './c.js';

const fail = (message) => { throw new RangeError(message); };

/** A decimal number or a fraction a/b. */
export function number(flag, text) {
  const decimal = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
  const m = new RegExp(`^(${decimal})(?:/(${decimal}))?$`).exec(String(text).trim());
  if (!m) fail(`${flag}: expected a number, got '${text}'`);
  return m[2] === undefined ? Number(m[1]) : Number(m[1]) / Number(m[2]);
}
function integer(flag, text) {
  if (!/^\s*[-+]?\d+\s*$/.test(text)) fail(`${flag}: expected an integer, got '${text}'`);
  return Number(text);
}
function pair(flag, text) {
  const parts = String(text).split(',');
  if (parts.length !== 2) fail(`${flag}: expected two numbers A,B, got '${text}'`);
  return parts.map((t) => number(flag, t));
}

/** aq.fit options from flag values v ({ form: 'pwl', pieces: '8', range: '-6,6', ... }); readSamples(file) -> text for --samples. */
export function fitOptions(v, { readSamples } = {}) {
  const o = {};
  if (v.form !== undefined) o.form = v.form;
  if (v.pieces !== undefined) o.pieces = integer('--pieces', v.pieces);
  if (v.metric !== undefined) o.metric = v.metric;
  if (v.slopes !== undefined) o.slopes = v.slopes;
  if (v.range !== undefined) o.range = pair('--range', v.range);
  if (v.symmetric) o.symmetric = true;
  if (v['frac-bits'] !== undefined) o.fracBits = integer('--frac-bits', v['frac-bits']);
  if (v.normal !== undefined && v.samples !== undefined) fail('--normal and --samples: give one input distribution');
  if (v.normal !== undefined) o.distribution = { normal: pair('--normal', v.normal) };
  if (v.samples !== undefined) {
    let text;
    if (!readSamples) fail('--samples: reading a file is not available here');
    try { text = readSamples(v.samples); } catch (e) { fail(`--samples: cannot read '${v.samples}' (${e.code ?? e.message})`); }
    const samples = text.split(/[\s,]+/).filter(Boolean).map((t) => number('--samples', t));
    if (!samples.length) fail(`--samples: no numbers in '${v.samples}'`);
    o.distribution = { samples };
  }
  const params = {};
  for (const p of v.param ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) fail(`--param: expected NAME=VALUE, got '${p}'`);
    const key = p.slice(0, eq), text = p.slice(eq + 1);
    if (Object.hasOwn(params, key)) fail(`--param ${key} given twice`);
    params[key] = text === 'true' || text === 'false' ? text === 'true'
      : text.includes(',') ? text.split(',').map((t) => number(`--param ${key}`, t)) : number(`--param ${key}`, text);
  }
  if (v.preset !== undefined) params.preset = v.preset;
  if (Object.keys(params).length) o.params = params;
  const rounding = v.rounding === undefined ? {} : { rounding: v.rounding };
  if (v.out !== undefined) {
    const clash = ['out-scale', 'out-zero-point', 'bits'].find((k) => v[k] !== undefined);
    if (clash) fail(`--out ${v.out} fixes the output qparams: drop --${clash}`);
    o.outQp = { preset: v.out, signed: !v['out-unsigned'], ...rounding };
  } else if (v['out-scale'] !== undefined) {
    o.outQp = {
      scale: number('--out-scale', v['out-scale']),
      zeroPoint: v['out-zero-point'] === undefined ? 0 : number('--out-zero-point', v['out-zero-point']),
      bits: v.bits === undefined ? 8 : integer('--bits', v.bits),
      signed: !v['out-unsigned'],
      ...rounding,
    };
  } else {
    for (const k of ['out-zero-point', 'out-unsigned', 'rounding']) if (v[k] !== undefined) fail(`--${k} needs --out-scale (or --out)`);
    if (v.bits !== undefined) o.bits = integer('--bits', v.bits);
  }
  if (v['in-scale'] !== undefined) {
    o.inQp = {
      scale: number('--in-scale', v['in-scale']),
      zeroPoint: v['in-zero-point'] === undefined ? 0 : number('--in-zero-point', v['in-zero-point']),
      bits: v['in-bits'] === undefined ? 8 : integer('--in-bits', v['in-bits']),
      signed: !v['in-unsigned'],
    };
  } else {
    for (const k of ['in-zero-point', 'in-bits', 'in-unsigned']) if (v[k] !== undefined) fail(`--${k} needs --in-scale`);
  }
  return o;
}

/** `npx actq fit TARGET --flag value ...` for flag values v (booleans as bare flags), in a fixed order. */
export function fitCommand(target, v) {
  const order = ['form', 'pieces', 'metric', 'slopes', 'range', 'symmetric', 'frac-bits', 'normal', 'preset', 'param', 'bits', 'out', 'out-scale',
    'out-zero-point', 'out-unsigned', 'rounding', 'in-scale', 'in-zero-point', 'in-bits', 'in-unsigned', 'format', 'name'];
  const parts = ['npx', 'actq', 'fit', target];
  for (const k of order) {
    const value = v[k];
    if (value === undefined || value === false) continue;
    if (value === true) parts.push(`--${k}`);
    else for (const one of [value].flat()) parts.push(`--${k}`, String(one));
  }
  return parts.join(' ');
}

/** The JSON `actq fit --format json` prints. */
export function fitToJson(r) {
  const { target, form, pieces, metric, slopes, activation, params, maxError, maxErrorAt, rmsError, presets } = r;
  return `${JSON.stringify({ target, form, pieces, metric, slopes, activation, params, maxError, maxErrorAt, rmsError,
    presets: presets.map(({ name, maxError: m, rmsError: e }) => ({ name, maxError: m, rmsError: e })) }, null, 2)}\n`;
}

/** The fit that flag values v describe: { options, result } (an --out preset resolved). */
export function fitFromFlags(aq, target, v, { readSamples } = {}) {
  const options = fitOptions(v, { readSamples });
  if (options.outQp?.preset) {
    const { preset, ...rest } = options.outQp;
    options.outQp = aq.outputQParams(preset, rest);
  }
  return { options, result: aq.fit(target, options) };
}

/** --format c needs both sides of the integer code. */
export function checkHeaderFlags(options) {
  if (!options.inQp) fail('--format c: missing --in-scale (the input qparams of the integer code)');
  if (!options.outQp && options.bits === undefined) fail('--format c: missing --out PRESET, --out-scale or --bits (the output qparams)');
}

/** The C header `actq fit ... --format c` prints, for a fit from fitFromFlags. */
export function fitHeader(aq, { options, result }, v) {
  checkHeaderFlags(options);
  const { table, inQp, outQp } = referenceTable(aq, result.activation, result.params, options.inQp, result.quantization.outQp);
  return fitToC(result, table, inQp, outQp, { name: v.name ?? `${result.target}_fit`, version: VERSION, formula: aq.activation(result.target).formula });
}
