// aq.fit(target, options): the best hard or piecewise-linear approximation of a table
// activation -- minimax or least squares, free or power-of-two slopes, optionally on a
// fixed-point grid and measured after output quantization -- and what every preset of the
// family gives up against it. The result runs through a table entry (pwl, or the
// hard_sigmoid / hard_tanh / hard_swish kernels), so forward, derivative, LUTs and exports
// take it as they take any activation.
//
//   const r = aq.fit('sigmoid', { form: 'pwl', pieces: 8 });
//   aq.forward(r.activation, x, r.params);
//
// The target is evaluated in float64 (src/js/fit/targets.js, checked against the kernels by
// the tests); results are measured on the parameters as the kernels take them (pwl knots
// and values are float32) and, with output qparams, on the dequantized codes of the
// kernels' own outputs.

import { paramsObject } from './registry.js';
import { normalizeQParams, codeRange } from './quantize.js';
import { targetFunction, targetShape } from './fit/targets.js';
import { freePwl, symPwl, slopePwl, clipModel, gateModel } from './fit/models.js';
import { profile, alternation, remez, greedyStart } from './fit/minimax.js';
import { quadrature, leastSquares } from './fit/lsq.js';
import { slopeSet, nearestIndex, dyadicExponent, integerDescent, compassSearch } from './fit/discrete.js';

export const FIT_FORMS = ['hard', 'pwl'];
export const FIT_METRICS = ['max', 'rms'];
export const FIT_SLOPES = ['free', 'pow2', 'pow2x2'];
export const FIT_DEFAULT_RANGE = [-8, 8];
const OPTION_NAMES = ['params', 'form', 'pieces', 'metric', 'slopes', 'range', 'symmetric', 'fracBits',
  'distribution', 'outQp', 'bits', 'inQp'];

/** PLAN (Amin, Curtis & Hayes-Gill 1997), exactly as published: it jumps by 2^-8 at |x| = 2.375. */
export function plan(x) {
  const a = Math.abs(x);
  const y = a >= 5 ? 1 : a >= 2.375 ? 0.03125 * a + 0.84375 : a >= 1 ? 0.125 * a + 0.625 : 0.25 * a + 0.5;
  return x < 0 ? 1 - y : y;
}

const describe = (v) => (typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
const fail = (message) => { throw new RangeError(`fit: ${message}`); };
const oneOf = (name, v, list) => {
  if (!list.includes(v)) fail(`unknown ${name} ${describe(v)} (one of: ${list.join(', ')})`);
  return v;
};

// ---- options -------------------------------------------------------------------------------

function readOptions(aq, target, options) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') throw new TypeError(`fit: options must be an object, got ${typeof options}`);
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) fail(`unknown option '${key}' (one of: ${OPTION_NAMES.join(', ')})`);
  }
  const entry = aq.activation(target); // RangeError listing the names
  aq._withParams(entry, options.params, () => {}); // the target's parameters, checked by the table
  const p = paramsObject(entry, options.params);
  const form = oneOf('form', options.form ?? 'pwl', FIT_FORMS);
  const metric = oneOf('metric', options.metric ?? 'max', FIT_METRICS);
  const slopes = oneOf('slopes', options.slopes ?? 'free', FIT_SLOPES);
  let pieces = options.pieces;
  if (form === 'hard') {
    if (pieces !== undefined && pieces !== 3) fail(`pieces applies to form 'pwl' (a hard form has 3 pieces), got ${describe(pieces)}`);
    pieces = 3;
  } else {
    pieces ??= 8;
    if (!Number.isInteger(pieces) || pieces < 2 || pieces > 64) fail(`pieces must be an integer in [2, 64], got ${describe(pieces)}`);
  }
  const nd = options.distribution?.normal;
  if (nd !== undefined && !(Array.isArray(nd) && nd.length === 2 && Number.isFinite(nd[0]) && Number.isFinite(nd[1]) && nd[1] > 0)) {
    fail(`distribution.normal must be [mean, sd] with sd > 0, got ${Array.isArray(nd) ? describe(nd) : String(nd)}`);
  }
  const range = options.range ?? (options.distribution?.normal
    ? [options.distribution.normal[0] - 6 * options.distribution.normal[1], options.distribution.normal[0] + 6 * options.distribution.normal[1]]
    : options.distribution?.samples ? null : FIT_DEFAULT_RANGE);
  let [a, b] = range ?? [];
  if (range === null) {
    const s = Array.from(options.distribution.samples).filter(Number.isFinite);
    if (!s.length) fail('distribution.samples: no finite samples');
    a = Math.min(...s); b = Math.max(...s);
    if (!(a < b)) fail(`distribution.samples span no range: all are ${a}`);
  } else if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || !(range[0] < range[1])) {
    fail(`range must be [lo, hi] with finite lo < hi, got ${Array.isArray(range) ? describe(range) : String(range)}`);
  }
  if (Math.max(Math.abs(a), Math.abs(b)) > 1000) fail(`range must lie within [-1000, 1000], got [${a}, ${b}]`);
  const symmetric = options.symmetric ?? false;
  if (typeof symmetric !== 'boolean') throw new TypeError('fit: symmetric must be a boolean');
  let fracBits = options.fracBits ?? null;
  if (fracBits !== null && (!Number.isInteger(fracBits) || fracBits < 0 || fracBits > 24)) {
    fail(`fracBits must be an integer in [0, 24], got ${describe(fracBits)}`);
  }
  let distribution = options.distribution ?? null;
  if (distribution !== null) {
    if (typeof distribution !== 'object') fail("distribution must be { normal: [mean, sd] } or { samples: [...] }");
    if (metric === 'max') fail("metric 'max' takes no input distribution (a distribution weights the 'rms' metric)");
    if (distribution.normal) {
      const [mean, sd] = distribution.normal;
      if (!Number.isFinite(mean) || !(sd > 0) || !Number.isFinite(sd)) fail(`distribution.normal must be [mean, sd] with sd > 0, got ${describe(distribution.normal)}`);
      distribution = { normal: [mean, sd] };
    } else if (distribution.samples) {
      if (!(Array.isArray(distribution.samples) || ArrayBuffer.isView(distribution.samples))) fail('distribution.samples must be an array of numbers');
      distribution = { samples: Float64Array.from(distribution.samples).filter(Number.isFinite) };
      if (!distribution.samples.some((x) => x >= a && x <= b)) fail('distribution.samples: none inside the range');
    } else {
      fail("distribution must be { normal: [mean, sd] } or { samples: [...] }");
    }
  }
  // output quantization: qparams (or a framework preset), or just a bit width (the scale and
  // zero point then come from the target's output range over the fit range)
  let outQp = options.outQp ?? null;
  const bits = options.bits ?? null;
  if (typeof outQp === 'string') outQp = aq.outputQParams(outQp);
  if (outQp !== null) {
    outQp = normalizeQParams(outQp, 'outQp').normalized;
    if (Array.isArray(outQp.scale)) fail('outQp must be per-tensor');
    if (bits !== null && bits !== outQp.bits) fail(`bits = ${bits} conflicts with outQp.bits = ${outQp.bits}`);
  } else if (bits !== null) {
    if (!Number.isInteger(bits) || bits < 2 || bits > 16) fail(`bits must be an integer in [2, 16], got ${describe(bits)}`);
  }
  let inQp = options.inQp ?? null;
  if (inQp !== null) {
    inQp = normalizeQParams(inQp, 'inQp').normalized;
    if (Array.isArray(inQp.scale)) fail('inQp must be per-tensor');
  }
  return { entry, p, form, metric, slopes, pieces, range: [a, b], symmetric, fracBits, distribution, outQp, bits, inQp };
}

