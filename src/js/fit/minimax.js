// Minimax (best uniform) fitting by exchange, after Remez: find the extremes of the error
// e(x) = f(x) - p(x), pick n + 1 of alternating sign, solve (Newton, Levenberg-Marquardt
// damped) for the parameters that make them equal and opposite, move the points to the
// new extremes, repeat until they agree. The start comes from a greedy cover of the error
// tube (below), so the first iterate already has the right shape.

import { minimaxStep } from './lp.js';

const GOLD = (Math.sqrt(5) - 1) / 2;

/** Maximizes g on [lo, hi] by golden-section search; returns [x, g(x)]. */
function goldenMax(g, lo, hi, iterations = 34) {
  let x1 = hi - GOLD * (hi - lo), x2 = lo + GOLD * (hi - lo), g1 = g(x1), g2 = g(x2);
  for (let i = 0; i < iterations; i++) {
    if (g1 >= g2) { hi = x2; x2 = x1; g2 = g1; x1 = hi - GOLD * (hi - lo); g1 = g(x1); }
    else { lo = x1; x1 = x2; g1 = g2; x2 = lo + GOLD * (hi - lo); g2 = g(x2); }
  }
  return g1 >= g2 ? [x1, g1] : [x2, g2];
}

/**
 * Every local extreme of e = f - fn over [a, b]: the ends, the kinks of fn and of f (and both
 * sides of f's jumps), and interior extremes found on a grid and refined. Each is
 * { x, e, kind: 'end' | 'kink' | 'fixed' | 'interior', kink (index in fn.kinks) }.
 * Returns { extrema, max, at }.
 */
export function profile(fn, target, [a, b], samples = 1024) {
  const { f } = target;
  const points = [{ x: a, kind: 'end' }, { x: b, kind: 'end' }];
  fn.kinks.forEach((x, k) => { if (x > a && x < b) points.push({ x, kind: 'kink', kink: k }); });
  for (const x of target.kinks) if (x > a && x < b) points.push({ x, kind: 'fixed' });
  for (const x of target.jumps) {
    const d = 1e-12 * Math.max(1, Math.abs(x));
    for (const y of [x - d, x + d]) if (y > a && y < b) points.push({ x: y, kind: 'fixed' });
  }
  points.sort((p, q) => p.x - q.x);
  const breaks = points.filter((p, i) => i === 0 || p.x > points[i - 1].x);
  const step = (b - a) / samples;
  const xs = [], tags = [];
  for (let i = 0; i < breaks.length; i++) {
    xs.push(breaks[i].x);
    tags.push(breaks[i]);
    if (i + 1 === breaks.length) break;
    const lo = breaks[i].x, hi = breaks[i + 1].x, m = Math.max(2, Math.ceil((hi - lo) / step));
    for (let j = 1; j < m; j++) { xs.push(lo + ((hi - lo) * j) / m); tags.push(null); }
  }
  const e = xs.map((x) => f(x) - fn.value(x));
  const extrema = [];
  const last = xs.length - 1;
  for (let i = 0; i <= last; i++) {
    const left = i > 0 ? e[i - 1] : null, right = i < last ? e[i + 1] : null;
    const isMax = (left === null || e[i] > left || (tags[i] && e[i] >= left)) && (right === null || e[i] >= right);
    const isMin = (left === null || e[i] < left || (tags[i] && e[i] <= left)) && (right === null || e[i] <= right);
    if (!isMax && !isMin) continue;
    const sign = isMax && isMin ? Math.sign(e[i]) : isMax ? 1 : -1;
    if (tags[i]) {
      // an extreme right next to a kink may hide between it and the next sample: look on
      // both sides too
      const g = (x) => sign * (f(x) - fn.value(x));
      const side = (lo, hi) => {
        const [x, v] = goldenMax(g, lo, hi);
        return v > sign * e[i] * (1 + 1e-12) && x > lo && x < hi ? { x, e: sign * v, kind: 'interior', sign } : null;
      };
      const left = i > 0 ? side(xs[i - 1], xs[i]) : null, right = i < last ? side(xs[i], xs[i + 1]) : null;
      if (left) extrema.push(left);
      extrema.push({ x: xs[i], e: e[i], kind: tags[i].kind, kink: tags[i].kink, sign });
      if (right) extrema.push(right);
    } else {
      const g = (x) => sign * (f(x) - fn.value(x));
      const [x, v] = goldenMax(g, xs[i - 1], xs[i + 1]);
      const best = v > sign * e[i] ? [x, sign * v] : [xs[i], e[i]];
      extrema.push({ x: best[0], e: best[1], kind: 'interior', sign });
    }
  }
  let max = 0, at = a;
  for (const p of extrema) if (Math.abs(p.e) > max) { max = Math.abs(p.e); at = p.x; }
  return { extrema, max, at };
}

