// The page state and its URL form. Everything the page shows follows from this object, so
// writing it to the query string is enough to share or reload a view exactly.
//
//   ?s=sigmoid,hard_sigmoid:pytorch,hard_tanh:min_val=-2;max_val=1.5
//    &x=-6,6&n=2000&q=1&bits=8&signed=1&sym=0&round=half_even&out=minmax&pct=99.99&lut=1
//
// A series is `name`, `name:preset` or `name:key=value;key=value` (arrays as a|b|c). Numbers
// are JavaScript's shortest round-trip spelling, so a reload gives the same doubles.

export const MAX_SERIES = 8;

/** The comma-separated tokens of a URL field (at most max), each through parse; a token that
 *  throws is skipped and its message added to problems. Shared with the lab page's URL. */
export function parseTokenList(text, max, parse, problems) {
  const list = [];
  for (const token of text.split(',').filter(Boolean).slice(0, max)) {
    try {
      list.push(parse(token));
    } catch (e) {
      problems.push(e.message);
    }
  }
  return list;
}

export const ROUNDINGS = ['half_even', 'half_away', 'half_up'];
export const CALIBRATIONS = ['minmax', 'percentile', 'mse', 'entropy'];
export const FIXED_QPARAMS = ['tflite-logistic', 'tflite-tanh', 'pytorch-sigmoid', 'pytorch-tanh'];
export const POINTS = [500, 1000, 2000, 5000, 10000];
export const X_LIMIT = 20;
export const ERROR_MODES = ['own', 'ref'];

/** Hard function -> the smooth function it approximates. */
export const PAIRS = { hard_sigmoid: 'sigmoid', hard_tanh: 'tanh', hard_swish: 'silu' };

/** The quick comparisons: the smooth function with its hard versions (every preset). */
export const COMPARISONS = {
  sigmoid: { series: [['sigmoid'], ...['onnx', 'pytorch', 'paddle', 'taylor', 'bnn'].map((p) => ['hard_sigmoid', p])], x: [-6, 6] },
  tanh: { series: [['tanh'], ['hard_tanh']], x: [-3, 3] },
  silu: { series: [['silu'], ['hard_swish']], x: [-6, 6] },
};

/** A series with the activation's defaults, or a preset's values. */
export function makeSeries(aq, name, preset) {
  const entry = aq.activation(name);
  const values = preset ? entry.presets[preset] : undefined;
  const params = {};
  for (const p of entry.params) params[p.name] = fromPreset(p, values?.[p.name]) ?? copy(p.default);
  return { name: entry.name, params };
}

const copy = (v) => (Array.isArray(v) ? [...v] : v);
const fromPreset = (p, v) => (v === undefined ? undefined : p.kind === 'boolean' ? v !== 0 && v !== false : v);

/** The preset whose values the params equal exactly, or null (custom). */
export function presetOf(entry, params) {
  for (const [preset, values] of Object.entries(entry.presets)) {
    if (entry.params.every((p) => sameValue(fromPreset(p, values[p.name]) ?? p.default, params[p.name]))) return preset;
  }
  return null;
}

function sameValue(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
  }
  return a === b;
}

export function defaultState(aq) {
  return {
    series: [makeSeries(aq, 'sigmoid'), makeSeries(aq, 'hard_sigmoid', 'onnx')],
    x: [-6, 6],
    n: 2000,
    quant: {
      on: true, bits: 8, signed: true, symmetric: false, rounding: 'half_even',
      out: 'minmax', percentile: 99.99,
    },
    lut: 1, // index of the series whose 8-bit LUT is exported
    errorMode: 'own', // the error chart: quantized vs its own float ('own') or deployed vs the reference ('ref')
    dist: { kind: 'uniform', mean: 0, sd: 1 }, // input distribution weighting the deployed RMS
  };
}

// ---- URL ------------------------------------------------------------------------------------

// encodeURIComponent, keeping the separators the format uses readable.
const enc = (s) => encodeURIComponent(s).replace(/%(3A|2C|3B|7C|3D)/g, (m) => decodeURIComponent(m));

/** name, name:preset, or name:key=value;... listing only the parameters that differ from
 *  their defaults (so a parameter added to the table later leaves old links unchanged). */
function seriesToken(aq, s) {
  const entry = aq.activation(s.name);
  if (entry.params.length === 0) return s.name;
  const ref = s.reference ? [`ref=${s.reference}`] : []; // a fit's target: what its deployed error is taken against
  const preset = presetOf(entry, s.params);
  if (preset) return `${s.name}:${[preset, ...ref].join(';')}`;
  const parts = entry.params.filter((p) => !sameValue(s.params[p.name], p.default)).map((p) => {
    const v = s.params[p.name];
    return `${p.name}=${Array.isArray(v) ? v.join('|') : p.kind === 'boolean' ? (v ? 1 : 0) : v}`;
  });
  return parts.length || ref.length ? `${s.name}:${[...parts, ...ref].join(';')}` : s.name;
}

export function toQuery(aq, state) {
  const q = state.quant;
  const fields = [
    ['s', state.series.map((s) => seriesToken(aq, s)).join(',')],
    ['x', state.x.join(',')],
    ['n', state.n],
    ['q', q.on ? 1 : 0],
    ['bits', q.bits],
    ['signed', q.signed ? 1 : 0],
    ['sym', q.symmetric ? 1 : 0],
    ['round', q.rounding],
    ['out', q.out],
    ['pct', q.percentile],
    ['lut', state.lut],
    ['err', state.errorMode],
    ['dist', state.dist.kind === 'normal' ? `normal:${state.dist.mean},${state.dist.sd}` : 'uniform'],
  ];
  return `?${fields.map(([k, v]) => `${k}=${enc(String(v))}`).join('&')}`;
}

