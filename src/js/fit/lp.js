// The linearized minimax step: minimize z subject to z >= c_j + a_j . d (j = 1..m) and
// |d_i| <= delta_i, solved through its dual
//   maximize sum_j lambda_j c_j - sum_i delta_i (alpha_i + beta_i)
//   subject to sum_j lambda_j = 1, alpha_i - beta_i = sum_j lambda_j a_ji, all >= 0
// by the revised simplex method (Bland's rule: no cycling on these degenerate problems).
// The simplex multipliers of the optimal basis are the step d and the level z.

/**
 * @param {Float64Array[]} a  m rows of n coefficients
 * @param {ArrayLike<number>} c  m constants
 * @param {ArrayLike<number>} delta  n bounds
 * @returns {{ d: Float64Array, z: number }}
 */
export function minimaxStep(a, c, delta) {
  const m = a.length, n = delta.length, R = n + 1; // rows of the dual
  // variables: 0..m-1 lambda, m..m+n-1 alpha, m+n..m+2n-1 beta
  const cost = (k) => (k < m ? c[k] : -delta[(k - m) % n]);
  const column = (k, out) => {
    out.fill(0);
    if (k < m) { for (let i = 0; i < n; i++) out[i] = -a[k][i]; out[n] = 1; }
    else if (k < m + n) out[k - m] = 1;
    else out[k - m - n] = -1;
    return out;
  };
  let j0 = 0;
  for (let j = 1; j < m; j++) if (c[j] > c[j0]) j0 = j;
  const basis = new Int32Array(R), x = new Float64Array(R);
  basis[n] = j0; x[n] = 1;
  for (let i = 0; i < n; i++) {
    const v = a[j0][i];
    basis[i] = v >= 0 ? m + i : m + n + i;
    x[i] = Math.abs(v);
  }
  // B^-1, dense R x R: B's columns are the basic columns (row i of the system = coordinate i)
  const Binv = new Float64Array(R * R);
  {
    // B = [cols of alpha/beta (+-e_i) in position i, lambda_j0 in position n]
    // solve directly: for position i (i < n): column s_i e_i; position n: (-a_j0, 1)
    // B^-1: row n = e_n^T (x_n from the last equation), row i = s_i (e_i + a_j0,i e_n)
    for (let i = 0; i < n; i++) {
      const s = basis[i] < m + n ? 1 : -1;
      Binv[i * R + i] = s;
      Binv[i * R + n] = s * a[j0][i];
    }
    Binv[n * R + n] = 1;
  }
  const inBasis = new Uint8Array(m + 2 * n);
  for (const k of basis) inBasis[k] = 1;
  const pi = new Float64Array(R), col = new Float64Array(R), w = new Float64Array(R);
  const tol = 1e-11;
  // B^-1 afresh from the basic columns (Gauss-Jordan, partial pivoting); x = B^-1 e_n
  const refactor = () => {
    const A = new Float64Array(R * R);
    for (let r = 0; r < R; r++) { column(basis[r], col); for (let q = 0; q < R; q++) A[q * R + r] = col[q]; }
    Binv.fill(0);
    for (let q = 0; q < R; q++) Binv[q * R + q] = 1;
    for (let j = 0; j < R; j++) {
      let p = j;
      for (let i = j + 1; i < R; i++) if (Math.abs(A[i * R + j]) > Math.abs(A[p * R + j])) p = i;
      if (p !== j) {
        for (let q = 0; q < R; q++) {
          [A[j * R + q], A[p * R + q]] = [A[p * R + q], A[j * R + q]];
          [Binv[j * R + q], Binv[p * R + q]] = [Binv[p * R + q], Binv[j * R + q]];
        }
      }
      const d = A[j * R + j];
      if (d === 0) continue;
      for (let q = 0; q < R; q++) { A[j * R + q] /= d; Binv[j * R + q] /= d; }
      for (let i = 0; i < R; i++) {
        if (i === j) continue;
        const f = A[i * R + j];
        if (f === 0) continue;
        for (let q = 0; q < R; q++) { A[i * R + q] -= f * A[j * R + q]; Binv[i * R + q] -= f * Binv[j * R + q]; }
      }
    }
    for (let r = 0; r < R; r++) x[r] = Math.max(0, Binv[r * R + n]);
  };
  let degenerate = 0;
  for (let iter = 0; iter < 20 * (m + 2 * n) + 100; iter++) {
    if (iter > 0 && iter % 25 === 0) refactor();
    pi.fill(0);
    for (let r = 0; r < R; r++) {
      const cb = cost(basis[r]);
      if (cb === 0) continue;
      for (let q = 0; q < R; q++) pi[q] += cb * Binv[r * R + q];
    }
    // entering: the largest reduced cost (Dantzig), or after degenerate stalls the lowest
    // index with a positive one (Bland: no cycling)
    let enter = -1, bestRc = 0;
    const scale = 1 + Math.abs(pi[n]);
    for (let k = 0; k < m + 2 * n; k++) {
      if (inBasis[k]) continue;
      let rc;
      if (k < m) { rc = c[k] - pi[n]; for (let i = 0; i < n; i++) rc += pi[i] * a[k][i]; }
      else if (k < m + n) rc = -delta[k - m] - pi[k - m];
      else rc = -delta[k - m - n] + pi[k - m - n];
      if (rc > tol * scale && rc > bestRc) {
        enter = k; bestRc = rc;
        if (degenerate > 30) break;
      }
    }
    if (enter < 0) break;
    column(enter, col);
    let wmax = 0;
    for (let r = 0; r < R; r++) {
      let s = 0;
      for (let q = 0; q < R; q++) s += Binv[r * R + q] * col[q];
      w[r] = s;
      wmax = Math.max(wmax, Math.abs(s));
    }
    // Harris ratio test: the largest pivot among the (nearly) tightest rows
    const wtol = 1e-9 * wmax;
    let bound = Infinity;
    for (let r = 0; r < R; r++) if (w[r] > wtol) bound = Math.min(bound, (Math.max(x[r], 0) + 1e-12) / w[r]);
    if (bound === Infinity) break; // unbounded: cannot happen with finite delta
    let leave = -1;
    for (let r = 0; r < R; r++) {
      if (w[r] > wtol && Math.max(x[r], 0) / w[r] <= bound && (leave < 0 || w[r] > w[leave])) leave = r;
    }
    const step = Math.max(x[leave], 0) / w[leave];
    degenerate = step === 0 ? degenerate + 1 : 0;
    for (let r = 0; r < R; r++) x[r] = r === leave ? step : Math.max(0, x[r] - step * w[r]);
    const p = w[leave];
    for (let q = 0; q < R; q++) Binv[leave * R + q] /= p;
    for (let r = 0; r < R; r++) {
      if (r === leave || w[r] === 0) continue;
      const f = w[r];
      for (let q = 0; q < R; q++) Binv[r * R + q] -= f * Binv[leave * R + q];
    }
    inBasis[basis[leave]] = 0;
    basis[leave] = enter;
    inBasis[enter] = 1;
  }
  pi.fill(0);
  for (let r = 0; r < R; r++) {
    const cb = cost(basis[r]);
    if (cb === 0) continue;
    for (let q = 0; q < R; q++) pi[q] += cb * Binv[r * R + q];
  }
  const d = Float64Array.from({ length: n }, (_, i) => Math.max(-delta[i], Math.min(delta[i], pi[i])));
  let z = -Infinity;
  for (let j = 0; j < m; j++) { let s = c[j]; for (let i = 0; i < n; i++) s += a[j][i] * d[i]; z = Math.max(z, s); }
  return { d, z };
}
