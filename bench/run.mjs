#!/usr/bin/env node
// actq benchmark: elements/s of actq and its peers on the same data, in one Node process,
// single-threaded, plus the accuracy of each on one grid, load() time and binary size.
//
//   npm run bench                      # full run (~8 min on 2 cores)
//   npm run bench -- --quick           # < 90 s: 64K and 1M only, shorter samples, fewer actq variants
//   npm run bench -- --readme          # also write the results into README.md (<!-- bench --> markers)
//                                      #   and the speed/accuracy picture to docs/bench.svg, docs/bench.png
//   npm run bench -- --json out.json   # also write every number (and every sample) as JSON
//   node bench/run.mjs --ops sigmoid,relu --sizes 65536
//
// Every cell is a set of systems sampled in rounds (bench/measure.mjs) together with its
// reference (the fastest peer, or a wasm memcpy of the same bytes, sampled in the same
// rounds); a cell reports the median and IQR of the per-round ratios against it.
// The peer libraries live in bench/package.json and are installed on first run.
import { existsSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    readme: { type: 'boolean', default: false },
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
const { sampleRates, loadTimes, median, pairedRatio, machine } = await import('./measure.mjs');
const { speedAccuracySvg, svgToPng } = await import('./plot.mjs');
const { writeMachineBlock, machineSlug, sourceRevision } = await import('./readme.mjs');

const K = 1024, M = K * K;
const config = opt.quick
  ? { sizes: [64 * K, M], samples: 7, sampleMs: 6, warmupMs: [50, 300], loadRuns: 5 }
  : { sizes: [4 * K, 64 * K, M, 16 * M], samples: 11, sampleMs: 25, warmupMs: [200, 1500], loadRuns: 11 };
if (opt.sizes) config.sizes = opt.sizes.split(',').map(Number);
const sizeName = (n) => (n >= M ? `${n / M}M` : n >= K ? `${n / K}K` : `${n}`);
const log = (...a) => console.error(...a);
const mach = machine();
log(mach.text);

// ---- the systems ----------------------------------------------------------------------

const PEERS = ['tfjs', 'ort', 'litert'];
const QUICK_SKIP = new Set(['actq-inplace', 'actq-scalar', 'actq-scalar-q']); // no target reads them
const versions = {}, unavailable = {}, peerState = {};
const systems = [];
let copySystem = null;
for (const name of ['actq', 'js', ...PEERS]) {
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
versions.node = `${process.version} (V8 ${process.versions.v8})`;
const quant = await quantSystems(peerState);
if (!quant.available) log(`bench: quantization rows skipped: ${quant.reason}`);
const keepSystem = (s) => {
  if (opt.quick && QUICK_SKIP.has(s.id)) return false;
  if (!opt.systems) return true; // e.g. --systems actq,tfjs (a prefix keeps its variants: actq-copying, ...)
  return opt.systems.split(',').some((k) => s.id === k || s.id.startsWith(`${k}-`));
};
systems.splice(0, systems.length, ...systems.filter(keepSystem));
if (quant.available) quant.list = quant.list.filter(keepSystem);

let ops = [...FLOAT_OPS, ...(quant.available ? QUANT_OPS : [])];
if (opt.ops) ops = ops.filter((o) => opt.ops.split(',').includes(o.name));

// ---- measure ----------------------------------------------------------------------------

const started = Date.now();
const samples = {}; // samples[op][system][size] = per-round rates (elements/s), round r of all systems together
const accuracy = {}; // accuracy[op][system] = { maxUlp, maxAbs } | { maxCodeDiff, mismatches }
const labels = Object.fromEntries(systems.map((s) => [s.id, s.label]));
labels.copy = copySystem.label;

for (const op of ops) {
  const isQuant = op.kind === 'quant';
  const list = isQuant ? quant.list.filter((s) => s.supports(op.name)) : systems.filter((s) => s.supports(op.name));
  for (const s of list) labels[s.id] = s.label;
  for (const n of config.sizes) {
    log(`bench: ${op.name} ${sizeName(n)} (${list.map((s) => s.id).join(', ')}, copy)`);
    const x = timingInput(n);
    const runners = [];
    for (const s of list) runners.push(await s.prepare(op.name, x));
    runners.push(copySystem.prepare(x)); // the memcpy reference, in the same rounds
    const all = await sampleRates(runners, n, config);
    [...list, copySystem].forEach((s, j) => { ((samples[op.name] ??= {})[s.id] ??= {})[n] = all[j]; });
    for (const r of runners) await r.dispose();
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

// ---- references and targets --------------------------------------------------------------

const rate = (op, sys, n) => { const s = samples[op]?.[sys]?.[n]; return s ? median(s) : undefined; };
const ratio = (op, a, b, n) => pairedRatio(samples[op]?.[a]?.[n], samples[op]?.[b]?.[n]);
const peerIds = (op) => Object.keys(samples[op] ?? {}).filter((id) => PEERS.includes(id.replace(/-q$/, '')));
/** the fastest peer of a cell, by median rate */
function fastestPeer(op, n) {
  let best = null;
  for (const p of peerIds(op)) if (rate(op, p, n) && (!best || rate(op, p, n) > rate(op, best, n))) best = p;
  return best;
}
const opKind = Object.fromEntries(ops.map((o) => [o.name, o.kind]));
/** the reference of a cell: memcpy for piecewise and (de)quantization ops, else the fastest peer */
const referenceOf = (op, n) =>
  opKind[op] === 'piecewise' || (opKind[op] === 'quant' && op !== 'lut_sigmoid') ? 'copy' : fastestPeer(op, n) ?? 'copy';
/** the accuracy to match: the reference peer's (the fastest: "ahead of XNNPACK at equal accuracy") */
const peerAccuracy = (op, peer) => (accuracy[op]?.[peer] && 'maxUlp' in accuracy[op][peer] ? accuracy[op][peer] : null);
const SIZE_BUDGET = 80 * 1024; // bytes of actq.simd.wasm (was 64 KiB before the fast tiers: README, Benchmark)

const targets = [];
const fmtR = (r) => (r ? `${r.median.toFixed(2)}` : '—');
function check(what, r, goal, vs) {
  if (!r) return;
  targets.push({ what, ratio: r.median, q1: r.q1, q3: r.q3, goal, vs, pass: r.median >= goal });
}
const TIERS = { actq: 'precise', 'actq-balanced': 'balanced', 'actq-fast': 'fast' }; // system -> tier
for (const op of ops) {
  for (const n of config.sizes.filter((s) => s === 64 * K || s === M)) {
    const sn = sizeName(n), kind = opKind[op.name], ref = referenceOf(op.name, n);
    if (kind === 'quant') {
      if (op.name === 'lut_sigmoid') check(`lut_sigmoid ${sn}: actq / fastest peer`, ratio(op.name, 'actq-q', ref, n), 1.2, ref);
      else check(`${op.name} ${sn}: actq / wasm memcpy`, ratio(op.name, 'actq-q', 'copy', n), 0.6, 'copy');
      if (op.name === 'lut_sigmoid' && n === M) check('lut_sigmoid 1M: copying API / zero-copy', ratio(op.name, 'actq-simd-q', 'actq-q', n), 0.8, 'actq');
      continue;
    }
    if (!samples[op.name]?.actq) continue;
    if (kind === 'transcendental' && ref !== 'copy') {
      check(`${op.name} ${sn}: precise (default) / fastest peer`, ratio(op.name, 'actq', ref, n), 1.25, ref);
      const best = peerAccuracy(op.name, ref);
      // the fastest actq tier at least as accurate as that peer (max ULP and max abs)
      const eq = Object.keys(TIERS).filter((t) => samples[op.name][t] && accuracy[op.name]?.[t] && best &&
        accuracy[op.name][t].maxUlp <= best.maxUlp && accuracy[op.name][t].maxAbs <= best.maxAbs)
        .map((t) => ({ t, r: ratio(op.name, t, ref, n) })).sort((a, b) => b.r.median - a.r.median)[0];
      const acc = (a) => `${a.maxUlp.toFixed(2)} ULP, ${a.maxAbs.toExponential(1)}`;
      if (eq) check(`${op.name} ${sn}: ${TIERS[eq.t]} tier, as accurate as ${ref} (${acc(best)}) / ${ref}`, eq.r, 1.25, ref);
      else if (best) {
        targets.push({ what: `${op.name} ${sn}: no tier as accurate as ${ref} (${acc(best)}; precise ${acc(accuracy[op.name].actq)})`, ratio: NaN, goal: 1.25, vs: ref, pass: false });
      }
      if (samples[op.name]['actq-fast']) check(`${op.name} ${sn}: fast tier / fastest peer`, ratio(op.name, 'actq-fast', ref, n), 2, ref);
    }
    if (kind === 'piecewise') {
      const fast = samples[op.name]['actq-fast'] ? 'actq-fast' : 'actq';
      if (op.name === 'relu') check(`relu ${sn}: actq / wasm memcpy`, ratio('relu', 'actq', 'copy', n), 0.85, 'copy');
      else check(`${op.name} ${sn}: ${fast === 'actq' ? 'precise (exact)' : 'fast tier'} / wasm memcpy`, ratio(op.name, fast, 'copy', n), n === M ? 0.85 : 0.6, 'copy');
      if (op.name === 'relu') {
        const xnn = ['litert', 'tfjs'].filter((p) => rate('relu', p, n)).sort((a, b) => rate('relu', b, n) - rate('relu', a, n))[0];
        if (xnn) check(`relu ${sn}: actq / XNNPACK relu`, ratio('relu', 'actq', xnn, n), 1.0, xnn);
      }
    }
    if (n === M && samples[op.name]['actq-copying']) {
      check(`${op.name} 1M: copying API / zero-copy`, ratio(op.name, 'actq-copying', 'actq', n), kind === 'piecewise' ? 0.5 : 0.8, 'actq');
    }
  }
}
targets.push({ what: 'load() median: 20 ms / measured', ratio: 20 / loadTime.load, goal: 1, vs: `${loadTime.load.toFixed(1)} ms`, pass: loadTime.load <= 20 });
targets.push({ what: `SIMD .wasm size: ${SIZE_BUDGET / 1024} KiB / measured`, ratio: SIZE_BUDGET / wasmSize, goal: 1, vs: `${wasmSize.toLocaleString('en-US')} B`, pass: wasmSize <= SIZE_BUDGET });

// ---- report --------------------------------------------------------------------------------

const fmtRate = (r) => (r === undefined ? '—' : r >= 1e9 ? (r / 1e9).toFixed(2) + ' G' : (r / 1e6).toPrecision(3) + ' M');
const fmtAcc = (a) => {
  if (!a) return '— | —';
  if ('maxCodeDiff' in a) return `${a.maxCodeDiff} code${a.maxCodeDiff === 1 ? '' : 's'} | ${a.mismatches} off`;
  return `${a.maxUlp.toFixed(2)} | ${a.maxAbs.toExponential(1)}`;
};
const fmtIqr = (t) => (Number.isFinite(t.q1) ? `${t.q1.toFixed(2)} – ${t.q3.toFixed(2)}` : '');
const shortRef = (id) => (id === 'copy' ? 'memcpy' : id.replace(/-q$/, ''));
const lines = [];
const out = (s = '') => lines.push(s);
const date = new Date().toISOString().slice(0, 10);
const runSeconds = () => ((Date.now() - started) / 1000).toFixed(0);
out(`### ${mach.cpu}: results of ${date}${opt.quick ? ' (--quick)' : ''}, actq at ${sourceRevision()}`);
out();
out(mach.text);
out(`Versions: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join('; ')}.`);
for (const [k, v] of Object.entries(unavailable)) out(`Not measured: ${k}: ${v}.`);
out(`load(): median ${loadTime.load.toFixed(1)} ms (import + load ${loadTime.importAndLoad.toFixed(1)} ms) over ${loadTime.runs} fresh processes; actq.simd.wasm ${wasmSize.toLocaleString('en-US')} B.`);
out();
out(`A cell: ${config.samples} rounds; in each round every system of the cell and a wasm memcpy of the same bytes run one sample ` +
  `of ~${config.sampleMs} ms (after warm-up), in turn. Ratio = system / reference in the same round; the tables give the median ` +
  'of those per-round ratios and their interquartile range. Reference: the fastest peer of the cell (by median rate) for the ' +
  'smooth activations and the LUT, memcpy for the piecewise-linear ones and (de)quantization.');
out();
out('| target | ratio (median) | IQR | goal | vs | verdict |');
out('|---|--:|--:|--:|---|---|');
for (const t of targets) out(`| ${t.what} | ${Number.isFinite(t.ratio) ? t.ratio.toFixed(2) : '—'} | ${fmtIqr(t)} | ${t.goal} | ${t.vs} | ${t.pass ? 'pass' : 'MISS'} |`);
out();
if (opt.readme) {
  out(`![speed against accuracy, per op: Gelem/s at 1M elements against max abs error over [-20, 20], ${mach.cpu}](${plotFile('png')})`);
  out();
}
out('<details><summary>Every system and size: elements/s (median), ratio to the reference (median [IQR] of per-round ratios), accuracy</summary>');
out();
out(`Accuracy on 2^20 points evenly spaced over [-20, 20] against float64 (tests/reference.js): max ULP where |ref| >= 1e-3, ` +
  'max abs error; for codes, the largest code difference and how many differ. Input for timing: uniform in [-10, 10].');
out();
out(`| op | system | ${config.sizes.map(sizeName).join(' | ')} | max ULP | max abs |`);
out(`|---|---|${config.sizes.map(() => '--:').join('|')}|--:|--:|`);
const cell = (op, id, n) => {
  const ref = referenceOf(op, n), r = rate(op, id, n);
  if (r === undefined) return '—';
  if (id === ref) return `${fmtRate(r)} (ref)`;
  const q = ratio(op, id, ref, n);
  return `${fmtRate(r)} · ${q.median.toFixed(2)} [${q.q1.toFixed(2)}–${q.q3.toFixed(2)}] ${shortRef(ref)}`;
};
for (const op of ops) {
  for (const id of Object.keys(samples[op.name] ?? {})) {
    out(`| ${op.name} | ${labels[id]} | ${config.sizes.map((n) => cell(op.name, id, n)).join(' | ')} | ${id === 'copy' ? ' | ' : fmtAcc(accuracy[op.name]?.[id])} |`);
  }
}
out();
out('</details>');
out();
out(`Run time ${runSeconds()} s. Reproduce: \`npm run bench${opt.quick ? ' -- --quick' : ''}\`.`);
console.log(lines.join('\n'));

// ---- the picture: speed against accuracy per op ------------------------------------------------

const plotSize = config.sizes.includes(M) ? M : config.sizes[config.sizes.length - 1];
const panels = ops.filter((o) => o.kind !== 'quant' || o.name === 'dequantize').map((o) => ({
  op: o.name,
  points: Object.keys(samples[o.name] ?? {}).filter((id) => id !== 'copy' && accuracy[o.name]?.[id] && 'maxAbs' in accuracy[o.name][id])
    .map((id) => {
      // the quantization rows' systems drawn as their float counterparts (one legend entry each)
      const as = id === 'actq-q' ? 'actq' : id === 'actq-simd-q' ? 'actq-copying' : id.replace(/-q$/, '');
      return { id: as, label: labels[as] ?? labels[id], rate: rate(o.name, id, plotSize), maxAbs: accuracy[o.name][id].maxAbs };
    }),
  copy: rate(o.name, 'copy', plotSize),
}));
const svg = speedAccuracySvg(panels, { title: `Speed against accuracy at ${sizeName(plotSize)} elements`, subtitle: mach.text });
if (opt.readme) {
  mkdirSync(new URL('../docs/', import.meta.url), { recursive: true });
  writeFileSync(new URL(`../${plotFile('svg')}`, import.meta.url), svg);
  try {
    await svgToPng(svg, fileURLToPath(new URL(`../${plotFile('png')}`, import.meta.url)));
  } catch (e) { log(`bench: no PNG (${String(e?.message ?? e).split('\n')[0]})`); }
  const kept = writeMachineBlock('<!-- bench -->', '<!-- /bench -->', mach.cpu, lines.join('\n'));
  log(`bench: README.md updated (machines: ${kept.join('; ')}) and ${plotFile('svg')}, ${plotFile('png')}`);
}

if (opt.json) {
  writeFileSync(opt.json, JSON.stringify({
    date: new Date().toISOString(), quick: opt.quick, config, machine: mach,
    versions, unavailable, labels, samples, accuracy, load: loadTime, wasmSize, targets,
  }, null, 1));
  log(`bench: wrote ${opt.json}`);
}
log(`bench: ${runSeconds()} s`);

/** docs/bench-<machine>.svg / .png: one picture per machine, as the README keeps one block per machine */
function plotFile(ext) { return `docs/bench-${machineSlug(mach.cpu)}.${ext}`; }