// ---- the fitters ---------------------------------------------------------------------------

const linspace = (a, b, n) => Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

/** n points over [a, b] plus the target's kinks inside (the greedy start can then put a knot
 *  exactly where the target has one, and cover a piecewise-linear target exactly). */
function samplesWithKinks(a, b, n, T) {
  const extra = T.kinks;
  const xs = [...linspace(a, b, n), ...extra.filter((x) => x > a && x < b)].sort((p, q) => p - q);
  return Float64Array.from(xs.filter((x, i) => i === 0 || x > xs[i - 1]));
}

/** The hard family that applies to a target: clip(s x + o, lo, hi) or x clip(s x + o, 0, 1). */
function hardFamily(ctx) {
  const { shape, entry } = ctx;
  if (shape.bounded) {
    const { lo, hi } = shape.bounded;
    const sigmoidLike = lo === 0 && hi === 1;
    if (!sigmoidLike && (lo < -100 || hi > 100)) fail(`${entry.name}: its range [${lo}, ${hi}] is beyond hard_tanh's clip values`);
    return { kind: 'clip', lo, hi, activation: sigmoidLike ? 'hard_sigmoid' : 'hard_tanh', maxSlope: sigmoidLike ? 10 : 100, maxOffset: sigmoidLike ? 10 : 100 };
  }
  if (shape.gated) return { kind: 'gate', activation: 'hard_swish', maxSlope: 10, maxOffset: 10 };
  return fail(`form 'hard' needs a target that rises from one level to another (sigmoid, tanh, softsign, ...) ` +
    `or is x times a gate from 0 to 1 (silu, gelu, mish, hard_swish, relu); ${entry.name} is neither: use form 'pwl'`);
}

/** A model's theta limited to what its kernel accepts. */
function bounded(model, family) {
  const build = model.build;
  return {
    ...model,
    build(theta) {
      if (!(theta[0] >= 0.001 && theta[0] <= family.maxSlope)) return null;
      if (model.n > 1 && !(Math.abs(theta[1]) <= family.maxOffset)) return null;
      return build(theta);
    },
  };
}

function cheapMax(fn, xs, fs) {
  const p = fn.values(xs);
  let m = 0;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, Math.abs(fs[i] - p[i]));
  return m;
}

/** The objective for the unquantized metric of a built function. */
function floatObjective(ctx) {
  if (ctx.metric === 'max') return (fn) => profile(fn, ctx.T, ctx.fitRange, 512).max;
  return (fn) => {
    const p = fn.values(ctx.nodes.x);
    let s = 0;
    for (let i = 0; i < p.length; i++) s += ctx.nodes.w[i] * (ctx.fx[i] - p[i]) ** 2;
    return Math.sqrt(s);
  };
}

function runContinuous(ctx, model, theta0, scales) {
  if (ctx.metric === 'max') {
    const r = remez(model, ctx.T, ctx.fitRange, theta0, scales);
    return { theta: r.theta, fn: r.fn, remez: r };
  }
  const r = leastSquares(model, ctx.nodes, ctx.fx, theta0, scales);
  return { theta: r.theta, fn: r.fn };
}

function fitHard(ctx) {
  const family = hardFamily(ctx);
  const { T, shape } = ctx;
  const [a, b] = ctx.range;
  let model;
  if (family.kind === 'clip') {
    if (ctx.symmetric && Math.abs(shape.center - (family.lo + family.hi) / 2) > 1e-12) fail('symmetric: the clip levels are not symmetric about f(0)');
    model = bounded(clipModel(family.lo, family.hi, ctx.symmetric ? shape.center : null), family);
  } else {
    if (ctx.symmetric) fail(`symmetric: ${ctx.entry.name} has no point symmetry (the x clip(...) family is not symmetric)`);
    model = bounded(gateModel(), family);
  }
  // start: the best of a coarse grid
  const xs = linspace(ctx.fitRange[0], ctx.fitRange[1], 257), fs = xs.map(T.f);
  const objective = ctx.metric === 'max' ? (fn) => cheapMax(fn, xs, fs) : floatObjective(ctx);
  const span = family.kind === 'clip' ? (family.hi - family.lo) / (b - a) : 1 / (b - a);
  let best = null;
  const offsets = family.kind === 'clip'
    ? (ctx.symmetric ? [null] : Array.from({ length: 41 }, (_, j) => family.lo + ((family.hi - family.lo) * (j - 10)) / 20))
    : Array.from({ length: 41 }, (_, j) => -0.5 + j / 20);
  for (let k = -32; k <= 40; k++) {
    for (const o of offsets) {
      const theta = o === null ? Float64Array.of(span * 2 ** (k / 4)) : Float64Array.of(span * 2 ** (k / 4), o);
      const fn = model.build(theta);
      if (!fn) continue;
      const v = objective(fn);
      if (!best || v < best.v) best = { v, theta };
    }
  }
  if (!best) fail('no start inside the kernel\'s parameter ranges');
  const scales = model.n === 1 ? [best.theta[0] / 2] : [best.theta[0] / 2, family.kind === 'clip' ? (family.hi - family.lo) / 4 : 0.25];
  const r = runContinuous(ctx, model, best.theta, scales);
  if (family.kind === 'clip' && model.n === 2 && shape.symmetric && ctx.range[0] === -ctx.range[1]) {
    // a symmetric target: the optimum's offset is the center; take it exactly when it is as good
    const c = (family.lo + family.hi) / 2, at = Float64Array.of(r.theta[0], c), fn = model.build(at);
    const objective = floatObjective({ ...ctx, fitRange: ctx.range });
    if (fn && Math.abs(r.theta[1] - c) < 1e-6 && objective(fn) <= objective(r.fn) * (1 + 1e-12)) { r.theta = at; r.fn = fn; }
  }
  return { family, model, ...r };
}

