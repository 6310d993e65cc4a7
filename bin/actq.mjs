#!/usr/bin/env node
// actq command line. `actq lut ...` writes an activation's integer lookup table as a C
// header, JSON or CSV to stdout; `actq lab ...` (bin/lab.mjs) trains, deploys and
// quantizes a small network and prints what accuracy is left. Any bad flag, value or name:
// one line `actq: ...` on stderr, exit 1, nothing on stdout (the whole output is built
// before anything is written).
import { parseArgs } from 'node:util';
import { load, VERSION } from '../src/js/index.js';
import { lutToC, lutToJson, lutToCsv } from '../src/js/export.js';
import { runLab, labFlagTerms } from './lab.mjs';
import { runFit, fitFlagTerms } from './fit.mjs';

const USAGE = `Usage: actq lut <activation> --in-scale S [options] (--out PRESET | --out-scale S ...)
       actq lab [options]      (train, deploy, quantize: see actq lab --help)
       actq fit <activation> [options]  (best hard / pwl approximation: see actq fit --help)

Writes the lookup table of an activation for every input code to stdout:
entry = clamp(round(f((q - in_zero_point) * in_scale) / out_scale) + out_zero_point).

Activation parameters
  --preset NAME          a preset of the activation (hard_sigmoid: onnx, pytorch, paddle, taylor, bnn)
  --param NAME=VALUE     a parameter value, repeatable (VALUE: number, true/false, or a,b,c for arrays)
Input quantization
  --in-scale S           input scale (> 0; a decimal or a fraction such as 1/16), required
  --in-zero-point Z      input zero point (default 0)
  --in-bits B            input bits, 2..8 (default 8): the table has 2^B entries
  --in-unsigned          unsigned input codes (default signed)
Output quantization: a framework's fixed qparams, or your own
  --out PRESET           tflite-logistic | tflite-tanh | pytorch-sigmoid | pytorch-tanh
  --out-scale S          output scale (> 0)
  --out-zero-point Z     output zero point (default 0)
  --out-bits B           output bits, 2..8 (default 8)
  --out-unsigned         unsigned output codes (also with --out: PyTorch quint8)
  --rounding MODE        half_even | half_away | half_up: output rounding (default: the --out
                         preset's, else half_even; TFLite uses half_away)
Output file
  --format FMT           c | json | csv (default c)
  --name IDENT           C identifier prefix (default <activation>_lut)
  --help                 this text

Example
  npx actq lut sigmoid --in-scale 0.0625 --in-zero-point 0 --out tflite-logistic --format c > sigmoid_lut.h
  npx actq lut hard_sigmoid --preset pytorch --in-scale 1/32 --out-scale 1/256 --out-unsigned --format csv
`;

const OPTIONS = {
  preset: { type: 'string' },
  param: { type: 'string', multiple: true },
  'in-scale': { type: 'string' },
  'in-zero-point': { type: 'string' },
  'in-bits': { type: 'string' },
  'in-unsigned': { type: 'boolean' },
  out: { type: 'string' },
  'out-scale': { type: 'string' },
  'out-zero-point': { type: 'string' },
  'out-bits': { type: 'string' },
  'out-unsigned': { type: 'boolean' },
  rounding: { type: 'string' },
  format: { type: 'string' },
  name: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};
const FORMATS = { c: lutToC, json: lutToJson, csv: lutToCsv };

const fail = (message) => { throw new RangeError(message); };

// The library names qparams fields (inQp.zeroPoint); a CLI user knows the flag (--in-zero-point).
const FLAGS = {
  'inQp.scale': '--in-scale', 'inQp.zeroPoint': '--in-zero-point', 'inQp.bits': '--in-bits',
  'outQp.scale': '--out-scale', 'outQp.zeroPoint': '--out-zero-point', 'outQp.bits': '--out-bits', 'outQp.rounding': '--rounding',
};
const inFlagTerms = (message) => message.replace(/\b(?:in|out)Qp\.\w+/g, (field) => FLAGS[field] ?? field);

/** A decimal number or a fraction a/b (scales like 1/255 are exact that way). */
function number(flag, text) {
  const decimal = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
  const m = new RegExp(`^(${decimal})(?:/(${decimal}))?$`).exec(text.trim());
  if (!m) fail(`${flag}: expected a number, got '${text}'`);
  return m[2] === undefined ? Number(m[1]) : Number(m[1]) / Number(m[2]);
}

function paramValue(name, text) {
  if (text === 'true' || text === 'false') return text === 'true';
  const flag = `--param ${name}`;
  return text.includes(',') ? text.split(',').map((t) => number(flag, t)) : number(flag, text);
}

