// Parametrized approximations: theta (a Float64Array) -> a function of x with its kinks.
//
// A built function is { value(x), values(xs) (xs sorted), kinks: number[] (sorted), pwl? }.
// pwl functions carry { knots, values, extendLeft, extendRight } in the table entry's sense:
// linear between knots, constant beyond the outer ones unless extended.
//
// Models:
//   freePwl   knots and values free (an extended side pins its outer knot at the range end:
//             a point on a line that continues anyway)
//   symPwl    the same, point-symmetric about (0, c): knots +-t, values c +- (v - c)
//   slopePwl  fixed slopes (pow2, shift-add): the knots and one value are free
//   clip      clip(slope x + offset, lo, hi), the hard_sigmoid / hard_tanh family (a 2-knot pwl)
//   gate      x clip(slope x + offset, 0, 1), the hard_swish family

import { pwlValue } from './targets.js';

function pwlFunction(knots, values, extendLeft, extendRight) {
  const t = knots, v = values, n = t.length;
  const value = (x) => pwlValue(x, t, v, extendLeft, extendRight);
  return {
    value,
    // xs sorted ascending: one merge walk
    values(xs, out = new Float64Array(xs.length)) {
      let j = 0;
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i];
        if (n === 1 || (x <= t[0] && !extendLeft)) { out[i] = v[0]; continue; }
        if (x >= t[n - 1] && !extendRight) { out[i] = v[n - 1]; continue; }
        while (j < n - 2 && x >= t[j + 1]) j++;
        out[i] = v[j] + (x - t[j]) * ((v[j + 1] - v[j]) / (t[j + 1] - t[j]));
      }
      return out;
    },
    kinks: Array.from(t),
    pwl: { knots: Array.from(t), values: Array.from(v), extendLeft, extendRight },
  };
}

function increasing(t, gap) {
  for (let i = 1; i < t.length; i++) if (!(t[i] - t[i - 1] > gap)) return false;
  return t.every(Number.isFinite);
}

/** Free-knot continuous pwl with K knots over [a, b]; sides: { left, right } 'constant' | 'extend'. */
export function freePwl(K, [a, b], sides) {
  const pinL = sides.left === 'extend', pinR = sides.right === 'extend';
  const free = K - (pinL ? 1 : 0) - (pinR ? 1 : 0);
  const gap = 1e-9 * (b - a);
  const model = {
    kind: 'pwl', n: free + K, K,
    sides,
    build(theta) {
      const knots = new Float64Array(K), values = new Float64Array(K);
      let k = 0;
      for (let i = 0; i < K; i++) knots[i] = pinL && i === 0 ? a : pinR && i === K - 1 ? b : theta[k++];
      for (let i = 0; i < K; i++) values[i] = theta[free + i];
      if (!increasing(knots, gap)) return null;
      return pwlFunction(knots, values, pinL, pinR);
    },
    /** theta from knots and values (pinned knots are dropped). */
    thetaOf(knots, values) {
      const th = new Float64Array(model.n);
      let k = 0;
      for (let i = 0; i < K; i++) if (!((pinL && i === 0) || (pinR && i === K - 1))) th[k++] = knots[i];
      for (let i = 0; i < K; i++) th[free + i] = values[i];
      return th;
    },
    scales(range, fScale) {
      return Array.from({ length: model.n }, (_, i) => (i < free ? range : fScale));
    },
  };
  return model;
}

/** Point-symmetric pwl (about (0, c)) with K knots: m = floor(K / 2) positive knots, and a
 *  knot at 0 of value c when K is odd. theta = [t_1..t_m, v_1..v_m]. Both sides constant or
 *  both extended (the symmetry makes them alike); an extended side pins t_m at b. */
export function symPwl(K, b, c, extend) {
  const m = Math.floor(K / 2), mid = K % 2 === 1;
  const freeKnots = m - (extend ? 1 : 0);
  const gap = 1e-9 * b;
  const model = {
    kind: 'pwl', n: freeKnots + m, K, symmetric: true,
    sides: { left: extend ? 'extend' : 'constant', right: extend ? 'extend' : 'constant' },
    build(theta) {
      const pos = new Float64Array(m), val = new Float64Array(m);
      for (let i = 0; i < m; i++) pos[i] = extend && i === m - 1 ? b : theta[i];
      for (let i = 0; i < m; i++) val[i] = theta[freeKnots + i];
      if (m > 0 && !(pos[0] > gap) ) return null;
      if (!increasing(pos, gap)) return null;
      const knots = [], values = [];
      for (let i = m - 1; i >= 0; i--) { knots.push(-pos[i]); values.push(2 * c - val[i]); }
      if (mid) { knots.push(0); values.push(c); }
      for (let i = 0; i < m; i++) { knots.push(pos[i]); values.push(val[i]); }
      return pwlFunction(Float64Array.from(knots), Float64Array.from(values), extend, extend);
    },
    thetaOfPositive(pos, val) {
      const th = new Float64Array(model.n);
      for (let i = 0; i < freeKnots; i++) th[i] = pos[i];
      for (let i = 0; i < m; i++) th[freeKnots + i] = val[i];
      return th;
    },
    scales(range, fScale) {
      return Array.from({ length: model.n }, (_, i) => (i < freeKnots ? range : fScale));
    },
  };
  return model;
}

