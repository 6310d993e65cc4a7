// The lab page: settings in, a run in the worker (worker.js: actq/lab's compare(), the CLI's
// call), and what comes back drawn -- live curves, the table, the Why figures, exports. The
// page computes no number itself: it formats and draws what the worker sends.

import { load } from 'actq';
import { readTheme, onThemeChange } from '../theme.js';
import { labWorker } from './client.js';
import { settingsPanel } from './panel.js';
import { fromQuery, toQuery, compareSettings, activationLabel, makeActivation, lrOf } from './settings.js';
import { labArgs, headerCommand, shellLine, HEADER_FILE } from './command.js';
import { resultsTable, deltaText } from './table.js';
import { trainingCharts, unitsChart } from './charts.js';
import { drawMap, drawEmpty, drawDigit, drawConfusion } from './draw.js';

const $ = (id) => document.getElementById(id);

/** Saves text as a file (a Blob URL: nothing leaves the machine). */
function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
const status = (text) => { $('status').textContent = text; };
const setState = (s) => { document.body.dataset.state = s; };
setState('loading');

// ---- start: the registry (main thread) and the worker (the lab itself) ------------------------

let aq;
try {
  aq = await load(); // the activation registry: names, parameters, presets
} catch (err) {
  $('build').textContent = 'not loaded';
  status(`Cannot load actq: ${err.message}. \`npm start\` builds the wasm before serving.`);
  throw err;
}

let meta = null;
const ready = new Promise((resolve, reject) => {
  const worker = labWorker({
    onReady: (m) => {
      if (!meta) {
        meta = m;
        resolve(worker);
      }
    },
    onCrash: (e) => {
      status(`The lab worker failed: ${e.message}`);
      reject(e);
    },
  });
});
const worker = await ready;
$('build').textContent = `${meta.simd ? 'SIMD' : 'scalar'} build, actq ${meta.version}`;

const parsed = fromQuery(aq, meta, location.search);
const settings = parsed.settings;
if (parsed.problems.length) status(`Link: ${parsed.problems.join('; ')}`);

const panel = settingsPanel(aq, meta, { settings: () => settings, changed: settingsChanged });

let theme = labTheme();
const curves = trainingCharts($('chart-loss'), $('chart-acc'));
const units = unitsChart($('chart-units'));
curves.applyTheme(theme);
onThemeChange(() => {
  theme = labTheme();
  curves.applyTheme(theme);
  if (figures) drawWhy(figures);
});

function labTheme() {
  const css = getComputedStyle(document.documentElement);
  const v = (name) => css.getPropertyValue(name).trim();
  return { ...readTheme(), panel: v('--panel'), border: v('--border'), problem: v('--problem') };
}

// ---- settings -> URL and the command line -------------------------------------------------------

let urlTimer = 0;
function settingsChanged() {
  clearTimeout(urlTimer);
  urlTimer = setTimeout(() => {
    const q = toQuery(aq, settings);
    if (q !== location.search) history.replaceState(null, '', q);
  }, 150);
  showCommand();
}

function showCommand() {
  const { args, reason } = labArgs(aq, meta, settings);
  $('cli-command').textContent = args ? shellLine(args) : `(none: ${reason})`;
}
showCommand();

// ---- a run --------------------------------------------------------------------------------------

const table = resultsTable($('results'), { onSelect: (i) => selectRow(i) });
/** The last run (or loaded network): its settings snapshot, summary and rows. */
let run = null;
let figures = null;
let whyToken = 0;

const percent = (a) => `${(100 * a).toFixed(2)}%`;
const fmtSeconds = (s) => (s < 10 ? s.toFixed(1) : s.toFixed(0));

// While the worker trains, the page's own work is kept small (on a 2-core machine it shares
// the CPU with the worker): progress messages arrive at most every 100 ms, the progress line
// is written once per animation frame and the curves are redrawn at most every 400 ms.
const CURVES_EVERY_MS = 400;
let latest = null, frameScheduled = false, curvesAt = 0, curvesTimer = 0;
function scheduleProgress(m, elapsed) {
  latest = { m, elapsed };
  if (frameScheduled) return;
  frameScheduled = true;
  requestAnimationFrame(() => {
    frameScheduled = false;
    if (latest) progress(latest.m, latest.elapsed);
  });
}
function scheduleCurves() {
  if (curvesTimer) return;
  const wait = Math.max(0, curvesAt + CURVES_EVERY_MS - performance.now());
  curvesTimer = setTimeout(() => {
    curvesTimer = 0;
    curvesAt = performance.now();
    requestAnimationFrame(() => curves.draw());
  }, wait);
}

