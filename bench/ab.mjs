#!/usr/bin/env node
// Paired A/B of two actq builds in one process: is a kernel change faster on this machine?
//
//   node bench/ab.mjs --ops sigmoid,elu:fast,quantize            # HEAD against the work tree
//   node bench/ab.mjs --base 22b9918 --head HEAD --ops gelu:balanced --sizes 1048576
//
// Each side is a copy of src/js with its own SIMD wasm, built afresh from that side's src/c
// with emscripten.mk (a git revision, or the work tree when --head is not given), in a
// temporary folder (removed afterwards unless --keep): src/js/wasm is not touched. Both are
// loaded into this process and sampled in rounds (bench/measure.mjs), once in the order A, B
// and once B, A, since the first of a pair can be favoured; a line reports the median and
// IQR of the per-round ratios B / A for each order. Separate processes differ by more than most changes (README, Benchmark), so
// only a ratio within one process means anything -- and even that moves by a few percent
// from process to process for unchanged code (relu at 64K: 1.00 in one, 1.06 in another),
// and a whole process can come out far off (1.7 for a 1.05 change): --processes P repeats
// the measurement in P fresh processes, one after another, and reports the median of their
// 2P medians with the range. Name an unchanged op as a control.
//
// Ops: every activation of the table at its default parameters, with ':fast' or ':balanced'
// for a tier; quantize, dequantize, fake_quantize and lut_sigmoid on wasm buffers (with
// bench/quant.mjs's int8 qparams). Input: bench/ops.mjs's timing input, uniform in [-10, 10].
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { sampleRates, pairedRatio, machine, median } from './measure.mjs';
import { timingInput } from './ops.mjs';
import { actqQuantRunner, QUANT_OPS } from './quant.mjs';

const { values: opt } = parseArgs({
  options: {
    base: { type: 'string', default: 'HEAD' },
    head: { type: 'string' },
    ops: { type: 'string' },
    sizes: { type: 'string', default: '65536,1048576' },
    rounds: { type: 'string', default: '15' },
    processes: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    measure: { type: 'string' }, // internal: a child process measuring the sides built in this folder
  },
});
if (!opt.ops) {
  console.error('usage: node bench/ab.mjs --ops op[:tier],... [--base REV] [--head REV] [--sizes n,...] [--rounds R] [--processes P] [--keep]');
  process.exit(2);
}
const QUANT = new Set(QUANT_OPS.map((o) => o.name));
const ops = opt.ops.split(',');
const root = fileURLToPath(new URL('..', import.meta.url));
const sizes = opt.sizes.split(',').map(Number);
const rounds = Number(opt.rounds), processes = Number(opt.processes);
if (sizes.some((n) => !(Number.isInteger(n) && n > 0)) || !(Number.isInteger(rounds) && rounds > 0) ||
    !(Number.isInteger(processes) && processes > 0)) {
  console.error('ab: --sizes takes positive integers, --rounds and --processes a positive integer');
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

const names = { A: opt.base, B: opt.head ?? 'work tree' };
const work = opt.measure ?? mkdtempSync(join(tmpdir(), 'actq-ab-'));
if (!opt.measure) console.error(`ab: building A (${names.A}) and B (${names.B}) in ${work}`);
const sides = {};
for (const [key, rev] of [['A', opt.base], ['B', opt.head]]) {
  let index = join(work, key, 'src/js/index.js');
  if (!opt.measure) try {
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

/** B / A of op at n elements in this process: the paired ratios in the order A, B and B, A */
async function measure(op, n) {
  const x = timingInput(n);
  const a = runner(sides.A, op, x), b = runner(sides.B, op, x);
  const config = { samples: rounds, sampleMs: 25, warmupMs: [200, 1500] };
  const [ab1, ab2] = await sampleRates([a, b], n, config); // order A, B
  const [ba2, ba1] = await sampleRates([b, a], n, config); // order B, A
  a.dispose(); b.dispose();
  return { ab: pairedRatio(ab2, ab1), ba: pairedRatio(ba2, ba1) };
}

const cells = ops.flatMap((op) => sizes.map((n) => ({ op, n })));
if (opt.measure) { // a child: one JSON line per cell
  for (const { op, n } of cells) console.log(JSON.stringify({ op, n, ...(await measure(op, n)) }));
  process.exit(0);
}
const fmt = (r) => `${r.median.toFixed(3)} (IQR ${r.q1.toFixed(3)}-${r.q3.toFixed(3)})`;
const label = (op, n) => `${op.padEnd(18)} n=${String(n).padEnd(8)}`;
console.log(machine().text);
console.log(`B / A, A = ${names.A}, B = ${names.B}; ${rounds} rounds per order` +
  (processes > 1 ? `, in ${processes} fresh processes one after another` : ''));
if (processes === 1) {
  for (const { op, n } of cells) {
    const r = await measure(op, n);
    console.log(`${label(op, n)} A,B: ${fmt(r.ab)}   B,A: ${fmt(r.ba)}`);
  }
} else {
  // Where V8 places the compiled code, and so how the loops align, changes from process to
  // process: one process's ratio can be a few percent off for unchanged code. Every process
  // gives two medians (both orders); a line reports each and their median and range.
  const runs = [];
  for (let p = 0; p < processes; p++) {
    const args = [fileURLToPath(import.meta.url), '--measure', work, '--ops', opt.ops, '--sizes', opt.sizes, '--rounds', opt.rounds];
    const child = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) {
      console.error(`ab: measuring process ${p + 1} failed (exit ${child.status})`);
      rmSync(work, { recursive: true, force: true });
      process.exit(1);
    }
    runs.push(child.stdout.trim().split('\n').map((l) => JSON.parse(l)));
  }
  cells.forEach(({ op, n }, i) => {
    const pairs = runs.map((r) => [r[i].ab.median, r[i].ba.median]);
    const all = pairs.flat().sort((u, v) => u - v);
    console.log(`${label(op, n)} ${median(all).toFixed(3)} (range ${all[0].toFixed(3)}-${all.at(-1).toFixed(3)}); per process A,B|B,A: ` +
      pairs.map(([u, v]) => `${u.toFixed(3)}|${v.toFixed(3)}`).join(' '));
  });
}
if (!opt.keep) rmSync(work, { recursive: true, force: true });
