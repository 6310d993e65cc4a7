// The lab's C kernels, below the network API: the GEMM against a naive float32 loop (exact:
// both sum c + a0 b0 + a1 b1 + ... in k order, one rounding per operation), ragged and
// blocked shapes, strided (transposed) operands, accumulate; the bias column sums, the
// optimizers against their formulas in float32; SIMD == scalar bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadLab } from 'actq/lab';
import { rng } from '../src/js/lab/random.js';

const builds = [await loadLab(), await loadLab({ simd: false })];
const f = Math.fround;

function withBuffers(lab, arrays, body) {
  const aq = lab.aq, ptrs = [];
  try {
    for (const a of arrays) {
      const p = aq._malloc(Math.max(1, a.length) * 4);
      ptrs.push(p);
      new Uint8Array(aq.heapU8.buffer, p, a.length * 4).set(new Uint8Array(a.buffer, a.byteOffset, a.length * 4));
    }
    return body(ptrs, (i, n) => new Float32Array(aq.heapU8.buffer, ptrs[i], n).slice());
  } finally {
    for (const p of ptrs) aq._free(p);
  }
}

const random = (n, r) => Float32Array.from({ length: n }, () => f(2 * r.next() - 1));

/** C = [C +] A B with A(i, k) = a[i ars + k acs], B(k, j) = b[k brs + j bcs], in float32. */
function naiveGemm(M, N, K, a, ars, acs, b, brs, bcs, c, accumulate) {
  const out = Float32Array.from(c);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = accumulate ? out[i * N + j] : 0;
      for (let k = 0; k < K; k++) s = f(s + f(a[i * ars + k * acs] * b[k * brs + j * bcs]));
      out[i * N + j] = s;
    }
  }
  return out;
}

// shapes around the register tile (4 x 8), the k block (256) and the column block (512)
const SHAPES = [[1, 1, 1], [3, 5, 7], [4, 8, 16], [5, 9, 1], [7, 17, 33], [64, 10, 64], [9, 13, 0], [2, 3, 257], [6, 520, 20], [64, 64, 300]];

test('lab_gemm equals a naive float32 loop exactly: ragged tiles, k and column blocks, transposed operands, accumulate', () => {
  const r = rng(7);
  for (const lab of builds) {
    for (const [M, N, K] of SHAPES) {
      for (const [transA, transB, accumulate] of [[0, 0, 0], [1, 0, 1], [0, 1, 0], [1, 1, 1]]) {
        const a = random(M * K, r), b = random(K * N, r), c = random(M * N, r);
        const [ars, acs] = transA ? [1, M] : [K, 1];
        const [brs, bcs] = transB ? [1, K] : [N, 1];
        const expected = naiveGemm(M, N, K, a, ars, acs, b, brs, bcs, c, accumulate);
        const got = withBuffers(lab, [a, b, c], ([pa, pb, pc], read) => {
          lab.aq.wasm.lab_gemm(M, N, K, pa, ars, acs, pb, brs, bcs, pc, N, accumulate);
          return read(2, M * N);
        });
        assert.deepEqual(got, expected, `${lab.simd ? 'SIMD' : 'scalar'} ${M}x${N}x${K} transA=${transA} transB=${transB} acc=${accumulate}`);
      }
    }
  }
});

test('lab_gemm writes only the M x N block of C inside a larger leading dimension', () => {
  const r = rng(3);
  for (const lab of builds) {
    const M = 5, N = 9, K = 6, ldc = 13;
    const a = random(M * K, r), b = random(K * N, r), c = random(M * ldc, r);
    const got = withBuffers(lab, [a, b, c], ([pa, pb, pc], read) => {
      lab.aq.wasm.lab_gemm(M, N, K, pa, K, 1, pb, N, 1, pc, ldc, 0);
      return read(2, M * ldc);
    });
    const block = naiveGemm(M, N, K, a, K, 1, b, N, 1, new Float32Array(M * N), 0);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < ldc; j++) assert.equal(got[i * ldc + j], j < N ? block[i * N + j] : c[i * ldc + j], `(${i}, ${j})`);
    }
  }
});

