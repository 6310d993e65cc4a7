// The global controls: input range and quantization (bit width, signedness, symmetry,
// rounding, and where the output qparams come from: calibration or a framework's fixed ones).

import { slider, select, checkbox } from './controls.js';
import { CALIBRATIONS, FIXED_QPARAMS, ROUNDINGS, POINTS, X_LIMIT } from './state.js';

const CALIBRATION_TEXT = {
  minmax: 'min/max',
  percentile: 'percentile',
  mse: 'MSE-optimal range',
  entropy: 'entropy (KL)',
};
const FIXED_TEXT = {
  'tflite-logistic': 'TFLite LOGISTIC (1/256)',
  'tflite-tanh': 'TFLite TANH (1/128)',
  'pytorch-sigmoid': 'PyTorch sigmoid (1/256)',
  'pytorch-tanh': 'PyTorch tanh (2/256)',
};
const ROUNDING_TEXT = {
  half_even: 'half even (ONNX, torch)',
  half_away: 'half away (TFLite)',
  half_up: 'half up (CMSIS-NN)',
};

/**
 * @param {{ state: () => object, changed: (structural: boolean) => void }} hooks
 */
export function settingsPanel(inputBox, quantBox, hooks) {
  const st = () => hooks.state();
  const q = () => st().quant;
  const set = (fn) => (v) => { fn(v); sync(); hooks.changed(false); };

  // The input range: two sliders that push each other apart (min < max always).
  const xMin = slider({
    id: 'x-min', label: 'Input min', min: -X_LIMIT, max: X_LIMIT - 0.5, step: 0.5, value: st().x[0],
    doc: 'left end of the plotted inputs (also the calibration set and the LUT input range)',
    onChange: set((v) => { st().x = [v, Math.max(st().x[1], v + 0.5)]; }),
  });
  const xMax = slider({
    id: 'x-max', label: 'Input max', min: -X_LIMIT + 0.5, max: X_LIMIT, step: 0.5, value: st().x[1],
    doc: 'right end of the plotted inputs',
    onChange: set((v) => { st().x = [Math.min(st().x[0], v - 0.5), v]; }),
  });
  const points = select({
    id: 'points', label: 'Points', options: POINTS.map((n) => [String(n), n.toLocaleString('en')]), value: String(st().n),
    onChange: set((v) => { st().n = Number(v); }),
  });
  inputBox.append(xMin.el, xMax.el, points.el);

  const on = checkbox({
    id: 'quant-on', label: 'Quantize the outputs', value: q().on,
    doc: 'fake-quantize each output (dequantize(quantize(y))) and show the error and the STE gradient',
    onChange: set((v) => { q().on = v; }),
  });
  const bits = slider({
    id: 'bits', label: 'Bit width', min: 2, max: 16, value: q().bits, integer: true,
    doc: 'bits of the output codes',
    onChange: set((v) => { q().bits = v; }),
  });
  const signed = select({
    id: 'signed', label: 'Codes', options: [['1', 'signed (int)'], ['0', 'unsigned (uint)']], value: q().signed ? '1' : '0',
    onChange: set((v) => { q().signed = v === '1'; }),
  });
  const symmetric = checkbox({
    id: 'symmetric', label: 'Symmetric (zero point 0)', value: q().symmetric,
    doc: 'symmetric range around zero instead of an affine min/max range',
    onChange: set((v) => { q().symmetric = v; }),
  });
  const rounding = select({
    id: 'rounding', label: 'Rounding', options: ROUNDINGS.map((r) => [r, ROUNDING_TEXT[r]]), value: q().rounding,
    onChange: set((v) => { q().rounding = v; }),
  });
  const out = select({
    id: 'out-qparams', label: 'Output qparams',
    options: {
      'Calibrate on the plotted outputs': CALIBRATIONS.map((m) => [m, CALIBRATION_TEXT[m]]),
      'Fixed (8-bit, framework presets)': FIXED_QPARAMS.map((p) => [p, FIXED_TEXT[p]]),
    },
    value: q().out,
    onChange: set((v) => {
      q().out = v;
      // TFLite's fixed qparams come with its rounding (std::round: half away from zero)
      if (v.startsWith('tflite-')) q().rounding = 'half_away';
    }),
  });
  const percentile = slider({
    id: 'percentile', label: 'Percentile', min: 90, max: 100, step: 0.01, value: q().percentile,
    doc: 'percent of |values| the percentile calibration keeps inside the range',
    onChange: set((v) => { q().percentile = v; }),
  });
  const note = document.createElement('p');
  note.className = 'note';
  note.id = 'quant-note';
  // the input distribution that weights the deployed RMS (the readouts' ranking column)
  const d = () => st().dist;
  const dist = select({
    id: 'dist', label: 'Inputs (RMS)', options: [['uniform', 'uniform over the plot'], ['normal', 'normal(mean, sd)']], value: d().kind,
    onChange: set((v) => { st().dist = { ...d(), kind: v }; }),
  });
  const mean = slider({
    id: 'dist-mean', label: 'Mean', min: -X_LIMIT, max: X_LIMIT, step: 0.1, value: d().mean, typed: true,
    doc: 'mean of the normal input distribution',
    validate: (v) => (Math.abs(v) <= X_LIMIT ? null : `mean must be in [${-X_LIMIT}, ${X_LIMIT}]`),
    onChange: set((v) => { st().dist = { ...d(), mean: v }; }),
  });
  const sd = slider({
    id: 'dist-sd', label: 'SD', min: 0.01, max: X_LIMIT, value: d().sd, typed: true, scale: 'log',
    doc: 'standard deviation of the normal input distribution (e.g. of the pre-activations a layer sees)',
    validate: (v) => (v > 0 && v <= X_LIMIT ? null : `sd must be in (0, ${X_LIMIT}]`),
    onChange: set((v) => { st().dist = { ...d(), sd: v }; }),
  });
  quantBox.append(on.el, bits.el, signed.el, symmetric.el, rounding.el, out.el, percentile.el, note, dist.el, mean.el, sd.el);

  /** Reflects the state in the controls (after a URL load or a comparison button). */
  function sync() {
    const s = st(), qs = s.quant;
    xMin.set(s.x[0]);
    xMax.set(s.x[1]);
    points.set(String(s.n));
    on.set(qs.on);
    bits.set(qs.bits);
    signed.set(qs.signed ? '1' : '0');
    symmetric.set(qs.symmetric);
    rounding.set(qs.rounding);
    out.set(qs.out);
    percentile.set(qs.percentile);
    dist.set(s.dist.kind);
    mean.set(s.dist.mean);
    sd.set(s.dist.sd);
    mean.el.hidden = sd.el.hidden = s.dist.kind !== 'normal';
    const fixed = FIXED_QPARAMS.includes(qs.out);
    // A fixed preset brings its own scale, zero point and 8 bits: these controls do not apply.
    bits.input.disabled = !qs.on || fixed;
    symmetric.input.disabled = !qs.on || fixed;
    for (const c of [signed, rounding, out]) c.input.disabled = !qs.on;
    percentile.el.hidden = qs.out !== 'percentile';
    percentile.input.disabled = !qs.on;
    note.textContent = !qs.on ? 'Quantization is off: the charts show the float functions only.'
      : fixed ? `${FIXED_TEXT[qs.out]}: fixed 8-bit output qparams, the same for every function; bit width and symmetry do not apply.`
      : `Output qparams: ${CALIBRATION_TEXT[qs.out]} calibration of each function's outputs over the plotted inputs.`;
  }
  sync();
  return { sync };
}
