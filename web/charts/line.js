// One line chart, created once. Chart.js draws the axes, grid and ticks and lays them out;
// the lines themselves are drawn by a small plugin of this chart (`lines` below): every
// function's points go straight from its Float32Array to the canvas, decimated to one
// vertical min-max stroke per pixel column (what Chart.js's own fast path draws), with no
// per-point objects, option resolution or parsing. That keeps a redraw of 7 functions x
// 2,000 points x 3 charts within a frame. Axis ranges are computed here from the data,
// rounded outward so they rarely move; while they stay, a redraw skips Chart.js's layout.

import { Chart, LineController, LinearScale } from 'chart.js';

Chart.register(LineController, LinearScale);

/** A 1-2-5 step giving about `count` intervals over span. */
function tickStep(span, count) {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

/** Axis bounds holding [lo, hi] with a little margin, on a round step. */
export function niceBounds(lo, hi, { symmetric = false } = {}) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [-1, 1];
  if (symmetric) {
    const a = Math.max(Math.abs(lo), Math.abs(hi));
    lo = -a;
    hi = a;
  }
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(lo), Math.abs(hi))) {
    const pad = Math.abs(lo) > 1e-30 ? Math.abs(lo) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const step = tickStep((hi - lo) * 1.08, 8);
  return [Math.floor((lo - (hi - lo) * 0.04) / step) * step, Math.ceil((hi + (hi - lo) * 0.04) / step) * step];
}

/** min and max over several Float32Arrays (NaN-free kernels: plain loops). */
export function extent(arrays) {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

const tickFormat = (v) => String(Number(Number(v).toPrecision(6)));

/**
 * Strokes y over x (x increasing) through the linear maps px(x), py(y): one moveTo/lineTo
 * per pixel column plus a vertical stroke from the column's lowest to highest point where
 * the line jumps or zigzags inside it. Non-finite values break the line.
 */
function strokeLine(ctx, x, y, px0, pxScale, py0, pyScale) {
  ctx.beginPath();
  let col = NaN, lo = 0, hi = 0, last = 0, open = false;
  const flush = () => {
    if (lo !== hi) { ctx.lineTo(col, lo); ctx.lineTo(col, hi); }
    ctx.lineTo(col, last);
  };
  for (let k = 0; k < x.length; k++) {
    const v = y[k];
    if (!Number.isFinite(v)) {
      if (open) flush();
      open = false;
      col = NaN;
      continue;
    }
    const cx = Math.round(px0 + x[k] * pxScale), cy = py0 + v * pyScale;
    if (cx === col) {
      if (cy < lo) lo = cy;
      if (cy > hi) hi = cy;
      last = cy;
      continue;
    }
    if (open) { flush(); ctx.lineTo(cx, cy); } else { ctx.moveTo(cx, cy); open = true; }
    col = cx;
    lo = hi = last = cy;
  }
  if (open) flush();
  ctx.stroke();
}

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{ yTitle: string }} options
 */
