// `actq lab`: train with one activation, deploy others, quantize (PTQ) and fine-tune (QAT),
// and print what accuracy is left -- the table of actq/lab's compare(). Progress goes to
// stderr (a progress bar on a terminal, a line per phase otherwise), the table (or --json)
// to stdout. Bad input: a RangeError / TypeError, reported by bin/actq.mjs as one line.
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { loadLab, COMPARE_DEFAULTS, integerNetworkToC, parseActivation, compareOptions } from '../src/js/lab/index.js';
import { integerNetworkFromJSON } from '../src/js/lab/export_c.js';
import { VERSION } from '../src/js/index.js';

export const LAB_USAGE = `Usage: actq lab [options]

Trains a small network with one hidden activation, then deploys others in its place:
swapped in the float network, quantized to integers (PTQ) and fine-tuned with fake
quantization (QAT), each at every bit width -- and prints the test accuracy of each.

  --data NAME            mnist (default: 10,000 real digits, 8000 train / 2000 test),
                         spiral, moons, circles, xor, gaussians (2-D, seeded)
  --noise X              noise of a 2-D set (its default otherwise)
  --hidden 64[,32...]    hidden layer sizes (default 64)
  --train ACT[:PRESET]   the activation trained with (default sigmoid)
  --deploy ACT[:PRESET],...
                         the activations deployed (default
                         hard_sigmoid:onnx,hard_sigmoid:pytorch,hard_sigmoid:bnn)
  --bits 8,4,2           weight and activation bit widths, 2..8 (default 8,4,2)
  --epochs N             training epochs (default 5)
  --qat-epochs N         QAT fine-tuning epochs per deployment and width (default 2; 0: none)
  --batch N              mini-batch size (default 64)
  --lr X                 learning rate (default: adam 0.01, sgd 0.1); QAT uses lr / 10
  --optimizer NAME       adam (default) or sgd (momentum 0.9)
  --seed N               seed of the data split, initial weights and batch order (default 1)
  --json                 print one JSON object instead of the table
  --export-c FILE        write the integer network of the first --deploy entry at the first
                         --bits (after QAT; after PTQ with --qat-epochs 0) as a C header
  --help                 this text

Example
  npx actq lab                                   # sigmoid -> three hard sigmoids at 8/4/2 bits
  npx actq lab --data moons --hidden 16 --train tanh --deploy hard_tanh --bits 4 --json
`;

export const LAB_OPTIONS = {
  data: { type: 'string' },
  noise: { type: 'string' },
  hidden: { type: 'string' },
  train: { type: 'string' },
  deploy: { type: 'string' },
  bits: { type: 'string' },
  epochs: { type: 'string' },
  'qat-epochs': { type: 'string' },
  batch: { type: 'string' },
  lr: { type: 'string' },
  optimizer: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
  'export-c': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const fail = (message) => { throw new RangeError(message); };

function integerFlag(flag, text) {
  if (!/^\d+$/.test(text.trim())) fail(`${flag}: expected a non-negative integer, got '${text}'`);
  return Number(text);
}
function numberFlag(flag, text) {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) fail(`${flag}: expected a finite number, got '${text}'`);
  return v;
}
const list = (flag, text, parse) => text.split(',').map((t) => parse(flag, t));

/** compare() options from the parsed flags (unset flags keep compare's defaults). */
function compareArgs(v) {
  const o = {};
  if (v.data !== undefined) o.data = v.data;
  if (v.noise !== undefined) {
    if ((v.data ?? COMPARE_DEFAULTS.data) === 'mnist') fail('--noise applies to the 2-D data sets, not mnist');
    o.dataOptions = { noise: numberFlag('--noise', v.noise) };
  }
  if (v.hidden !== undefined) o.hidden = list('--hidden', v.hidden, integerFlag);
  if (v.train !== undefined) o.train = v.train;
  if (v.deploy !== undefined) o.deploy = v.deploy.split(',');
  if (v.bits !== undefined) o.bits = list('--bits', v.bits, integerFlag);
  if (v.epochs !== undefined) o.epochs = integerFlag('--epochs', v.epochs);
  if (v['qat-epochs'] !== undefined) o.qatEpochs = integerFlag('--qat-epochs', v['qat-epochs']);
  if (v.batch !== undefined) o.batch = integerFlag('--batch', v.batch);
  if (v.lr !== undefined) o.lr = numberFlag('--lr', v.lr);
  if (v.optimizer !== undefined) o.optimizer = v.optimizer;
  if (v.seed !== undefined) o.seed = integerFlag('--seed', v.seed);
  for (const spec of [o.train, ...(o.deploy ?? [])]) if (spec !== undefined) parseActivation(spec);
  return o;
}

/** Library messages name options (qatEpochs); a CLI user knows the flags (--qat-epochs). */
export const labFlagTerms = (message) => message
  .replace(/\bcompare: /g, '').replace(/\bqatEpochs\b/g, '--qat-epochs').replace(/\bqatLr\b/g, '--lr')
  .replace(/\b(epochs|batch|lr|seed|bits|optimizer|hidden|deploy)\b(?= must| -)/g, '--$1');

const percent = (a) => `${(100 * a).toFixed(2)}%`;

