// Chart 2: f'(x), and (quantization on) the straight-through gradient of the fake-quantized
// function, dashed: fakeQuantizeGrad(f(x)) * f'(x), zero where the output clips.

import { lineChart, niceBounds, extent, functionLines } from './line.js';

export function derivativesChart(canvas) {
  const c = lineChart(canvas, { yTitle: "f'(x)" });
  return {
    ...c,
    draw(results, theme, labels) {
      const lines = functionLines(results, theme, labels,
        { solid: 'dy', dashed: 'ste', solidLabel: (l) => `${l}'`, dashedLabel: (l) => `${l}, STE gradient` });
      const [lo, hi] = extent(lines.map((l) => l.values));
      c.draw(results.x, lines, [results.x[0], results.x[results.n - 1]], niceBounds(Math.min(lo, 0), hi));
    },
  };
}