/** Knots (x) and values (y) padded to k points: the widest gaps are split (collinear). */
function padPoints(points, k, [a, b]) {
  const pts = points.map((q) => q.slice());
  if (pts.length === 0) pts.push([(a + b) / 2, 0]);
  if (pts.length === 1) {
    const y = pts[0][1];
    pts.length = 0;
    for (let i = 0; i < k; i++) pts.push([a + ((b - a) * (i + 1)) / (k + 1), y]);
    return pts;
  }
  while (pts.length < k) {
    let w = -1, at = 0;
    for (let i = 0; i + 1 < pts.length; i++) if (pts[i + 1][0] - pts[i][0] > w) { w = pts[i + 1][0] - pts[i][0]; at = i; }
    pts.splice(at + 1, 0, [(pts[at][0] + pts[at + 1][0]) / 2, (pts[at][1] + pts[at + 1][1]) / 2]);
  }
  return pts;
}

function pwlSides(ctx) {
  const { saturates } = ctx.shape;
  return { left: saturates.left ? 'constant' : 'extend', right: saturates.right ? 'constant' : 'extend' };
}

function fitPwl(ctx) {
  const { T, shape, pieces: N } = ctx;
  const sides = pwlSides(ctx);
  const K = N + 1 - (sides.left === 'constant') - (sides.right === 'constant');
  const M = 4096;
  let model, theta0, E0;
  const [fa, fb] = ctx.fitRange;
  if (ctx.symmetric) {
    if (sides.left !== sides.right) fail(`symmetric: ${ctx.entry.name} is not symmetric`);
    const extend = sides.right === 'extend', m = Math.floor(K / 2);
    model = symPwl(K, fb, shape.center, extend);
    const xs = samplesWithKinks(0, fb, M, T), fs = xs.map(T.f);
    const g = greedyStart(xs, fs, Math.ceil(N / 2), { left: 'extend', right: sides.right }, [0, shape.center]);
    E0 = g?.E ?? 1;
    const pos = padPoints((g?.points ?? [[0, shape.center]]).slice(1), m, [0, fb]);
    if (extend && pos.length) pos[pos.length - 1][0] = fb;
    theta0 = model.thetaOfPositive(pos.map((q) => q[0]), pos.map((q) => q[1]));
  } else {
    model = freePwl(K, ctx.fitRange, sides);
    const xs = samplesWithKinks(fa, fb, M, T), fs = xs.map(T.f);
    const g = greedyStart(xs, fs, N, sides);
    E0 = g?.E ?? 1;
    const pts = padPoints(g?.points ?? [], K, ctx.fitRange);
    if (sides.left === 'extend') pts[0][0] = fa;
    if (sides.right === 'extend') pts[pts.length - 1][0] = fb;
    theta0 = model.thetaOf(pts.map((q) => q[0]), pts.map((q) => q[1]));
  }
  const fScale = Math.max(4 * E0, 1e-9 * Math.max(1, Math.abs(shape.center)));
  const scales = model.scales((fb - fa) / (K + 1), fScale);
  if (ctx.metric === 'rms') {
    // least squares from the minimax solution: it has the right shape already
    const start = remez(model, T, ctx.fitRange, theta0, scales, { maxIterations: 40 });
    return { model, sides, K, scales, ...runContinuous(ctx, model, start.theta, scales) };
  }
  return { model, sides, K, scales, ...runContinuous(ctx, model, theta0, scales) };
}

// ---- constrained slopes and fixed-point grids ------------------------------------------------

/** The fixed-point grid: fracBits, or for constrained slopes one fine enough to keep every
 *  knot and value exact in float32 (the kernel's storage) with room for 2^-6 slopes. */
function gridBits(ctx, magnitude) {
  if (ctx.fracBits !== null) return ctx.fracBits;
  if (ctx.slopes === 'free') return null;
  const whole = Math.max(0, Math.ceil(Math.log2(Math.max(1, magnitude)) + 1e-12));
  return Math.max(4, Math.min(16, 23 - whole - 6));
}

function slopesOf(fn) {
  const { knots: t, values: v } = fn.pwl;
  return t.slice(1).map((x, i) => (v[i + 1] - v[i]) / (x - t[i]));
}

