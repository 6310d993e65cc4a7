// One activation picker: the function, its preset and its parameters -- all built from the
// registry metadata (aq.activations[i].params: name, kind, default, min, max, doc; .presets),
// like the main page's function cards, so a new activation in the C table appears here too.

import { slider, select, checkbox, textField, sliderRange, parseArray } from '../controls.js';
import { humanize } from '../format.js';
import { makeActivation, detectPreset, isDefault } from './settings.js';

const CUSTOM = '*custom';


/**
 * @param {object} aq the actq instance (registry)
 * @param {{ id: string, legend: string, value: object, onChange: (act: object) => void,
 *           onRemove?: () => void, removeLabel?: string, open?: boolean }} options
 * @returns {{ el: HTMLElement, set(act: object): void }}
 */
export function activationPicker(aq, { id, legend, value, onChange, onRemove, removeLabel, open = false }) {
  let act = structuredClone(value);
  const el = document.createElement('fieldset');
  el.className = 'act';
  const lg = document.createElement('legend');
  lg.textContent = legend;
  el.append(lg);

  const row = document.createElement('div');
  row.className = 'act-row';
  const name = select({
    id: `${id}-name`, label: 'Function', options: aq.activations.map((a) => [a.name, a.name]), value: act.name,
    onChange: (v) => { act = makeActivation(aq, v); build(); emit(); },
  });
  const preset = select({
    id: `${id}-preset`, label: 'Preset', options: [], value: '',
    onChange: (v) => {
      if (v === CUSTOM) return;
      act = makeActivation(aq, act.name, v || null);
      sync();
      emit();
    },
  });
  row.append(name.el, preset.el);
  if (onRemove) {
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove';
    remove.id = `${id}-remove`;
    remove.textContent = '✕';
    remove.setAttribute('aria-label', removeLabel ?? `Remove ${legend}`);
    remove.addEventListener('click', onRemove);
    row.append(remove);
  }
  el.append(row);

  const formula = document.createElement('p');
  formula.className = 'formula';
  const doc = document.createElement('p');
  doc.className = 'doc';
  doc.id = `${id}-preset-doc`;
  preset.input.setAttribute('aria-describedby', doc.id);
  const details = document.createElement('details');
  details.className = 'params';
  details.open = open;
  const summary = document.createElement('summary');
  summary.textContent = 'Parameters';
  const paramBox = document.createElement('div');
  details.append(summary, paramBox);
  el.append(formula, doc, details);

  const controls = new Map();
  const emit = () => onChange(structuredClone(act));

  function setParam(key, v) {
    act.params[key] = v;
    const found = detectPreset(aq, act);
    act.preset = found && !(isDefault(aq, act) && act.preset === null) ? found : null;
    syncPreset();
    emit();
  }

  function build() {
    const entry = aq.activation(act.name);
    name.set(act.name);
    formula.textContent = entry.formula;
    controls.clear();
    paramBox.replaceChildren();
    for (const p of entry.params) {
      const pid = `${id}-${p.name}`;
      const label = humanize(p.name);
      const pdoc = `${p.name}: ${p.doc}`;
      const v = act.params[p.name];
      let c;
      if (p.kind === 'boolean') {
        c = checkbox({ id: pid, label, doc: pdoc, value: v, onChange: (x) => setParam(p.name, x) });
      } else if (p.kind === 'array') {
        c = textField({ id: pid, label: `${label} (list)`, doc: pdoc, value: v.join(', '), parse: parseArray(p), onChange: (x) => setParam(p.name, x) });
        const set = c.set;
        c.set = (x) => set(x.join(', '));
      } else {
        const [lo, hi] = sliderRange(p, v);
        c = slider({ id: pid, label, doc: pdoc, min: lo, max: hi, value: v, integer: p.kind === 'integer', onChange: (x) => setParam(p.name, x) });
      }
      controls.set(p.name, c);
      paramBox.append(c.el);
    }
    details.hidden = entry.params.length === 0;
    sync();
  }

  function syncPreset() {
    const entry = aq.activation(act.name);
    const presets = Object.keys(entry.presets);
    const custom = act.preset === null && !isDefault(aq, act);
    const options = [['', entry.params.length ? 'default parameters' : 'no parameters'], ...presets.map((p) => [p, p])];
    if (custom) options.push([CUSTOM, 'custom']);
    const key = options.map((o) => o[0]).join('|');
    if (preset.input.dataset.key !== key) {
      preset.input.dataset.key = key;
      preset.input.replaceChildren(...options.map(([v, t]) => new Option(t, v)));
    }
    preset.set(custom ? CUSTOM : act.preset ?? '');
    preset.input.disabled = presets.length === 0 && !custom;
    doc.textContent = act.preset ? entry.presets[act.preset].doc
      : custom ? `custom: ${entry.params.map((p) => `${p.name} = ${act.params[p.name]}`).join(', ')}`
      : entry.params.length ? `defaults: ${entry.params.map((p) => `${p.name} = ${act.params[p.name]}`).join(', ')}` : '';
  }

  function sync() {
    for (const [k, c] of controls) c.set(act.params[k]);
    syncPreset();
  }

  build();
  return {
    el,
    set(v) {
      const rebuild = v.name !== act.name;
      act = structuredClone(v);
      if (rebuild) build();
      else sync();
    },
  };
}
