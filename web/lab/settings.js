// The lab page's settings and their URL form. Settings only (never weights): a link
// reproduces the run, since the same settings and seed give the same numbers.
//
//   ?data=moons&noise=0.2&hidden=16,16&train=tanh&opt=adam&lr=0.01&epochs=30&batch=64&seed=1
//    &deploy=hard_tanh,relu,hard_sigmoid:pytorch,leaky_relu:alpha=0.05&bits=8,4&qat=2
//
// An activation is `name`, `name:preset` or `name:key=value;key=value` (custom parameters,
// arrays as a|b|c) -- the main page's spelling. `noise` and `lr` are absent when they take
// the data set's / optimizer's default.

import { makeSeries, parseTokenList, presetOf } from '../state.js';

export const MAX_DEPLOY = 8;
export const BIT_CHOICES = [8, 7, 6, 5, 4, 3, 2];
export const LIMITS = {
  epochs: [1, 1000], qatEpochs: [0, 100], batch: [1, 4096], seed: [0, 2 ** 32 - 1],
  hiddenLayers: 4, hiddenSize: [1, 1024], lr: [1e-6, 10],
};

/** An activation of the page: name, the chosen preset (or null) and every parameter's value. */
export function makeActivation(aq, name, preset = null) {
  const entry = aq.activation(name);
  const p = preset && Object.hasOwn(entry.presets, preset) ? preset : null;
  return { name: entry.name, preset: p, params: makeSeries(aq, entry.name, p ?? undefined).params };
}

/** True when the parameters are the activation's defaults. */
export function isDefault(aq, act) {
  const d = makeSeries(aq, act.name).params;
  return Object.keys(d).every((k) => JSON.stringify(d[k]) === JSON.stringify(act.params[k]));
}

/** After a parameter changed: the preset it now equals exactly, else none. */
export function detectPreset(aq, act) {
  return presetOf(aq.activation(act.name), act.params);
}

/** compare()'s spelling: 'name:preset', 'name' (defaults) or { name, params } (custom). */
export function activationSpec(aq, act) {
  if (act.preset) return `${act.name}:${act.preset}`;
  if (isDefault(aq, act)) return act.name;
  return { name: act.name, params: structuredClone(act.params) };
}

/** The CLI's spelling (NAME or NAME:PRESET), or null: the CLI takes no custom parameters. */
export function cliActivation(aq, act) {
  const spec = activationSpec(aq, act);
  return typeof spec === 'string' ? spec : null;
}

export function activationLabel(aq, act) {
  if (act.preset) return `${act.name} (${act.preset})`;
  if (isDefault(aq, act)) return act.name;
  const entry = aq.activation(act.name);
  return `${act.name} (${entry.params.map((p) => `${p.name} = ${valueText(act.params[p.name])}`).join(', ')})`;
}

const valueText = (v) => (Array.isArray(v) ? v.join('|') : typeof v === 'boolean' ? (v ? 1 : 0) : String(v));

export function defaultSettings(aq, meta) {
  const d = meta.defaults;
  const act = (spec) => {
    const [name, preset] = spec.split(':');
    return makeActivation(aq, name, preset ?? null);
  };
  return {
    data: d.data, noise: null, hidden: [...d.hidden], train: act(d.train),
    optimizer: d.optimizer, lr: null, epochs: d.epochs, batch: d.batch, seed: d.seed,
    deploy: d.deploy.map(act), bits: [...d.bits], qatEpochs: d.qatEpochs,
  };
}

/** The learning rate the run uses. */
export const lrOf = (settings, meta) => settings.lr ?? meta.lr[settings.optimizer];

/** compare() options for these settings (no callbacks). */
export function compareSettings(aq, meta, s) {
  return {
    data: s.data,
    dataOptions: s.data !== 'mnist' && s.noise !== null ? { noise: s.noise } : undefined,
    hidden: [...s.hidden], train: activationSpec(aq, s.train), deploy: s.deploy.map((a) => activationSpec(aq, a)),
    bits: [...s.bits], epochs: s.epochs, qatEpochs: s.qatEpochs, batch: s.batch, lr: lrOf(s, meta),
    optimizer: s.optimizer, seed: s.seed,
  };
}

// ---- URL ------------------------------------------------------------------------------------

const enc = (s) => encodeURIComponent(s).replace(/%(3A|2C|3B|7C|3D)/g, (m) => decodeURIComponent(m));

export function activationToken(aq, act) {
  if (act.preset) return `${act.name}:${act.preset}`;
  if (isDefault(aq, act)) return act.name;
  const entry = aq.activation(act.name);
  return `${act.name}:${entry.params.map((p) => `${p.name}=${valueText(act.params[p.name])}`).join(';')}`;
}

export function toQuery(aq, s) {
  const fields = [
    ['data', s.data],
    ...(s.data !== 'mnist' && s.noise !== null ? [['noise', s.noise]] : []),
    ['hidden', s.hidden.join(',')],
    ['train', activationToken(aq, s.train)],
    ['opt', s.optimizer],
    ...(s.lr !== null ? [['lr', s.lr]] : []),
    ['epochs', s.epochs],
    ['batch', s.batch],
    ['seed', s.seed],
    ['deploy', s.deploy.map((a) => activationToken(aq, a)).join(',')],
    ['bits', s.bits.join(',')],
    ['qat', s.qatEpochs],
  ];
  return `?${fields.map(([k, v]) => `${k}=${enc(String(v))}`).join('&')}`;
}