function constrainHard(ctx, cont, objective) {
  const { model, family } = cont;
  const set = ctx.slopes === 'free' ? null : slopeSet(ctx.slopes);
  const F = ctx.fracBits, q = F === null ? null : 2 ** -F;
  const s0 = cont.theta[0];
  const xs = linspace(ctx.fitRange[0], ctx.fitRange[1], 1025), fs = xs.map(ctx.T.f);
  const cheap = ctx.metric === 'max' ? (fn) => cheapMax(fn, xs, fs) : objective;
  let candidates;
  if (set) {
    const i = nearestIndex(set, s0);
    candidates = [...set.slice(Math.max(0, i - 3), i + 4)].filter((s) => s > 0);
  } else if (q !== null) {
    const k = Math.round(s0 / q);
    candidates = [k - 2, k - 1, k, k + 1, k + 2].filter((v) => v > 0).map((v) => v * q);
  } else {
    candidates = [s0];
  }
  let best = null;
  for (const s of candidates) {
    let theta;
    if (model.n === 1) theta = Float64Array.of(s);
    else {
      // the best offset for this slope: golden-section search, then the grid's neighbours
      // (on a grid first: cheap), then the exact objective picks among it, the family's
      // center and the grid's neighbours
      const g = (o) => { const fn = model.build(Float64Array.of(s, o)); return fn ? cheap(fn) : Infinity; };
      const exact = (o) => { const fn = model.build(Float64Array.of(s, o)); return fn ? objective(fn) : Infinity; };
      let lo = cont.theta[1] - 1, hi = cont.theta[1] + 1;
      for (let it = 0; it < 50; it++) {
        const m1 = lo + (hi - lo) * 0.382, m2 = lo + (hi - lo) * 0.618;
        if (g(m1) <= g(m2)) hi = m2; else lo = m1;
      }
      const found = (lo + hi) / 2;
      let options = [found];
      if (family.kind === 'clip') options.push((family.lo + family.hi) / 2);
      if (q !== null) {
        const k = Math.round(found / q);
        options = [k - 1, k, k + 1].map((v) => v * q);
      }
      const scored = options.map((o) => [o, exact(o)]);
      const bestV = Math.min(...scored.map((x) => x[1]));
      // ties go to the later option: the center, or the grid point nearest the optimum
      const o = scored.filter((x) => x[1] <= bestV * (1 + 1e-12)).map((x) => x[0]).pop();
      theta = Float64Array.of(s, o);
    }
    const fn = model.build(theta);
    if (!fn) continue;
    const v = objective(fn);
    if (!best || v < best.v) best = { v, theta, fn };
  }
  if (!best) fail('no slope of the allowed set fits the kernel\'s parameter ranges');
  return { ...cont, theta: best.theta, fn: best.fn, remez: null };
}

function constrainPwl(ctx, cont, objective) {
  const { sides, K } = cont;
  const sym = ctx.symmetric;
  const fb = ctx.fitRange[1];
  const set = ctx.slopes === 'free' ? null : slopeSet(ctx.slopes);
  let fn = cont.fn;
  // 1. the slopes: rounded, then one at a time to a neighbour in the set while that helps
  //    (the knots and the level re-optimized for each choice)
  let model = null, theta = null;
  if (set) {
    const all = slopesOf(fn);
    const m = Math.floor(K / 2);
    // symmetric: the positive half's segments, from the middle out
    let idx = sym ? all.slice(all.length - m).map((s) => nearestIndex(set, s)) : all.map((s) => nearestIndex(set, s));
    if (sym && K % 2 === 0) idx = all.slice(all.length - m).map((s) => nearestIndex(set, s)); // middle segment first
    const make = (ix) => {
      const slopes = Array.from(ix, (i) => set[i]);
      return sym ? slopePwl(K, ctx.fitRange, sides, slopes, { c: ctx.shape.center }) : slopePwl(K, ctx.fitRange, sides, slopes);
    };
    const thetaFor = (mdl, f) => {
      const t = f.pwl.knots, free = [];
      if (sym) { const pos = t.filter((x) => x > 0); for (let i = 0; i < mdl.n; i++) free.push(pos[i]); return Float64Array.from(free); }
      for (let i = 0; i < K; i++) if (!((sides.left === 'extend' && i === 0) || (sides.right === 'extend' && i === K - 1))) free.push(t[i]);
      free.push(f.pwl.values[0]);
      return Float64Array.from(free);
    };
    const solve = (ix, start, iterations) => {
      const mdl = make(ix);
      let th = thetaFor(mdl, start);
      if (!sym) {
        // the level: the best constant shift for these slopes
        const f0 = mdl.build(th);
        if (f0) {
          const xs = linspace(ctx.fitRange[0], fb, 513), fs = xs.map(ctx.T.f), p = f0.values(xs);
          let lo = Infinity, hi = -Infinity;
          for (let i = 0; i < xs.length; i++) { lo = Math.min(lo, fs[i] - p[i]); hi = Math.max(hi, fs[i] - p[i]); }
          th[th.length - 1] += (lo + hi) / 2;
        }
      }
      if (!mdl.build(th)) return null;
      const scales = mdl.scales((fb - ctx.fitRange[0]) / (K + 1), cont.scales[cont.scales.length - 1]);
      try {
        const r = ctx.metric === 'max'
          ? remez(mdl, ctx.T, ctx.fitRange, th, scales, { maxIterations: iterations })
          : leastSquares(mdl, ctx.nodes, ctx.fx, th, scales, { maxIterations: iterations });
        return { model: mdl, theta: r.theta, fn: r.fn, v: objective(r.fn), idx: Int32Array.from(ix) };
      } catch {
        return null;
      }
    };
    let best = solve(idx, fn, 60);
    for (let sweep = 0; best && sweep < 3; sweep++) {
      let moved = false;
      for (let i = 0; i < idx.length; i++) {
        for (const d of [-1, 1]) {
          const ix = Int32Array.from(best.idx);
          ix[i] += d;
          if (ix[i] < 0 || ix[i] >= set.length) continue;
          const r = solve(ix, cont.fn, 40);
          if (r && r.v < best.v * (1 - 1e-9)) { best = r; moved = true; }
        }
      }
      if (!moved) break;
    }
    if (!best) fail('no pwl with slopes from the allowed set was found');
    ({ model, theta, fn } = best);
  }
  // 2. the grid: knots and values on multiples of 2^-F (with constrained slopes, every
  //    segment's rise is then slope * run, exact), by integer coordinate descent
  const magnitude = Math.max(Math.abs(ctx.range[0]), Math.abs(ctx.range[1]), ...fn.pwl.values.map(Math.abs));
  const F = gridBits(ctx, magnitude);
  if (F !== null) {
    let exact = null;
    if (set) {
      const half = model.slopes;
      exact = !sym ? half : K % 2 === 1 ? [...half].reverse().concat(half) : [...half.slice(1)].reverse().concat(half);
    }
    fn = snapPwl(ctx, fn, F, exact, objective);
  }
  return { ...cont, model, theta, fn, remez: null, gridBits: F };
}

