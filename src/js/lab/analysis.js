// The lab's "why" figures, computed by the package so that a page only draws them: the
// decision map of a network over a 2-D box, the confusion matrix, the samples one model
// gets wrong and another right, histograms, and an activation as a deployed integer
// network computes it (input code -> LUT -> output code, dequantized).

/** Class and confidence (softmax probability of that class) on a res x res grid over
 *  box = { x: [lo, hi], y: [lo, hi] } (row-major from the top-left, y decreasing), for a float
 *  Mlp or an IntegerNetwork with 2 inputs. */
export function decisionMap(model, { x = [-1.5, 1.5], y = [-1.5, 1.5], resolution = 64 } = {}) {
  if (model.inputs !== 2) throw new RangeError(`decisionMap: the model must take 2 inputs, it takes ${model.inputs}`);
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 1024) {
    throw new RangeError(`decisionMap: resolution must be an integer in [2, 1024], got ${resolution}`);
  }
  for (const [name, [lo, hi]] of [['x', x], ['y', y]]) {
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new RangeError(`decisionMap: ${name} must be a range [lo, hi] with lo < hi`);
  }
  const n = resolution * resolution, points = new Float32Array(2 * n);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      const i = r * resolution + c;
      points[2 * i] = x[0] + ((c + 0.5) / resolution) * (x[1] - x[0]);
      points[2 * i + 1] = y[1] - ((r + 0.5) / resolution) * (y[1] - y[0]);
    }
  }
  const classes = model.classes;
  let logits, scale = 1;
  if (typeof model.logitsFromCodes === 'function') {
    logits = model.logitsFromCodes(model.quantizeInput(points));
    scale = model.spec.layers[model.spec.layers.length - 1].output.scale;
  } else {
    logits = model.logits(points);
  }
  const cls = new Uint8Array(n), confidence = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0, max = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = logits[i * classes + c] * scale;
      if (v > max) { max = v; best = c; }
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[i * classes + c] * scale - max);
    cls[i] = best;
    confidence[i] = 1 / sum;
  }
  return { resolution, x: [...x], y: [...y], classes, class: cls, confidence };
}

/** counts[t * classes + p]: samples of true class t predicted as p. */
export function confusionMatrix(predicted, labels, classes) {
  if (predicted.length !== labels.length) throw new RangeError('confusionMatrix: predicted and labels differ in length');
  const counts = new Int32Array(classes * classes);
  for (let i = 0; i < labels.length; i++) counts[labels[i] * classes + predicted[i]]++;
  return counts;
}

/** Indices of the samples that `reference` classifies right and `model` wrong. */
export function newlyWrong(reference, model, labels) {
  const out = [];
  for (let i = 0; i < labels.length; i++) if (reference[i] === labels[i] && model[i] !== labels[i]) out.push(i);
  return out;
}

/** Counts of values in `bins` equal bins over [lo, hi] (values outside go to the end bins). */
export function histogram(values, { bins = 60, range } = {}) {
  let [lo, hi] = range ?? [Infinity, -Infinity];
  if (!range) for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!(hi > lo)) hi = lo + 1;
  const counts = new Int32Array(bins), width = (hi - lo) / bins;
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]++;
  return { lo, hi, bins, width, counts };
}

/** The activation of hidden layer l of an integer network as it computes it: every int8
 *  pre-activation code, its value, and the dequantized LUT output. */
export function integerActivation(aq, spec, l = 0) {
  const layer = spec.layers[l];
  if (!layer?.lut) throw new RangeError(`integerActivation: layer ${l} is not a hidden layer`);
  const codes = Int8Array.from({ length: 256 }, (_, i) => i - 128);
  const x = aq.dequantize(codes, layer.output);
  const out = Uint8Array.from(codes, (q) => layer.lut[q & 255]);
  const y = aq.dequantize(out, layer.activationOutput);
  return { x, y };
}
