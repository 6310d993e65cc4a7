#!/usr/bin/env node
// actq benchmark: elements/s of actq and its peers on the same data, in one Node process,
// single-threaded, plus the accuracy of each on one grid, load() time and binary size.
//
//   npm run bench                      # full run (~7 min on 2 cores)
//   npm run bench -- --quick           # ~30 s: 64K and 1M only, shorter samples
//   npm run bench -- --json out.json   # also write every number as JSON
//   node bench/run.mjs --ops sigmoid,relu --sizes 65536
//
// The peer libraries live in bench/package.json and are installed on first run.
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import os from 'node:os';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    ops: { type: 'string' },
    sizes: { type: 'string' },
    systems: { type: 'string' },
  },
});

if (!existsSync(new URL('node_modules/', import.meta.url))) {
  console.error('bench: installing the peer libraries (npm install --prefix bench)');
  execFileSync('npm', ['install', '--prefix', benchDir, '--no-audit', '--no-fund'], { stdio: 'inherit' });
}

const { FLOAT_OPS, floatAccuracy, grid, timingInput } = await import('./ops.mjs');
const { QUANT_OPS, quantSystems } = await import('./quant.mjs');
const { sampleRates, loadTimes, median } = await import('./measure.mjs');

const K = 1024, M = K * K;
const config = opt.quick
  ? { sizes: [64 * K, M], samples: 7, sampleMs: 10, loadRuns: 5 }
  : { sizes: [4 * K, 64 * K, M, 16 * M], samples: 9, sampleMs: 40, loadRuns: 11 };
if (opt.sizes) config.sizes = opt.sizes.split(',').map(Number);
const sizeName = (n) => (n >= M ? `${n / M}M` : n >= K ? `${n / K}K` : `${n}`);
const log = (...a) => console.error(...a);

// ---- the systems ----------------------------------------------------------------------

const versions = {}, unavailable = {}, peerState = {};
const systems = [];
let copySystem = null;
for (const name of ['actq', 'js', 'tfjs', 'ort', 'litert']) {
  try {
    const peer = await (await import(`./peers/${name}.mjs`)).systems();
    Object.assign(versions, peer.info);
    systems.push(...peer.list);
    peerState[name] = peer;
    if (name === 'actq') copySystem = peer.copy;
  } catch (e) {
    unavailable[name] = String(e?.message ?? e).split('\n')[0];
    log(`bench: ${name} unavailable: ${unavailable[name]}`);
  }
}
// quantization rows appear once the package has the quantization API
const quant = await quantSystems(peerState);
if (!quant.available) log(`bench: quantization rows skipped: ${quant.reason}`);
if (opt.systems) { // e.g. --systems actq,tfjs (a prefix keeps its variants: actq-copying, ...)
  const keep = opt.systems.split(',');
  const kept = (s) => keep.some((k) => s.id === k || s.id.startsWith(`${k}-`));
  systems.splice(0, systems.length, ...systems.filter(kept));
  if (quant.available) quant.list = quant.list.filter(kept);
}

let ops = [...FLOAT_OPS, ...(quant.available ? QUANT_OPS : [])];
if (opt.ops) ops = ops.filter((o) => opt.ops.split(',').includes(o.name));

// ---- measure ----------------------------------------------------------------------------

const started = Date.now();
const rates = {}; // rates[op][system][size] = median elements/s
const samplesOut = [];
const accuracy = {}; // accuracy[op][system] = { maxUlp, maxAbs } | { maxCodeDiff, mismatches }
const labels = Object.fromEntries(systems.map((s) => [s.id, s.label]));

async function measureCell(op, list, n, input) {
  const runners = [];
  for (const s of list) runners.push(await s.prepare(op.name, input));
  const all = await sampleRates(runners, n, config);
  list.forEach((s, j) => {
    ((rates[op.name] ??= {})[s.id] ??= {})[n] = median(all[j]);
    samplesOut.push({ op: op.name, system: s.id, size: n, rates: all[j] });
  });
  for (const r of runners) await r.dispose();
}

for (const size of config.sizes) {
  const x = timingInput(size);
  const copy = copySystem.prepare(x);
  const [copyRates] = await sampleRates([copy], size, config);
  copy.dispose();
  ((rates.copy ??= {}).copy ??= {})[size] = median(copyRates);
}
labels.copy = copySystem.label;