/** parseArgs (strict) reads `--in-zero-point -128` as a missing value; join such pairs. */
function joinNegativeValues(args) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    const flag = /^--([\w-]+)$/.exec(args[i]);
    if (flag && OPTIONS[flag[1]]?.type === 'string' && /^-[\d.]/.test(args[i + 1] ?? '')) out.push(`${args[i]}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

/** The whole output text for these command-line arguments, or null for --help. */
async function run(args) {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(args), options: OPTIONS, strict: true, allowPositionals: true });
  } catch (e) {
    fail(e.message.split(/\.\s|\n/)[0]); // Node's first sentence names the flag; the rest is advice
  }
  const { values: v, positionals } = parsed;
  if (v.help) return null;
  const [command, activation, ...extra] = positionals;
  if (command === undefined) fail('missing command (usage: actq lut <activation> ...; see actq --help)');
  if (command !== 'lut') fail(`unknown command '${command}' (the commands are: lut, lab, fit)`);
  if (activation === undefined) fail('lut: missing the activation name');
  if (extra.length) fail(`unexpected argument '${extra[0]}'`);
  const format = v.format ?? 'c';
  if (!Object.hasOwn(FORMATS, format)) fail(`--format must be one of ${Object.keys(FORMATS).join(', ')}, got '${format}'`);

  const params = {};
  for (const p of v.param ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) fail(`--param: expected NAME=VALUE, got '${p}'`);
    const key = p.slice(0, eq);
    if (Object.hasOwn(params, key)) fail(`--param ${key} given twice`);
    params[key] = paramValue(key, p.slice(eq + 1));
  }
  if (v.preset !== undefined) params.preset = v.preset;

  if (v['in-scale'] === undefined) fail('missing --in-scale (the input scale)');
  const inBits = v['in-bits'] === undefined ? 8 : number('--in-bits', v['in-bits']);
  if (inBits > 8) fail(`--in-bits: a lut takes at most 8-bit input codes (2^bits entries), got ${inBits}`);
  const outBits = v['out-bits'] === undefined ? 8 : number('--out-bits', v['out-bits']);
  if (outBits > 8) fail(`--out-bits: a lut holds at most 8-bit output codes, got ${outBits}`);
  const inQp = {
    scale: number('--in-scale', v['in-scale']),
    zeroPoint: v['in-zero-point'] === undefined ? 0 : number('--in-zero-point', v['in-zero-point']),
    bits: inBits,
    signed: !v['in-unsigned'],
  };
  const rounding = v.rounding === undefined ? {} : { rounding: v.rounding };

  const aq = await load();
  const entry = aq.activation(activation); // RangeError listing the known names
  let outQp;
  if (v.out !== undefined) {
    const clash = ['out-scale', 'out-zero-point', 'out-bits'].find((k) => v[k] !== undefined);
    if (clash) fail(`--out ${v.out} fixes the output qparams: drop --${clash}`);
    outQp = aq.outputQParams(v.out, { signed: !v['out-unsigned'], ...rounding });
  } else {
    if (v['out-scale'] === undefined) fail('missing --out PRESET or --out-scale (the output qparams)');
    outQp = {
      scale: number('--out-scale', v['out-scale']),
      zeroPoint: v['out-zero-point'] === undefined ? 0 : number('--out-zero-point', v['out-zero-point']),
      bits: outBits,
      signed: !v['out-unsigned'],
      ...rounding,
    };
  }
  const lut = aq.lut(activation, Object.keys(params).length ? params : null, inQp, outQp);
  return FORMATS[format](lut, { name: v.name ?? `${activation}_lut`, version: VERSION, formula: entry.formula });
}

const args = process.argv.slice(2);
try {
  const text = args[0] === 'lab' ? await runLab(args.slice(1)) : args[0] === 'fit' ? await runFit(args.slice(1)) : await run(args);
  process.stdout.on('error', () => {}); // a closed pipe (| head) is not an error of ours
  process.stdout.write(text ?? USAGE);
} catch (e) {
  // TypeError / RangeError: bad input, reported by us or by the library; anything else is a bug.
  const input = e instanceof TypeError || e instanceof RangeError;
  const terms = args[0] === 'lab' ? labFlagTerms : args[0] === 'fit' ? fitFlagTerms : inFlagTerms;
  const message = terms(String(e?.message ?? e)).replace(/\s*\n\s*/g, ' ');
  process.stderr.write(`actq: ${input ? '' : 'internal error: '}${message}\n`);
  process.exitCode = input ? 1 : 2;
}