export function lineChart(canvas, { yTitle }) {
  let current = { x: new Float32Array(0), lines: [] };
  let focus = null; // id prefix of the isolated function's lines, or null
  let hover = null; // grid index under the pointer
  const tip = document.createElement('div');
  tip.className = 'chart-tip';
  tip.hidden = true;
  tip.setAttribute('role', 'status');
  canvas.parentElement?.append(tip);

  const linesPlugin = {
    id: 'actqLines',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: a, scales } = chart;
      const { x, lines } = current;
      if (!x.length) return;
      const sx = scales.x, sy = scales.y;
      const pxScale = (a.right - a.left) / (sx.max - sx.min), px0 = a.left - sx.min * pxScale;
      const pyScale = -(a.bottom - a.top) / (sy.max - sy.min), py0 = a.bottom - sy.min * pyScale;
      ctx.save();
      ctx.beginPath();
      ctx.rect(a.left, a.top, a.right - a.left, a.bottom - a.top);
      ctx.clip();
      ctx.lineJoin = 'round';
      // the first function on top (as Chart.js stacks datasets), the isolated one above all
      const back = [...lines].reverse();
      const order = focus === null ? back : [...back.filter((l) => l.group !== focus), ...back.filter((l) => l.group === focus)];
      for (const l of order) {
        const faded = focus !== null && l.group !== focus;
        ctx.globalAlpha = faded ? 0.12 : l.alpha ?? 1;
        ctx.strokeStyle = l.color;
        ctx.lineWidth = (l.width ?? 1.75) * (focus !== null && !faded ? 1.3 : 1);
        ctx.setLineDash(l.dash ?? []);
        strokeLine(ctx, x, l.values, px0, pxScale, py0, pyScale);
      }
      if (hover !== null && hover < x.length) {
        const hx = px0 + x[hover] * pxScale;
        ctx.globalAlpha = 0.6;
        ctx.setLineDash([]);
        ctx.lineWidth = 1;
        ctx.strokeStyle = chart.options.plugins.actqLines?.cursor ?? '#888';
        ctx.beginPath();
        ctx.moveTo(hx, a.top);
        ctx.lineTo(hx, a.bottom);
        ctx.stroke();
      }
      ctx.restore();
    },
    afterEvent(chart, { event }) {
      const a = chart.chartArea, { x } = current;
      const inside = event.type !== 'mouseout' && x.length && event.x >= a.left && event.x <= a.right && event.y >= a.top && event.y <= a.bottom;
      const next = inside ? nearestIndex(x, chart.scales.x.getValueForPixel(event.x)) : null;
      if (next === hover) return;
      hover = next;
      showTip(event);
      chart.render();
    },
  };

  function nearestIndex(x, v) {
    const n = x.length, k = Math.round(((v - x[0]) / (x[n - 1] - x[0])) * (n - 1)); // a uniform grid
    return Math.min(n - 1, Math.max(0, k));
  }

  function showTip(event) {
    if (hover === null) { tip.hidden = true; return; }
    const { x, lines } = current;
    const shown = focus === null ? lines : lines.filter((l) => l.group === focus);
    tip.replaceChildren(`x = ${tickFormat(x[hover])}`, ...shown.map((l) => {
      const row = document.createElement('div');
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = l.color;
      row.append(sw, `${l.label}: ${tickFormat(l.values[hover])}`);
      return row;
    }));
    tip.hidden = false;
    const box = canvas.getBoundingClientRect();
    const left = event.x + 12 + 220 > box.width ? event.x - 232 : event.x + 12;
    tip.style.left = `${Math.max(0, left)}px`;
    tip.style.top = `${Math.max(0, event.y - 10)}px`;
  }

  const chart = new Chart(canvas, {
    type: 'line', // no datasets: Chart.js draws the two linear scales, the plugin the lines
    data: { datasets: [] },
    plugins: [linesPlugin],
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      events: ['mousemove', 'mouseout'],
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: { type: 'linear', min: -1, max: 1, ticks: { callback: tickFormat, maxRotation: 0 }, title: { display: true, text: 'x' } },
        y: { type: 'linear', min: -1, max: 1, ticks: { callback: tickFormat }, title: { display: true, text: yTitle } },
      },
    },
  });

  /** Colours of the axes, grid and text. */
  function applyTheme(theme) {
    for (const axis of Object.values(chart.options.scales)) {
      axis.grid.color = (ctx) => (ctx.tick?.value === 0 ? theme.zero : theme.grid);
      axis.ticks.color = theme.muted;
      axis.title.color = theme.fg;
      axis.border = { color: theme.grid };
    }
    chart.options.font = { family: theme.font };
    chart.options.plugins.actqLines = { cursor: theme.muted };
    chart.update('none');
  }

  /**
   * Draws lines over x. lines: [{ id, group, label, color, dash?, width?, alpha?, values }]
   * (group: the function the line belongs to, for focus()). Chart.js lays the chart out
   * again only when an axis range changes.
   */
  function draw(x, lines, xRange, yRange) {
    current = { x, lines };
    const sx = chart.options.scales.x, sy = chart.options.scales.y;
    if (sx.min !== xRange[0] || sx.max !== xRange[1] || sy.min !== yRange[0] || sy.max !== yRange[1]) {
      [sx.min, sx.max] = xRange;
      [sy.min, sy.max] = yRange;
      chart.update('none');
    } else {
      chart.render();
    }
  }

  /** Isolates one function's lines (the others fade), or shows all again (null). */
  function setFocus(group) {
    focus = group;
    chart.render();
  }

  return { chart, canvas, draw, applyTheme, setFocus, lines: () => current.lines };
}

/**
 * The lines of one chart: per shown function, `solid` (a result field) and, when present,
 * `dashed`, in the function's colour, labelled by solidLabel / dashedLabel.
 */
export function functionLines(results, theme, labels, { solid, dashed, solidLabel, dashedLabel }) {
  const lines = [];
  for (const r of results.series) {
    if (!r.ok) continue;
    const color = theme.series[r.index], label = labels[r.index];
    lines.push({ id: `${solid}${r.index}`, group: r.index, label: solidLabel(label), color, values: r[solid] });
    if (r[dashed]) lines.push({ id: `${dashed}${r.index}`, group: r.index, label: dashedLabel(label), color, dash: [5, 3], width: 1.25, values: r[dashed] });
  }
  return lines;
}