for (const op of ops) {
  const isQuant = op.kind === 'quant';
  const list = isQuant ? quant.list.filter((s) => s.supports(op.name)) : systems.filter((s) => s.supports(op.name));
  for (const s of list) labels[s.id] = s.label;
  for (const size of config.sizes) {
    log(`bench: ${op.name} ${sizeName(size)} (${list.map((s) => s.id).join(', ')})`);
    await measureCell(op, list, size, timingInput(size));
  }
  // accuracy of every system on one grid of 2^20 points over [-20, 20]
  const g = grid();
  for (const s of list) {
    const r = await s.prepare(op.name, g);
    await r.run();
    const y = await r.read();
    (accuracy[op.name] ??= {})[s.id] = isQuant ? quant.accuracy(op.name, r.spec, g, y) : floatAccuracy(op.name, g, y);
    await r.dispose();
  }
}

log('bench: load() time in fresh processes');
const indexUrl = new URL('../src/js/index.js', import.meta.url).href;
const loadTime = loadTimes(indexUrl, config.loadRuns);
const wasmSize = readFileSync(new URL('../src/js/wasm/actq.simd.wasm', import.meta.url)).length;

// ---- targets -----------------------------------------------------------------------------

const PEERS = ['tfjs', 'ort', 'litert'];
const at = (op, sys, n) => rates[op]?.[sys]?.[n];
function fastestPeer(op, n) {
  let best = null;
  for (const p of PEERS) if (at(op, p, n) && (!best || at(op, p, n) > best.rate)) best = { id: p, rate: at(op, p, n) };
  return best;
}
const targets = [];
const check = (what, ratio, goal, detail) => targets.push({ what, ratio, goal, pass: ratio >= goal, detail });
for (const op of ops) {
  for (const n of config.sizes.filter((s) => s === 64 * K || s === M)) {
    if (op.kind === 'quant') { // actq on wasm buffers, against the copy limit or (LUT) the peers
      const mineQ = at(op.name, 'actq-q', n);
      if (!mineQ) continue;
      if (op.name === 'lut_sigmoid') {
        const peer = ['ort-q', 'litert-q'].map((p) => ({ p, r: at(op.name, p, n) })).filter((v) => v.r).sort((a, b) => b.r - a.r)[0];
        if (peer) check(`${op.name} ${sizeName(n)}: actq / fastest peer`, mineQ / peer.r, 1.2, peer.p);
      } else {
        check(`${op.name} ${sizeName(n)}: actq / wasm memcpy`, mineQ / at('copy', 'copy', n), 0.6, 'copy');
      }
      continue;
    }
    const mine = at(op.name, 'actq', n);
    if (!mine) continue;
    if (op.kind === 'transcendental') {
      const peer = fastestPeer(op.name, n);
      if (peer) check(`${op.name} ${sizeName(n)}: actq / fastest peer`, mine / peer.rate, 1.25, peer.id);
      const fast = at(op.name, 'actq-fast', n);
      if (fast && peer) check(`${op.name} ${sizeName(n)}: actq fast tier / fastest peer`, fast / peer.rate, 2, peer.id);
    }
    if (op.kind === 'piecewise') check(`${op.name} ${sizeName(n)}: actq / wasm memcpy`, mine / at('copy', 'copy', n), 0.85, 'copy');
    if (op.name === 'relu') {
      const xnn = ['litert', 'tfjs'].map((p) => ({ p, r: at('relu', p, n) })).filter((v) => v.r).sort((a, b) => b.r - a.r)[0];
      if (xnn) check(`relu ${sizeName(n)}: actq / XNNPACK relu`, mine / xnn.r, 1.0, xnn.p);
    }
    const copying = at(op.name, 'actq-copying', n);
    if (n === M && copying) {
      check(`${op.name} 1M: copying API / zero-copy`, copying / mine, op.kind === 'piecewise' ? 0.5 : 0.8, 'actq');
    }
  }
}
check('load() median (ms)', 20 / loadTime.load, 1, `${loadTime.load.toFixed(1)} ms`);
check('SIMD .wasm size (bytes)', 65536 / wasmSize, 1, `${wasmSize} B`);

