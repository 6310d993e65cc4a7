// The list of plotted functions. Each card's controls are built from the registry metadata
// (aq.activations[i].params: name, kind, default, min, max, doc; .presets), so a new
// activation in the C table gets its sliders, checkboxes and preset picker with no page edit.

import { slider, select, checkbox, textField, fillSelect, sliderRange, parseArray } from './controls.js';
import { makeSeries, presetOf, MAX_SERIES } from './state.js';
import { humanize, fmt } from './format.js';

/**
 * @param {HTMLElement} container
 * @param {object} aq the loaded actq instance
 * @param {{ state: () => object, changed: (structural: boolean) => void }} hooks
 *   changed(true) after the list itself changed (add, remove, rename), else changed(false)
 */
export function seriesPanel(container, aq, hooks) {
  let cards = [];

  const optionsAll = aq.activations.map((a) => [a.name, a.name]);

  function card(s, i) {
    const entry = aq.activation(s.name);
    const n = i + 1;
    const el = document.createElement('fieldset');
    el.className = 'series';
    el.style.setProperty('--c', `var(--series-${i})`);
    el.dataset.index = String(i);

    const legend = document.createElement('legend');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.setAttribute('aria-hidden', 'true');
    const pick = select({
      id: `s${i}-name`, label: `Function ${n}`, options: optionsAll, value: s.name,
      onChange: (name) => {
        hooks.state().series[i] = makeSeries(aq, name);
        hooks.changed(true);
      },
    });
    pick.el.querySelector('label').className = 'sr-only';
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove';
    remove.textContent = '✕';
    remove.setAttribute('aria-label', `Remove function ${n} (${s.name})`);
    remove.disabled = hooks.state().series.length === 1;
    remove.addEventListener('click', () => {
      const state = hooks.state();
      state.series.splice(i, 1);
      if (state.lut === i) state.lut = -1; // lutIndex() picks another
      else if (state.lut > i) state.lut--;
      hooks.changed(true);
    });
    legend.append(swatch, pick.input, pick.el.querySelector('label'), remove);
    el.append(legend);

    const formula = document.createElement('p');
    formula.className = 'formula';
    formula.textContent = entry.formula;
    el.append(formula);

    const controls = new Map(); // param name -> control (or [text, ...element sliders])
    let presetPick = null, presetDoc = null;
    const presets = Object.keys(entry.presets);
    if (presets.length) {
      presetPick = select({
        id: `s${i}-preset`, label: 'Preset',
        options: [['', 'custom'], ...presets.map((p) => [p, p])],
        value: presetOf(entry, s.params) ?? '',
        onChange: (preset) => {
          if (!preset) return; // 'custom' keeps the current values
          const series = hooks.state().series[i];
          series.params = makeSeries(aq, series.name, preset).params;
          sync();
          hooks.changed(false);
        },
      });
      presetDoc = document.createElement('p');
      presetDoc.className = 'doc';
      presetDoc.id = `s${i}-preset-doc`;
      presetPick.input.setAttribute('aria-describedby', presetDoc.id);
      el.append(presetPick.el, presetDoc);
    }

    const setParam = (name, v) => {
      hooks.state().series[i].params[name] = v;
      syncPreset();
      hooks.changed(false);
    };

    for (const p of entry.params) {
      const id = `s${i}-${p.name}`;
      const label = humanize(p.name);
      const doc = `${p.name}: ${p.doc}`;
      const value = s.params[p.name];
      if (p.kind === 'boolean') {
        const c = checkbox({ id, label, doc, value, onChange: (v) => setParam(p.name, v) });
        controls.set(p.name, c);
        el.append(c.el);
      } else if (p.kind === 'array') {
        // the list as text (sets the length), plus one slider per element
        let parts = [];
        const text = textField({
          id, label: `${label} (list)`, doc, value: value.join(', '), parse: parseArray(p),
          onChange: (v) => {
            const lengthChanged = v.length !== hooks.state().series[i].params[p.name].length;
            hooks.state().series[i].params[p.name] = v;
            if (!lengthChanged) parts.forEach((sl, k) => sl.set(v[k]));
            syncPreset();
            hooks.changed(lengthChanged); // a new length needs new element sliders
          },
        });
        el.append(text.el);
        parts = value.map((v, k) => {
          const [lo, hi] = sliderRange(p, v);
          const sl = slider({
            id: `${id}-${k}`, label: `${p.name}[${k}]`, doc, min: lo, max: hi, value: v,
            onChange: (x) => {
              const arr = [...hooks.state().series[i].params[p.name]];
              arr[k] = x;
              text.set(arr.join(', '));
              setParam(p.name, arr);
            },
          });
          el.append(sl.el);
          return sl;
        });
        controls.set(p.name, { set: (arr) => { text.set(arr.join(', ')); arr.forEach((v, k) => parts[k]?.set(v)); } });
      } else {
        // positive parameters spanning decades (slope 0.001..10) get a log slider
        const log = p.kind === 'number' && p.min > 0 && p.max / p.min >= 100;
        const [lo, hi] = log ? [p.min, p.max] : sliderRange(p, value);
        const ticks = Object.values(entry.presets).map((pr) => pr[p.name]).filter(Number.isFinite);
        const sl = slider({
          id, label, doc, min: lo, max: hi, value, integer: p.kind === 'integer', scale: log ? 'log' : 'linear',
          typed: p.kind === 'number', ticks,
          // a typed value is checked by the package, as a call would be: its RangeError is shown
          validate: (v) => {
            try {
              aq.forward(s.name, new Float32Array(1), { ...hooks.state().series[i].params, [p.name]: v });
              return null;
            } catch (e) {
              return e.message;
            }
          },
          onChange: (v) => setParam(p.name, v),
        });
        controls.set(p.name, sl);
        el.append(sl.el);
      }
    }

    const problem = document.createElement('p');
    problem.className = 'problem';
    problem.id = `s${i}-problem`;
    problem.setAttribute('role', 'status');
    el.append(problem);

    function syncPreset() {
      if (!presetPick) return;
      const preset = presetOf(entry, hooks.state().series[i].params);
      presetPick.set(preset ?? '');
      presetDoc.textContent = preset ? entry.presets[preset].doc : `custom: ${entry.params.map((p) => `${p.name} = ${fmt(hooks.state().series[i].params[p.name])}`).join(', ')}`;
    }
    function sync() {
      const params = hooks.state().series[i].params;
      for (const [name, c] of controls) c.set(params[name]);
      syncPreset();
    }
    syncPreset();
    return { el, problem };
  }

  const addPick = document.getElementById('add-name');
  fillSelect(addPick, optionsAll);
  addPick.value = 'tanh';
  const addButton = document.getElementById('add-button');
  addButton.addEventListener('click', () => {
    const state = hooks.state();
    if (state.series.length >= MAX_SERIES) return;
    state.series.push(makeSeries(aq, addPick.value));
    hooks.changed(true);
  });

  return {
    /** Rebuilds every card from the state (after a structural change); keeps focus. */
    render() {
      const focused = document.activeElement?.id;
      const series = hooks.state().series;
      cards = series.map(card);
      container.replaceChildren(...cards.map((c) => c.el));
      addButton.disabled = series.length >= MAX_SERIES;
      addButton.title = addButton.disabled ? `at most ${MAX_SERIES} functions` : '';
      if (focused) document.getElementById(focused)?.focus();
    },
    /** Shows a function's problem (e.g. a RangeError for min_val >= max_val), or clears it. */
    problem(i, message) {
      const p = cards[i]?.problem;
      if (p && p.textContent !== message) p.textContent = message;
    },
  };
}