/** Moves a pwl's knots and values onto the 2^-F grid (keeping given slopes exactly). */
function snapPwl(ctx, fn, F, slopes, objective) {
  const q = 2 ** -F;
  const { knots, values, extendLeft, extendRight } = fn.pwl;
  const K = knots.length;
  const sym = ctx.symmetric;
  const c = ctx.shape.center;
  const build = (T, V) => {
    const t = Array.from(T, (v) => v * q), v = Array.from(V, (u) => u * q);
    for (let i = 1; i < K; i++) if (!(t[i] > t[i - 1])) return null;
    return pwlBuilt(t, v, extendLeft, extendRight);
  };
  if (slopes) {
    // integers: the first knot T0, the runs (multiples of 2^qd for slope m / 2^qd), V0
    const units = slopes.map((s) => 2 ** dyadicExponent(s));
    const decode = (z) => {
      const T = [z[0]], V = [z[K]];
      for (let i = 1; i < K; i++) {
        const run = z[i] * units[i - 1];
        if (!(run > 0)) return null;
        T.push(T[i - 1] + run);
        V.push(V[i - 1] + slopes[i - 1] * run);
      }
      return build(T, V);
    };
    const z0 = new Int32Array(K + 1);
    z0[0] = Math.round(knots[0] / q);
    for (let i = 1; i < K; i++) z0[i] = Math.max(1, Math.round((knots[i] - knots[i - 1]) / q / units[i - 1]));
    z0[K] = Math.round(values[0] / q);
    if (sym) return snapSymmetric(ctx, fn, F, slopes, objective);
    const steps = new Int32Array(K + 1).fill(1);
    const res = integerDescent(z0, steps, (z) => { const f = decode(z); return f ? objective(f) : null; });
    const f = decode(res.z);
    if (!f) fail(`fracBits ${F}: no pwl on this grid keeps the slopes`);
    return f;
  }
  // free slopes: every knot and value on the grid
  const z0 = new Int32Array(2 * K);
  for (let i = 0; i < K; i++) { z0[i] = Math.round(knots[i] / q); z0[K + i] = Math.round(values[i] / q); }
  if (sym) {
    const decode = (z) => {
      const T = z.slice(0, K), V = z.slice(K);
      for (let i = 0; i < K; i++) if (T[i] !== -T[K - 1 - i] || V[i] + V[K - 1 - i] !== Math.round((2 * c) / q)) return null;
      return build(T, V);
    };
    // mirrored pairs move together: knot i and K - 1 - i, value K + i and 2K - 1 - i
    const mirror = (z, i, d) => { z[i] += d; z[i < K ? K - 1 - i : 3 * K - 1 - i] -= d; };
    // start symmetric: the right half mirrors the left
    for (let i = 0; i < Math.floor(K / 2); i++) { z0[K - 1 - i] = -z0[i]; z0[2 * K - 1 - i] = Math.round((2 * c) / q) - z0[K + i]; }
    if (K % 2) { z0[(K - 1) / 2] = 0; z0[K + (K - 1) / 2] = Math.round(c / q); }
    let best = decode(z0) ? objective(decode(z0)) : Infinity, z = Int32Array.from(z0);
    for (let sweep = 0; sweep < 60; sweep++) {
      let moved = false;
      for (let i = 0; i < 2 * K; i++) {
        if ((i < K && i >= Math.floor(K / 2)) || (i >= K && i - K >= Math.floor(K / 2))) continue;
        for (const d of [1, -1]) {
          const t = Int32Array.from(z);
          mirror(t, i, d);
          const f = decode(t);
          const v = f ? objective(f) : null;
          if (v !== null && v < best) { best = v; z = t; moved = true; break; }
        }
      }
      if (!moved) break;
    }
    const f = decode(z);
    if (!f) fail(`fracBits ${F}: no symmetric pwl on this grid`);
    return f;
  }
  const res = integerDescent(z0, new Int32Array(2 * K).fill(1), (z) => { const f = build(z.slice(0, K), z.slice(K)); return f ? objective(f) : null; });
  const f = build(res.z.slice(0, K), res.z.slice(K));
  if (!f) fail(`fracBits ${F}: the knots collide on this grid`);
  return f;
}

function snapSymmetric(ctx, fn, F, slopes, objective) {
  // positive knots p_1 < ... < p_m on the grid; runs multiples of the slope units; the
  // middle: a knot at 0 (K odd) or a segment through (0, c)
  const q = 2 ** -F, c = ctx.shape.center;
  const { knots, extendLeft, extendRight } = fn.pwl;
  const K = knots.length, m = Math.floor(K / 2), mid = K % 2 === 1;
  const pos = knots.slice(K - m), half = slopes.slice(slopes.length - m);
  const units = half.map((s) => 2 ** dyadicExponent(s));
  if (Math.abs(c / q - Math.round(c / q)) > 1e-12) fail(`fracBits ${F}: the center value ${c} is not on the grid`);
  const decode = (z) => {
    const t = [], v = [];
    let x = 0, y = Math.round(c / q);
    for (let i = 0; i < m; i++) {
      const run = z[i] * units[i];
      if (!(run > 0) || (!mid && i === 0 && run % 2 !== 0 && units[0] > 1)) return null;
      x += mid || i > 0 ? run : run / 2;
      if (!Number.isInteger(x)) return null;
      y += half[i] * (mid || i > 0 ? run : run / 2);
      t.push(x); v.push(y);
    }
    if (v.some((u) => Math.abs(u - Math.round(u)) > 1e-9)) return null;
    const T = [...t.map((u) => -u).reverse(), ...(mid ? [0] : []), ...t].map((u) => u * q);
    const V = [...v.map((u) => 2 * Math.round(c / q) - u).reverse(), ...(mid ? [Math.round(c / q)] : []), ...v].map((u) => u * q);
    return pwlBuilt(T, V, extendLeft, extendRight);
  };
  const z0 = new Int32Array(m);
  let prev = 0;
  for (let i = 0; i < m; i++) {
    const run = mid || i > 0 ? pos[i] - prev : 2 * pos[i];
    z0[i] = Math.max(1, Math.round(run / q / units[i]));
    prev = pos[i];
  }
  const res = integerDescent(z0, new Int32Array(m).fill(1), (z) => { const f = decode(z); return f ? objective(f) : null; });
  const f = decode(res.z);
  if (!f) fail(`fracBits ${F}: no symmetric pwl on this grid keeps the slopes`);
  return f;
}

function pwlBuilt(t, v, extendLeft, extendRight) {
  const model = freePwl(t.length, [t[0] - 1, t[t.length - 1] + 1], { left: 'constant', right: 'constant' });
  const fn = model.build(model.thetaOf(t, v));
  if (!fn) return null;
  if (extendLeft || extendRight) {
    // the same points, the sides as asked
    const m2 = freePwl(t.length, [t[0], t[t.length - 1]], { left: extendLeft ? 'extend' : 'constant', right: extendRight ? 'extend' : 'constant' });
    return m2.build(m2.thetaOf(t, v));
  }
  return fn;
}

