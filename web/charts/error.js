// Chart 3: quantization error per input, fakeQuantize(f(x)) - f(x), at the chosen bit width.

import { lineChart, niceBounds, extent } from './line.js';

export function errorChart(canvas) {
  const c = lineChart(canvas, { yTitle: 'quantized − float' });
  return {
    ...c,
    draw(results, theme, labels) {
      const lines = [];
      for (const r of results.series) {
        // thin lines: the error is a sawtooth a few points per period, thick ones merge into a block
        if (r.ok && r.err) lines.push({ id: `e${r.index}`, label: labels[r.index], color: theme.series[r.index], width: 1, values: r.err });
      }
      const [lo, hi] = lines.length ? extent(lines.map((l) => l.values)) : [-1, 1];
      c.draw(results.x, lines, [results.x[0], results.x[results.n - 1]], niceBounds(lo, hi, { symmetric: true }));
    },
  };
}
