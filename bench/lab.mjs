#!/usr/bin/env node
// The lab's benchmark: training throughput (samples/s) of one MLP -- 784-64-10, sigmoid
// hidden layer, softmax cross-entropy, batch 64, plain SGD (lr 0.1, momentum 0) on the
// lab's MNIST digits -- in actq's lab, TensorFlow.js (wasm backend, XNNPACK, one thread)
// and plain JS, in one Node process; and the GFLOP/s of the lab's GEMM at the shapes that
// training runs, against XNNPACK's f32 GEMM (tfjs-wasm tf.matMul).
//
//   npm run bench:lab                  # full run (~3 min on 2 cores)
//   npm run bench:lab -- --quick       # < 1 min: fewer rounds, shorter GEMM samples
//   node bench/lab.mjs --json          # one JSON object with every number, on stdout
//
// Timing is measure.mjs's sampleRates: every system is warmed up (until two windows agree
// within 3%, at most 2 s: V8 tiers wasm and JS up in the background), then sampled in
// rounds (A, B, C, A, B, C, ...) so machine drift hits all of them alike. A training
// sample is one epoch over the same digits (2048, 32 steps; --quick 1024) -- the same work
// for every system, timed right after one untimed epoch of the same system, i.e. the
// steady state of epochs run back to back. A GEMM sample repeats one call for ~sampleMs.
// Ratios are taken per round (paired) and summarised by their median and interquartile
// range: this VM's speed swings by up to 2x within a second (noisy neighbours), so single
// rates drift between runs more than the ratios do.
import { existsSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    readme: { type: 'boolean', default: false }, // also write the tables into README.md between <!-- lab-bench --> markers
  },
});
const t0 = performance.now(); // the run time reported covers everything, install included
const log = (...a) => console.error(`[${((performance.now() - t0) / 1000).toFixed(1)} s]`, ...a);

// The peers live in bench/package.json; bench/node_modules may predate @tensorflow/tfjs
// (run.mjs only needs tfjs-core), so check for the packages this script needs.
const needed = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'];
if (!needed.every((p) => existsSync(new URL(`node_modules/${p}/package.json`, import.meta.url)))) {
  log('bench:lab: installing the peer libraries (npm install --prefix bench)');
  execFileSync('npm', ['install', '--prefix', benchDir, '--no-audit', '--no-fund'], { stdio: ['ignore', 2, 2] });
}

const { sampleRates, median, machine } = await import('./measure.mjs');
const { writeMachineBlock, sourceRevision } = await import('./readme.mjs');
const { loadData } = await import('../src/js/lab/data.js');
const { rng, shuffle } = await import('../src/js/lab/random.js');
const actqPeer = await import('./peers/lab_actq.mjs');
const tfjsPeer = await import('./peers/lab_tfjs.mjs');
const jsPeer = await import('./peers/lab_js.mjs');

const config = opt.quick
  ? { subset: 1024, rounds: 7, gemmSamples: 7, gemmSampleMs: 10 }
  : { subset: 2048, rounds: 31, gemmSamples: 15, gemmSampleMs: 40 };
const TRAIN = { sizes: [784, 64, 10], batch: 64, lr: 0.1, seed: 1 };

// ---- statistics: medians come from measure.mjs; quartiles and paired ratios here ---------

/** Linear-interpolation quantile (R type 7, numpy's default): q in [0, 1]. */
function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b), h = (s.length - 1) * q, lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
}
const summary = (values) => ({ median: median(values), q1: quantile(values, 0.25), q3: quantile(values, 0.75) });
/** Per-round ratios a[i] / b[i] of two systems sampled in the same rounds, and their summary. */
function paired(a, b) {
  const perRound = a.map((v, i) => v / b[i]);
  return { perRound, ...summary(perRound) };
}

// ---- the machine ---------------------------------------------------------------------------

const mach = machine();
log(mach.text);

// ---- systems -------------------------------------------------------------------------------

const simd = await actqPeer.labSystems({ simd: true });
const scalar = await actqPeer.labSystems({ simd: false });
const tfjs = await tfjsPeer.labSystems();
const versions = { ...tfjs.info, node: `${process.version} (V8 ${process.versions.v8})` };

// ---- 1. training throughput ------------------------------------------------------------

