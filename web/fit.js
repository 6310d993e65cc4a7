// The Fit panel: the best hard or piecewise-linear approximation of an activation over the
// plotted range (aq.fit, in a worker: a fit takes up to a second), added to the charts as a
// function of its own -- so it gets every curve, derivative, error and readout row -- with
// the comparison against every preset of its family, and its JSON and integer-only C
// header made as `actq fit` makes them for the flags the panel shows.

import { select, checkbox, slider } from './controls.js';
import { inputQParams } from './compute.js';
import { fmtMetric } from './format.js';
import { download } from './downloads.js';
import { MAX_SERIES } from './state.js';

const FORMS = [['pwl', 'piecewise-linear (pieces)'], ['hard', 'hard (a clipped line)']];
const METRICS = [['max', 'max error (minimax)'], ['rms', 'RMS (least squares)']];
const SLOPES = [['free', 'free'], ['pow2', 'powers of two (a shift)'], ['pow2x2', 'two powers of two (shift-add)']];

/**
 * @param {{ state: () => object, changed: (structural: boolean) => void, grid: () => Float32Array,
 *   status: (text: string) => void }} hooks
 */
export function fitPanel(container, aq, hooks) {
  const $ = (id) => document.getElementById(id);
  const settings = { target: 'sigmoid', form: 'pwl', pieces: 8, metric: 'max', slopes: 'free', symmetric: false, quantized: false };
  const targets = aq.activations.filter((a) => a.name !== 'pwl').map((a) => [a.name, a.name]);
  const target = select({ id: 'fit-target', label: 'Target', options: targets, value: settings.target, onChange: (v) => { settings.target = v; } });
  const form = select({
    id: 'fit-form', label: 'Form', options: FORMS, value: settings.form,
    onChange: (v) => { settings.form = v; pieces.el.hidden = v !== 'pwl'; },
  });
  const pieces = slider({ id: 'fit-pieces', label: 'Pieces', min: 2, max: 64, value: settings.pieces, integer: true, onChange: (v) => { settings.pieces = v; } });
  const metric = select({ id: 'fit-metric', label: 'Metric', options: METRICS, value: settings.metric, onChange: (v) => { settings.metric = v; } });
  const slopes = select({ id: 'fit-slopes', label: 'Slopes', options: SLOPES, value: settings.slopes, onChange: (v) => { settings.slopes = v; } });
  const symmetric = checkbox({
    id: 'fit-symmetric', label: 'Keep the symmetry', value: false, doc: "f(-x) = 2 f(0) - f(x), as sigmoid's and tanh's",
    onChange: (v) => { settings.symmetric = v; },
  });
  const quantized = checkbox({
    id: 'fit-quantized', label: 'On the output codes', value: false,
    doc: "take the error on the dequantized output codes at the page's bit width, with the page's 8-bit input codes: the error the deployed kernel has (and the integer-only C header)",
    onChange: (v) => { settings.quantized = v; },
  });
  const run = document.createElement('button');
  run.type = 'button';
  run.id = 'fit-run';
  run.textContent = 'Fit';
  const note = document.createElement('p');
  note.className = 'note';
  note.id = 'fit-note';
  note.setAttribute('role', 'status');
  container.append(target.el, form.el, pieces.el, metric.el, slopes.el, symmetric.el, quantized.el, run, note);

  /** The flags of `actq fit` for the panel and the page's range (and codes): one description
   *  of the fit, turned into options by the package for the worker and printed for the CLI. */
  function flags() {
    const state = hooks.state();
    const f = { form: settings.form, metric: settings.metric, slopes: settings.slopes, range: state.x.join(',') };
    if (settings.form === 'pwl') f.pieces = String(settings.pieces);
    if (settings.symmetric) f.symmetric = true;
    if (settings.quantized) {
      const inQp = inputQParams(aq, hooks.grid(), state.quant);
      f.bits = String(Math.min(state.quant.bits, 16));
      f['in-scale'] = String(inQp.scale);
      f['in-zero-point'] = String(inQp.zeroPoint);
      if (!inQp.signed) f['in-unsigned'] = true;
    }
    return f;
  }

  // ---- the worker: started at the first Fit, so it does not compete with the page's first frame
  let worker = null, ready = false, pending = null, next = 0, last = null, fitSeries = null;
  function startWorker() {
    worker = new Worker(new URL('./fit-worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = onMessage;
    worker.onerror = (e) => { note.textContent = `Fit worker failed: ${e.message}`; run.disabled = false; };
  }
  function onMessage({ data }) {
    if (data.ready) {
      ready = true;
      if (pending) worker.postMessage(pending);
      return;
    }
    if (data.id !== next) return; // a newer fit was asked for
    run.disabled = false;
    if (data.error) {
      note.textContent = `No fit: ${data.error}`;
      return;
    }
    show(data);
  }

  run.addEventListener('click', () => {
    if (!worker) startWorker();
    const message = { id: ++next, target: settings.target, flags: flags() };
    note.textContent = 'Fitting…';
    run.disabled = true;
    if (ready) worker.postMessage(message);
    else pending = message;
  });

  /** Adds (or replaces) the fitted function on the charts and fills the comparison. */
  function show(data) {
    last = data;
    const r = data.result;
    const state = hooks.state();
    const series = { name: r.activation, params: structuredClone(r.params), reference: r.target };
    const at = fitSeries && state.series.indexOf(fitSeries);
    if (at !== null && at >= 0) state.series[at] = series;
    else if (state.series.length < MAX_SERIES) state.series.push(series);
    else state.series[state.series.length - 1] = series;
    fitSeries = series;
    const kind = r.form === 'hard' ? `hard (${r.activation})` : `${r.piecesUsed}-piece pwl`;
    note.textContent = `Fitted ${r.target}: ${kind}, max error ${fmtMetric(r.maxError)} in ${Math.round(r.milliseconds)} ms.`;
    $('fit-results').hidden = false;
    $('fit-summary').textContent = `${r.target} over [${r.range.join(', ')}], ${r.metric === 'max' ? 'minimax' : 'least squares'}, ` +
      `slopes ${r.slopes}${r.symmetric ? ', symmetric' : ''}; errors ${r.quantization ? `on the ${r.quantization.outQp.bits}-bit output codes` : 'in float64'}. ` +
      `The fit is function ${state.series.indexOf(series) + 1} on the charts (${r.activation}).`;
    const row = (name, e, strong = false) => {
      const tr = document.createElement('tr');
      if (strong) tr.className = 'is-fit';
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = name;
      tr.append(th, ...[e.maxError, e.maxErrorAt, e.rmsError].map((v) => {
        const td = document.createElement('td');
        td.textContent = fmtMetric(v);
        return td;
      }));
      return tr;
    };
    $('fit-table').tBodies[0].replaceChildren(row(`fit: ${kind}${r.slopes !== 'free' ? `, ${r.slopes} slopes` : ''}`, r, true),
      ...r.presets.map((p) => row(p.name, p)));
    $('fit-cli').textContent = data.command;
    $('fit-export-c').disabled = !data.header;
    $('fit-export-c').title = data.header ? '' : "the integer code needs the output codes: tick 'On the output codes'";
    hooks.changed(true);
  }

  $('fit-export-json').addEventListener('click', () => last && download(`${last.result.target}_fit.json`, last.json, 'application/json'));
  $('fit-export-c').addEventListener('click', () => last?.header && download(`${last.result.target}_fit.h`, last.header, 'text/x-c'));

  return { last: () => last };
}
