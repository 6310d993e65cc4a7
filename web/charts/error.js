// Chart 3: the error per input, in one of two views: the quantized output against the
// function's own float curve, fakeQuantize(f(x)) - f(x), or the deployed output (8-bit input,
// the table at the output bits) against the smooth reference it replaces. Thin, translucent
// lines: a sawtooth of seven functions stays legible, and the legend isolates one.

import { lineChart, niceBounds, extent } from './line.js';

export function errorChart(canvas) {
  const c = lineChart(canvas, { yTitle: 'error' });
  return {
    ...c,
    draw(results, theme, labels, mode = 'own') {
      const field = mode === 'ref' ? 'depErr' : 'err';
      const lines = [];
      for (const r of results.series) {
        if (r.ok && r[field]) {
          const label = mode === 'ref' ? `${labels[r.index]} − ${r.reference}` : labels[r.index];
          lines.push({ id: `e${r.index}`, group: r.index, label, color: theme.series[r.index], width: 1, alpha: 0.65, values: r[field] });
        }
      }
      const yTitle = mode === 'ref' ? 'deployed − reference' : 'quantized − float';
      if (c.chart.options.scales.y.title.text !== yTitle) c.chart.options.scales.y.title.text = yTitle;
      const [lo, hi] = lines.length ? extent(lines.map((l) => l.values)) : [-1, 1];
      c.draw(results.x, lines, [results.x[0], results.x[results.n - 1]], niceBounds(lo, hi, { symmetric: true }));
    },
  };
}
