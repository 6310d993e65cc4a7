// Canvas figures of the Why panel, drawn from the worker's numbers: decision maps (class
// colour, confidence as alpha) with the test points, MNIST digits, a confusion matrix.

/** '#rrggbb' -> [r, g, b] */
export function rgb(hex) {
  const h = hex.trim().replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h.slice(0, 6);
  return [0, 2, 4].map((k) => parseInt(full.slice(k, k + 2), 16));
}

/** Sizes the canvas backing store to its CSS box times the device pixel ratio; returns the 2-D context in CSS pixels. */
function fit(canvas, cssWidth, cssHeight) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(cssWidth * ratio)), h = Math.max(1, Math.round(cssHeight * ratio));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  return g;
}

const classColor = (theme, c) => theme.series[c % theme.series.length];

/**
 * A decision map: map { resolution, x: [lo, hi], y: [lo, hi], classes, class, confidence }
 * (row-major from the top-left) as a heat map, then the test points; `wrong` marks the points
 * this network misclassifies (a cross), `newly` the ones only the deployed network gets
 * wrong (a ring).
 */
export function drawMap(canvas, map, points, theme, { predicted = null, newly = null } = {}) {
  const size = canvas.clientWidth || 320;
  const g = fit(canvas, size, size);
  const { resolution: n, classes } = map;
  const img = new ImageData(n, n);
  const colors = Array.from({ length: classes }, (_, c) => rgb(classColor(theme, c)));
  const floor = 1 / classes;
  for (let i = 0; i < n * n; i++) {
    const [r, gr, b] = colors[map.class[i]];
    const certainty = Math.max(0, (map.confidence[i] - floor) / (1 - floor));
    img.data[4 * i] = r;
    img.data[4 * i + 1] = gr;
    img.data[4 * i + 2] = b;
    img.data[4 * i + 3] = Math.round(255 * (0.12 + 0.6 * certainty));
  }
  const tile = document.createElement('canvas');
  tile.width = n;
  tile.height = n;
  tile.getContext('2d').putImageData(img, 0, 0);
  g.clearRect(0, 0, size, size);
  g.fillStyle = theme.bg;
  g.fillRect(0, 0, size, size);
  g.imageSmoothingEnabled = true;
  g.drawImage(tile, 0, 0, size, size);

  const px = (v) => ((v - map.x[0]) / (map.x[1] - map.x[0])) * size;
  const py = (v) => ((map.y[1] - v) / (map.y[1] - map.y[0])) * size;
  const count = points.y.length;
  g.lineWidth = 1;
  for (let i = 0; i < count; i++) {
    const x = px(points.x[2 * i]), y = py(points.x[2 * i + 1]);
    g.beginPath();
    g.arc(x, y, 2.6, 0, 2 * Math.PI);
    g.fillStyle = classColor(theme, points.y[i]);
    g.fill();
    g.strokeStyle = theme.bg;
    g.stroke();
    if (predicted && predicted[i] !== points.y[i]) {
      g.strokeStyle = theme.fg;
      g.beginPath();
      g.moveTo(x - 3.5, y - 3.5);
      g.lineTo(x + 3.5, y + 3.5);
      g.moveTo(x + 3.5, y - 3.5);
      g.lineTo(x - 3.5, y + 3.5);
      g.stroke();
    }
  }
  if (newly) {
    g.strokeStyle = theme.problem;
    g.lineWidth = 2;
    for (const i of newly) {
      g.beginPath();
      g.arc(px(points.x[2 * i]), py(points.x[2 * i + 1]), 6, 0, 2 * Math.PI);
      g.stroke();
    }
  }
  g.strokeStyle = theme.border;
  g.lineWidth = 1;
  g.strokeRect(0.5, 0.5, size - 1, size - 1);
}

/** A blank map (e.g. nothing deployed yet) with a line of text. */
export function drawEmpty(canvas, theme, text) {
  const size = canvas.clientWidth || 320;
  const g = fit(canvas, size, size);
  g.fillStyle = theme.panel;
  g.fillRect(0, 0, size, size);
  g.fillStyle = theme.muted;
  g.font = `13px ${theme.font}`;
  g.textAlign = 'center';
  g.fillText(text, size / 2, size / 2);
  g.textAlign = 'start';
}

/** One 28x28 grey digit (0 = paper, 255 = ink) in the theme's ink on its paper. */
export function drawDigit(canvas, pixels, side, theme) {
  canvas.width = side;
  canvas.height = side;
  const g = canvas.getContext('2d');
  const img = new ImageData(side, side);
  const ink = rgb(theme.fg), paper = rgb(theme.bg);
  for (let i = 0; i < side * side; i++) {
    const t = pixels[i] / 255;
    for (let k = 0; k < 3; k++) img.data[4 * i + k] = Math.round(paper[k] + t * (ink[k] - paper[k]));
    img.data[4 * i + 3] = 255;
  }
  g.putImageData(img, 0, 0);
}

/** counts[t * classes + p] as a grid: the diagonal in the "right" colour, the rest in the "wrong" one, shade = share of the true class. */
export function drawConfusion(canvas, counts, classes, theme) {
  const size = canvas.clientWidth || 320;
  const g = fit(canvas, size, size);
  const margin = 22, cell = (size - margin) / classes;
  g.clearRect(0, 0, size, size);
  g.fillStyle = theme.bg;
  g.fillRect(0, 0, size, size);
  const right = rgb(theme.series[2]), wrong = rgb(theme.problem);
  g.font = `${Math.max(8, Math.min(12, cell * 0.36))}px ${theme.font}`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  for (let t = 0; t < classes; t++) {
    let total = 0;
    for (let p = 0; p < classes; p++) total += counts[t * classes + p];
    for (let p = 0; p < classes; p++) {
      const v = counts[t * classes + p];
      const share = total ? v / total : 0;
      const [r, gr, b] = t === p ? right : wrong;
      const alpha = v === 0 ? 0 : t === p ? 0.15 + 0.6 * share : Math.min(0.85, 0.2 + 4 * share);
      const x = margin + p * cell, y = margin + t * cell;
      g.fillStyle = `rgba(${r}, ${gr}, ${b}, ${alpha})`;
      g.fillRect(x, y, cell, cell);
      if (v) {
        g.fillStyle = theme.fg;
        g.fillText(String(v), x + cell / 2, y + cell / 2);
      }
    }
  }
  g.fillStyle = theme.muted;
  for (let c = 0; c < classes; c++) {
    g.fillText(String(c), margin + c * cell + cell / 2, margin / 2);
    g.fillText(String(c), margin / 2, margin + c * cell + cell / 2);
  }
  g.strokeStyle = theme.border;
  g.strokeRect(margin + 0.5, margin + 0.5, size - margin - 1, size - margin - 1);
  g.textAlign = 'start';
  g.textBaseline = 'alphabetic';
}
