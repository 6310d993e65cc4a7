// `actq fit`: the best hard or piecewise-linear approximation of an activation (aq.fit), and
// what each preset of its family gives up against it -- as a table, JSON, or integer-only C.
// Bad input: a RangeError / TypeError, reported by bin/actq.mjs as one `actq: ...` line.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { load } from '../src/js/index.js';
import { FIT_DEFAULT_RANGE } from '../src/js/fit.js';
import { fitOptions, fitToJson, fitFromFlags, fitHeader, checkHeaderFlags } from '../src/js/fit/options.js';

export const FIT_USAGE = `Usage: actq fit <activation> [options]

Fits the best approximation of an activation of a given form, and compares it with every
preset of its family (hard sigmoids, hard_tanh, hard_swish; PLAN for sigmoid and tanh).
Errors are against the float64 activation; with output qparams, on the output codes.

Fit
  --form hard|pwl        hard: clip(slope x + offset, lo, hi) for targets rising from lo to
                         hi, x clip(slope x + offset, 0, 1) for x-times-a-gate targets (silu,
                         gelu, ...); pwl (default): continuous piecewise-linear
  --pieces N             pwl pieces, 2..64 (default 8; flat outer pieces count)
  --metric max|rms       minimax (default) or least squares
  --slopes free|pow2|pow2x2
                         free (default), powers of two (one shift), sums or differences of
                         two powers of two (shift-add)
  --range LO,HI          the inputs that count (default ${FIT_DEFAULT_RANGE.join(',')})
  --symmetric            keep the target's symmetry (odd about (0, f(0)): sigmoid, tanh, ...)
  --frac-bits F          knots and values (hard: slope and offset) on multiples of 2^-F
  --normal MEAN,SD       rms weighted by a normal density of inputs
  --samples FILE         rms over these input samples (numbers separated by spaces, commas
                         or new lines)
Target parameters
  --preset NAME          a preset of the activation
  --param NAME=VALUE     a parameter value, repeatable (VALUE: number, true/false, or a,b,c)
Output quantization (the error is then taken on the dequantized output codes)
  --bits B               output bits, 2..16 (alone: scale and zero point from the target's
                         output range over --range)
  --out PRESET           tflite-logistic | tflite-tanh | pytorch-sigmoid | pytorch-tanh
  --out-scale S          output scale (> 0; a decimal or a fraction such as 1/256)
  --out-zero-point Z     output zero point (default 0)
  --out-unsigned         unsigned output codes
  --rounding MODE        half_even | half_away | half_up
Input quantization (the error is then taken at every input code in --range; needed by --format c)
  --in-scale S           input scale (> 0)
  --in-zero-point Z      input zero point (default 0)
  --in-bits B            input bits, 2..16 (default 8)
  --in-unsigned          unsigned input codes
Output
  --format table|json|c  a table (default), JSON, or a C99 header: input code -> output code
                         by compares, multiplies (shifts and adds for pow2 slopes) and shifts,
                         equal to the fitted activation's LUT for every input code
  --name IDENT           C identifier (default <activation>_fit)
  --help                 this text

Examples
  npx actq fit sigmoid --form hard
  npx actq fit sigmoid --pieces 8 --slopes pow2 --format json
  npx actq fit tanh --pieces 6 --symmetric --out tflite-tanh --in-scale 1/32 --format c > tanh_fit.h
`;