const clampTo = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** Parses one series token; throws an Error with a readable message when it is invalid. */
function parseSeries(aq, token) {
  const [name, rest] = splitOnce(token, ':');
  const entry = aq.activation(name); // RangeError names the unknown activation
  const s = makeSeries(aq, entry.name);
  if (rest === undefined || rest === '') return s;
  for (const part of rest.split(';')) {
    const [key, raw] = splitOnce(part, '=');
    if (raw === undefined) {
      if (!Object.hasOwn(entry.presets, key)) throw new RangeError(`${name}: unknown preset '${key}'`);
      Object.assign(s.params, makeSeries(aq, name, key).params);
      continue;
    }
    if (key === 'ref') {
      s.reference = aq.activation(raw).name;
      continue;
    }
    const p = entry.params.find((q) => q.name === key);
    if (!p) throw new RangeError(`${name}: unknown parameter '${key}'`);
    if (p.kind === 'array') {
      const values = raw.split('|').map(Number);
      if (values.some((v) => !Number.isFinite(v))) throw new RangeError(`${name}: '${key}' must be numbers`);
      s.params[key] = values.map((v) => clampTo(v, p.min, p.max));
    } else if (p.kind === 'boolean') {
      s.params[key] = raw === '1' || raw === 'true';
    } else {
      const v = Number(raw);
      if (raw === '' || !Number.isFinite(v)) throw new RangeError(`${name}: '${key}' must be a number`);
      s.params[key] = clampTo(p.kind === 'integer' ? Math.round(v) : v, p.min, p.max);
    }
  }
  return s;
}

function splitOnce(s, sep) {
  const i = s.indexOf(sep);
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)];
}

/**
 * The state described by a query string, on top of the defaults. Returns { state, problems }:
 * parts that cannot be used are skipped and described (the page shows them; nothing throws).
 */
export function fromQuery(aq, search) {
  const state = defaultState(aq);
  const problems = [];
  const fields = new Map();
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const [k, v = ''] = splitOnce(pair, '=');
    try {
      fields.set(k, decodeURIComponent(v));
    } catch {
      problems.push(`bad escape in '${k}'`);
    }
  }
  const num = (k, check) => {
    if (!fields.has(k)) return undefined;
    const v = Number(fields.get(k));
    if (fields.get(k) === '' || !Number.isFinite(v) || (check && !check(v))) {
      problems.push(`ignored ${k}=${fields.get(k)}`);
      return undefined;
    }
    return v;
  };
  const flag = (k) => (fields.has(k) ? fields.get(k) === '1' : undefined);
  const oneOf = (k, list) => {
    if (!fields.has(k)) return undefined;
    if (list.includes(fields.get(k))) return fields.get(k);
    problems.push(`ignored ${k}=${fields.get(k)}`);
    return undefined;
  };

  if (fields.has('s')) {
    const series = parseTokenList(fields.get('s'), MAX_SERIES, (token) => parseSeries(aq, token), problems);
    if (series.length) state.series = series;
  }
  if (fields.has('x')) {
    const [a, b] = fields.get('x').split(',').map(Number);
    if (Number.isFinite(a) && Number.isFinite(b) && a < b) state.x = [clampTo(a, -X_LIMIT, X_LIMIT), clampTo(b, -X_LIMIT, X_LIMIT)];
    else problems.push(`ignored x=${fields.get('x')}`);
  }
  const q = state.quant;
  state.n = num('n', (v) => POINTS.includes(v)) ?? state.n;
  q.on = flag('q') ?? q.on;
  q.bits = num('bits', (v) => Number.isInteger(v) && v >= 2 && v <= 16) ?? q.bits;
  q.signed = flag('signed') ?? q.signed;
  q.symmetric = flag('sym') ?? q.symmetric;
  q.rounding = oneOf('round', ROUNDINGS) ?? q.rounding;
  q.out = oneOf('out', [...CALIBRATIONS, ...FIXED_QPARAMS]) ?? q.out;
  q.percentile = num('pct', (v) => v >= 90 && v <= 100) ?? q.percentile;
  state.lut = num('lut', Number.isInteger) ?? state.lut;
  state.lut = lutIndex(state);
  state.errorMode = oneOf('err', ERROR_MODES) ?? state.errorMode;
  if (fields.has('dist')) {
    const [kind, args = ''] = splitOnce(fields.get('dist'), ':');
    const [mean, sd] = args.split(',').map(Number);
    if (kind === 'uniform') state.dist = { ...state.dist, kind };
    else if (kind === 'normal' && Number.isFinite(mean) && sd > 0 && Number.isFinite(sd)) state.dist = { kind, mean, sd };
    else problems.push(`ignored dist=${fields.get('dist')}`);
  }
  return { state, problems };
}

/** The exported series: the chosen one if it exists, else the first hard one, else the first. */
export function lutIndex(state) {
  if (state.lut >= 0 && state.lut < state.series.length) return state.lut;
  const hard = state.series.findIndex((s) => s.name in PAIRS);
  return hard >= 0 ? hard : 0;
}
