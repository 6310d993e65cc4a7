// The page: loads actq like any user, keeps one state object (mirrored in the URL), and
// redraws everything at most once per animation frame, however many input events arrive.

import { load, VERSION } from 'actq';
import { fromQuery, toQuery, makeSeries, presetOf, lutIndex, COMPARISONS } from './state.js';
import { seriesPanel } from './series.js';
import { settingsPanel } from './settings.js';
import { createEngine } from './compute.js';
import { curvesChart } from './charts/curves.js';
import { derivativesChart } from './charts/derivatives.js';
import { errorChart } from './charts/error.js';
import { readoutsView } from './readouts.js';
import { readTheme, onThemeChange } from './theme.js';
import { fillSelect } from './controls.js';
import { download, lutExport, dataJson, dataCsv, chartsPng } from './downloads.js';
import { fitPanel } from './fit.js';

const $ = (id) => document.getElementById(id);
const status = (text) => { $('status').textContent = text; };

const version = VERSION;
let aq;
try {
  aq = await load();
} catch (err) {
  $('build').textContent = 'not loaded';
  status(`Cannot load actq: ${err.message}. \`npm start\` builds the wasm before serving.`);
  throw err;
}
$('build').textContent = aq.simd ? 'SIMD build' : 'scalar build';

const parsed = fromQuery(aq, location.search);
const state = parsed.state;
if (parsed.problems.length) status(`Link: ${parsed.problems.join('; ')}`);

const engine = createEngine(aq);
let theme = readTheme();
const charts = [curvesChart($('chart-curves')), derivativesChart($('chart-grad')), errorChart($('chart-error'))];
charts.forEach((c) => c.applyTheme(theme));
onThemeChange(() => {
  theme = readTheme();
  charts.forEach((c) => c.applyTheme(theme));
  invalidate();
});
const readouts = readoutsView(aq);

const hooks = { state: () => state, changed };
const series = seriesPanel($('series'), aq, hooks);
const settings = settingsPanel($('input-controls'), $('quant-controls'), hooks);
fitPanel($('fit-controls'), aq, { ...hooks, grid: () => results.x });

// ---- scheduling: input events only mark the state dirty; one frame does the work --------

let scheduled = false;
let structural = true;
let results = null;
let labels = [];
/** Milliseconds per recompute + redraw (all charts and readouts), for the perf readout and tests. */
const frameTimes = [];
window.__actqFrameTimes = frameTimes;
/** The same frames split into { compute, charts, rest } milliseconds. */
const frameParts = [];
window.__actqFrameParts = frameParts;

function changed(isStructural) {
  structural ||= isStructural;
  invalidate();
}

function invalidate() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(frame);
}

function label(s, i) {
  const entry = aq.activation(s.name);
  const preset = entry.params.length ? presetOf(entry, s.params) : null;
  const suffix = s.reference ? ` (fit of ${s.reference})` : Object.keys(entry.presets).length ? ` (${preset ?? 'custom'})` : '';
  return `${i + 1}. ${s.name}${suffix}`;
}

function frame() {
  scheduled = false;
  const t0 = performance.now();
  if (structural) {
    structural = false;
    state.lut = lutIndex(state);
    series.render();
    fillSelect($('lut-series'), state.series.map((s, i) => [String(i), `${i + 1}. ${s.name}`]));
    $('lut-series').value = String(state.lut);
  }
  labels = state.series.map(label);
  results = engine.run(state);
  const t1 = performance.now();
  if (focus !== null && focus >= state.series.length) focus = null;
  renderLegend();
  for (const c of charts) c.draw(results, theme, labels, state.errorMode);
  $('error-mode').value = state.errorMode;
  $('error-title').textContent = state.errorMode === 'ref' ? 'Deployed error' : 'Error';
  const t2 = performance.now();
  readouts.draw(results, state, labels);
  results.series.forEach((r) => series.problem(r.index, r.problem));
  $('error-hint').textContent = state.quant.on ? '' : '(quantization off)';
  updateLut();
  const dt = performance.now() - t0;
  frameTimes.push(dt);
  frameParts.push({ compute: t1 - t0, charts: t2 - t1, rest: dt - (t2 - t0) });
  if (frameTimes.length > 1000) {
    frameTimes.splice(0, frameTimes.length - 1000);
    frameParts.splice(0, frameParts.length - 1000);
  }
  const recent = frameTimes.slice(-60).sort((a, b) => a - b);
  $('perf').textContent = `recompute + redraw: ${dt.toFixed(1)} ms (wasm ${(t1 - t0).toFixed(1)}, charts ${(t2 - t1).toFixed(1)}, ` +
    `readouts and export ${(dt - (t2 - t0)).toFixed(1)}); median of the last ${recent.length} frames ${recent[recent.length >> 1].toFixed(1)} ms; ` +
    `${results.series.length} functions × ${results.n} points`;
  if (frameTimes.length === 1) window.__actqFirstFrameAt = performance.now(); // ms since navigation start
  document.body.dataset.frames = String(frameTimes.length);
  saveUrlSoon();
}

// ---- narrow screens: the controls collapse below the charts (closed at first) ---------------

