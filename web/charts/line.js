// One line chart, created once. Each frame mutates the {x, y} points in place and calls
// update('none'): no parsing (parsing: false), no animation, fixed axis ranges (computed
// here from the data, rounded outward so they rarely move), so a redraw is one pass.

import { Chart, LineController, LineElement, PointElement, LinearScale, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

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
 * @param {HTMLCanvasElement} canvas
 * @param {{ yTitle: string }} options
 */
export function lineChart(canvas, { yTitle }) {
  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      parsing: false,
      normalized: true, // x is sorted and unique: binary search for tooltips
      responsive: true,
      maintainAspectRatio: false,
      spanGaps: true,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      elements: {
        point: { radius: 0, hoverRadius: 3, hitRadius: 0 },
        line: { borderWidth: 1.75, tension: 0, capBezierPoints: false },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          animation: false,
          callbacks: {
            title: (items) => (items.length ? `x = ${tickFormat(items[0].parsed.x)}` : ''),
            label: (item) => `${item.dataset.label}: ${tickFormat(item.parsed.y)}`,
          },
        },
      },
      scales: {
        x: { type: 'linear', min: -1, max: 1, ticks: { callback: tickFormat, maxRotation: 0 }, title: { display: true, text: 'x' } },
        y: { type: 'linear', min: -1, max: 1, ticks: { callback: tickFormat }, title: { display: true, text: yTitle } },
      },
    },
  });

  let structure = '';
  let xSource = null;

  /** Colours of the axes, grid and text. */
  function applyTheme(theme) {
    for (const axis of Object.values(chart.options.scales)) {
      axis.grid.color = (ctx) => (ctx.tick?.value === 0 ? theme.zero : theme.grid);
      axis.ticks.color = theme.muted;
      axis.title.color = theme.fg;
      axis.border = { color: theme.grid };
    }
    chart.options.font = { family: theme.font };
    chart.options.plugins.tooltip.backgroundColor = theme.fg;
    chart.options.plugins.tooltip.titleColor = theme.bg;
    chart.options.plugins.tooltip.bodyColor = theme.bg;
    structure = ''; // dataset colours are re-read on the next draw
  }

  /**
   * Draws lines over x. lines: [{ id, label, color, dash?, width?, values: Float32Array }].
   * Datasets are rebuilt only when the set of lines (or their colours) changes.
   */
  function draw(x, lines, xRange, yRange) {
    const key = lines.map((l) => `${l.id}|${l.color}|${l.dash ?? ''}|${x.length}`).join(';');
    if (key !== structure) {
      structure = key;
      xSource = null;
      chart.data.datasets = lines.map((l) => ({
        label: l.label,
        borderColor: l.color,
        backgroundColor: l.color,
        borderDash: l.dash ?? [],
        borderWidth: l.width ?? 1.75,
        data: Array.from({ length: x.length }, () => ({ x: 0, y: 0 })),
      }));
    }
    const datasets = chart.data.datasets;
    const newX = xSource !== x; // the engine makes a new grid array only when the grid changes
    lines.forEach((l, d) => {
      const pts = datasets[d].data;
      const v = l.values;
      if (newX) for (let k = 0; k < pts.length; k++) pts[k].x = x[k];
      for (let k = 0; k < pts.length; k++) pts[k].y = v[k];
      datasets[d].label = l.label;
    });
    xSource = x;
    const sx = chart.options.scales.x, sy = chart.options.scales.y;
    [sx.min, sx.max] = xRange;
    [sy.min, sy.max] = yRange;
    chart.update('none');
  }

  return { chart, canvas, draw, applyTheme };
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
    lines.push({ id: `${solid}${r.index}`, label: solidLabel(label), color, values: r[solid] });
    if (r[dashed]) lines.push({ id: `${dashed}${r.index}`, label: dashedLabel(label), color, dash: [5, 3], width: 1.25, values: r[dashed] });
  }
  return lines;
}