function deployLabels(s) {
  return s.deploy.map((a) => activationLabel(aq, a));
}

$('train').addEventListener('click', () => train());
$('stop').addEventListener('click', () => {
  if (!worker.busy) return;
  $('stop').disabled = true;
  $('progress-text').textContent = 'Stopping at the next step…';
  worker.stop();
});

async function train() {
  if (worker.busy) return;
  const snapshot = structuredClone(settings);
  const options = compareSettings(aq, meta, snapshot);
  run = { settings: snapshot, options, summary: null, rows: [], loaded: false };
  table.start(options, deployLabels(snapshot), activationLabel(aq, snapshot.train));
  curves.reset();
  // the previous figures stay (dimmed) until the new ones arrive: hiding them would re-lay out
  // the whole page while the worker starts
  if (figures) {
    document.querySelector('.why').classList.add('stale');
    $('why-head').textContent = 'Training… the figures below are the previous run\'s until a cell of the new table is selected.';
  } else setWhy(null);
  figures = null;
  setExports();
  $('train').disabled = true;
  $('stop').disabled = false;
  $('progress').value = 0;
  $('progress-text').textContent = 'Starting…';
  status('');
  setState('running');
  const started = performance.now();
  try {
    const summary = await worker.run(options, {
      onProgress: (m) => {
        scheduleProgress(m, (performance.now() - started) / 1000);
        curves.push(m);
        scheduleCurves();
      },
      onRow: (row, index) => {
        run.rows[index] = row;
        table.fill(row, index);
      },
    });
    run.summary = summary;
    if (summary.rows) summary.rows.forEach((r, i) => { if (!run.rows[i]) { run.rows[i] = r; table.fill(r, i); } });
    finishRun(summary, (performance.now() - started) / 1000);
  } catch (err) {
    status(`The run failed: ${err.message}`);
    $('progress-text').textContent = 'Failed.';
    table.finish(false);
    setState('error');
  } finally {
    latest = null;
    curves.draw();
    $('train').disabled = false;
    $('stop').disabled = true;
  }
}

function progress({ event: e, done, total }, elapsed) {
  const frac = Math.min(1, done / total);
  $('progress').value = frac;
  const what = e.phase === 'train' ? `Training ${e.activation}${e.preset ? `:${e.preset}` : ''}`
    : `QAT ${e.activation}${e.preset ? `:${e.preset}` : ''} ${e.bits}-bit`;
  const step = e.type === 'step' ? ` · step ${e.step}/${e.steps}` : '';
  const left = frac > 0 && frac < 1 ? ` · ~${fmtSeconds(elapsed * (1 / frac - 1))} s left` : '';
  $('progress-text').textContent = `${what} · epoch ${e.epoch}/${e.epochs}${step} · loss ${e.loss.toFixed(3)} · ` +
    `${Math.round(100 * frac)}% · ${fmtSeconds(elapsed)} s${left}`;
}

function finishRun(summary, wall) {
  document.body.dataset.runs = String((Number(document.body.dataset.runs) || 0) + 1);
  table.finish(summary.stopped);
  const rows = run.rows.filter(Boolean);
  $('progress').value = summary.stopped ? $('progress').value : 1;
  if (summary.terminated) {
    $('progress-text').textContent = `Stopped: the worker was ended; ${rows.length} rows were measured before.`;
    status('Stopped by ending the worker (this page is not cross-origin isolated): the rows so far are kept, the network is gone.');
    setState('stopped');
    setExports();
    return;
  }
  const trained = summary.trainSamplesPerSecond;
  window.__labRun = { seconds: summary.seconds, wall, stopped: summary.stopped, rows: summary.rows };
  $('progress-text').textContent = `${summary.stopped ? 'Stopped' : 'Done'}: ${rows.length} rows in ${summary.seconds.toFixed(2)} s ` +
    `(compare() in the worker)${Number.isFinite(trained) ? `, training ${Math.round(trained).toLocaleString('en-US')} samples/s` : ''}.`;
  resultsHead(summary);
  setState(summary.stopped ? 'stopped' : 'done');
  $('perf').textContent = `Last run: compare() ${summary.seconds.toFixed(2)} s in the worker, ${wall.toFixed(2)} s on the page's clock.`;
  // the Why panel opens on the deployment that costs the most (there is the most to explain)
  const float = rows.find((r) => r.stage === 'float');
  let pick = rows.length ? 0 : null;
  if (float) {
    let worst = Infinity;
    run.rows.forEach((r, i) => { if (r && r.stage !== 'float' && r.accuracy - float.accuracy < worst) { worst = r.accuracy - float.accuracy; pick = i; } });
  }
  selectRow(pick);
}