// ---- deployment: the table entry, its parameters, and measuring them --------------------------

function deployment(fit) {
  const { fn } = fit;
  if (fit.family?.kind === 'clip') {
    const { lo, hi } = fit.family;
    return fit.family.activation === 'hard_sigmoid'
      ? { activation: 'hard_sigmoid', params: { slope: fn.slope, offset: fn.offset } }
      : { activation: 'hard_tanh', params: { min_val: lo, max_val: hi, slope: fn.slope, offset: fn.offset } };
  }
  if (fit.family?.kind === 'gate') return { activation: 'hard_swish', params: { slope: fn.slope, offset: fn.offset } };
  let knots = fn.pwl.knots.map(Math.fround), values = fn.pwl.values.map(Math.fround);
  for (let i = 1; i < knots.length; i++) {
    if (!(knots[i] > knots[i - 1])) knots[i] = nextFloat32(knots[i - 1]);
  }
  // a knot between two segments of exactly one slope (constrained fits can choose that)
  // is no kink: drop it, the function stays the same
  const slope = (i) => (values[i + 1] - values[i]) / (knots[i + 1] - knots[i]);
  const keep = knots.map((_, i) => {
    const n = knots.length;
    if (n <= 2) return true;
    if (i === 0) return !(slope(0) === 0 && !fn.pwl.extendLeft);
    if (i === n - 1) return !(slope(n - 2) === 0 && !fn.pwl.extendRight);
    return slope(i - 1) !== slope(i);
  });
  if (keep.some((k) => !k) && keep.filter(Boolean).length >= 2) {
    knots = knots.filter((_, i) => keep[i]);
    values = values.filter((_, i) => keep[i]);
  }
  return { activation: 'pwl', params: { knots, values, extend_left: fn.pwl.extendLeft, extend_right: fn.pwl.extendRight } };
}

function nextFloat32(x) {
  const f = new Float32Array([x]), u = new Int32Array(f.buffer);
  u[0] += x >= 0 ? 1 : -1;
  if (x === 0) { f[0] = 1.4e-45; }
  return f[0];
}

/** An approximant as the evaluator needs it: float64 value, kinks, jumps, and the kernel. */
function approximant(aq, activation, params) {
  if (activation === null) {
    return {
      value: plan, kinks: [-5, -2.375, -1, 1, 2.375, 5], jumps: [-2.375, 2.375],
      run: (x) => Float32Array.from(x, plan),
    };
  }
  const entry = aq.activation(activation);
  const t = targetFunction(entry.name, paramsObject(entry, params));
  return { value: t.f, kinks: t.kinks, jumps: t.jumps, run: (x) => aq.forward(activation, x, params) };
}

/** Where the quantized metric is taken: every input code in the range (inQp), the samples,
 *  or 16385 points over the range. */
function quantizedPoints(aq, ctx) {
  const [a, b] = ctx.range;
  let x;
  if (ctx.inQp) {
    const [qmin, qmax] = codeRange(ctx.inQp);
    const Code = normalizeQParams(ctx.inQp).CodeArray;
    const codes = Code.from({ length: qmax - qmin + 1 }, (_, i) => qmin + i);
    x = aq.dequantize(codes, ctx.inQp).filter((v) => v >= a && v <= b);
  } else if (ctx.distribution?.samples) {
    x = Float32Array.from(ctx.distribution.samples.filter((v) => v >= a && v <= b));
  } else {
    x = Float32Array.from(linspace(a, b, 16385));
  }
  if (!x.length) fail('no input code of inQp lies in the range');
  const w = new Float64Array(x.length);
  if (ctx.distribution?.normal && !ctx.inQp) {
    const [mean, sd] = ctx.distribution.normal;
    for (let i = 0; i < x.length; i++) w[i] = Math.exp(-0.5 * ((x[i] - mean) / sd) ** 2);
  } else w.fill(1);
  const total = w.reduce((s, v) => s + v, 0);
  for (let i = 0; i < w.length; i++) w[i] /= total;
  return { x, w, fx: Float64Array.from(x, ctx.T.f) };
}

/** { maxError, maxErrorAt, rmsError } of an approximant: float64 over the continuous range,
 *  or on the dequantized codes of its kernel's outputs. */
function measure(aq, ctx, ap) {
  if (ctx.quant) {
    const { x, w, fx } = ctx.quant.points;
    const yq = aq.dequantize(aq.quantize(ap.run(x), ctx.quant.outQp), ctx.quant.outQp);
    let max = -1, at = x[0], s = 0;
    for (let i = 0; i < x.length; i++) {
      const e = Math.abs(yq[i] - fx[i]);
      if (e > max) { max = e; at = x[i]; }
      s += w[i] * e * e;
    }
    return { maxError: max, maxErrorAt: at, rmsError: Math.sqrt(s) };
  }
  const fn = { value: ap.value, kinks: [...ap.kinks, ...(ap.jumps ?? [])] };
  const target = { ...ctx.T, jumps: [...ctx.T.jumps, ...(ap.jumps ?? [])] };
  const prof = profile(fn, target, ctx.range, 4096);
  // rms: Gauss-Legendre on 4096 parts (an approximant's kinks inside a part cost O(h^2))
  ctx.measureNodes ??= quadrature(ctx.range, ctx.T.kinks, ctx.distribution, 4096);
  const nodes = ctx.measureNodes;
  ctx.measureFx ??= Float64Array.from(nodes.x, ctx.T.f);
  let s = 0;
  for (let i = 0; i < nodes.x.length; i++) s += nodes.w[i] * (ctx.measureFx[i] - ap.value(nodes.x[i])) ** 2;
  return { maxError: prof.max, maxErrorAt: prof.at, rmsError: Math.sqrt(s) };
}