/** The alternating subsequence: consecutive extremes of one sign merge into the largest. */
export function alternation(extrema, floor = 0) {
  const out = [];
  for (const p of extrema) {
    const s = Math.sign(p.e);
    if (s === 0 || Math.abs(p.e) <= floor) continue;
    const q = out[out.length - 1];
    if (q && Math.sign(q.e) === s) { if (Math.abs(p.e) > Math.abs(q.e)) out[out.length - 1] = p; }
    else out.push(p);
  }
  return out;
}

/** n + 1 of an alternating list, keeping the largest |e| (Remez's single exchange rules). */
function choose(alt, count) {
  const pts = alt.slice();
  while (pts.length > count) {
    const over = pts.length - count;
    let pair = -1, pairSize = Infinity;
    if (over >= 2) {
      for (let i = 0; i + 1 < pts.length; i++) {
        const size = Math.max(Math.abs(pts[i].e), Math.abs(pts[i + 1].e));
        if (size < pairSize) { pairSize = size; pair = i; }
      }
    }
    const endSize = Math.min(Math.abs(pts[0].e), Math.abs(pts[pts.length - 1].e));
    if (pair >= 0 && pairSize < endSize) pts.splice(pair, 2);
    else if (Math.abs(pts[0].e) <= Math.abs(pts[pts.length - 1].e)) pts.shift();
    else pts.pop();
  }
  return pts;
}

/** Solves (A^T A + lambda diag(A^T A)) z = A^T r; A is rows x cols (array of arrays). */
export function dampedSolve(A, r, lambda) {
  const n = A[0].length, N = new Float64Array(n * n), g = new Float64Array(n);
  for (let i = 0; i < A.length; i++) {
    const row = A[i];
    for (let p = 0; p < n; p++) {
      if (row[p] === 0) continue;
      g[p] += row[p] * r[i];
      for (let q = 0; q < n; q++) N[p * n + q] += row[p] * row[q];
    }
  }
  return solveNormal(N, g, n, lambda);
}

/** The minimum-norm z with A z = r (A: m x n rows, m < n), damped: z = A^T (A A^T + lambda) ^-1 r. */
export function minNormSolve(A, r, lambda) {
  const m = A.length, n = A[0].length, G = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) { let s = 0; for (let k = 0; k < n; k++) s += A[i][k] * A[j][k]; G[i * m + j] = s; }
  const w = solveNormal(G, Float64Array.from(r), m, lambda);
  const z = new Float64Array(n);
  for (let i = 0; i < m; i++) for (let k = 0; k < n; k++) z[k] += A[i][k] * w[i];
  return z;
}

/** Solves (N + lambda diag(N) + tiny I) z = g by Cholesky (N symmetric positive semidefinite). */
export function solveNormal(N, g, n, lambda) {
  const M = Float64Array.from(N);
  let trace = 0;
  for (let p = 0; p < n; p++) trace += N[p * n + p];
  const tiny = 1e-15 * (trace / n || 1);
  for (let p = 0; p < n; p++) M[p * n + p] += lambda * N[p * n + p] + tiny;
  // Cholesky in place (lower)
  for (let j = 0; j < n; j++) {
    let d = M[j * n + j];
    for (let k = 0; k < j; k++) d -= M[j * n + k] * M[j * n + k];
    if (!(d > 0)) d = tiny || 1e-300;
    const l = Math.sqrt(d);
    M[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = M[i * n + j];
      for (let k = 0; k < j; k++) s -= M[i * n + k] * M[j * n + k];
      M[i * n + j] = s / l;
    }
  }
  const z = Float64Array.from(g);
  for (let i = 0; i < n; i++) { let s = z[i]; for (let k = 0; k < i; k++) s -= M[i * n + k] * z[k]; z[i] = s / M[i * n + i]; }
  for (let i = n - 1; i >= 0; i--) { let s = z[i]; for (let k = i + 1; k < n; k++) s -= M[k * n + i] * z[k]; z[i] = s / M[i * n + i]; }
  return z;
}

/** e at extreme p of fn (a kink moves with the parameters). */
function errorAt(fn, targetFn, p) {
  if (!fn) return NaN;
  const x = p.kind === 'kink' ? fn.kinks[p.kink] : p.x;
  return targetFn.f(x) - fn.value(x);
}

function gradients(model, targetFn, theta, points, steps) {
  const n = model.n, g = points.map(() => new Float64Array(n));
  const t = Float64Array.from(theta);
  for (let i = 0; i < n; i++) {
    const h = steps[i];
    t[i] = theta[i] + h;
    const up = model.build(t);
    t[i] = theta[i] - h;
    const down = model.build(t);
    t[i] = theta[i];
    points.forEach((p, j) => {
      const v = (errorAt(up, targetFn, p) - errorAt(down, targetFn, p)) / (2 * h);
      g[j][i] = Number.isFinite(v) ? v : 0;
    });
  }
  return g;
}