test('column sums, products and the optimizers equal their float32 formulas, in both builds', () => {
  const r = rng(11);
  for (const lab of builds) {
    const w = lab.aq.wasm;
    const M = 7, N = 11, x = random(M * N, r);
    const sums = withBuffers(lab, [x, new Float32Array(N)], ([px, po], read) => { w.lab_col_sum(M, N, px, po); return read(1, N); });
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let i = 0; i < M; i++) s = f(s + x[i * N + j]);
      assert.equal(sums[j], s);
    }
    const n = 23, p0 = random(n, r), g = random(n, r), v0 = random(n, r), m0 = random(n, r);
    const vv0 = Float32Array.from(v0, Math.abs);
    const sgd = withBuffers(lab, [p0, g, v0], ([pw, pg, pv], read) => {
      w.lab_sgd(n, pw, pg, pv, 0.1, 0.9);
      return [read(0, n), read(2, n)];
    });
    const [lr, mu] = [f(0.1), f(0.9)];
    for (let i = 0; i < n; i++) {
      const v = f(f(mu * v0[i]) + g[i]);
      assert.equal(sgd[1][i], v);
      assert.equal(sgd[0][i], f(p0[i] - f(lr * v)));
    }
    const [b1, b2, eps, c1, c2, alr] = [f(0.9), f(0.999), f(1e-8), f(1 - 0.9 ** 3), f(1 - 0.999 ** 3), f(0.01)];
    const adam = withBuffers(lab, [p0, g, m0, vv0], ([pw, pg, pm, pv], read) => {
      w.lab_adam(n, pw, pg, pm, pv, alr, b1, b2, eps, c1, c2);
      return [read(0, n), read(2, n), read(3, n)];
    });
    for (let i = 0; i < n; i++) {
      const m = f(f(b1 * m0[i]) + f(f(1 - b1) * g[i]));
      const v = f(f(b2 * vv0[i]) + f(f(1 - b2) * f(g[i] * g[i])));
      const step = f(f(m / c1) / f(f(Math.sqrt(f(v / c2))) + eps));
      assert.equal(adam[1][i], m);
      assert.equal(adam[2][i], v);
      assert.equal(adam[0][i], f(p0[i] - f(alr * step)), `adam w[${i}]`);
    }
  }
});

test('softmax cross-entropy: loss, gradient and correct count against float64', () => {
  const r = rng(5);
  for (const lab of builds) {
    const rows = 9, classes = 4;
    const logits = Float32Array.from({ length: rows * classes }, () => f(8 * r.next() - 4));
    const labels = Int32Array.from({ length: rows }, (_, i) => i % classes);
    const { loss, grad, correct } = withBuffers(lab, [logits, new Float32Array(rows * classes), labels, new Float32Array(1)], ([pl, pd, py, pc], read) => {
      const sum = lab.aq.wasm.lab_softmax_xent(rows, classes, pl, py, pd, 1 / rows, pc);
      return { loss: sum, grad: read(1, rows * classes), correct: new Uint32Array(lab.aq.heapU8.buffer, pc, 1)[0] };
    });
    let expLoss = 0, expCorrect = 0;
    for (let i = 0; i < rows; i++) {
      const l = Array.from(logits.subarray(i * classes, (i + 1) * classes));
      const m = Math.max(...l), s = l.reduce((t, v) => t + Math.exp(v - m), 0);
      expLoss += Math.log(s) - (l[labels[i]] - m);
      expCorrect += l.indexOf(m) === labels[i];
      l.forEach((v, c) => {
        const g = (Math.exp(v - m) / s - (c === labels[i])) / rows;
        assert.ok(Math.abs(grad[i * classes + c] - g) <= 1e-7, `grad ${i},${c}`);
      });
    }
    assert.ok(Math.abs(loss - expLoss) < 1e-12 * Math.max(1, expLoss));
    assert.equal(correct, expCorrect);
  }
});