const narrow = matchMedia('(max-width: 760px)');
function setPanel(open) {
  $('panel-toggle').setAttribute('aria-expanded', String(open));
  $('panel-body').hidden = !open;
}
$('panel-toggle').addEventListener('click', () => setPanel($('panel-body').hidden));
setPanel(!narrow.matches);
narrow.addEventListener('change', () => setPanel(!narrow.matches));

// ---- legend: press a function to isolate it on every chart (the others fade) -----------------

let focus = null; // index of the isolated function, or null
let legendKey = '';
function renderLegend() {
  const key = `${labels.join('\n')}|${focus}`;
  if (key === legendKey) return;
  legendKey = key;
  $('legend').replaceChildren(...labels.map((text, i) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'legend-item';
    b.id = `legend-${i}`;
    b.setAttribute('aria-pressed', String(focus === i));
    if (focus !== null && focus !== i) b.classList.add('faded');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = `var(--series-${i})`;
    sw.setAttribute('aria-hidden', 'true');
    b.append(sw, text);
    b.addEventListener('click', () => {
      focus = focus === i ? null : i;
      for (const c of charts) c.setFocus(focus);
      renderLegend();
      document.getElementById(`legend-${i}`)?.focus();
    });
    return b;
  }));
  for (const c of charts) c.setFocus(focus);
}

$('error-mode').addEventListener('change', (e) => {
  state.errorMode = e.target.value;
  invalidate();
});

// ---- URL: the whole state, written shortly after the last change ----------------------------

let urlTimer = 0;
function saveUrlSoon() {
  clearTimeout(urlTimer);
  // replaceState on every frame of a drag would trip the browser's navigation throttling
  urlTimer = setTimeout(() => {
    const query = toQuery(aq, state);
    if (query !== location.search) history.replaceState(null, '', query);
  }, 150);
}

// ---- export -----------------------------------------------------------------------------------

function currentLut() {
  return lutExport(aq, results, state, state.lut, version);
}

function updateLut() {
  const note = $('lut-note');
  const preview = $('header-preview');
  try {
    const e = currentLut();
    const { inQp, outQp } = e.lut;
    const t = (qp) => `${qp.signed === false ? 'u' : ''}int${qp.bits} scale ${qp.scale} zp ${qp.zeroPoint}`;
    note.textContent = `8-bit LUT of ${labels[state.lut]}: input ${t(inQp)} (min/max over the plotted inputs), ` +
      `output ${t(outQp)}, rounding ${outQp.rounding}.`;
    const cli = e.cli('c').join(' ');
    if ($('lut-cli').textContent !== cli) $('lut-cli').textContent = cli;
    $('lut-cli-line').hidden = false;
    if (preview.closest('details').open) preview.textContent = e.c();
    setExportEnabled(true);
  } catch (err) {
    note.textContent = `No LUT: ${err.message}`;
    $('lut-cli').textContent = '';
    $('lut-cli-line').hidden = true;
    preview.textContent = '';
    setExportEnabled(false);
  }
}

function setExportEnabled(on) {
  for (const id of ['export-c', 'export-lut-json', 'export-lut-csv']) if ($(id)) $(id).disabled = !on;
}

$('header-preview').closest('details').addEventListener('toggle', () => updateLut());
$('lut-series').addEventListener('change', (e) => {
  state.lut = Number(e.target.value);
  invalidate();
});

const guard = (fn) => () => {
  try {
    fn();
  } catch (err) {
    status(`Export failed: ${err.message}`);
  }
};
$('export-c').addEventListener('click', guard(() => {
  const e = currentLut();
  download(`${e.name}.h`, e.c(), 'text/x-c');
}));
$('export-lut-json').addEventListener('click', guard(() => {
  const e = currentLut();
  download(`${e.name}.json`, e.json(), 'application/json');
}));
$('export-lut-csv').addEventListener('click', guard(() => {
  const e = currentLut();
  download(`${e.name}.csv`, e.csv(), 'text/csv');
}));
$('export-json').addEventListener('click', guard(() => {
  download('actq-data.json', dataJson(results, state, labels, shareLink()), 'application/json');
}));
$('export-csv').addEventListener('click', guard(() => {
  download('actq-data.csv', dataCsv(results, labels, shareLink()), 'text/csv');
}));
$('export-png').addEventListener('click', guard(() => {
  const captions = ['cap-curves', 'cap-grad', 'cap-error'].map((id) => $(id).textContent.trim().replace(/\s+/g, ' '));
  const legend = results.series.map((r, i) => ({ label: labels[i], color: theme.series[i] }));
  const note = $('metrics-caption').textContent;
  download('actq-charts.png', chartsPng(charts, captions, theme, legend, note), 'image/png');
}));

function shareLink() {
  return new URL(toQuery(aq, state), location.href).href;
}
$('copy-link').addEventListener('click', async () => {
  const link = shareLink();
  history.replaceState(null, '', toQuery(aq, state));
  try {
    await navigator.clipboard.writeText(link);
    status('Link copied.');
  } catch {
    status(`Link: ${link}`);
  }
});

// ---- comparisons ----------------------------------------------------------------------------

for (const button of document.querySelectorAll('[data-compare]')) {
  button.addEventListener('click', () => {
    const c = COMPARISONS[button.dataset.compare];
    state.series = c.series.map(([name, preset]) => makeSeries(aq, name, preset));
    state.x = [...c.x];
    state.lut = 1;
    settings.sync();
    changed(true);
  });
}

invalidate();
