// TensorFlow.js for bench/lab.mjs: the same MLP trained with @tensorflow/tfjs on the wasm
// backend (XNNPACK inside), one thread, and tf.matMul as the XNNPACK f32 GEMM peer.
//
// The backend is set up by the op benchmark's peer (peers/tfjs.mjs: wasm paths, one
// thread, setBackend('wasm')), so both benchmarks report the same binary and thread count.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs'); // the union package: core + layers + optimizers

export async function labSystems() {
  const { info } = await (await import('./tfjs.mjs')).systems();
  // the union package registers the cpu (and webgl) backends too: make sure the timings
  // are the wasm backend's and not a silent fallback to the much slower cpu backend
  if (tf.getBackend() !== 'wasm') throw new Error(`tfjs: backend is ${tf.getBackend()}, not wasm`);
  const env = tf.env();
  return {
    info: {
      ...info,
      tfjs: `${tf.version.tfjs} (backend ${tf.getBackend()}; WASM_HAS_SIMD_SUPPORT ${env.getBool('WASM_HAS_SIMD_SUPPORT')}, ` +
        `WASM_HAS_MULTITHREAD_SUPPORT ${env.getBool('WASM_HAS_MULTITHREAD_SUPPORT')})`,
    },
    trainers: [layersTrainer(), opsTrainer()],
    gemm,
    memory: () => tf.memory(),
  };
}

/**
 * Shared loop of both trainers: one epoch in `order`, a step = optimizer.minimize() on a
 * batch tensor. The batch is gathered in JS and uploaded per step (tensor2d copies it into
 * wasm memory; the lab gathers in wasm from its one copy of the split). The per-step loss
 * scalars are kept and summed at the end with one dataSync, so the round's work is done
 * when run() returns (the wasm backend also runs each kernel synchronously).
 */
function epochLoop(split, { batch, order }, loss, optimizer) {
  const dim = split.x.length / split.n;
  const xb = new Float32Array(batch * dim), yb = new Int32Array(batch);
  return () => {
    const losses = [];
    for (let from = 0; from < split.n; from += batch) {
      const rows = Math.min(batch, split.n - from);
      for (let r = 0; r < rows; r++) {
        const s = order[from + r];
        xb.set(split.x.subarray(s * dim, (s + 1) * dim), r * dim);
        yb[r] = split.y[s];
      }
      const x = tf.tensor2d(xb.subarray(0, rows * dim), [rows, dim]);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d(yb.subarray(0, rows), 'int32'), 10));
      // returnCost: the mean loss of the batch (before the update), weighted by its rows
      const cost = optimizer.minimize(() => loss(x, y), true);
      losses.push(tf.tidy(() => cost.mul(rows)));
      cost.dispose();
      x.dispose();
      y.dispose();
    }
    const sum = tf.tidy(() => tf.addN(losses));
    const mean = sum.dataSync()[0] / split.n;
    sum.dispose();
    for (const t of losses) t.dispose();
    return mean;
  };
}

/** The idiomatic tfjs model: tf.sequential of two dense layers, initialised to `init`. */
function layersTrainer() {
  return {
    id: 'tfjs', label: 'tfjs-wasm, tf.layers model',
    prepare(split, init, options) {
      const [l0, l1] = init;
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [l0.inputs], units: l0.outputs, activation: 'sigmoid' }),
          tf.layers.dense({ units: l1.outputs }),
        ],
      });
      model.layers.forEach((layer, l) => {
        const weights = denseWeights(init[l]);
        layer.setWeights(weights); // the variables take their own reference
        for (const t of weights) t.dispose();
      });
      const optimizer = tf.train.sgd(options.lr);
      const loss = (x, y) => tf.losses.softmaxCrossEntropy(y, model.apply(x));
      return { run: epochLoop(split, options, loss, optimizer), dispose: () => { model.dispose(); optimizer.dispose(); } };
    },
  };
}

/** The same network written with core ops and tf.variable (no layers API on top). */
function opsTrainer() {
  return {
    id: 'tfjs-ops', label: 'tfjs-wasm, core ops + tf.variable',
    prepare(split, init, options) {
      const vars = init.map((L) => {
        const [w, b] = denseWeights(L);
        const v = { w: tf.variable(w), b: tf.variable(b) };
        w.dispose();
        b.dispose();
        return v;
      });
      const forward = (x) => {
        const z0 = tf.add(tf.matMul(x, vars[0].w), vars[0].b);
        return tf.add(tf.matMul(tf.sigmoid(z0), vars[1].w), vars[1].b);
      };
      const optimizer = tf.train.sgd(options.lr);
      const loss = (x, y) => tf.losses.softmaxCrossEntropy(y, forward(x));
      return {
        run: epochLoop(split, options, loss, optimizer),
        dispose: () => { for (const v of vars) { v.w.dispose(); v.b.dispose(); } optimizer.dispose(); },
      };
    },
  };
}

/** The lab's layer (weights outputs x inputs) as a dense kernel [inputs, outputs] + bias. */
function denseWeights({ inputs, outputs, weights, bias }) {
  return tf.tidy(() => [tf.tensor2d(weights, [outputs, inputs]).transpose(), tf.tensor1d(bias)]);
}

/**
 * tf.matMul(a, b, aT, bT) on tensors created once (already in wasm memory), the result
 * disposed on each call. Without transposes this is XNNPACK's fully-connected operator,
 * created on the first call and cached per b tensor (so B is packed once, not per call);
 * with either transpose flag tfjs-wasm 4.22 runs its own scalar blocked loop instead
 * (tfjs-backend-wasm src/cc/batch_mat_mul_impl.cc: XNNPACK only when !transpose_a &&
 * !transpose_b) -- the path the gradients of a tfjs dense layer take. The wasm backend runs
 * the kernel inside the call, so the timed loop does all the work; read() (one more call
 * and a dataSync) is the check of the result.
 */
function gemm(M, N, K, { aT = false, bT = false }, a, b) {
  const ta = tf.tensor2d(a, aT ? [K, M] : [M, K]);
  const tb = tf.tensor2d(b, bT ? [N, K] : [K, N]);
  return {
    run: () => tf.matMul(ta, tb, aT, bT).dispose(),
    read: () => { const c = tf.matMul(ta, tb, aT, bT); const d = c.dataSync().slice(); c.dispose(); return d; },
    dispose: () => { ta.dispose(); tb.dispose(); },
  };
}