/** The table: one row per deployed definition, a column per stage and width. */
export function labTable(result, options) {
  const { rows } = result;
  const float = rows.find((r) => r.stage === 'float');
  const bits = [...new Set(rows.filter((r) => r.bits !== null).map((r) => r.bits))];
  const stages = [['swap', null], ...bits.map((b) => ['ptq', b]), ...bits.filter(() => rows.some((r) => r.stage === 'qat')).map((b) => ['qat', b])];
  const label = (r) => (r.preset ? `${r.activation} (${r.preset})` : r.activation);
  const cell = (r) => (r ? `${percent(r.accuracy)} (${r.accuracy >= float.accuracy ? '+' : ''}${(100 * (r.accuracy - float.accuracy)).toFixed(2)})` : '');
  const deployed = [...new Map(rows.filter((r) => r.stage !== 'float').map((r) => [label(r), r])).keys()];
  const head = ['deployed', ...stages.map(([s, b]) => (b === null ? 'swap (float)' : `${s.toUpperCase()} ${b}-bit`))];
  const lines = [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i ? '--:' : '---')).join('|')}|`,
    ...deployed.map((name) => {
      const cells = stages.map(([s, b]) => cell(rows.find((r) => label(r) === name && r.stage === s && r.bits === b)));
      return `| ${name} | ${cells.join(' | ')} |`;
    }),
  ];
  const d = result.data;
  const header = [
    `actq lab: ${d.name} (${d.train} train / ${d.test} test), ${result.layers.join('-')} MLP trained with ${label(float)}: ` +
      `test accuracy ${percent(float.accuracy)} (loss ${float.loss.toFixed(4)})`,
    `${options.epochs} epochs, ${options.optimizer} lr ${options.lr}, batch ${options.batch}, seed ${options.seed}; ` +
      `QAT: ${options.qatEpochs} epochs at lr ${options.qatLr}; training ${Math.round(result.trainSamplesPerSecond).toLocaleString('en-US')} samples/s`,
    'Test accuracy of each deployment (in parentheses: points against the float network):',
    '',
  ];
  return `${[...header, ...lines].join('\n')}\n`;
}

/** Progress on stderr: a bar redrawn in place on a terminal, one line per phase elsewhere. */
function progressReporter(stream, o) {
  const tty = Boolean(stream.isTTY);
  let lastDraw = 0, lastPhase = '';
  const started = performance.now();
  return (e, done, total) => {
    const what = e.phase === 'train' ? `train ${e.activation}${e.preset ? `:${e.preset}` : ''}`
      : `QAT ${e.activation}${e.preset ? `:${e.preset}` : ''} ${e.bits}-bit`;
    if (!tty) {
      if (e.type === 'epoch') stream.write(`actq lab: ${what}, epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)}, train accuracy ${percent(e.accuracy)}\n`);
      return;
    }
    const now = performance.now();
    if (now - lastDraw < 100 && what === lastPhase && done < total) return;
    lastDraw = now;
    lastPhase = what;
    const frac = Math.min(1, done / total), width = 24, fill = Math.round(frac * width);
    const elapsed = (now - started) / 1000, left = frac > 0 ? elapsed * (1 / frac - 1) : 0;
    const step = e.type === 'step' ? ` step ${e.step}/${e.steps}` : '';
    stream.write(`\r\x1b[K[${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${Math.round(frac * 100)}% ${what} epoch ${e.epoch}/${e.epochs}${step}` +
      ` loss ${e.loss.toFixed(3)}  ${elapsed.toFixed(0)}s, ~${left.toFixed(0)}s left`);
  };
}

/** Runs `actq lab` with these arguments; returns the text for stdout (null for --help). */
export async function runLab(args) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: LAB_OPTIONS, strict: true, allowPositionals: true });
  } catch (e) {
    fail(e.message.split(/\.\s|\n/)[0]);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return LAB_USAGE;
  if (positionals.length) fail(`unexpected argument '${positionals[0]}'`);
  const o = compareArgs(v);
  if (v['export-c'] !== undefined && v['export-c'].trim() === '') fail('--export-c: expected a file name');
  const settings = compareOptions(o); // checked (and completed) before loading anything
  const lab = await loadLab();
  const stderr = process.stderr;
  const report = progressReporter(stderr, settings);
  let done = 0, total = 1;
  const result = await lab.compare({
    ...settings,
    onProgress: (e) => {
      if (e.type === 'step') done++;
      if (e.phase === 'train' && e.type === 'step' && e.epoch === 1 && e.step === 1) {
        const qatRuns = settings.deploy.length * settings.bits.length * settings.qatEpochs;
        total = e.steps * (settings.epochs + qatRuns);
      }
      report(e, done, total);
    },
  });
  if (stderr.isTTY) stderr.write('\r\x1b[K');
  if (v['export-c'] !== undefined) {
    const first = settings.deploy[0], bits = settings.bits[0];
    const spec = parseActivation(first);
    const index = result.rows.findIndex((r) => r.activation === (spec.name === 'swish' ? 'silu' : spec.name) &&
      r.bits === bits && r.stage === (settings.qatEpochs > 0 ? 'qat' : 'ptq'));
    const net = integerNetworkFromJSON(result.integer[index]);
    writeFileSync(v['export-c'], integerNetworkToC(net, { name: 'actq_net', version: VERSION, source: `actq lab ${args.join(' ')}`.trim() }));
    stderr.write(`actq lab: wrote ${v['export-c']} (${first} at ${bits} bits, ${settings.qatEpochs > 0 ? 'QAT' : 'PTQ'})\n`);
  }
  if (v.json) {
    const { data, layers, trainSamplesPerSecond, rows } = result;
    return `${JSON.stringify({ data, layers, trainSamplesPerSecond, rows }, null, 2)}\n`;
  }
  return labTable(result, settings);
}