function resultsHead(summary) {
  const d = summary.data, o = summary.options;
  const float = run.rows.find((r) => r?.stage === 'float');
  const trainedWith = activationLabel(aq, run.settings.train);
  $('results-head').textContent = !float ? `${d.name}: stopped during training, no rows measured; the partly trained network is below.`
    : `${d.name} (${d.train} train / ${d.test} test), ${summary.layers.join('-')} MLP trained with ${trainedWith}: test accuracy ` +
      `${percent(float.accuracy)} (loss ${float.loss.toFixed(4)}). ` +
      (run.loaded ? `Loaded network: no training, no QAT (PTQ and swap only).`
        : `${o.epochs} epochs, ${o.optimizer} lr ${o.lr}, batch ${o.batch}, seed ${o.seed}; QAT: ${o.qatEpochs} epochs at lr ${o.qatLr}.`);
}

// ---- Why --------------------------------------------------------------------------------------

async function selectRow(index) {
  if (!run) return;
  if (index !== null) table.select(index);
  setExports();
  const token = ++whyToken;
  $('why-head').textContent = 'Computing…';
  try {
    const f = await worker.request('why', { index });
    if (token !== whyToken) return; // a newer selection is on its way
    figures = f;
    drawWhy(f);
    setState(document.body.dataset.state === 'running' ? 'running' : run.summary?.stopped ? 'stopped' : 'done');
    document.body.dataset.why = String((Number(document.body.dataset.why) || 0) + 1);
  } catch (err) {
    if (token === whyToken) $('why-head').textContent = `No figures: ${err.message}`;
  }
}

function rowLabel(row, index) {
  if (!row || row.stage === 'float') return `${activationLabel(aq, run.settings.train)}, the trained float network`;
  const k = table.layout[index]?.k ?? 0;
  const name = activationLabel(aq, run.settings.deploy[k]);
  return row.stage === 'swap' ? `${name} swapped in (float)` : `${name}, ${row.stage.toUpperCase()} ${row.bits}-bit integer network`;
}

function setWhy(f) {
  $('why-2d').hidden = !f?.maps;
  $('why-mnist').hidden = !f?.digits;
  $('why-units').hidden = !f;
  if (!f) $('why-head').textContent = 'Train, then select a cell of the table.';
}