/**
 * Continuous pwl with fixed segment slopes: K knots, slopes[i] between knots i and i + 1.
 * theta = [free knots..., value at the first knot] (symmetric: [positive knots...], the value
 * follows from c). The outer sides are constant or extended as in freePwl.
 */
export function slopePwl(K, [a, b], sides, slopes, symmetric = null) {
  const pinL = sides.left === 'extend', pinR = sides.right === 'extend';
  const gap = 1e-9 * (b - a);
  if (symmetric) {
    // slopes: the positive half's segments, from the middle outwards (slopes[0]: the segment
    // through 0 when K is even, else the one right of the knot at 0)
    const { c } = symmetric, m = Math.floor(K / 2), mid = K % 2 === 1, extend = pinR;
    const freeKnots = m - (extend ? 1 : 0);
    return {
      kind: 'pwl', n: freeKnots, K, symmetric: true, sides, slopes,
      build(theta) {
        const pos = new Float64Array(m);
        for (let i = 0; i < m; i++) pos[i] = extend && i === m - 1 ? b : theta[i];
        if (m > 0 && !(pos[0] > gap)) return null;
        if (!increasing(pos, gap)) return null;
        const val = new Float64Array(m);
        let x0 = 0, v0 = c;
        for (let i = 0; i < m; i++) { v0 += slopes[i] * (pos[i] - x0); x0 = pos[i]; val[i] = v0; }
        const knots = [], values = [];
        for (let i = m - 1; i >= 0; i--) { knots.push(-pos[i]); values.push(2 * c - val[i]); }
        if (mid) { knots.push(0); values.push(c); }
        for (let i = 0; i < m; i++) { knots.push(pos[i]); values.push(val[i]); }
        return pwlFunction(Float64Array.from(knots), Float64Array.from(values), extend, extend);
      },
      scales(range) { return Array(freeKnots).fill(range); },
    };
  }
  const free = K - (pinL ? 1 : 0) - (pinR ? 1 : 0);
  const model = {
    kind: 'pwl', n: free + 1, K, sides, slopes,
    build(theta) {
      const knots = new Float64Array(K), values = new Float64Array(K);
      let k = 0;
      for (let i = 0; i < K; i++) knots[i] = pinL && i === 0 ? a : pinR && i === K - 1 ? b : theta[k++];
      if (!increasing(knots, gap)) return null;
      values[0] = theta[free];
      for (let i = 1; i < K; i++) values[i] = values[i - 1] + slopes[i - 1] * (knots[i] - knots[i - 1]);
      return pwlFunction(knots, values, pinL, pinR);
    },
    scales(range, fScale) { return Array.from({ length: model.n }, (_, i) => (i < free ? range : fScale)); },
  };
  return model;
}

/** clip(slope x + offset, lo, hi); theta = [slope, offset], or [slope] with offset = c. */
export function clipModel(lo, hi, c = null) {
  return {
    kind: 'clip', n: c === null ? 2 : 1, lo, hi,
    build(theta) {
      const s = theta[0], o = c === null ? theta[1] : c;
      if (!(s > 0) || !Number.isFinite(o)) return null;
      const f = pwlFunction(Float64Array.of((lo - o) / s, (hi - o) / s), Float64Array.of(lo, hi), false, false);
      f.slope = s;
      f.offset = o;
      return f;
    },
    scales(range, fScale) { return c === null ? [fScale / range, fScale] : [fScale / range]; },
  };
}

/** x clip(slope x + offset, 0, 1); theta = [slope, offset]. */
export function gateModel() {
  return {
    kind: 'gate', n: 2,
    build(theta) {
      const [s, o] = theta;
      if (!(s > 0) || !Number.isFinite(o)) return null;
      const value = (x) => x * Math.min(Math.max(s * x + o, 0), 1);
      return {
        value,
        values(xs, out = new Float64Array(xs.length)) { for (let i = 0; i < xs.length; i++) out[i] = value(xs[i]); return out; },
        kinks: [-o / s, (1 - o) / s],
        slope: s, offset: o,
      };
    },
    scales(range) { return [1 / range, 1]; },
  };
}
