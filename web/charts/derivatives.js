// Chart 2: f'(x), and (quantization on) the straight-through gradient of the fake-quantized
// function, dashed: fakeQuantizeGrad(f(x)) * f'(x), zero where the output clips.

import { lineChart, niceBounds, extent } from './line.js';

export function derivativesChart(canvas) {
  const c = lineChart(canvas, { yTitle: "f'(x)" });
  return {
    ...c,
    draw(results, theme, labels) {
      const lines = [];
      for (const r of results.series) {
        if (!r.ok) continue;
        const color = theme.series[r.index];
        lines.push({ id: `d${r.index}`, label: `${labels[r.index]}'`, color, values: r.dy });
        if (r.ste) lines.push({ id: `s${r.index}`, label: `${labels[r.index]}, STE gradient`, color, dash: [5, 3], width: 1.25, values: r.ste });
      }
      const [lo, hi] = extent(lines.map((l) => l.values));
      c.draw(results.x, lines, [results.x[0], results.x[results.n - 1]], niceBounds(Math.min(lo, 0), hi));
    },
  };
}
