// The lab's Chart.js charts, each created once and updated with update('none'):
//   - the live training curves (loss, accuracy) over one timeline: the training run, then
//     every QAT fine-tuning run, each a separate segment labelled at its start;
//   - the "where the units live" chart: a histogram of hidden pre-activations (right axis)
//     under the trained, the deployed and the integer (LUT) activation curves.
// The numbers come from the worker; these only draw them.

import { Chart, LineController, LineElement, PointElement, LinearScale, Tooltip, Filler, Legend } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Filler, Legend);

/** Axis bounds holding [lo, hi] with a little margin, on a 1-2-5 step of about 8 intervals. */
function niceBounds(lo, hi) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [-1, 1];
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(lo), Math.abs(hi))) {
    const pad = Math.abs(lo) > 1e-30 ? Math.abs(lo) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const raw = ((hi - lo) * 1.08) / 8, power = 10 ** Math.floor(Math.log10(raw)), m = raw / power;
  const step = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
  return [Math.floor((lo - (hi - lo) * 0.04) / step) * step, Math.ceil((hi + (hi - lo) * 0.04) / step) * step];
}

const tick = (v) => String(Number(Number(v).toPrecision(6)));

function baseOptions(xTitle, yTitle) {
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    spanGaps: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hoverRadius: 3, hitRadius: 4 }, line: { borderWidth: 1.5, tension: 0 } },
    plugins: {
      legend: { display: true, position: 'bottom', labels: { boxWidth: 14, boxHeight: 2, padding: 8 } },
      tooltip: { animation: false, callbacks: { label: (it) => `${it.dataset.label}: ${tick(it.parsed.y)}` } },
    },
    scales: {
      x: { type: 'linear', min: 0, max: 1, ticks: { callback: tick, maxRotation: 0 }, title: { display: true, text: xTitle } },
      y: { type: 'linear', ticks: { callback: tick }, title: { display: true, text: yTitle } },
    },
  };
}

function themeScales(chart, theme) {
  for (const axis of Object.values(chart.options.scales)) {
    axis.grid = { ...axis.grid, color: theme.grid };
    axis.ticks.color = theme.muted;
    axis.title.color = theme.fg;
    axis.border = { color: theme.grid };
  }
  chart.options.font = { family: theme.font };
  chart.options.plugins.legend.labels.color = theme.fg;
  Object.assign(chart.options.plugins.tooltip, { backgroundColor: theme.fg, titleColor: theme.bg, bodyColor: theme.bg });
}

/** Labels each phase of the timeline at its start, with a dashed line between phases. */
const phasePlugin = {
  id: 'actqPhases',
  afterDatasetsDraw(chart, args, opts) {
    const phases = opts.phases ?? [];
    if (!phases.length) return;
    const { ctx, chartArea: a, scales: { x } } = chart;
    ctx.save();
    ctx.font = `11px ${opts.font ?? 'sans-serif'}`;
    ctx.textBaseline = 'top';
    let lastRight = -Infinity;
    phases.forEach((p, i) => {
      const px = x.getPixelForValue(p.x);
      if (px < a.left - 1 || px > a.right + 1) return;
      if (i > 0) {
        ctx.strokeStyle = opts.line;
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(px, a.top);
        ctx.lineTo(px, a.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      const w = ctx.measureText(p.label).width;
      if (px + 3 > lastRight && px + 3 + w < a.right) {
        ctx.fillStyle = opts.color;
        ctx.fillText(p.label, px + 3, a.top + 2);
        lastRight = px + 3 + w + 6;
      }
    });
    ctx.restore();
  },
};

/**
 * The two live charts. push(message) takes the worker's progress messages; draw() redraws
 * (call it at most once per animation frame).
 */
export function trainingCharts(lossCanvas, accCanvas) {
  const make = (canvas, yTitle) => new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: { ...baseOptions('epoch (training, then each QAT run)', yTitle), plugins: { ...baseOptions('', '').plugins, actqPhases: { phases: [] } } },
    plugins: [phasePlugin],
  });
  const loss = make(lossCanvas, 'cross-entropy');
  const acc = make(accCanvas, 'accuracy (%)');
  acc.options.scales.y.min = 0;
  acc.options.scales.y.max = 100;
  let theme = null;
  let series = null, phases = [], base = 0, phaseKey = '', end = 1, lossMax = 0;

  function reset() {
    series = { trainLoss: [], testLoss: [], trainAcc: [], testAcc: [] };
    phases = [];
    base = 0;
    phaseKey = '';
    end = 1;
    lossMax = 0;
    const sets = (a, b, c) => [
      { label: 'train (running)', data: a, borderColor: c[0], backgroundColor: c[0] },
      { label: 'test', data: b, borderColor: c[1], backgroundColor: c[1], pointRadius: 2.5, borderWidth: 1.75 },
    ];
    const colors = theme ? [theme.series[0], theme.series[1]] : ['#0072b2', '#d55e00'];
    loss.data.datasets = sets(series.trainLoss, series.testLoss, colors);
    acc.data.datasets = sets(series.trainAcc, series.testAcc, colors);
    draw();
  }

  /** One progress message: { event, done, total }. */
  function push({ event: e }) {
    const key = `${e.phase}|${e.activation}|${e.preset}|${e.bits}`;
    if (key !== phaseKey) {
      if (phaseKey) {
        base += phases[phases.length - 1].epochs;
        for (const s of Object.values(series)) s.push({ x: base, y: null }); // a gap between runs
      }
      phaseKey = key;
      const what = e.phase === 'train' ? `train ${e.activation}` : `QAT ${e.activation}${e.preset ? `:${e.preset}` : ''} ${e.bits}-bit`;
      phases.push({ x: base, label: what, epochs: e.epochs });
    }
    const x = e.type === 'step' ? base + e.epoch - 1 + e.step / e.steps : base + e.epoch;
    end = Math.max(end, base + e.epochs);
    if (e.type === 'step') {
      series.trainLoss.push({ x, y: e.loss });
      series.trainAcc.push({ x, y: 100 * e.accuracy });
      lossMax = Math.max(lossMax, e.loss);
    } else if (e.testLoss !== undefined) {
      series.testLoss.push({ x, y: e.testLoss });
      series.testAcc.push({ x, y: 100 * e.testAccuracy });
      lossMax = Math.max(lossMax, e.testLoss);
    }
  }

  function draw() {
    for (const c of [loss, acc]) {
      c.options.scales.x.min = 0;
      c.options.scales.x.max = end;
      c.options.plugins.actqPhases.phases = phases;
    }
    loss.options.scales.y.min = 0;
    loss.options.scales.y.max = niceBounds(0, lossMax || 1)[1];
    loss.update('none');
    acc.update('none');
  }

  function applyTheme(t) {
    theme = t;
    for (const c of [loss, acc]) {
      themeScales(c, t);
      c.options.plugins.actqPhases.color = t.muted;
      c.options.plugins.actqPhases.line = t.zero;
      c.options.plugins.actqPhases.font = t.font;
      c.data.datasets.forEach((d, i) => { d.borderColor = d.backgroundColor = t.series[i]; });
    }
    if (series) draw();
  }

  reset();
  return { reset, push, draw, applyTheme, charts: [loss, acc] };
}