// ---- report --------------------------------------------------------------------------------

const fmtRate = (r) => (r === undefined ? '—' : r >= 1e9 ? (r / 1e9).toFixed(2) + ' G' : (r / 1e6).toPrecision(3) + ' M');
const fmtAcc = (a) => {
  if (!a) return '— | —';
  if ('maxCodeDiff' in a) return `${a.maxCodeDiff} code${a.maxCodeDiff === 1 ? '' : 's'} | ${a.mismatches} off`;
  return `${a.maxUlp.toFixed(2)} | ${a.maxAbs.toExponential(1)}`;
};
const lines = [];
const out = (s = '') => lines.push(s);
const date = new Date().toISOString().slice(0, 10);
out(`### actq benchmark, ${date}${opt.quick ? ' (--quick)' : ''}`);
out();
out(`Machine: ${os.cpus()[0]?.model} (${os.cpus().length} cores), ${os.platform()} ${os.arch()}; Node ${process.version}; single thread.`);
out(`Versions: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join('; ')}.`);
for (const [k, v] of Object.entries(unavailable)) out(`Not measured: ${k}: ${v}.`);
out();
out('Notes: every system runs single-threaded on the same inputs. actq "alloc" rows use buffers in wasm memory ' +
  '(zero-copy); "copying" rows pass plain typed arrays. tfjs rows time the op on a tensor already in wasm memory ' +
  '(its output disposed); onnxruntime-web copies input and output on every run (its only mode); LiteRT.js keeps its ' +
  'input tensor and returns a new output tensor per run. "—": the system has no single kernel for the op (tfjs has ' +
  'no silu, gelu, hard_sigmoid or hard_swish; TFLite no hard_sigmoid, silu or softplus builtin). LiteRT.js runs in ' +
  'Node through a worker-style shim (bench/peers/litert.mjs); its tensors cannot be int8, so its quantization rows ' +
  'use uint8 (scale 40/255, zero point 128) where the others use int8 (scale 20/127, zero point 0).');
out();
out(`Elements per second (median of ${config.samples} samples of ~${config.sampleMs} ms after warm-up; input uniform in [-10, 10]). ` +
  `Accuracy on 2^20 points evenly spaced over [-20, 20] against float64 (tests/reference.js): max ULP where |ref| >= 1e-3, max abs error.`);
out();
out(`| op | system | ${config.sizes.map(sizeName).join(' | ')} | max ULP | max abs |`);
out(`|---|---|${config.sizes.map(() => '--:').join('|')}|--:|--:|`);
out(`| copy | ${labels.copy} | ${config.sizes.map((n) => fmtRate(at('copy', 'copy', n))).join(' | ')} | | |`);
for (const op of ops) {
  for (const id of Object.keys(rates[op.name] ?? {})) {
    out(`| ${op.name} | ${labels[id]} | ${config.sizes.map((n) => fmtRate(at(op.name, id, n))).join(' | ')} | ${fmtAcc(accuracy[op.name]?.[id])} |`);
  }
}
out();
out(`load(): median ${loadTime.load.toFixed(1)} ms (import + load ${loadTime.importAndLoad.toFixed(1)} ms) over ${loadTime.runs} fresh processes; actq.simd.wasm ${wasmSize} B.`);
out();
out('| target | ratio | goal | vs | verdict |');
out('|---|--:|--:|---|---|');
for (const t of targets) out(`| ${t.what} | ${t.ratio.toFixed(2)} | ${t.goal} | ${t.detail} | ${t.pass ? 'pass' : 'MISS'} |`);
out();
out(`Run time ${((Date.now() - started) / 1000).toFixed(0)} s. Reproduce: \`npm run bench${opt.quick ? ' -- --quick' : ''}\`.`);
console.log(lines.join('\n'));

if (opt.json) {
  writeFileSync(opt.json, JSON.stringify({
    date: new Date().toISOString(), quick: opt.quick, config, machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version },
    versions, unavailable, labels, rates, samples: samplesOut, accuracy, load: loadTime, wasmSize, targets,
  }, null, 1));
  log(`bench: wrote ${opt.json}`);
}