function drawWhy(f) {
  document.querySelector('.why').classList.remove('stale');
  setWhy(f);
  const float = run.rows.find((r) => r?.stage === 'float');
  const head = rowLabel(f.row, f.index);
  const acc = `${percent(f.correct / f.test)} on the ${f.test} test samples`;
  const deployed = f.row && float && f.row.stage !== 'float';
  const delta = deployed ? `, ${deltaText(f.row.accuracy, float.accuracy).slice(1, -1)} points against float; ` +
    `${f.newlyWrong} test samples it gets wrong that float gets right` : '';
  $('why-head').textContent = `${head}: ${acc}${delta}.`;
  const trainedLabel = activationLabel(aq, run.settings.train);
  const deployedLabel = f.kind === 'float' ? trainedLabel
    : activationLabel(aq, { name: f.activation.deployed.name, preset: f.activation.deployed.preset, params: run.settings.deploy[table.layout[f.index]?.k ?? 0]?.params ?? {} });

  if (f.maps) {
    $('cap-map-float').textContent = `Float network (${trainedLabel}): ${percent(run.rows.find((r) => r?.stage === 'float')?.accuracy ?? NaN)}`;
    drawMap($('map-float'), f.maps.float, f.points, theme, { predicted: f.kind === 'float' ? f.points.predicted : null });
    if (f.maps.deployed) {
      $('cap-map-deployed').textContent = `Deployed: ${head}`;
      drawMap($('map-deployed'), f.maps.deployed, f.points, theme, { predicted: f.points.predicted, newly: f.wrong });
    } else {
      $('cap-map-deployed').textContent = 'Deployed: select a deployment in the table';
      drawEmpty($('map-deployed'), theme, 'select a deployed cell');
    }
    $('map-note').textContent = 'Background: the predicted class, stronger where the network is more confident. Dots: test points in their true class colour; ' +
      '× misclassified by that network; red rings: wrong after deployment, right in float.';
  }
  if (f.digits) {
    const box = $('digits');
    box.replaceChildren(...f.digits.map((d) => {
      const item = document.createElement('div');
      item.className = 'digit';
      item.setAttribute('role', 'listitem');
      const c = document.createElement('canvas');
      c.setAttribute('role', 'img');
      c.setAttribute('aria-label', `test digit ${d.index}: a ${d.label}, deployed network says ${d.predicted}, float says ${d.float}`);
      drawDigit(c, d.pixels, f.side, theme);
      const cap = document.createElement('span');
      cap.textContent = `${d.label} → ${d.predicted}`;
      item.append(c, cap);
      return item;
    }));
    $('cap-digits').textContent = f.kind === 'float' ? 'Select a deployed cell: its digits that float gets right and it gets wrong appear here'
      : `Digits the deployed network gets wrong and float gets right: ${f.newlyWrong}${f.newlyWrong > f.digits.length ? ` (the first ${f.digits.length})` : ''} (true → predicted)`;
    drawConfusion($('confusion'), f.confusion, f.classes, theme);
    $('confusion').setAttribute('aria-label', `confusion matrix of ${head}: ${f.correct} of ${f.test} on the diagonal`);
  }
  units.draw(f, { trained: trainedLabel, deployed: deployedLabel }, theme);
  unitsReadout(f, trainedLabel, deployedLabel);
}

function unitsReadout(f, trainedLabel, deployedLabel) {
  const u = f.units;
  const items = [`${u.count.toLocaleString('en-US')} pre-activations (${u.width} units × ${f.test} test samples) in [${f.histogram.lo.toFixed(2)}, ${f.histogram.hi.toFixed(2)}].`];
  if (u.flat !== undefined) {
    items.push(`${(100 * u.flat).toFixed(1)}% of them lie where ${deployedLabel} is flat (f′ = 0, past its knees): ` + (u.flat >= 0.5
      ? 'most units act as switches, where the definitions agree up to the level they saturate at.'
      : 'most units work on the slope, where the definitions differ by their slopes and knees.'));
  }
  if (u.swapError) items.push(`Swapping ${trainedLabel} for ${deployedLabel} changes a unit's output by ${u.swapError.mae.toPrecision(3)} on average (largest ${u.swapError.maxAbs.toPrecision(3)}).`);
  if (u.tableError) items.push(`The ${u.bits}-bit table (int8 input codes, ${2 ** u.bits} output levels) applied to them differs from ${trainedLabel} by ${u.tableError.mae.toPrecision(3)} on average (largest ${u.tableError.maxAbs.toPrecision(3)}); ${(100 * u.clipped).toFixed(2)}% fall outside the calibrated input range.`);
  $('units-readout').replaceChildren(...items.map((t) => Object.assign(document.createElement('li'), { textContent: t })));
}

// ---- export -----------------------------------------------------------------------------------

function selectedRow() {
  const i = table.selected;
  return i === null || !run ? null : { index: i, row: run.rows[i] };
}

function setExports() {
  const has = Boolean(run?.rows.some(Boolean));
  const alive = Boolean(run?.summary && !run.summary.terminated);
  $('export-csv').disabled = !has;
  $('export-json').disabled = !has;
  $('export-network').disabled = !alive;
  const sel = selectedRow();
  const integer = Boolean(alive && sel?.row && (sel.row.stage === 'ptq' || sel.row.stage === 'qat'));
  $('export-c').disabled = !integer;
  const note = $('export-note');
  $('c-cli-line').hidden = true;
  if (!alive) note.textContent = 'Train (or load a network) to export it.';
  else if (!integer) note.textContent = 'Select a PTQ or QAT cell to export its integer network as C.';
  else {
    note.textContent = `C header: ${rowLabel(sel.row, sel.index)}.`;
    const cmd = headerSource(sel);
    if (cmd.args) {
      $('c-cli').textContent = shellLine(cmd.args);
      $('c-cli-line').hidden = false;
    }
  }
}

