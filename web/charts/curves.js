// Chart 1: the activations, and (quantization on) their fake-quantized outputs, dashed.

import { lineChart, niceBounds, extent } from './line.js';

export function curvesChart(canvas) {
  const c = lineChart(canvas, { yTitle: 'f(x)' });
  return {
    ...c,
    draw(results, theme, labels) {
      const lines = [];
      for (const r of results.series) {
        if (!r.ok) continue;
        const color = theme.series[r.index];
        lines.push({ id: `f${r.index}`, label: labels[r.index], color, values: r.y });
        if (r.yq) lines.push({ id: `q${r.index}`, label: `${labels[r.index]}, quantized`, color, dash: [5, 3], width: 1.25, values: r.yq });
      }
      const [lo, hi] = extent(lines.map((l) => l.values));
      c.draw(results.x, lines, [results.x[0], results.x[results.n - 1]], niceBounds(lo, hi));
    },
  };
}