/**
 * Histogram of pre-activations under the activation curves. draw(figures, labels, theme):
 * figures.histogram { lo, width, counts }, figures.curves { x, trained, deployed, integer }.
 */
export function unitsChart(canvas) {
  const options = baseOptions('pre-activation z of a first-layer hidden unit', 'activation f(z)');
  options.scales.y2 = { type: 'linear', position: 'right', min: 0, ticks: { callback: tick }, title: { display: true, text: 'units (test set)' }, grid: { display: false } };
  options.interaction = { mode: 'nearest', axis: 'x', intersect: false };
  const chart = new Chart(canvas, { type: 'line', data: { datasets: [] }, options });
  let theme = null;

  const points = (x, y) => Array.from(x, (v, i) => ({ x: v, y: y[i] }));

  function draw(f, labels, t = theme) {
    theme = t;
    const h = f.histogram;
    const bars = [];
    let top = 0;
    h.counts.forEach((c, i) => {
      bars.push({ x: h.lo + i * h.width, y: c });
      top = Math.max(top, c);
    });
    bars.push({ x: h.lo + h.counts.length * h.width, y: h.counts[h.counts.length - 1] ?? 0 });
    const sets = [
      { label: 'units: pre-activations on the test set', data: bars, yAxisID: 'y2', stepped: 'after', fill: 'origin',
        borderColor: t.muted, backgroundColor: `${t.muted}33`, borderWidth: 1, order: 3 },
      { label: `${labels.trained} (trained)`, data: points(f.curves.x, f.curves.trained), borderColor: t.series[0], backgroundColor: t.series[0], borderWidth: 2, order: 1 },
    ];
    if (f.curves.deployed) {
      sets.push({ label: `${labels.deployed} (deployed, float)`, data: points(f.curves.x, f.curves.deployed),
        borderColor: t.series[1], backgroundColor: t.series[1], borderWidth: 2, borderDash: [6, 3], order: 0 });
    }
    if (f.curves.integer) {
      // the integer network's table: one value per int8 pre-activation code (a staircase)
      const { x, y } = f.curves.integer;
      const inside = [];
      for (let i = 0; i < x.length; i++) inside.push({ x: x[i], y: y[i] });
      sets.push({ label: `${labels.deployed} as the ${f.units.bits}-bit integer network computes it`, data: inside, stepped: 'middle',
        borderColor: t.series[2], backgroundColor: t.series[2], borderWidth: 1.5, order: 2 });
    }
    chart.data.datasets = sets;
    let lo = Infinity, hi = -Infinity;
    for (const s of sets.slice(1)) for (const p of s.data) { if (p.y < lo) lo = p.y; if (p.y > hi) hi = p.y; }
    const xs = chart.options.scales;
    xs.x.min = h.lo;
    xs.x.max = h.lo + h.counts.length * h.width;
    xs.x.ticks.includeBounds = false; // round ticks only, not the data's ends
    [xs.y.min, xs.y.max] = niceBounds(lo, hi);
    xs.y2.max = niceBounds(0, top || 1)[1];
    themeScales(chart, t);
    xs.y2.grid = { display: false };
    chart.update('none');
  }

  return { draw, chart, applyTheme: (t) => { theme = t; } };
}