/**
 * Minimax fit of model (theta -> function) to targetFn over range, from theta0.
 * 1. Descent by sequential linear programming in a trust region (Madsen's method): at every
 *    extreme of the error, e(x_j) linearized in theta; the step minimizes the largest
 *    linearized |e| (lp.js). It cannot stall on the degenerate configurations of free-knot
 *    fits (too few alternation points), where a levelled Newton system is singular.
 * 2. The exchange polish (Remez): n + 1 extremes of alternating sign, Newton on
 *    sigma_j e(x_j) = E, until they agree to `tolerance`.
 * scales: a typical size per parameter (finite differences take 1e-7 of it, the trust
 * region starts at it). Returns { theta, fn, profile, iterations, spread, points }; spread
 * is (max - min) / max of |e| over the alternation points.
 */
export function remez(model, targetFn, range, theta0, scales, options = {}) {
  const { maxIterations = 240, tolerance = 1e-13, samples = 1024 } = options;
  const n = model.n;
  const steps = scales.map((s) => 1e-7 * s);
  const take = (next) => {
    const nf = model.build(next);
    if (!nf) return null;
    return { theta: next, fn: nf, prof: profile(nf, targetFn, range, samples) };
  };
  let cur = take(Float64Array.from(theta0));
  if (!cur) throw new Error('fit: invalid start');
  let iterations = 0, spread = Infinity, points = [];
  // the exchange: level the largest alternating extremes (Newton on sigma_j e(x_j) = E, all
  // within 10% of the max; minimum-norm when fewer than n + 1 are)
  const level = (state, rounds) => {
    for (let k = 0; k < rounds && state.prof.max > 0; k++, iterations++) {
      const near = state.prof.extrema.filter((p) => Math.abs(p.e) >= 0.9 * state.prof.max);
      const pts = choose(alternation(near), n + 1);
      const mags = pts.map((p) => Math.abs(p.e));
      const sp = pts.length ? (state.prof.max - Math.min(...mags)) / state.prof.max : Infinity;
      if (state === cur) { spread = sp; points = pts; }
      if (sp <= tolerance) break;
      const g = gradients(model, targetFn, state.theta, pts, steps);
      const E = state.prof.max;
      const rows = pts.map((p, j) => {
        const r = new Float64Array(n + 1), sg = Math.sign(p.e);
        for (let i = 0; i < n; i++) r[i] = sg * g[j][i];
        r[n] = -1;
        return r;
      });
      const rhs = pts.map((p) => E - Math.abs(p.e));
      let next = null;
      for (const lambda of [0, 1e-9, 1e-6, 1e-3]) {
        const z = pts.length >= n + 1 ? dampedSolve(rows, rhs, lambda) : minNormSolve(rows, rhs, lambda + 1e-14);
        const t = take(Float64Array.from(state.theta, (v, i) => v + z[i]));
        if (t && t.prof.max <= state.prof.max * (1 + 1e-10)) { next = t; break; }
      }
      if (!next) break;
      const wasCur = state === cur;
      state = next;
      if (wasCur) cur = state;
    }
    return state;
  };
  // descent by linear programming in a trust region; each trial point is levelled before it
  // is judged (a second-order correction: the linear model cannot see the extremes bend)
  let radius = 0.5;
  for (; iterations < maxIterations && cur.prof.max > 0; iterations++) {
    const active = cur.prof.extrema.filter((p) => Math.abs(p.e) >= 0.02 * cur.prof.max);
    const g = gradients(model, targetFn, cur.theta, active, steps);
    const a = [], c = [];
    active.forEach((p, j) => {
      for (const sg of [1, -1]) { a.push(Float64Array.from(g[j], (v) => sg * v)); c.push(sg * p.e); }
    });
    const { d, z } = minimaxStep(a, c, scales.map((sc) => radius * sc));
    const predicted = cur.prof.max - z;
    if (!(predicted > 1e-13 * cur.prof.max)) break;
    let t = take(Float64Array.from(cur.theta, (v, i) => v + d[i]));
    if (t) t = level(t, 3);
    const rho = t ? (cur.prof.max - t.prof.max) / predicted : -1;
    if (rho > 1e-3) cur = t;
    if (rho > 0.75) radius = Math.min(1, radius * 2);
    else if (rho < 0.25) radius /= 4;
    if (radius < 1e-12) break;
  }
  cur = level(cur, 25);
  level(cur, 1); // the final spread and points
  return { theta: cur.theta, fn: cur.fn, profile: cur.prof, iterations, spread, points };
}

// ---- the greedy start ------------------------------------------------------------------