export const FIT_OPTIONS = {
  form: { type: 'string' },
  pieces: { type: 'string' },
  metric: { type: 'string' },
  slopes: { type: 'string' },
  range: { type: 'string' },
  symmetric: { type: 'boolean' },
  'frac-bits': { type: 'string' },
  normal: { type: 'string' },
  samples: { type: 'string' },
  preset: { type: 'string' },
  param: { type: 'string', multiple: true },
  bits: { type: 'string' },
  out: { type: 'string' },
  'out-scale': { type: 'string' },
  'out-zero-point': { type: 'string' },
  'out-unsigned': { type: 'boolean' },
  rounding: { type: 'string' },
  'in-scale': { type: 'string' },
  'in-zero-point': { type: 'string' },
  'in-bits': { type: 'string' },
  'in-unsigned': { type: 'boolean' },
  format: { type: 'string' },
  name: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const fail = (message) => { throw new RangeError(message); };

/** parseArgs (strict) reads `--range -4,4` as a missing value; join such pairs. */
function joinNegativeValues(args) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    const flag = /^--([\w-]+)$/.exec(args[i]);
    if (flag && FIT_OPTIONS[flag[1]]?.type === 'string' && /^-[\d.]/.test(args[i + 1] ?? '')) out.push(`${args[i]}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

/** Library messages name options (outQp.zeroPoint, fracBits); a CLI user knows the flags. */
export const fitFlagTerms = (message) => message
  .replace(/\binQp\.scale\b/g, '--in-scale').replace(/\binQp\.zeroPoint\b/g, '--in-zero-point').replace(/\binQp\.bits\b/g, '--in-bits')
  .replace(/\boutQp\.scale\b/g, '--out-scale').replace(/\boutQp\.zeroPoint\b/g, '--out-zero-point').replace(/\boutQp\.bits\b/g, '--bits')
  .replace(/\boutQp\.rounding\b/g, '--rounding').replace(/\bfracBits\b/g, '--frac-bits')
  .replace(/\bfit: (form|pieces|metric|slopes|range)\b/g, 'fit: --$1');


const sci = (v) => (v === 0 ? '0' : v.toExponential(3));
const short = (v) => String(Number(v.toPrecision(6)));

/** The table: the fit, its parameters, and one row per preset. */
export function fitTable(r) {
  const form = r.form === 'hard' ? `hard (${r.activation})` : `${r.pieces}-piece pwl`;
  const where = r.quantization
    ? `on the output codes (${r.quantization.outQp.bits}-bit, scale ${short(r.quantization.outQp.scale)}, zero point ${r.quantization.outQp.zeroPoint})`
    : 'float64';
  const lines = [
    `actq fit: ${r.target}, ${form}, ${r.metric === 'max' ? 'minimax' : 'least squares'} over [${r.range.join(', ')}], slopes ${r.slopes}` +
      `${r.symmetric ? ', symmetric' : ''}${r.fracBits !== null ? `, ${r.fracBits} fraction bits` : ''}; errors ${where}`,
    `  ${r.activation}: ${Object.entries(r.params).map(([k, v]) => `${k} ${Array.isArray(v) ? `[${v.map(short).join(', ')}]` : typeof v === 'number' ? short(v) : v}`).join(', ')}`,
    `  max error ${sci(r.maxError)} at x = ${short(r.maxErrorAt)}, rms ${sci(r.rmsError)}` +
      (r.optimum ? `; float64 optimum ${sci(r.optimum.maxError)}, ${r.optimum.alternations} alternating extremes level to ${r.optimum.spread.toExponential(1)}` : ''),
    '',
    '| definition | max error | at x | rms error |',
    '|---|--:|--:|--:|',
    `| **fit: ${form}${r.slopes !== 'free' ? `, ${r.slopes} slopes` : ''}** | **${sci(r.maxError)}** | ${short(r.maxErrorAt)} | **${sci(r.rmsError)}** |`,
    ...r.presets.map((p) => `| ${p.name} | ${sci(p.maxError)} | ${short(p.maxErrorAt)} | ${sci(p.rmsError)} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Runs `actq fit` with these arguments; returns the text for stdout. */
export async function runFit(args) {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(args), options: FIT_OPTIONS, strict: true, allowPositionals: true });
  } catch (e) {
    fail(e.message.split(/\.\s|\n/)[0]);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return FIT_USAGE;
  const [target, ...extra] = positionals;
  if (target === undefined) fail('fit: missing the activation name (usage: actq fit <activation> [options]; see actq fit --help)');
  if (extra.length) fail(`unexpected argument '${extra[0]}'`);
  const format = v.format ?? 'table';
  if (!['table', 'json', 'c'].includes(format)) fail(`--format must be one of table, json, c, got '${format}'`);
  const readSamples = (file) => readFileSync(file, 'utf8');
  if (format === 'c') checkHeaderFlags(fitOptions(v, { readSamples }));
  else if (v.name !== undefined) fail('--name applies to --format c');
  const aq = await load();
  const made = fitFromFlags(aq, target, v, { readSamples });
  if (format === 'json') return fitToJson(made.result);
  if (format === 'c') return fitHeader(aq, made, v);
  const r = made.result;
  return fitTable(r);
}