const clampTo = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

function splitOnce(s, sep) {
  const i = s.indexOf(sep);
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)];
}

/** One activation token; throws a RangeError naming what is wrong. */
export function parseActivationToken(aq, token) {
  const [name, rest] = splitOnce(token, ':');
  const entry = aq.activation(name); // RangeError naming an unknown activation
  if (rest === undefined || rest === '') return makeActivation(aq, entry.name);
  if (!rest.includes('=')) {
    if (!Object.hasOwn(entry.presets, rest)) throw new RangeError(`${name}: unknown preset '${rest}'`);
    return makeActivation(aq, entry.name, rest);
  }
  const act = makeActivation(aq, entry.name);
  for (const part of rest.split(';')) {
    const [key, raw = ''] = splitOnce(part, '=');
    const p = entry.params.find((q) => q.name === key);
    if (!p) throw new RangeError(`${name}: unknown parameter '${key}'`);
    if (p.kind === 'array') {
      const values = raw.split('|').map(Number);
      if (raw === '' || values.some((v) => !Number.isFinite(v))) throw new RangeError(`${name}: '${key}' must be numbers`);
      act.params[key] = values.map((v) => clampTo(v, p.min, p.max));
    } else if (p.kind === 'boolean') {
      act.params[key] = raw === '1' || raw === 'true';
    } else {
      const v = Number(raw);
      if (raw === '' || !Number.isFinite(v)) throw new RangeError(`${name}: '${key}' must be a number`);
      act.params[key] = clampTo(p.kind === 'integer' ? Math.round(v) : v, p.min, p.max);
    }
  }
  act.preset = detectPreset(aq, act) && !isDefault(aq, act) ? detectPreset(aq, act) : null;
  return act;
}

/** Settings from a query string on top of the defaults: { settings, problems } (never throws). */
export function fromQuery(aq, meta, search) {
  const s = defaultSettings(aq, meta);
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
  const ignore = (k) => problems.push(`ignored ${k}=${fields.get(k)}`);
  const int = (k, [lo, hi]) => {
    if (!fields.has(k)) return undefined;
    const v = Number(fields.get(k));
    if (fields.get(k) === '' || !Number.isInteger(v) || v < lo || v > hi) return void ignore(k);
    return v;
  };
  const num = (k, [lo, hi]) => {
    if (!fields.has(k)) return undefined;
    const v = Number(fields.get(k));
    if (fields.get(k) === '' || !Number.isFinite(v) || v < lo || v > hi) return void ignore(k);
    return v;
  };
  if (fields.has('data')) {
    if (meta.datasets.includes(fields.get('data'))) s.data = fields.get('data');
    else ignore('data');
  }
  s.noise = num('noise', [0, 1]) ?? null;
  if (fields.has('hidden')) {
    try {
      s.hidden = parseHidden(fields.get('hidden'));
    } catch {
      ignore('hidden');
    }
  }
  if (fields.has('train')) {
    try {
      s.train = parseActivationToken(aq, fields.get('train'));
    } catch (e) {
      problems.push(e.message);
    }
  }
  if (fields.has('opt')) {
    if (meta.optimizers.includes(fields.get('opt'))) s.optimizer = fields.get('opt');
    else ignore('opt');
  }
  s.lr = num('lr', LIMITS.lr) ?? null;
  s.epochs = int('epochs', LIMITS.epochs) ?? s.epochs;
  s.batch = int('batch', LIMITS.batch) ?? s.batch;
  s.seed = int('seed', LIMITS.seed) ?? s.seed;
  s.qatEpochs = int('qat', LIMITS.qatEpochs) ?? s.qatEpochs;
  if (fields.has('deploy')) {
    const list = parseTokenList(fields.get('deploy'), MAX_DEPLOY, (token) => parseActivationToken(aq, token), problems);
    if (list.length) s.deploy = list;
  }
  if (fields.has('bits')) {
    const bits = fields.get('bits').split(',').map(Number);
    if (bits.length && bits.every((b) => BIT_CHOICES.includes(b))) s.bits = sortBits(bits);
    else ignore('bits');
  }
  return { settings: s, problems };
}

/** Bit widths without repeats, widest first (the CLI default's order: 8,4,2). */
export const sortBits = (bits) => [...new Set(bits)].sort((a, b) => b - a);

/** '64' or '16,16' -> [16, 16]; throws a RangeError saying what is accepted. */
export function parseHidden(text) {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const [lo, hi] = LIMITS.hiddenSize;
  const sizes = parts.map(Number);
  if (parts.length === 0 || parts.length > LIMITS.hiddenLayers || sizes.some((v) => !Number.isInteger(v) || v < lo || v > hi)) {
    throw new RangeError(`1 to ${LIMITS.hiddenLayers} layer sizes, integers in [${lo}, ${hi}], separated by commas`);
  }
  return sizes;
}