/**
 * A continuous pwl within E of f over the sampled [a, b] with as few pieces as a greedy
 * left-to-right sweep finds: each segment starts where the last one ended and runs as far as
 * a line through its start can stay inside the tube f +- E. sides.left / .right:
 * 'constant' (the outer piece is flat) or 'extend'. start: a fixed first point [x, y]
 * (symmetric fits start at (0, c)). Returns { points: [[x, y]...], pieces } or null when it
 * needs more than maxPieces.
 */
export function tubeCover(xs, fs, E, sides, maxPieces, start = null) {
  const M = xs.length, b = xs[M - 1];
  let x0, y0, i0, pieces = 0;
  const points = [];
  if (start) {
    [x0, y0] = start; i0 = 0; points.push([x0, y0]);
  } else if (sides.left === 'constant') {
    let lo = -Infinity, hi = Infinity, j = 0;
    for (; j < M; j++) {
      const nlo = Math.max(lo, fs[j] - E), nhi = Math.min(hi, fs[j] + E);
      if (nlo > nhi) break;
      lo = nlo; hi = nhi;
    }
    pieces = 1;
    if (j === M) return { points: [[b, (lo + hi) / 2]], pieces };
    if (j === 0) return null;
    // the constant ends where the tube leaves it, between samples j - 1 and j
    const y = fs[j] - E > hi ? hi : lo;
    const d = (fs[j] - E > hi ? fs.map((v) => v - E) : fs.map((v) => v + E));
    const t = (y - d[j - 1]) / (d[j] - d[j - 1]);
    x0 = xs[j - 1] + Math.min(1, Math.max(0, t)) * (xs[j] - xs[j - 1]);
    y0 = y; i0 = j;
    points.push([x0, y0]);
  } else {
    // free start at a: the best of five heights
    let best = null;
    for (const k of [-1, -0.5, 0, 0.5, 1]) {
      const r = tubeCover(xs, fs, E, sides, maxPieces, [xs[0], fs[0] + k * E]);
      if (r && (!best || r.pieces < best.pieces)) best = r;
    }
    return best;
  }
  for (;;) {
    if (pieces > maxPieces) return null;
    if (sides.right === 'constant') {
      let ok = true;
      for (let j = i0; j < M && ok; j++) if (xs[j] >= x0 && Math.abs(fs[j] - y0) > E) ok = false;
      if (ok) return pieces + 1 <= maxPieces ? { points, pieces: pieces + 1 } : null;
    }
    let smin = -Infinity, smax = Infinity, j = i0;
    for (; j < M; j++) {
      const dx = xs[j] - x0;
      if (!(dx > 0)) continue;
      const lo = (fs[j] - E - y0) / dx, hi = (fs[j] + E - y0) / dx;
      if (Math.max(smin, lo) > Math.min(smax, hi)) break;
      smin = Math.max(smin, lo); smax = Math.min(smax, hi);
    }
    pieces++;
    if (j === M) {
      const s = Number.isFinite(smin) && Number.isFinite(smax) ? (smin + smax) / 2 : Number.isFinite(smin) ? smin : smax;
      points.push([b, y0 + (Number.isFinite(s) ? s : 0) * (b - x0)]);
      const total = pieces + (sides.right === 'constant' ? 1 : 0);
      return total <= maxPieces ? { points, pieces: total } : null;
    }
    // the steepest (or flattest) line leaves the tube between samples j - 1 and j
    const dx = xs[j] - x0, lo = (fs[j] - E - y0) / dx;
    const rising = lo > smax; // the tube's floor rose above the steepest line
    const s = rising ? smax : smin;
    const bound = (k) => fs[k] + (rising ? -E : E) - (y0 + s * (xs[k] - x0));
    const g0 = bound(j - 1), g1 = bound(j);
    const t = g0 === g1 ? 1 : g0 / (g0 - g1);
    const X = xs[j - 1] + Math.min(1, Math.max(0, t)) * (xs[j] - xs[j - 1]);
    if (!(X > x0)) return null;
    y0 += s * (X - x0);
    x0 = X;
    points.push([x0, y0]);
    i0 = j - 1;
  }
}

/** The smallest E (bisection) whose greedy cover needs at most `pieces` pieces. */
export function greedyStart(xs, fs, pieces, sides, start = null) {
  let hi = 0;
  for (const v of fs) hi = Math.max(hi, Math.abs(v - fs[0]));
  hi = hi || 1;
  let best = tubeCover(xs, fs, hi, sides, pieces, start);
  for (let k = 0; !best && k < 60; k++) { hi *= 2; best = tubeCover(xs, fs, hi, sides, pieces, start); }
  if (!best) return null;
  let lo = 0;
  for (let k = 0; k < 60 && hi - lo > 1e-7 * hi; k++) {
    const mid = (lo + hi) / 2, r = tubeCover(xs, fs, mid, sides, pieces, start);
    if (r) { hi = mid; best = r; } else lo = mid;
  }
  return { ...best, E: hi };
}