log(`bench:lab: loading mnist`);
const data = await loadData('mnist', { seed: 1 });
const n = Math.min(config.subset, data.train.n);
const dim = TRAIN.sizes[0];
const split = { x: data.train.x.subarray(0, n * dim), y: data.train.y.subarray(0, n), n };

// Every system starts from the lab's initial weights for the seed and takes the batches in
// the order the lab's train() uses (rng(seed) shuffle, recreated per call), so they do the
// same arithmetic: their first-epoch losses must agree (checked below).
const ref = simd.lab.mlp({ sizes: TRAIN.sizes, activation: 'sigmoid', seed: TRAIN.seed });
const init = ref.layers.map((L, l) => ({ inputs: L.inputs, outputs: L.outputs, ...ref.layer(l) }));
ref.free();
const order = shuffle(Uint32Array.from({ length: n }, (_, i) => i), rng(TRAIN.seed));

const trainers = [simd.trainer, ...tfjs.trainers, jsPeer.labTrainer(), scalar.trainer];
const trainRunners = trainers.map((t) => {
  const inner = t.prepare(split, init, { batch: TRAIN.batch, lr: TRAIN.lr, seed: TRAIN.seed, order });
  const losses = [];
  return { id: t.id, losses, run: () => { losses.push(inner.run()); }, dispose: inner.dispose };
});
log(`bench:lab: training ${trainers.map((t) => t.id).join(', ')}: ${n} samples (${Math.ceil(n / TRAIN.batch)} steps) per sample, ${config.rounds} rounds`);
const tensorsBefore = tfjs.memory().numTensors;
const trainRates = await sampleRates(trainRunners, n, { samples: config.rounds, sampleMs: 0 });
const tensorsAfter = tfjs.memory().numTensors;
for (const r of trainRunners) r.dispose();
log('bench:lab: training done');

const training = {};
trainers.forEach((t, j) => {
  training[t.id] = { label: t.label, samplesPerSecond: { perRound: trainRates[j], ...summary(trainRates[j]) }, firstEpochLoss: trainRunners[j].losses[0], epochs: trainRunners[j].losses.length };
});
const trainRatios = {};
for (const t of trainers.slice(1)) trainRatios[`actq/${t.id}`] = paired(trainRates[0], trainRates[trainers.indexOf(t)]);
const firstLosses = trainers.map((t) => training[t.id].firstEpochLoss);
const lossSpread = (Math.max(...firstLosses) - Math.min(...firstLosses)) / Math.min(...firstLosses);

// ---- 2. GEMM GFLOP/s at the lab's shapes --------------------------------------------------

// C (M x N) = A (M x K) B (K x N). The layouts the lab's dense layers really pass
// (network.js): the forward product reads W (outputs x inputs) as B^T, dW reads delta
// (rows x outputs) as A^T; dX is row-major. Each shape is timed row-major too.
const GEMMS = [
  { product: 'forward z1 = X W1^T', M: 64, N: 64, K: 784, lab: { bT: true } },
  { product: 'forward z2 = H W2^T', M: 64, N: 10, K: 64, lab: { bT: true } },
  { product: 'backward dW1 = D1^T X', M: 64, N: 784, K: 64, lab: { aT: true } },
  { product: 'backward dW2 = D2^T H', M: 10, N: 64, K: 64, lab: { aT: true } },
  { product: 'backward dH = D2 W2', M: 64, N: 64, K: 10, lab: {} },
];
const layoutName = ({ aT, bT }) => (aT ? 'A^T' : bT ? 'B^T' : 'row-major');

/** float64 reference of C = A B in the given layout, and the max error of c against it. */
function maxRelError(M, N, K, { aT, bT }, a, b, c) {
  let err = 0, scale = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (aT ? a[k * M + i] : a[i * K + k]) * (bT ? b[j * K + k] : b[k * N + j]);
      err = Math.max(err, Math.abs(c[i * N + j] - s));
      scale = Math.max(scale, Math.abs(s));
    }
  }
  return err / scale;
}

