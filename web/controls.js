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

/** A typed number: a decimal or a fraction a/b (1/6 is then exactly 1/6). */
export function parseNumber(text) {
  const decimal = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
  const m = new RegExp(`^\\s*(${decimal})\\s*(?:/\\s*(${decimal})\\s*)?$`).exec(text);
  if (!m) throw new RangeError(`expected a number or a fraction such as 1/6, got '${text}'`);
  const v = m[2] === undefined ? Number(m[1]) : Number(m[1]) / Number(m[2]);
  if (!Number.isFinite(v)) throw new RangeError(`'${text}' is not a finite number`);
  return v;
}

/**
 * A range slider with a visible label and its value: an <output>, or (typed: true) a text
 * box that takes a typed number or fraction, checked by validate(v) (an error message, or
 * null) before it is applied. scale 'log' moves the slider in log10 space -- for positive
 * ranges over decades (slope 0.001..10), where a linear slider puts every preset in its
 * first percent. ticks: values marked on the slider (the presets).
 * The slider uses step="any" so a preset's exact value (1/6) is shown as is, not snapped to a
 * step; dragging and the keyboard move in `step` units (arrows: 1 step, PageUp/Down: 10,
 * Home/End: the ends); on a log slider a step is 1/500 of the decades, and values snap to 4
 * significant digits.
 */
export function slider({ id = nextId('slider'), label, doc, min, max, step, value, integer = false, format = fmt, onChange,
  scale = 'linear', typed = false, validate = () => null, ticks = [] }) {
  const el = field(typed ? 'field typed' : 'field');
  const log = scale === 'log' && min > 0;
  const toPos = (v) => (log ? Math.log10(v) : v), fromPos = (p) => (log ? 10 ** p : p);
  const input = document.createElement('input');
  input.type = 'range';
  input.id = id;
  input.min = String(toPos(min));
  input.max = String(toPos(max));
  input.step = integer ? '1' : 'any';
  if (ticks.length) {
    const list = document.createElement('datalist');
    list.id = `${id}-ticks`;
    for (const t of ticks) if (t >= min && t <= max) list.append(new Option('', String(toPos(t))));
    input.setAttribute('list', list.id);
    el.append(list);
  }
  let output;
  const problem = document.createElement('span');
  if (typed) {
    output = document.createElement('input');
    output.type = 'text';
    output.inputMode = 'decimal';
    output.spellcheck = false;
    output.className = 'num';
    output.setAttribute('aria-label', `${label} value (a number or a fraction)`);
    problem.className = 'field-problem';
    problem.id = `${id}-problem`;
    problem.setAttribute('role', 'alert');
    output.setAttribute('aria-describedby', problem.id);
  } else {
    output = document.createElement('output');
    output.htmlFor = id;
  }
  output.id = `${id}-value`;
  el.append(labelFor(id, label, doc), input, output);
  if (typed) el.append(problem);
  if (doc) {
    el.append(description(id, doc));
    input.setAttribute('aria-describedby', `${id}-doc`);
  }
  const span = toPos(max) - toPos(min);
  step = integer ? Math.max(1, step ?? 1) : log ? span / 500 : step ?? niceStep(max - min);

  let current = value;
  const setText = (text) => { if (typed) output.value = text; else output.value = text; };
  const show = (v) => {
    current = v;
    input.value = String(toPos(v));
    setText(format(v));
    input.setAttribute('aria-valuetext', format(v));
  };
  const round = (v) => (integer ? Math.round(v) : log ? Number(v.toPrecision(4)) : snap(v, step));
  const commit = (v, exact = false) => {
    if (!exact) v = Math.min(max, Math.max(min, round(v))); // a typed value is checked by validate() instead
    if (v === current) return void show(v);
    show(v);
    onChange(v);
  };
  input.addEventListener('input', () => commit(fromPos(Number(input.value))));
  input.addEventListener('keydown', (e) => {
    const moves = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 };
    let v;
    if (e.key in moves) v = log ? fromPos(toPos(current) + moves[e.key] * step) : snap(current, step) + moves[e.key] * step;
    else if (e.key === 'Home') v = min;
    else if (e.key === 'End') v = max;
    else return;
    e.preventDefault();
    commit(v);
  });
  if (typed) {
    output.addEventListener('change', () => {
      let v, message = null;
      try {
        v = parseNumber(output.value);
        if (integer && !Number.isInteger(v)) throw new RangeError(`${label}: must be an integer`);
        message = validate(v);
      } catch (e) {
        message = e.message;
      }
      problem.textContent = message ?? '';
      if (message) {
        output.setAttribute('aria-invalid', 'true');
        return;
      }
      output.removeAttribute('aria-invalid');
      // a typed value is applied exactly (1/6 stays 1/6); the slider shows as far as it reaches
      current = NaN;
      commit(v, true);
    });
  }
  show(value);
  return { el, input, output, set: (v) => { problem.textContent = ''; output.removeAttribute?.('aria-invalid'); show(v); } };
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

// ---- activation parameters (the main page's series cards and the lab's activation pickers) ----

/** Slider ends: the parameter's valid range, cut to a span where a slider is usable
 *  (seed goes to 2^32) but always holding the default and the current value. */
export function sliderRange(p, value) {
  const values = [p.default, value].flat().map(Number);
  const reach = Math.max(10, ...values.map((v) => 2 * Math.abs(v)));
  return [Math.min(Math.max(p.min, -reach), ...values), Math.max(Math.min(p.max, reach), ...values)];
}

export function parseArray(p) {
  return (text) => {
    const values = text.split(/[\s,]+/).filter(Boolean).map(Number);
    if (values.length === 0) throw new RangeError(`${p.name}: give at least one number`);
    if (values.length > 16) throw new RangeError(`${p.name}: at most 16 numbers here`);
    for (const v of values) {
      if (!Number.isFinite(v) || v < p.min || v > p.max) throw new RangeError(`${p.name}: numbers in [${p.min}, ${p.max}], separated by commas`);
    }
    return values;
  };
}
