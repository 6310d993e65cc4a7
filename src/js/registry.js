// The activation registry, read from the wasm module's table (src/c/activations.c) at load:
// names, formulas, parameters with defaults and ranges, presets. Also turns a user's
// `params` argument (undefined | preset name | object) into the values the kernels take.

const KINDS = ['number', 'integer', 'boolean', 'array'];
/** The accuracy tiers of forward(), in the order of enum actq_tier (src/c/actq.h). */
export const TIERS = Object.freeze(['precise', 'balanced', 'fast']);

export function readRegistry(wasm, cstring) {
  const activations = [];
  for (let id = 0; id < wasm.actq_count(); id++) {
    const params = [];
    for (let k = 0; k < wasm.actq_param_count(id); k++) {
      const field = (f) => wasm.actq_param_field(id, k, f);
      const kind = KINDS[field(3)];
      const param = { name: cstring(wasm.actq_param_name(id, k)), kind, min: field(1), max: field(2) };
      param.default = kind === 'array'
        ? Array.from({ length: field(4) }, (_, i) => wasm.actq_param_default_at(id, k, i))
        : kind === 'boolean' ? field(0) !== 0 : field(0);
      param.doc = cstring(wasm.actq_param_doc(id, k));
      params.push(Object.freeze(param));
    }
    const presets = {};
    for (let j = 0; j < wasm.actq_preset_count(id); j++) {
      const values = {};
      params.forEach((p, k) => { values[p.name] = wasm.actq_preset_value(id, j, k); });
      presets[cstring(wasm.actq_preset_name(id, j))] =
        Object.freeze({ ...values, doc: cstring(wasm.actq_preset_doc(id, j)) });
    }
    activations.push(Object.freeze({
      id,
      name: cstring(wasm.actq_name(id)),
      formula: cstring(wasm.actq_formula(id)),
      // has a kernel of its own for the tier (else forward() runs the precise one)
      balanced: wasm.actq_has_tier(id, TIERS.indexOf('balanced')) === 1,
      fast: wasm.actq_has_tier(id, TIERS.indexOf('fast')) === 1,
      params: Object.freeze(params),
      presets: Object.freeze(presets),
    }));
  }
  return Object.freeze(activations);
}

const describe = (v) => (typeof v === 'string' ? `'${v}'` : String(v));

/** params -> { scalars: number[], arrays: (Float32Array|null)[] } in table order.
 *  Throws RangeError naming the activation and parameter; touches nothing. */
export function resolveParams(entry, params) {
  let given = {};
  if (typeof params === 'string') params = { preset: params };
  if (params !== undefined && params !== null) {
    if (typeof params !== 'object') {
      throw new TypeError(`${entry.name}: params must be an object, a preset name or null, got ${typeof params}`);
    }
    given = { ...params };
  }
  let base = {};
  if (given.preset !== undefined) {
    const preset = entry.presets[given.preset];
    if (!preset || !Object.hasOwn(entry.presets, given.preset)) {
      const known = Object.keys(entry.presets);
      throw new RangeError(`${entry.name}: unknown preset ${describe(given.preset)}` +
        (known.length ? ` (one of: ${known.join(', ')})` : ' (it has no presets)'));
    }
    base = preset;
    delete given.preset;
  }
  for (const key of Object.keys(given)) {
    if (!entry.params.some((p) => p.name === key)) {
      const known = entry.params.map((p) => p.name);
      throw new RangeError(`${entry.name}: unknown parameter '${key}'` +
        (known.length ? ` (one of: ${known.join(', ')})` : ' (it takes none)'));
    }
  }
  const scalars = [], arrays = [];
  for (const p of entry.params) {
    let v = given[p.name] ?? base[p.name] ?? p.default;
    if (p.kind === 'array') {
      if (typeof v === 'number') v = [v];
      if (!(Array.isArray(v) || v instanceof Float32Array || v instanceof Float64Array)) {
        throw new TypeError(`${entry.name}: parameter '${p.name}' must be a number or an array of numbers`);
      }
      arrays.push(Float32Array.from(v));
      scalars.push(0);
    } else {
      if (typeof v === 'boolean') v = v ? 1 : 0;
      if (typeof v !== 'number') {
        throw new TypeError(`${entry.name}: parameter '${p.name}' must be a number, got ${typeof v}`);
      }
      scalars.push(v);
      arrays.push(null);
    }
  }
  return { scalars, arrays };
}

/** params as a { name: value } object (defaults, preset, then given values), e.g. for table
 *  metadata. Unknown names and presets throw as in resolveParams; ranges are checked in C. */
export function paramsObject(entry, params) {
  const { scalars, arrays } = resolveParams(entry, params);
  return Object.fromEntries(entry.params.map((p, k) => [p.name,
    p.kind === 'array' ? Array.from(arrays[k]) : p.kind === 'boolean' ? scalars[k] !== 0 : scalars[k]]));
}

/** The RangeError for parameter k, as reported by the C validator: out of its own range,
 *  or (when it is within range) breaking a rule between parameters, stated in its doc. */
export function parameterError(entry, k, resolved) {
  const p = entry.params[k];
  const show = (j) => (entry.params[j].kind === 'array' ? `[${Array.from(resolved.arrays[j]).join(', ')}]` : resolved.scalars[j]);
  const values = p.kind === 'array' ? Array.from(resolved.arrays[k]) : [resolved.scalars[k]];
  const integral = p.kind === 'integer' || p.kind === 'boolean';
  const inRange = values.length > 0 && values.every((v) => v >= p.min && v <= p.max && (!integral || Number.isInteger(v)));
  if (inRange) {
    const others = entry.params.flatMap((q, j) => (j === k ? [] : [`${q.name} = ${show(j)}`]));
    return new RangeError(`${entry.name}: parameter '${p.name}' = ${show(k)} conflicts with ${others.join(', ')}: ${p.doc}`);
  }
  const range = p.kind === 'array' ? `non-empty, elements in [${p.min}, ${p.max}]`
    : p.kind === 'integer' ? `an integer in [${p.min}, ${p.max}]`
    : p.kind === 'boolean' ? 'true or false' : `finite, in [${p.min}, ${p.max}]`;
  return new RangeError(`${entry.name}: parameter '${p.name}' = ${show(k)} is invalid: must be ${range} (${p.doc})`);
}
