// Chart 1: the activations, and (quantization on) their fake-quantized outputs, dashed.

import { lineChart, niceBounds, extent, functionLines } from './line.js';

export function curvesChart(canvas) {
  const c = lineChart(canvas, { yTitle: 'f(x)' });
  return {
    ...c,
    draw(results, theme, labels) {
      const lines = functionLines(results, theme, labels,
        { solid: 'y', dashed: 'yq', solidLabel: (l) => l, dashedLabel: (l) => `${l}, quantized` });
      const [lo, hi] = extent(lines.map((l) => l.values));
      c.draw(results.x, lines, [results.x[0], results.x[results.n - 1]], niceBounds(lo, hi));
    },
  };
}