/** The family's presets (and PLAN for sigmoid / tanh) as rows to compare with. */
function presetRows(aq, ctx) {
  const rows = [];
  const { shape } = ctx;
  const hs = aq.activation('hard_sigmoid'), ht = aq.activation('hard_tanh');
  if (shape.bounded?.lo === 0 && shape.bounded?.hi === 1) {
    for (const name of Object.keys(hs.presets)) rows.push({ name: `hard_sigmoid ${name}`, activation: 'hard_sigmoid', params: paramsObject(hs, name) });
    if (ctx.entry.name === 'sigmoid') rows.push({ name: 'PLAN (Amin et al. 1997)', activation: null, params: null });
  } else if (shape.bounded) {
    for (const name of Object.keys(ht.presets)) {
      const p = paramsObject(ht, name);
      if (p.min_val === shape.bounded.lo && p.max_val === shape.bounded.hi) rows.push({ name: `hard_tanh ${name}`, activation: 'hard_tanh', params: p });
    }
    if (ctx.entry.name === 'tanh') rows.push({ name: 'PLAN via 2 PLAN(2x) - 1', activation: 'plan-tanh', params: null });
  } else if (shape.gated) {
    rows.push({ name: 'hard_swish default (x relu6(x + 3) / 6)', activation: 'hard_swish', params: paramsObject(aq.activation('hard_swish')) });
  }
  return rows.map((row) => {
    const ap = row.activation === 'plan-tanh'
      ? { value: (x) => 2 * plan(2 * x) - 1, kinks: [-2.5, -1.1875, -0.5, 0.5, 1.1875, 2.5], jumps: [-1.1875, 1.1875], run: (x) => Float32Array.from(x, (v) => 2 * plan(2 * v) - 1) }
      : approximant(aq, row.activation, row.params);
    const activation = row.activation === 'plan-tanh' ? null : row.activation;
    return { name: row.name, activation, params: row.params, ...measure(aq, ctx, ap) };
  });
}

// ---- the quantization-aware polish ------------------------------------------------------------

function quantizedPolish(aq, ctx, fit) {
  const metricOf = (dep) => {
    const m = measure(aq, ctx, approximant(aq, dep.activation, dep.params));
    return ctx.metric === 'max' ? m.maxError : m.rmsError;
  };
  const step = ctx.quant.outQp.scale;
  if (fit.family) {
    // slope and offset (within the slope set / grid when constrained)
    const set = ctx.slopes === 'free' ? null : slopeSet(ctx.slopes);
    const q = ctx.fracBits === null ? null : 2 ** -ctx.fracBits;
    const dep0 = deployment(fit);
    const make = (s, o) => {
      const fn = fit.model.build(fit.model.n === 1 ? Float64Array.of(s) : Float64Array.of(s, o));
      return fn ? { fn, dep: deployment({ ...fit, fn }) } : null;
    };
    let s = fit.fn.slope, o = fit.fn.offset;
    let best = metricOf(dep0);
    const sCands = (sv) => (set ? [-1, 0, 1].map((d) => set[nearestIndex(set, sv) + d]).filter((v) => v > 0) : null);
    for (let level = 0; level < 10; level++) {
      const ds = set ? 0 : (q ?? s * 0.01 * 4 ** -level), dO = q ?? step * 4 ** -level;
      let moved = true;
      while (moved) {
        moved = false;
        const trial = [];
        if (set) for (const sv of sCands(s)) trial.push([sv, o]);
        else trial.push([s + ds, o], [s - ds, o]);
        if (fit.model.n > 1) trial.push([s, o + dO], [s, o - dO]);
        for (const [ts, to] of trial) {
          const m = make(ts, to);
          if (!m) continue;
          const v = metricOf(m.dep);
          if (v < best) { best = v; s = ts; o = to; fit = { ...fit, fn: m.fn }; moved = true; }
        }
      }
      if (q !== null) break;
    }
    return fit;
  }
  // pwl: knots and values, as float32 (or on the grid)
  const dep = deployment(fit);
  const K = dep.params.knots.length;
  const extend = [dep.params.extend_left, dep.params.extend_right];
  const theta = Float64Array.from([...dep.params.knots, ...dep.params.values]);
  const valid = (th) => { for (let i = 1; i < K; i++) if (!(th[i] > th[i - 1])) return false; return true; };
  const depOf = (th) => ({ activation: 'pwl', params: { knots: Array.from(th.slice(0, K), Math.fround), values: Array.from(th.slice(K), Math.fround), extend_left: extend[0], extend_right: extend[1] } });
  const objective = (th) => (valid(th) ? metricOf(depOf(th)) : null);
  const F = fit.gridBits ?? null;
  let res;
  if (F !== null && ctx.slopes !== 'free') {
    // constrained slopes on the grid: shift the level only (the slopes are the point)
    const q = 2 ** -F;
    res = compassSearch(theta, [...Array(K).fill(0), ...Array(K).fill(q)], (th) => {
      const shift = th[K] - theta[K];
      const t2 = Float64Array.from(theta);
      for (let i = 0; i < K; i++) t2[K + i] += shift;
      return objective(t2);
    }, { levels: 1 });
    const shift = res.theta[K] - theta[K];
    for (let i = 0; i < K; i++) res.theta[K + i] = theta[K + i] + shift;
  } else {
    const span = (ctx.range[1] - ctx.range[0]) / (K + 1);
    const steps = F !== null ? Array(2 * K).fill(2 ** -F) : [...Array(K).fill(span * 0.05), ...Array(K).fill(step)];
    res = compassSearch(theta, steps, objective, { levels: F !== null ? 1 : 6, maxEvaluations: 4000 });
  }
  const d = depOf(res.theta);
  const t = d.params.knots, v = d.params.values;
  return { ...fit, fn: pwlBuilt(t, v, extend[0], extend[1]) };
}

// ---- fit --------------------------------------------------------------------------------------

/**
 * The best approximation of `target` of the given form; see README "Fit" and fit.d.ts.
 * @param {import('./index.js').Actq} aq
 */
