// The lab's settings panel: data set (one click), noise, network and training, the
// training activation, the deployed definitions (a list with add / remove), bit widths and
// QAT epochs. Built from the registry (aq.activations) and the worker's metadata (data
// sets, compare()'s defaults); every control is labelled and keyboard-usable.

import { slider, select, checkbox, textField } from '../controls.js';
import { activationPicker } from './activation.js';
import { makeActivation, parseHidden, lrOf, LIMITS, MAX_DEPLOY, BIT_CHOICES, sortBits } from './settings.js';

const DATA_TEXT = { mnist: 'mnist digits', spiral: 'spiral', moons: 'moons', circles: 'circles', xor: 'xor', gaussians: 'gaussians' };

/** Quick starts: a few settings that show something at once (2-D sets train in well under a second). */
export const QUICK = [
  { id: 'mnist', text: 'mnist: sigmoid → hard sigmoids (the CLI default)', apply: (s, d, aq) => Object.assign(s, defaultsOf(d, aq)) },
  {
    id: 'moons', text: 'moons: tanh → hard_tanh, relu',
    apply: (s, d, aq) => Object.assign(s, defaultsOf(d, aq), {
      data: 'moons', hidden: [16, 16], train: makeActivation(aq, 'tanh'), epochs: 30,
      deploy: [makeActivation(aq, 'hard_tanh'), makeActivation(aq, 'relu')],
    }),
  },
  {
    id: 'circles', text: 'circles: sigmoid → hard sigmoids, 30 epochs',
    apply: (s, d, aq) => Object.assign(s, defaultsOf(d, aq), { data: 'circles', hidden: [16, 16], epochs: 30 }),
  },
  {
    id: 'spiral', text: 'spiral: silu → hard_swish, relu',
    apply: (s, d, aq) => Object.assign(s, defaultsOf(d, aq), {
      data: 'spiral', hidden: [32, 32], train: makeActivation(aq, 'silu'), epochs: 100,
      deploy: [makeActivation(aq, 'hard_swish'), makeActivation(aq, 'relu')],
    }),
  },
];

function defaultsOf(d, aq) {
  const act = (spec) => makeActivation(aq, ...spec.split(':'));
  return {
    data: d.data, noise: null, hidden: [...d.hidden], train: act(d.train), optimizer: d.optimizer, lr: null,
    epochs: d.epochs, batch: d.batch, seed: d.seed, deploy: d.deploy.map(act), bits: [...d.bits], qatEpochs: d.qatEpochs,
  };
}

/** A labelled number box (applied on change), clamped to [min, max]; integers unless `step` says otherwise. */
export function numberField({ id, label, doc, min, max, step = 1, value, onChange }) {
  const el = document.createElement('div');
  el.className = 'field';
  const lab = document.createElement('label');
  lab.htmlFor = id;
  lab.textContent = label;
  if (doc) lab.title = doc;
  const input = document.createElement('input');
  input.type = 'number';
  input.id = id;
  input.min = String(min);
  input.max = String(max);
  input.step = String(step);
  input.value = String(value);
  input.inputMode = step === 1 ? 'numeric' : 'decimal';
  input.addEventListener('change', () => {
    const v = Number(input.value);
    const ok = input.value !== '' && Number.isFinite(v) && (step !== 1 || Number.isInteger(v));
    if (!ok) {
      input.setAttribute('aria-invalid', 'true');
      input.title = `a${step === 1 ? 'n integer' : ' number'} in [${min}, ${max}]`;
      return;
    }
    input.removeAttribute('aria-invalid');
    input.title = '';
    const c = Math.min(max, Math.max(min, v));
    if (c !== v) input.value = String(c);
    onChange(c);
  });
  el.append(lab, input);
  return { el, input, set: (v) => { input.value = String(v); input.removeAttribute('aria-invalid'); } };
}

/**
 * @param {object} aq the actq registry
 * @param {object} meta the worker's metadata
 * @param {{ settings: () => object, changed: () => void }} hooks
 */