const gemm = [];
for (const g of GEMMS) {
  const { M, N, K } = g;
  const random = rng(M * 1000003 + N * 1009 + K);
  const a = Float32Array.from({ length: M * K }, () => random.uniform(-1, 1));
  const b = Float32Array.from({ length: K * N }, () => random.uniform(-1, 1));
  const layouts = [{}, ...(g.lab.aT || g.lab.bT ? [g.lab] : [])];
  // every runner of the shape in one set of rounds: actq SIMD and scalar and tfjs per layout
  const cells = [];
  for (const layout of layouts) {
    cells.push({ system: 'actq', layout, runner: simd.gemm(M, N, K, layout, a, b) });
    cells.push({ system: 'actq-scalar', layout, runner: scalar.gemm(M, N, K, layout, a, b) });
    cells.push({ system: 'tfjs', layout, runner: tfjs.gemm(M, N, K, layout, a, b) });
  }
  const errors = cells.map((cell) => { cell.runner.run(); return maxRelError(M, N, K, cell.layout, a, b, cell.runner.read()); });
  log(`bench:lab: gemm ${M}x${N}x${K} (${layouts.map(layoutName).join(', ')})`);
  const flops = 2 * M * N * K;
  const rates = await sampleRates(cells.map((c) => c.runner), flops, { samples: config.gemmSamples, sampleMs: config.gemmSampleMs });
  for (const c of cells) c.runner.dispose();
  const at = (system, layout) => cells.findIndex((c) => c.system === system && c.layout === layout);
  const xnn = rates[at('tfjs', layouts[0])]; // XNNPACK: plain tf.matMul(a, b), row-major
  for (const layout of layouts) {
    const j = at('actq', layout), s = at('actq-scalar', layout), t = at('tfjs', layout);
    gemm.push({
      product: g.product, M, N, K, layout: layoutName(layout), usedByLab: layoutName(layout) === layoutName(g.lab),
      gflops: {
        actq: summary(rates[j].map((r) => r / 1e9)),
        'actq-scalar': summary(rates[s].map((r) => r / 1e9)),
        xnnpack: summary(xnn.map((r) => r / 1e9)),
        tfjsSameLayout: summary(rates[t].map((r) => r / 1e9)),
      },
      ratio: paired(rates[j], xnn), // actq in this layout / XNNPACK row-major, per round
      maxRelError: { actq: errors[j], 'actq-scalar': errors[s], tfjs: errors[t] },
      perRound: { actq: rates[j], 'actq-scalar': rates[s], xnnpack: xnn, tfjsSameLayout: rates[t] },
    });
  }
}

// ---- targets --------------------------------------------------------------------------------

const targets = [];
const check = (what, ratio, goal, correct = true) => targets.push({ what, ratio, goal, pass: correct && ratio >= goal, correct });
check('training: actq / tfjs-wasm (tf.layers model)', trainRatios['actq/tfjs'].median, 5);
check('training: actq / tfjs-wasm (core ops)', trainRatios['actq/tfjs-ops'].median, 5);
// a GEMM passes only if its result matched the float64 reference (a wrong stride is fast)
const GEMM_TOLERANCE = 1e-4; // max |error| / max |C|: float32 sums of at most 784 products
for (const r of gemm) {
  check(`GEMM ${r.M}x${r.N}x${r.K} ${r.layout}${r.usedByLab ? ' (lab)' : ''}: actq / XNNPACK`, r.ratio.median, 0.5, r.maxRelError.actq < GEMM_TOLERANCE);
}

// ---- report -------------------------------------------------------------------------------------