function headerSource(sel) {
  const k = table.layout[sel.index].k;
  if (run.loaded) {
    return { args: null, source: `actq lab web page: network loaded from ${run.file}, ${activationLabel(aq, run.settings.deploy[k])} PTQ at ${sel.row.bits} bits` };
  }
  const cmd = headerCommand(aq, meta, run.settings, sel.row, k);
  return cmd.args ? cmd : { args: null, source: `actq lab web page (custom activation parameters: no command line): ${JSON.stringify(run.options)}` };
}

const guard = (fn) => async () => {
  try {
    await fn();
  } catch (err) {
    status(`Export failed: ${err.message}`);
  }
};

function tableRows() {
  return run.rows.filter(Boolean);
}

$('export-csv').addEventListener('click', guard(() => {
  const rows = tableRows();
  const float = rows.find((r) => r.stage === 'float');
  const lines = [`# actq lab web page: ${location.href}`, 'activation,preset,stage,bits,accuracy,loss,points_vs_float'];
  for (const r of rows) {
    lines.push([r.activation, r.preset ?? '', r.stage, r.bits ?? '', r.accuracy, r.loss, float ? 100 * (r.accuracy - float.accuracy) : ''].join(','));
  }
  download('actq-lab.csv', `${lines.join('\n')}\n`, 'text/csv');
}));
$('export-json').addEventListener('click', guard(() => {
  // the CLI's --json shape
  const s = run.summary ?? {};
  const body = { data: s.data, layers: s.layers, trainSamplesPerSecond: s.trainSamplesPerSecond, rows: tableRows() };
  download('actq-lab.json', `${JSON.stringify(body, null, 2)}\n`, 'application/json');
}));
$('export-network').addEventListener('click', guard(async () => {
  const text = await worker.request('network');
  download('actq-network.json', text, 'application/json');
}));
$('export-c').addEventListener('click', guard(async () => {
  const sel = selectedRow();
  const text = await worker.request('header', { index: sel.index, source: headerSource(sel).source });
  download(HEADER_FILE, text, 'text/x-c');
}));
$('copy-link').addEventListener('click', async () => {
  const link = new URL(toQuery(aq, settings), location.href).href;
  history.replaceState(null, '', toQuery(aq, settings));
  try {
    await navigator.clipboard.writeText(link);
    status('Link copied.');
  } catch {
    status(`Link: ${link}`);
  }
});

// Load a saved network: lab.fromJSON in the worker, then its float accuracy, every deployed
// definition swapped in and quantized (PTQ), on the data set selected here.
$('load-network').addEventListener('change', async (e) => {
  const file = e.target.files?.[0];
  e.target.value = '';
  if (!file || worker.busy) return;
  try {
    const json = await file.text();
    const snapshot = structuredClone(settings);
    const summary = await worker.request('load', { json, settings: compareSettings(aq, meta, snapshot) });
    // the controls take the loaded network's shape and activation
    settings.hidden = summary.network.sizes.slice(1, -1);
    const a = summary.network.activation;
    settings.train = { ...makeActivation(aq, a.name, a.preset), params: { ...makeActivation(aq, a.name, a.preset).params, ...a.params } };
    panel.reload();
    settingsChanged();
    const snap = structuredClone(settings);
    run = { settings: snap, options: summary.options, summary, rows: summary.rows, loaded: true, file: file.name };
    table.start(summary.options, deployLabels(snap), activationLabel(aq, snap.train));
    summary.rows.forEach((r, i) => table.fill(r, i));
    table.finish(false);
    curves.reset();
    resultsHead(summary);
    $('progress').value = 0;
    $('progress-text').textContent = `Loaded ${file.name}: ${summary.layers.join('-')} network, no training.`;
    status('');
    setState('done');
    let pick = 0, worst = Infinity;
    summary.rows.forEach((r, i) => { if (r.stage !== 'float' && r.accuracy - summary.rows[0].accuracy < worst) { worst = r.accuracy - summary.rows[0].accuracy; pick = i; } });
    selectRow(pick);
  } catch (err) {
    status(`Cannot load ${file.name}: ${err.message}`);
  }
});

setExports();
setState('ready');
window.__labMeta = { crossOriginIsolated: globalThis.crossOriginIsolated === true, lr: lrOf(settings, meta) };
