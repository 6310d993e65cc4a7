// The lab page's worker (a module worker): runs actq/lab's compare() -- the same call the
// CLI `actq lab` makes -- and the "why" figures, off the main thread, so the page never
// blocks while a network trains. The page sends settings and draws what comes back; every
// number is computed here, by the package.
//
// Import maps do not apply inside workers, so the package is imported by the URL where
// scripts/serve.mjs serves src/js/ (/actq/), not by its name 'actq/lab'.
//
// Protocol (one message at a time; a run keeps the worker busy until it ends):
//   page -> worker                                worker -> page
//   (at start)                                    { type: 'ready', meta }
//   { type: 'run', id, options, stop }            { type: 'progress', id, event, done, total }  (throttled)
//                                                 { type: 'row', id, row, index }
//                                                 { type: 'reply', id, value: summary }
//   { type: 'why', id, index }                    { type: 'reply', id, value: figures }
//   { type: 'load', id, json, settings }          { type: 'reply', id, value: summary }
//   { type: 'header', id, index, source }         { type: 'reply', id, value: C header text }
//   { type: 'network', id }                       { type: 'reply', id, value: network JSON text }
//   any failure                                   { type: 'error', id, name, message }
// `stop` is an Int32Array over a SharedArrayBuffer (or null when the page is not
// cross-origin isolated): a synchronous run cannot read a message until it ends, but it can
// read shared memory, so onProgress checks the flag at every step and returns false, and
// compare() resolves with the rows so far and stopped: true.
import {
  loadLab, COMPARE_DEFAULTS, DATASETS, OPTIMIZERS, DEFAULTS, compareOptions, parseActivation,
  decisionMap, confusionMatrix, newlyWrong, histogram, integerActivation,
  integerNetworkToC, integerNetworkFromJSON, integerNetworkToJSON,
} from '/actq/lab/index.js';
import { VERSION } from '/actq/index.js';

const PROGRESS_EVERY_MS = 100; // step events are forwarded at most this often (epoch events always)
const MAP_RESOLUTION = 96;
const CURVE_POINTS = 400;
const HISTOGRAM_BINS = 64;
const MAX_DIGITS = 24;

const lab = await loadLab().catch((e) => {
  postMessage({ type: 'error', id: null, name: e.name, message: `cannot load actq/lab: ${e.message}` });
  throw e;
});
const { aq } = lab;

/** The network the figures are about: the last run (or loaded network) and what it needs. */
let current = null;

function release() {
  if (!current) return;
  current.float?.free();
  for (const net of current.swaps.values()) net.free();
  current = null;
}

/** Row bookkeeping shared by a run and a loaded network: which deploy entry each row belongs to. */
function session(extra) {
  return { rows: [], integer: [], deployOf: [], swaps: new Map(), ints: new Map(), float: null, ...extra };
}

const dataOptions = (o) => ({ seed: o.seed, ...o.dataOptions });