export function settingsPanel(aq, meta, hooks) {
  const st = () => hooks.settings();
  const $ = (id) => document.getElementById(id);
  const changed = () => { sync(); hooks.changed(); };

  // ---- data: one click per set -----------------------------------------------------------
  const dataBox = $('data-set');
  const radios = meta.datasets.map((name) => {
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'data';
    input.id = `data-${name}`;
    input.value = name;
    input.addEventListener('change', () => {
      if (!input.checked) return;
      st().data = name;
      st().noise = null; // each set's own default
      changed();
    });
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = DATA_TEXT[name] ?? name;
    dataBox.append(input, label);
    return input;
  });
  const noise = slider({
    id: 'noise', label: 'Noise', min: 0, max: 1, step: 0.01, value: 0,
    doc: 'standard deviation of the Gaussian jitter of the 2-D points (the set\'s default until moved)',
    onChange: (v) => { st().noise = v; changed(); },
  });
  $('data-controls').append(noise.el);
  for (const q of QUICK) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.quick = q.id;
    b.textContent = q.text;
    b.addEventListener('click', () => {
      q.apply(st(), meta.defaults, aq);
      renderDeploy();
      trainAct.set(st().train);
      changed();
    });
    $('quick').append(b);
  }

  // ---- network and training ------------------------------------------------------------------
  const hidden = textField({
    id: 'hidden', label: 'Hidden layers', value: st().hidden.join(','), parse: parseHidden,
    doc: 'units per hidden layer, e.g. 64 or 16,16 (the CLI\'s --hidden)',
    onChange: (v) => { st().hidden = v; changed(); },
  });
  const optimizer = select({
    id: 'optimizer', label: 'Optimizer', options: meta.optimizers.map((o) => [o, o === 'sgd' ? 'sgd (momentum 0.9)' : o]), value: st().optimizer,
    onChange: (v) => { st().optimizer = v; changed(); },
  });
  const lr = textField({
    id: 'lr', label: 'Learning rate', value: String(lrOf(st(), meta)),
    doc: 'learning rate of the optimizer (default: adam 0.01, sgd 0.1); QAT uses a tenth of it',
    parse: (text) => {
      if (text.trim() === '') return null; // back to the optimizer's default
      const v = Number(text);
      if (!Number.isFinite(v) || v < LIMITS.lr[0] || v > LIMITS.lr[1]) throw new RangeError(`a number in [${LIMITS.lr[0]}, ${LIMITS.lr[1]}] (empty: the default)`);
      return v;
    },
    onChange: (v) => { st().lr = v; changed(); },
  });
  const epochs = numberField({ id: 'epochs', label: 'Epochs', min: LIMITS.epochs[0], max: LIMITS.epochs[1], value: st().epochs, onChange: (v) => { st().epochs = v; changed(); } });
  const batch = numberField({ id: 'batch', label: 'Batch', min: LIMITS.batch[0], max: LIMITS.batch[1], value: st().batch, onChange: (v) => { st().batch = v; changed(); } });
  const seed = numberField({
    id: 'seed', label: 'Seed', min: LIMITS.seed[0], max: LIMITS.seed[1], value: st().seed,
    doc: 'seed of the data split, the initial weights and the batch order',
    onChange: (v) => { st().seed = v; changed(); },
  });
  $('train-controls').append(hidden.el, optimizer.el, lr.el, epochs.el, batch.el, seed.el);
  const trainAct = activationPicker(aq, {
    id: 'train-act', legend: 'Trained with', value: st().train, open: false,
    onChange: (a) => { st().train = a; changed(); },
  });
  $('train-activation').append(trainAct.el);

  // ---- deployment ------------------------------------------------------------------------------
  const deployBox = $('deploy-list');
  const addButton = $('deploy-add');
  function renderDeploy() {
    const focused = document.activeElement?.id;
    const list = st().deploy;
    deployBox.replaceChildren(...list.map((a, k) => activationPicker(aq, {
      id: `deploy-${k}`, legend: `Deployed ${k + 1}`, value: a,
      removeLabel: `Remove deployed definition ${k + 1}`,
      onRemove: list.length > 1 ? () => { st().deploy.splice(k, 1); renderDeploy(); changed(); } : undefined,
      onChange: (v) => { st().deploy[k] = v; hooks.changed(); },
    }).el));
    addButton.disabled = list.length >= MAX_DEPLOY;
    addButton.title = addButton.disabled ? `at most ${MAX_DEPLOY} definitions` : '';
    if (focused) document.getElementById(focused)?.focus();
  }
  addButton.addEventListener('click', () => {
    const list = st().deploy;
    if (list.length >= MAX_DEPLOY) return;
    // the next hard_sigmoid preset not in the list yet, else the last entry's function
    const presets = Object.keys(aq.activation('hard_sigmoid').presets);
    const unused = presets.find((p) => !list.some((a) => a.name === 'hard_sigmoid' && a.preset === p));
    list.push(unused ? makeActivation(aq, 'hard_sigmoid', unused) : makeActivation(aq, list[list.length - 1].name));
    renderDeploy();
    changed();
    document.getElementById(`deploy-${list.length - 1}-name`)?.focus();
  });

  const bitsBox = $('bits');
  const bitChecks = BIT_CHOICES.map((b) => {
    const c = checkbox({
      id: `bits-${b}`, label: String(b), value: st().bits.includes(b),
      onChange: (on) => {
        const next = on ? sortBits([...st().bits, b]) : st().bits.filter((x) => x !== b);
        if (next.length === 0) { c.set(true); return; } // at least one width
        st().bits = next;
        changed();
      },
    });
    bitsBox.append(c.el);
    return [b, c];
  });
  const qat = numberField({
    id: 'qat-epochs', label: 'QAT epochs', min: LIMITS.qatEpochs[0], max: LIMITS.qatEpochs[1], value: st().qatEpochs,
    doc: 'fine-tuning epochs with fake quantization, per definition and width (0: no QAT)',
    onChange: (v) => { st().qatEpochs = v; changed(); },
  });
  $('deploy-controls').append(qat.el);

  /** Reflects the settings in the controls (after a quick start, a URL or a loaded network). */
  function sync() {
    const s = st();
    for (const r of radios) r.checked = r.value === s.data;
    noise.el.hidden = s.data === 'mnist';
    noise.set(s.noise ?? meta.noise[s.data] ?? 0);
    hidden.set(s.hidden.join(','));
    optimizer.set(s.optimizer);
    lr.set(String(lrOf(s, meta)));
    epochs.set(s.epochs);
    batch.set(s.batch);
    seed.set(s.seed);
    qat.set(s.qatEpochs);
    for (const [b, c] of bitChecks) c.set(s.bits.includes(b));
  }

  renderDeploy();
  sync();
  return {
    sync,
    /** After the settings object changed wholesale (a loaded network's activation). */
    reload() {
      trainAct.set(st().train);
      renderDeploy();
      sync();
    },
  };
}
