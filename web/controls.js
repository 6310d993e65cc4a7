// Labelled form controls: a slider with a live value, a select, a checkbox, a text field.
// Each returns { el, input, set(value) }; set() updates the control without firing onChange.

import { fmt } from './format.js';

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

function field(cls = 'field') {
  const el = document.createElement('div');
  el.className = cls;
  return el;
}

function labelFor(id, text, doc) {
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = text;
  if (doc) label.title = doc;
  return label;
}

/** A visually hidden description, so screen readers hear the parameter's doc. */
function description(id, doc) {
  const span = document.createElement('span');
  span.id = `${id}-doc`;
  span.className = 'sr-only';
  span.textContent = doc;
  return span;
}

/** A tidy step for a slider spanning `span`: 1, 2 or 5 times a power of ten, ~500 steps. */
export function niceStep(span) {
  const raw = span / 500;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * power;
}

const snap = (v, step) => Number((Math.round(v / step) * step).toPrecision(12));

/**
 * A range slider with a visible label and an <output> showing the live value.
 * The slider uses step="any" so a preset's exact value (1/6) is shown as is, not snapped to a
 * step; dragging and the keyboard move in `step` units (arrows: 1 step, PageUp/Down: 10,
 * Home/End: the ends).
 */
export function slider({ id = nextId('slider'), label, doc, min, max, step, value, integer = false, format = fmt, onChange }) {
  const el = field();
  const input = document.createElement('input');
  input.type = 'range';
  input.id = id;
  input.min = String(min);
  input.max = String(max);
  input.step = integer ? '1' : 'any';
  const output = document.createElement('output');
  output.htmlFor = id;
  output.id = `${id}-value`;
  el.append(labelFor(id, label, doc), input, output);
  if (doc) {
    el.append(description(id, doc));
    input.setAttribute('aria-describedby', `${id}-doc`);
  }
  step = integer ? Math.max(1, step ?? 1) : step ?? niceStep(max - min);

  let current = value;
  const show = (v) => {
    current = v;
    input.value = String(v);
    output.value = format(v);
    input.setAttribute('aria-valuetext', format(v));
  };
  const commit = (v) => {
    v = Math.min(max, Math.max(min, integer ? Math.round(v) : snap(v, step)));
    if (v === current) return void show(v);
    show(v);
    onChange(v);
  };
  input.addEventListener('input', () => commit(Number(input.value)));
  input.addEventListener('keydown', (e) => {
    const moves = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 };
    let v;
    if (e.key in moves) v = snap(current, step) + moves[e.key] * step;
    else if (e.key === 'Home') v = min;
    else if (e.key === 'End') v = max;
    else return;
    e.preventDefault();
    commit(v);
  });
  show(value);
  return { el, input, output, set: show };
}

/** A <select> from [value, text] pairs or { groupLabel: pairs } for <optgroup>s. */
export function select({ id = nextId('select'), label, doc, options, value, onChange }) {
  const el = field();
  const input = document.createElement('select');
  input.id = id;
  fillSelect(input, options);
  input.value = value;
  input.addEventListener('change', () => onChange(input.value));
  el.append(labelFor(id, label, doc), input);
  return { el, input, set: (v) => { input.value = v; } };
}

export function fillSelect(input, options) {
  input.replaceChildren();
  const add = (parent, [value, text]) => parent.append(new Option(text, value));
  if (Array.isArray(options)) {
    options.forEach((o) => add(input, o));
  } else {
    for (const [group, list] of Object.entries(options)) {
      const g = document.createElement('optgroup');
      g.label = group;
      list.forEach((o) => add(g, o));
      input.append(g);
    }
  }
}

export function checkbox({ id = nextId('check'), label, doc, value, onChange }) {
  const el = field('field check');
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.id = id;
  input.checked = value;
  input.addEventListener('change', () => onChange(input.checked));
  el.append(input, labelFor(id, label, doc));
  if (doc) {
    el.append(description(id, doc));
    input.setAttribute('aria-describedby', `${id}-doc`);
  }
  return { el, input, set: (v) => { input.checked = v; } };
}

/** A text field applied on change (Enter or blur); parse() returns the value or throws. */
export function textField({ id = nextId('text'), label, doc, value, parse, onChange }) {
  const el = field();
  const input = document.createElement('input');
  input.type = 'text';
  input.id = id;
  input.value = value;
  input.spellcheck = false;
  el.append(labelFor(id, label, doc), input);
  if (doc) {
    el.append(description(id, doc));
    input.setAttribute('aria-describedby', `${id}-doc`);
  }
  input.addEventListener('change', () => {
    try {
      const v = parse(input.value);
      input.removeAttribute('aria-invalid');
      input.title = '';
      onChange(v);
    } catch (e) {
      input.setAttribute('aria-invalid', 'true');
      input.title = e.message;
    }
  });
  return { el, input, set: (v) => { input.value = v; input.removeAttribute('aria-invalid'); } };
}