async function run({ id, options, stop }) {
  release();
  const o = compareOptions(options); // checked before anything runs (RangeError / TypeError)
  const s = session({ options: o, deploy: o.deploy.map(parseActivation) });
  let done = 0, total = 1, lastPost = 0, k = -1;
  // the split compare() would load from o.data and o.dataOptions, loaded here once so that the
  // figures use the very arrays the run used (and Stop does not wait for a second load)
  s.data = await lab.data(o.data, dataOptions(o));
  const t0 = performance.now();
  const result = await lab.compare({
    ...o,
    data: s.data,
    onProgress(e) {
      if (e.type === 'step') done++;
      if (e.phase === 'train' && e.type === 'step' && e.epoch === 1 && e.step === 1) {
        total = e.steps * (o.epochs + o.deploy.length * o.bits.length * o.qatEpochs); // as the CLI counts
      }
      const now = performance.now();
      if (e.type === 'epoch' || now - lastPost >= PROGRESS_EVERY_MS || e.step === e.steps) {
        lastPost = now;
        postMessage({ type: 'progress', id, event: e, done, total });
      }
      if (stop && Atomics.load(stop, 0) !== 0) return false;
      return undefined;
    },
    onRow(row, index) {
      if (row.stage === 'swap') k++;
      s.deployOf[index] = row.stage === 'float' ? -1 : k;
      postMessage({ type: 'row', id, row, index });
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  s.rows = result.rows;
  s.integer = result.integer;
  s.network = result.network;
  s.float = lab.fromJSON(result.network);
  current = s;
  const { data, layers, trainSamplesPerSecond, rows, stopped } = result;
  return { data, layers, trainSamplesPerSecond, rows, stopped, seconds, options: { ...result.options, dataOptions: o.dataOptions }, network: describeNet(s.float) };
}

const describeNet = (net) => ({ sizes: [...net.sizes], activation: { name: net.activation.name, preset: net.activation.preset, params: { ...net.activation.params } } });

/** A saved network (toJSON form): its float accuracy, every deploy entry swapped in and
 *  quantized (PTQ) at every width, on the data the page's settings describe. No training, so
 *  no QAT rows. */
async function loadNetwork({ json, settings }) {
  const o = compareOptions({ ...settings, qatEpochs: 0 });
  const net = lab.fromJSON(json);
  let data;
  try {
    data = await lab.data(o.data, dataOptions(o));
    if (net.inputs !== data.dim || net.classes !== data.classes) {
      throw new RangeError(`this network takes ${net.inputs} inputs and has ${net.classes} classes; ` +
        `the data set ${o.data} has ${data.dim} inputs and ${data.classes} classes -- pick the data set it was trained on`);
    }
  } catch (e) {
    net.free();
    throw e;
  }
  release();
  const s = session({ options: o, deploy: o.deploy.map(parseActivation), data, float: net, network: net.toJSON() });
  current = s;
  const add = (row, k, int = null) => {
    s.rows.push(row);
    s.integer.push(int ? integerNetworkToJSON(int.spec) : null);
    s.deployOf.push(k);
  };
  const metrics = (a, stage, bits, m) => ({ activation: a.name, preset: a.preset, stage, bits, accuracy: m.accuracy, loss: m.loss });
  add(metrics(net.activation, 'float', null, net.evaluate(data.test)), -1);
  s.deploy.forEach((d, k) => {
    const swap = net.withActivation(d.name, d.params);
    s.swaps.set(k, swap);
    add(metrics(swap.activation, 'swap', null, swap.evaluate(data.test)), k);
    for (const bits of o.bits) {
      const q = lab.quantize(swap, data.train, { bits });
      add(metrics(swap.activation, 'ptq', bits, q.evaluate(data.test)), k, q);
    }
  });
  return {
    data: { name: data.name, train: data.train.n, test: data.test.n, dim: data.dim, classes: data.classes },
    layers: [...net.sizes], trainSamplesPerSecond: null, rows: s.rows, stopped: false, seconds: 0,
    options: { ...o, onProgress: undefined, onRow: undefined }, network: describeNet(net), loaded: true,
  };
}

function need() {
  if (!current) throw new Error('no network yet: train one (or load one) first');
  return current;
}

/** The network that row `index` deploys: the float net, a swapped float net or an integer net. */
function modelOf(s, index) {
  const row = index === null ? null : s.rows[index];
  if (!row || row.stage === 'float') return { model: s.float, act: s.float.activation, kind: 'float' };
  const k = s.deployOf[index], d = s.deploy[k];
  if (row.stage === 'swap') {
    if (!s.swaps.has(k)) s.swaps.set(k, s.float.withActivation(d.name, d.params));
    return { model: s.swaps.get(k), act: s.swaps.get(k).activation, kind: 'swap' };
  }
  if (!s.ints.has(index)) s.ints.set(index, lab.integerFromJSON(s.integer[index]));
  const model = s.ints.get(index);
  return { model, act: model.spec.activation, kind: 'integer' };
}

const predict = (model, x) => model.predict(x); // float Mlp and IntegerNetwork alike

/** The figures for row `index` (null: the float network alone). */
function why({ index }) {
  const s = need();
  const { data } = s;
  const row = index === null ? null : s.rows[index];
  const { model, act, kind } = modelOf(s, index);
  const trained = s.float.activation;
  const transfer = [];
  const keep = (a) => { transfer.push(a.buffer); return a; };

  // where the units live: first hidden layer pre-activations of the float net on the test set
  const pre = s.float.hiddenPreActivations(data.test.x, 0);
  const hist = histogram(pre, { bins: HISTOGRAM_BINS });
  const xs = Float32Array.from({ length: CURVE_POINTS }, (_, i) => hist.lo + ((hist.hi - hist.lo) * i) / (CURVE_POINTS - 1));
  const trainedParams = { ...trained.params };
  const deployedParams = { ...act.params };
  const curves = {
    x: keep(xs),
    trained: keep(aq.forward(trained.name, xs, trainedParams)),
    deployed: kind === 'float' ? null : keep(aq.forward(act.name, xs, deployedParams)),
    integer: null,
  };
  const units = { count: pre.length, width: s.float.sizes[1] };
  const trainedOnUnits = aq.forward(trained.name, pre, trainedParams);
  if (kind !== 'float') {
    const deployedOnUnits = aq.forward(act.name, pre, deployedParams);
    units.swapError = aq.error(trainedOnUnits, deployedOnUnits);
    const slope = aq.derivative(act.name, pre, deployedParams);
    let flat = 0;
    for (let i = 0; i < slope.length; i++) if (slope[i] === 0) flat++;
    units.flat = flat / slope.length;
  }
  if (kind === 'integer') {
    const spec = model.spec;
    const ia = integerActivation(aq, spec, 0);
    curves.integer = { x: keep(ia.x), y: keep(ia.y) };
    // the deployed table applied to the float net's pre-activations: input code -> LUT -> output
    const L = spec.layers[0];
    const codes = aq.quantize(pre, L.output);
    const out = Uint8Array.from(codes, (q) => L.lut[q & 255]);
    units.tableError = aq.error(trainedOnUnits, aq.dequantize(out, L.activationOutput));
    let clipped = 0;
    for (let i = 0; i < codes.length; i++) if (codes[i] === -128 || codes[i] === 127) clipped++;
    units.clipped = clipped / codes.length;
    units.bits = spec.bits;
  }

  const labels = data.test.y;
  const floatPred = predict(s.float, data.test.x);
  const pred = kind === 'float' ? floatPred : predict(model, data.test.x);
  const wrong = newlyWrong(floatPred, pred, labels);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) correct++;
  const figures = {
    index, row, kind, data: data.name, classes: data.classes, test: labels.length, correct,
    activation: { trained: { name: trained.name, preset: trained.preset }, deployed: { name: act.name, preset: act.preset } },
    histogram: { lo: hist.lo, hi: hist.hi, width: hist.width, counts: keep(hist.counts) },
    curves, units, newlyWrong: wrong.length,
  };
  if (data.dim === 2) {
    const [lo, hi] = data.inputRange, pad = 0.08 * (hi - lo);
    const box = { x: [lo - pad, hi + pad], y: [lo - pad, hi + pad], resolution: MAP_RESOLUTION };
    const map = (m) => {
      const r = decisionMap(m, box);
      return { ...r, class: keep(r.class), confidence: keep(r.confidence) };
    };
    figures.maps = { float: map(s.float), deployed: kind === 'float' ? null : map(model) };
    figures.points = { x: keep(Float32Array.from(data.test.x)), y: keep(Int32Array.from(labels)), predicted: keep(Int32Array.from(pred)) };
    figures.wrong = keep(Int32Array.from(wrong));
  } else {
    const side = Math.round(Math.sqrt(data.dim));
    figures.digits = wrong.slice(0, MAX_DIGITS).map((i) => ({
      index: i, label: labels[i], predicted: pred[i], float: floatPred[i],
      pixels: keep(Uint8Array.from(data.test.x.subarray(i * data.dim, (i + 1) * data.dim), (v) => Math.round(v * 255))),
    }));
    figures.side = side;
    figures.confusion = keep(confusionMatrix(pred, labels, data.classes));
  }
  return { value: figures, transfer };
}

function header({ index, source }) {
  const s = need();
  const json = s.integer[index];
  if (!json) throw new RangeError('only PTQ and QAT rows have an integer network');
  // the CLI's --export-c: integerNetworkToC(integerNetworkFromJSON(json), { name: 'actq_net', version, source })
  return integerNetworkToC(integerNetworkFromJSON(json), { name: 'actq_net', version: VERSION, source });
}

const HANDLERS = {
  run,
  load: loadNetwork,
  why,
  header,
  network: () => `${JSON.stringify(need().network)}\n`,
};

// Messages are handled strictly in order, each after the previous one finished.
let queue = Promise.resolve();
addEventListener('message', ({ data: msg }) => {
  queue = queue.then(async () => {
    try {
      const out = await HANDLERS[msg.type](msg);
      const { value, transfer } = out && typeof out === 'object' && 'transfer' in out ? out : { value: out, transfer: [] };
      postMessage({ type: 'reply', id: msg.id, value }, transfer);
    } catch (e) {
      postMessage({ type: 'error', id: msg.id, name: e?.name ?? 'Error', message: e?.message ?? String(e) });
    }
  });
});

// what the page builds its controls from (besides the activation registry of 'actq')
const noise = {};
for (const name of DATASETS) if (name !== 'mnist') noise[name] = (await lab.data(name, { samples: 2 })).noise;
postMessage({
  type: 'ready',
  meta: {
    simd: lab.simd, version: VERSION, crossOriginIsolated: self.crossOriginIsolated === true,
    datasets: DATASETS, optimizers: OPTIMIZERS, defaults: { ...COMPARE_DEFAULTS },
    lr: Object.fromEntries(OPTIMIZERS.map((o) => [o, DEFAULTS[o].lr])), noise,
  },
});
