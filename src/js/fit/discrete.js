// Constrained slopes and fixed-point grids: the slope sets (one shift, shift-add), rounding
// to them, and the coordinate searches that start from the unconstrained optimum.

/** The allowed slopes, sorted: 'pow2' = 0 and +-2^k (one shift), 'pow2x2' = those and
 *  +-(2^i +- 2^j) (a shift-add), k, i, j in [-16, 6]. */
export function slopeSet(kind) {
  const set = new Set([0]);
  for (let k = -16; k <= 6; k++) { set.add(2 ** k); set.add(-(2 ** k)); }
  if (kind === 'pow2x2') {
    for (let i = -16; i <= 6; i++) {
      for (let j = -16; j < i; j++) {
        for (const v of [2 ** i + 2 ** j, 2 ** i - 2 ** j]) { set.add(v); set.add(-v); }
      }
    }
  }
  return Float64Array.from(set).sort();
}

/** The element of a sorted set nearest to s in ratio (nearest value when s or it is 0). */
export function nearestIndex(set, s) {
  let lo = 0, hi = set.length - 1;
  while (hi - lo > 1) { const m = (lo + hi) >> 1; if (set[m] <= s) lo = m; else hi = m; }
  const a = set[lo], b = set[hi];
  if (a === s) return lo;
  if (b === s) return hi;
  if (a > 0 && s > 0) return Math.log(s / a) <= Math.log(b / s) ? lo : hi;
  if (b < 0 && s < 0) return Math.log(a / s) <= Math.log(s / b) ? lo : hi;
  return s - a <= b - s ? lo : hi;
}

/** Denominator exponent q of a dyadic rational s = m / 2^q, m odd (0 for integers). */
export function dyadicExponent(s) {
  let q = 0;
  while (!Number.isInteger(s * 2 ** q) && q < 60) q++;
  return q;
}

/**
 * Coordinate descent over an integer vector z: tries z_i +- step_i (and +- 2 step_i, +- 4
 * step_i) for each coordinate in turn, keeps any move that lowers objective(z) (null =
 * invalid), until a full sweep finds none. Deterministic.
 */
export function integerDescent(z0, steps, objective, maxSweeps = 60) {
  const z = Int32Array.from(z0);
  let best = objective(z);
  if (best === null) return { z, value: Infinity };
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let moved = false;
    for (let i = 0; i < z.length; i++) {
      if (!steps[i]) continue;
      for (const mult of [1, 2, 4]) {
        let took = false;
        for (const dir of [1, -1]) {
          const old = z[i];
          z[i] = old + dir * mult * steps[i];
          const v = objective(z);
          if (v !== null && v < best) { best = v; moved = took = true; break; }
          z[i] = old;
        }
        if (took) break;
      }
    }
    if (!moved) break;
  }
  return { z, value: best };
}

/** Compass search over real parameters: steps shrink by 4 until below minStep. */
export function compassSearch(theta0, steps0, objective, { shrink = 0.25, levels = 8, maxEvaluations = 3000 } = {}) {
  const theta = Float64Array.from(theta0);
  let best = objective(theta), evaluations = 1;
  if (best === null) return { theta, value: Infinity };
  let steps = Array.from(steps0);
  for (let level = 0; level < levels && evaluations < maxEvaluations; level++) {
    let moved = true;
    while (moved && evaluations < maxEvaluations) {
      moved = false;
      for (let i = 0; i < theta.length; i++) {
        for (const dir of [1, -1]) {
          const old = theta[i];
          theta[i] = old + dir * steps[i];
          const v = objective(theta);
          evaluations++;
          if (v !== null && v < best) { best = v; moved = true; break; }
          theta[i] = old;
        }
      }
    }
    steps = steps.map((s) => s * shrink);
  }
  return { theta, value: best };
}
