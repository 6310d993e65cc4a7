// Least-squares fitting: the weighted mean square error over quadrature nodes (Gauss-Legendre
// on a fine partition of the range, times an input density; or the given samples),
// minimized by Levenberg-Marquardt with a finite-difference Jacobian.

import { solveNormal } from './minimax.js';

const GAUSS4 = [[-0.8611363115940526, 0.3478548451374538], [-0.3399810435848563, 0.6521451548625461],
  [0.3399810435848563, 0.6521451548625461], [0.8611363115940526, 0.3478548451374538]];

/**
 * Quadrature nodes over [a, b] (split at `breaks`), weights normalized to sum 1.
 * weight: null (uniform), { normal: [mean, sd] }, or { samples } (the nodes are the samples
 * inside [a, b], each weighing the same).
 */
export function quadrature([a, b], breaks = [], weight = null, parts = 1024) {
  if (weight?.samples) {
    const xs = Float64Array.from(weight.samples).filter((x) => x >= a && x <= b).sort();
    if (xs.length === 0) throw new RangeError('fit: no samples inside the range');
    return { x: xs, w: new Float64Array(xs.length).fill(1 / xs.length) };
  }
  const cuts = [a, ...breaks.filter((t) => t > a && t < b), b].sort((p, q) => p - q);
  const x = [], w = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const lo = cuts[k], hi = cuts[k + 1];
    if (!(hi > lo)) continue;
    const m = Math.max(1, Math.round((parts * (hi - lo)) / (b - a)));
    const h = (hi - lo) / m;
    for (let i = 0; i < m; i++) {
      const mid = lo + (i + 0.5) * h;
      for (const [t, g] of GAUSS4) { x.push(mid + (t * h) / 2); w.push((g * h) / 2); }
    }
  }
  if (weight?.normal) {
    const [mean, sd] = weight.normal;
    for (let i = 0; i < x.length; i++) w[i] *= Math.exp(-0.5 * ((x[i] - mean) / sd) ** 2);
  }
  let total = 0;
  for (const v of w) total += v;
  if (!(total > 0)) throw new RangeError('fit: the input density is zero over the range');
  return { x: Float64Array.from(x), w: Float64Array.from(w, (v) => v / total) };
}

/** sqrt(sum w e^2) of fn against the target values fx at the nodes. */
export function rmsOf(fn, nodes, fx) {
  const p = fn.values(nodes.x);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += nodes.w[i] * (fx[i] - p[i]) ** 2;
  return Math.sqrt(s);
}

/** Levenberg-Marquardt on r_i = sqrt(w_i) (f(x_i) - p(x_i; theta)). Returns { theta, fn, rms }. */
export function leastSquares(model, nodes, fx, theta0, scales, options = {}) {
  const { maxIterations = 60 } = options;
  const n = model.n, Q = nodes.x.length, sw = nodes.w.map(Math.sqrt);
  let theta = Float64Array.from(theta0), fn = model.build(theta);
  if (!fn) throw new Error('fit: invalid start');
  const residuals = (f) => { const p = f.values(nodes.x); const r = new Float64Array(Q); for (let i = 0; i < Q; i++) r[i] = sw[i] * (fx[i] - p[i]); return r; };
  const norm = (r) => { let s = 0; for (const v of r) s += v * v; return s; };
  let r = residuals(fn), cost = norm(r), lambda = 1e-3;
  const J = Array.from({ length: n }, () => new Float64Array(Q));
  for (let it = 0; it < maxIterations; it++) {
    for (let k = 0; k < n; k++) {
      const h = 1e-7 * scales[k], t = Float64Array.from(theta);
      t[k] += h;
      const up = model.build(t);
      t[k] = theta[k] - h;
      const down = model.build(t);
      if (!up || !down) { J[k].fill(0); continue; }
      const pu = up.values(nodes.x), pd = down.values(nodes.x);
      for (let i = 0; i < Q; i++) J[k][i] = (sw[i] * (pd[i] - pu[i])) / (2 * h); // d r / d theta_k
    }
    const N = new Float64Array(n * n), g = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      const Jp = J[p];
      let s = 0;
      for (let i = 0; i < Q; i++) s += Jp[i] * r[i];
      g[p] = -s;
      for (let q = p; q < n; q++) {
        const Jq = J[q];
        let t = 0;
        for (let i = 0; i < Q; i++) t += Jp[i] * Jq[i];
        N[p * n + q] = t;
        N[q * n + p] = t;
      }
    }
    let improved = false;
    for (let tries = 0; tries < 12; tries++) {
      const z = solveNormal(N, g, n, lambda);
      const next = Float64Array.from(theta, (v, i) => v + z[i]);
      const nf = model.build(next);
      if (nf) {
        const nr = residuals(nf), nc = norm(nr);
        if (nc < cost) {
          const gain = (cost - nc) / cost;
          theta = next; fn = nf; r = nr; cost = nc; improved = true;
          lambda = Math.max(1e-9, lambda / 4);
          if (gain < 1e-12) it = maxIterations;
          break;
        }
      }
      lambda *= 8;
    }
    if (!improved) break;
  }
  return { theta, fn, rms: Math.sqrt(cost) };
}
