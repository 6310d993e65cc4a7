#!/usr/bin/env node
// Writes the README's lab section: runs what `npx actq lab` runs (compare() with its
// defaults), and puts the table, the machine it ran on, and where the float network's
// hidden units sit relative to each deployed definition's knees between the markers
// <!-- lab-table --> and <!-- /lab-table -->. Nothing in that section is typed by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { loadLab, COMPARE_DEFAULTS, compareOptions, parseActivation } from '../src/js/lab/index.js';
import { labTable } from '../bin/lab.mjs';

const README = new URL('../README.md', import.meta.url);
const BEGIN = '<!-- lab-table -->', END = '<!-- /lab-table -->';

/** CPU model and the SIMD flags that matter for wasm SIMD code generation. */
export function machineLine() {
  let model = os.cpus()[0]?.model ?? 'unknown CPU', flags = [];
  try {
    const lscpu = execFileSync('lscpu', { encoding: 'utf8' });
    model = /Model name:\s*(.+)/.exec(lscpu)?.[1].trim() ?? model;
    const all = new Set((/Flags:\s*(.+)/.exec(lscpu)?.[1] ?? '').split(/\s+/));
    flags = ['sse4_1', 'avx', 'avx2', 'fma', 'avx512f'].filter((f) => all.has(f));
  } catch { /* no lscpu: the model from os.cpus() */ }
  return `${model} (${flags.join(' ') || 'flags unknown'}), ${os.cpus().length} cores, Node ${process.version} (V8 ${process.versions.v8})`;
}

const lab = await loadLab();
const options = compareOptions({});
const started = performance.now();
const result = await lab.compare(options);
const seconds = (performance.now() - started) / 1000;

// Where the hidden units live: the share of the trained network's hidden pre-activations
// (test set) past each hard definition's knees, where it is flat and sigmoid is not.
const data = await lab.data(options.data, { seed: options.seed });
const net = lab.fromJSON(result.network);
const z = net.hiddenPreActivations(data.test.x);
net.free();
const knees = [...new Set(options.deploy)].map((spec) => {
  const { name, params } = parseActivation(spec);
  const entry = lab.aq.activation(name);
  if (name !== 'hard_sigmoid') return null;
  const p = params ? { ...entry.presets[params] } : Object.fromEntries(entry.params.map((q) => [q.name, q.default]));
  const lo = -p.offset / p.slope, hi = (1 - p.offset) / p.slope;
  let outside = 0;
  for (const v of z) outside += v <= lo || v >= hi;
  return `${spec} (knees ${lo.toFixed(2)}, ${hi.toFixed(2)}): ${(100 * outside / z.length).toFixed(1)}%`;
}).filter(Boolean);
let inside1 = 0;
for (const v of z) inside1 += Math.abs(v) < 1;

const section = [
  BEGIN,
  `Made by \`npm run lab-table\` (the same run as \`npx actq lab\`, ${seconds.toFixed(1)} s in all) on ${machineLine()}:`,
  '',
  '```',
  labTable(result, options).trimEnd(),
  '```',
  '',
  `The float network's ${z.length.toLocaleString('en-US')} hidden pre-activations on the test digits: ` +
    `${(100 * inside1 / z.length).toFixed(1)}% lie in (-1, 1); past the knees of each definition (where it is flat): ${knees.join('; ')}.`,
  END,
].join('\n');

const text = readFileSync(README, 'utf8');
const from = text.indexOf(BEGIN), to = text.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md has no ${BEGIN} ... ${END} section`);
writeFileSync(README, text.slice(0, from) + section + text.slice(to + END.length));
console.log(section);
console.log(`\n(defaults: ${JSON.stringify(COMPARE_DEFAULTS)})`);