export function fit(aq, target, options) {
  const o = readOptions(aq, target, options);
  const T = targetFunction(o.entry.name, o.p);
  const shape = targetShape(T.f);
  if (o.symmetric) {
    if (!shape.symmetric) fail(`symmetric: ${o.entry.name} has no point symmetry about (0, f(0)) (drop symmetric)`);
    if (!(o.range[0] < 0 && o.range[1] > 0)) fail(`symmetric: the range [${o.range}] must contain 0`);
  }
  const [a, b] = o.range;
  const ctx = {
    ...o, T, shape,
    // a symmetric minimax fit needs only x >= 0: the error is odd
    fitRange: o.symmetric && o.metric === 'max' ? [0, Math.max(-a, b)] : o.range,
  };
  if (o.metric === 'rms') {
    ctx.nodes = quadrature(o.range, T.kinks, o.distribution, 1024);
    ctx.fx = Float64Array.from(ctx.nodes.x, T.f);
  }
  if (o.outQp || o.bits !== null) {
    let outQp = o.outQp;
    if (!outQp) {
      const y = Float32Array.from(linspace(a, b, 4097), T.f);
      outQp = aq.calibrate(y, { bits: o.bits, signed: true });
    }
    ctx.quant = { outQp, inQp: o.inQp };
    ctx.quant.points = quantizedPoints(aq, ctx);
  }

  const started = performance.now();
  let result = o.form === 'hard' ? fitHard(ctx) : fitPwl(ctx);
  let piecesUsed = o.pieces;
  if (o.form === 'pwl' && o.metric === 'max' && o.slopes === 'free' && o.pieces % 2 === 0 && o.pieces > 2 &&
      shape.symmetric && a === -b) {
    // A point-symmetric target over a symmetric range: an even piece count has found no
    // better minimax error than one piece fewer (the tests check it for sigmoid). Then the
    // odd fit is the clean answer: the same error, its extremes all level, no idle knot.
    const odd = fitPwl({ ...ctx, pieces: o.pieces - 1 });
    if (odd.remez.profile.max <= result.remez.profile.max * (1 + 1e-9)) { result = odd; piecesUsed = o.pieces - 1; }
  }
  const exact = result.remez
    ? { ...result.remez, activation: null }
    : null;
  const constrained = o.slopes !== 'free' || o.fracBits !== null;
  if (constrained) {
    const objective = floatObjective(ctx);
    if (o.form === 'hard') result = constrainHard(ctx, result, objective);
    else {
      const plain = constrainPwl(ctx, result, objective);
      result = plain;
      if (!o.symmetric && shape.symmetric && a === -b && shape.saturates.left === shape.saturates.right) {
        // the discrete search is local: for a symmetric target also try it from the symmetric
        // optimum, and keep the better
        const sctx = { ...ctx, symmetric: true, fitRange: o.metric === 'max' ? [0, b] : o.range };
        try {
          const sym = constrainPwl(sctx, fitPwl(sctx), floatObjective(sctx));
          if (objective(sym.fn) < objective(plain.fn) * (1 - 1e-9)) result = sym;
        } catch (e) {
          if (!(e instanceof RangeError)) throw e;
        }
      }
    }
  }
  if (ctx.quant) result = quantizedPolish(aq, ctx, result);
  const dep = deployment(result);
  const ap = approximant(aq, dep.activation, dep.params);
  const metrics = measure(aq, ctx, ap);

  const out = {
    target: o.entry.name,
    targetParams: o.p,
    form: o.form,
    pieces: o.pieces,
    piecesUsed: o.form === 'pwl' ? Math.min(piecesUsed, dep.params.knots.length + 1 - dep.params.extend_left - dep.params.extend_right) : 3,
    metric: o.metric,
    slopes: o.slopes,
    range: [a, b],
    symmetric: o.symmetric,
    fracBits: o.fracBits,
    gridBits: result.gridBits ?? o.fracBits,
    activation: dep.activation,
    params: dep.params,
    ...metrics,
    segments: segmentsOf(dep),
    quantization: ctx.quant ? { outQp: ctx.quant.outQp, inQp: o.inQp } : null,
    presets: presetRows(aq, ctx),
  };
  if (exact && !constrained && !ctx.quant) {
    // the float64 optimum before float32 storage: its alternation points
    const E = exact.profile.max;
    let extrema = alternation(exact.profile.extrema, 1e-3 * E).map((p) => ({ x: p.x, error: p.e }));
    if (o.symmetric) extrema = mirrorExtrema(extrema);
    out.optimum = {
      maxError: E,
      extrema,
      alternations: extrema.filter((p) => Math.abs(p.error) >= E * (1 - 1e-6)).length,
      spread: exact.spread,
      iterations: exact.iterations,
    };
  }
  out.milliseconds = performance.now() - started;
  return out;
}

function mirrorExtrema(list) {
  const pos = list.filter((p) => p.x > 0);
  return [...pos.map((p) => ({ x: -p.x, error: -p.error })).reverse(), ...pos];
}

/** The pieces as lines y = slope x + intercept on [from, to] (what integer code implements). */
function segmentsOf(dep) {
  const p = dep.params;
  if (dep.activation === 'pwl') {
    const { knots: t, values: v } = p, out = [];
    const n = t.length;
    if (n === 1) return [{ from: -Infinity, to: Infinity, slope: 0, intercept: v[0] }];
    const seg = (from, to, i) => { const s = (v[i + 1] - v[i]) / (t[i + 1] - t[i]); return { from, to, slope: s, intercept: v[i] - s * t[i] }; };
    out.push(p.extend_left ? seg(-Infinity, t[1], 0) : { from: -Infinity, to: t[0], slope: 0, intercept: v[0] });
    for (let i = p.extend_left ? 1 : 0; i < n - 1 - (p.extend_right ? 1 : 0); i++) out.push(seg(t[i], t[i + 1], i));
    out.push(p.extend_right ? seg(t[n - 2], Infinity, n - 2) : { from: t[n - 1], to: Infinity, slope: 0, intercept: v[n - 1] });
    return out;
  }
  const { slope: s, offset: o } = p;
  if (dep.activation === 'hard_swish') {
    return [{ from: -Infinity, to: -o / s, slope: 0, intercept: 0, gate: 0 }, { from: -o / s, to: (1 - o) / s, gate: { slope: s, offset: o } }, { from: (1 - o) / s, to: Infinity, slope: 1, intercept: 0 }];
  }
  const lo = dep.activation === 'hard_sigmoid' ? 0 : p.min_val, hi = dep.activation === 'hard_sigmoid' ? 1 : p.max_val;
  return [{ from: -Infinity, to: (lo - o) / s, slope: 0, intercept: lo }, { from: (lo - o) / s, to: (hi - o) / s, slope: s, intercept: o }, { from: (hi - o) / s, to: Infinity, slope: 0, intercept: hi }];
}

/** Installs aq.fit on an Actq instance. */
export function installFit(aq) {
  aq.fit = (target, options) => fit(aq, target, options);
}
