// actq's lab for bench/lab.mjs: Mlp.train() in the SIMD and in the scalar build, and the
// lab's GEMM kernel (src/c/lab/gemm.c) called directly on buffers in wasm memory.
import { loadLab } from '../../src/js/lab/index.js';

const F32 = 4;

/** The lab in one build; simd: true | false. */
export async function labSystems({ simd }) {
  const lab = await loadLab({ simd });
  const tag = simd ? 'SIMD' : 'scalar';
  return {
    lab,
    trainer: {
      id: simd ? 'actq' : 'actq-scalar', label: `actq lab, ${tag} build`,
      /**
       * The lab's own training loop: train() copies the split into wasm memory once per
       * call, then every step (gather, forward, loss, backward, SGD) runs in wasm. With
       * epochs 1 and a fixed seed, train() shuffles the split the same way on every call
       * (rng(seed) is created per call): the `order` the other systems are given.
       */
      prepare(split, _init, { batch, lr, seed }) {
        const net = lab.mlp({ sizes: [784, 64, 10], activation: 'sigmoid', seed });
        const options = { epochs: 1, batch, lr, optimizer: 'sgd', momentum: 0, seed };
        return {
          net,
          run: () => net.train(split, options).history[0].loss,
          dispose: () => net.free(),
        };
      },
    },
    /**
     * A lab_gemm runner: C (M x N) = A (M x K) B (K x N) with A and B from the caller
     * (Float32Arrays in the stored layout: A^T, i.e. K x M, when aT; B^T, N x K, when bT),
     * copied once into wasm memory. run() is one call; read() the result.
     */
    gemm(M, N, K, { aT = false, bT = false }, a, b) {
      const aq = lab.aq, wasm = aq.wasm;
      const pa = aq._malloc(M * K * F32), pb = aq._malloc(K * N * F32), pc = aq._malloc(M * N * F32);
      aq.heapF32.set(a, pa / F32);
      aq.heapF32.set(b, pb / F32);
      // (row stride, column stride) of element (i, j): row-major A is (K, 1), A stored
      // transposed is (1, M); row-major B is (N, 1), B stored transposed (N x K) is (1, K)
      const [ars, acs] = aT ? [1, M] : [K, 1];
      const [brs, bcs] = bT ? [1, K] : [N, 1];
      return {
        run: () => wasm.lab_gemm(M, N, K, pa, ars, acs, pb, brs, bcs, pc, N, 0),
        read: () => aq.heapF32.slice(pc / F32, pc / F32 + M * N),
        dispose: () => { aq._free(pa); aq._free(pb); aq._free(pc); },
      };
    },
  };
}
