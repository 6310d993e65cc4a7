#!/usr/bin/env node
// Paired A/B of two actq builds in one process: is a kernel change faster on this machine?
//
//   node bench/ab.mjs --ops sigmoid,elu:fast,quantize            # HEAD against the work tree
//   node bench/ab.mjs --base 22b9918 --head HEAD --ops gelu:balanced --sizes 1048576
//
// Each side is a copy of src/js with its own SIMD wasm, built afresh from that side's src/c
// with emscripten.mk (a git revision, or the work tree when --head is not given), in a
// temporary folder: src/js/wasm is not touched. Both are loaded into this process and sampled
// in rounds (bench/measure.mjs), once in the order A, B and once B, A, since the first of a
// pair can be favoured; a line reports the median and IQR of the per-round ratios B / A for
// each order. Separate processes differ by more than most changes (README, Benchmark), so
// only a ratio within one process means anything.
//
// Ops: every activation of the table at its default parameters, with ':fast' or ':balanced'
// for a tier; quantize, dequantize, fake_quantize and lut_sigmoid on wasm buffers (with
// bench/quant.mjs's int8 qparams). Input: bench/ops.mjs's timing input, uniform in [-10, 10].
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { sampleRates, pairedRatio, machine } from './measure.mjs';
import { timingInput } from './ops.mjs';
import { actqQuantRunner, QUANT_OPS } from './quant.mjs';

const { values: opt } = parseArgs({
  options: {
    base: { type: 'string', default: 'HEAD' },
    head: { type: 'string' },
    ops: { type: 'string' },
    sizes: { type: 'string', default: '65536,1048576' },
    rounds: { type: 'string', default: '15' },
    keep: { type: 'boolean', default: false },
  },
});
if (!opt.ops) {
  console.error('usage: node bench/ab.mjs --ops op[:tier],... [--base REV] [--head REV] [--sizes n,...] [--rounds R]');
  process.exit(2);
}
const QUANT = new Set(QUANT_OPS.map((o) => o.name));
const ops = opt.ops.split(',');
const root = fileURLToPath(new URL('..', import.meta.url));
const sizes = opt.sizes.split(',').map(Number);
const rounds = Number(opt.rounds);
if (sizes.some((n) => !(Number.isInteger(n) && n > 0)) || !(Number.isInteger(rounds) && rounds > 0)) {
  console.error('ab: --sizes takes positive integers, --rounds a positive integer');
  process.exit(2);
}

/** src/c, src/js (without the lab's data) and emscripten.mk of one side, in dir; then its SIMD wasm. */
function buildSide(rev, dir) {
  mkdirSync(dir, { recursive: true });
  const files = ['src/c', 'src/js', 'emscripten.mk'];
  if (rev) {
    const tar = execFileSync('git', ['-C', root, 'archive', rev, ...files], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
  } else {
    for (const f of files) cpSync(join(root, f), join(dir, f), { recursive: true, filter: (p) => !p.includes('/src/js/lab/') && !p.includes('/src/js/wasm/') });
  }
  rmSync(join(dir, 'src/js/wasm'), { recursive: true, force: true });
  execFileSync('make', ['-s', '-C', dir, '-f', 'emscripten.mk', 'src/js/wasm/actq.simd.wasm'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return join(dir, 'src/js/index.js');
}

const work = mkdtempSync(join(tmpdir(), 'actq-ab-'));
const names = { A: opt.base, B: opt.head ?? 'work tree' };
console.error(`ab: building A (${names.A}) and B (${names.B}) in ${work}`);
const sides = {};
for (const [key, rev] of [['A', opt.base], ['B', opt.head]]) {
  let index;
  try {
    index = buildSide(rev, join(work, key));
  } catch (e) {
    console.error(`ab: cannot build ${key} (${names[key]}): ${String(e.stderr || e.message).trim().split('\n')[0]}`);
    rmSync(work, { recursive: true, force: true });
    process.exit(2);
  }
  sides[key] = await (await import(pathToFileURL(index).href)).load();
}
/** Why op cannot run on side aq, or null: an activation of the table ('name' or 'name:fast',
 *  'name:balanced'), or one of the quantization ops. */
function refusal(aq, op) {
  const [name, tier, extra] = op.split(':');
  if (QUANT.has(name)) return tier === undefined ? null : `${name} has no tiers`;
  let act;
  try { act = aq.activation(name); } catch (e) { return `${e.message}; or one of ${[...QUANT].join(', ')}`; }
  if (extra !== undefined || (tier !== undefined && !['fast', 'balanced'].includes(tier))) return `'${op}': a tier is :fast or :balanced`;
  return tier && !act[tier] ? `${name} has no ${tier} tier` : null;
}
for (const op of ops) {
  for (const key of ['A', 'B']) {
    const why = refusal(sides[key], op);
    if (why) {
      console.error(`ab: ${why} (in ${key}, ${names[key]})`);
      rmSync(work, { recursive: true, force: true });
      process.exit(2);
    }
  }
}

/** A zero-copy runner of op ('name' or 'name:tier') on side aq over input x. */
function runner(aq, op, x) {
  const [name, tier] = op.split(':');
  if (QUANT.has(name)) return actqQuantRunner(aq, name, x);
  const src = aq.alloc(x.length), dst = aq.alloc(x.length);
  src.view.set(x);
  const options = tier ? { tier } : undefined;
  return { run: () => aq.forward(name, src, null, dst, options), dispose: () => { src.free(); dst.free(); } };
}

const fmt = (r) => `${r.median.toFixed(3)} (IQR ${r.q1.toFixed(3)}-${r.q3.toFixed(3)})`;
console.log(machine().text);
console.log(`B / A, A = ${names.A}, B = ${names.B}; ${rounds} rounds per order`);
for (const op of ops) {
  for (const n of sizes) {
    const x = timingInput(n);
    const a = runner(sides.A, op, x), b = runner(sides.B, op, x);
    const config = { samples: rounds, sampleMs: 25, warmupMs: [200, 1500] };
    const [ab1, ab2] = await sampleRates([a, b], n, config); // order A, B
    const [ba2, ba1] = await sampleRates([b, a], n, config); // order B, A
    a.dispose(); b.dispose();
    console.log(`${op.padEnd(18)} n=${String(n).padEnd(8)} A,B: ${fmt(pairedRatio(ab2, ab1))}   B,A: ${fmt(pairedRatio(ba2, ba1))}`);
  }
}
if (!opt.keep) rmSync(work, { recursive: true, force: true });