const seconds = (performance.now() - t0) / 1000;
if (opt.json) {
  console.log(JSON.stringify({
    date: new Date().toISOString(), quick: opt.quick, config, train: TRAIN, machine: mach, versions,
    training: { samples: n, steps: Math.ceil(n / TRAIN.batch), systems: training, ratios: trainRatios, firstEpochLossSpread: lossSpread, tfjsTensorsLeaked: tensorsAfter - tensorsBefore },
    gemm, targets, seconds,
  }, null, 1));
} else {
  const lines = [];
  const out = (s = '') => lines.push(s);
  const f0 = (v) => Math.round(v).toLocaleString('en-US');
  const f2 = (v) => v.toFixed(2);
  const range = (s, f) => `${f(s.q1)} – ${f(s.q3)}`;
  out(`Results of ${new Date().toISOString().slice(0, 10)}${opt.quick ? ' (--quick)' : ''}, actq at ${sourceRevision()}.`);
  out(mach.text);
  out(`Versions: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join('; ')}.`);
  out();
  out(`### Training, MLP ${TRAIN.sizes.join('-')} (sigmoid, softmax cross-entropy), batch ${TRAIN.batch}, SGD lr ${TRAIN.lr}${opt.quick ? ' (--quick)' : ''}`);
  out();
  out(`A round: each system trains one epoch over the same ${n} digits (${Math.ceil(n / TRAIN.batch)} steps) from the same weights, ` +
    `batches in the same order; ${config.rounds} rounds after warm-up. Ratios are per round, then median [IQR].`);
  out();
  out('| system | samples/s (median) | IQR | actq / system (median) | IQR |');
  out('|---|--:|--:|--:|--:|');
  for (const t of trainers) {
    const s = training[t.id].samplesPerSecond, r = trainRatios[`actq/${t.id}`];
    out(`| ${t.label} | ${f0(s.median)} | ${range(s, f0)} | ${r ? f2(r.median) : '1'} | ${r ? range(r, f2) : ''} |`);
  }
  out();
  out(`First-epoch loss from the same start: ${trainers.map((t) => `${t.id} ${training[t.id].firstEpochLoss.toFixed(5)}`).join(', ')} ` +
    `(spread ${(lossSpread * 100).toPrecision(2)}%${lossSpread > 1e-3 ? ': MORE THAN 0.1%, the systems may not be doing the same work' : ''}).`);
  if (tensorsAfter !== tensorsBefore) out(`Note: tfjs tensor count grew by ${tensorsAfter - tensorsBefore} during training (a leak in the tfjs runner).`);
  out();
  out(`### GEMM GFLOP/s at the lab's shapes (C = A B, M x N x K, 2MNK flops per call)`);
  out();
  out(`Median of ${config.gemmSamples} samples of ~${config.gemmSampleMs} ms; operands in wasm memory. XNNPACK = tfjs-wasm \`tf.matMul(a, b)\` ` +
    `row-major on tensors created once (its operator, with B packed, is cached per B tensor; lab_gemm packs B on every call). ` +
    `"tfjs same layout" = \`tf.matMul(a, b, transposeA, transposeB)\` in the lab's layout, which tfjs-wasm runs outside XNNPACK ` +
    `(a scalar blocked loop: XNNPACK only without transposes), as in the gradients of tfjs training. ` +
    `Ratio = actq / XNNPACK per round, median [IQR]. (lab) marks the layout training uses.`);
  out();
  out('| product | M x N x K | layout | actq SIMD | actq scalar | XNNPACK | tfjs same layout | actq / XNNPACK | IQR |');
  out('|---|---|---|--:|--:|--:|--:|--:|--:|');
  for (const r of gemm) {
    const bad = Object.entries(r.maxRelError).filter(([, e]) => !(e < GEMM_TOLERANCE)).map(([k]) => k);
    out(`| ${r.product} | ${r.M} x ${r.N} x ${r.K} | ${r.layout}${r.usedByLab ? ' (lab)' : ''} | ${f2(r.gflops.actq.median)} | ` +
      `${f2(r.gflops['actq-scalar'].median)} | ${f2(r.gflops.xnnpack.median)} | ${r.layout === 'row-major' ? '=' : f2(r.gflops.tfjsSameLayout.median)} | ` +
      `${f2(r.ratio.median)} | ${range(r.ratio, f2)} |${bad.length ? ` WRONG RESULT: ${bad.join(', ')}` : ''}`);
  }
  out();
  out('Targets:');
  for (const t of targets) out(`${t.pass ? 'pass' : 'MISS'}: ${t.what} = ${t.ratio.toFixed(2)} (goal >= ${t.goal})${t.correct ? '' : ', WRONG RESULT'}`);
  out();
  out(`Run time ${seconds.toFixed(0)} s. Reproduce: \`npm run bench:lab${opt.quick ? ' -- --quick' : ''}\`.`);
  console.log(lines.join('\n'));
  if (opt.readme) writeReadme(lines.join('\n'));
}

/** The README's lab benchmark section is this script's output, never typed by hand: one block per machine. */
function writeReadme(text) {
  const kept = writeMachineBlock('<!-- lab-bench -->', '<!-- /lab-bench -->', mach.cpu, text.replace(/^### /gm, '#### '));
  console.error(`bench:lab: README.md updated (machines: ${kept.join('; ')})`);
}
