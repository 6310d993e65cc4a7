// The no-library baseline of bench/lab.mjs: the lab's MLP (sigmoid hidden layers, softmax
// cross-entropy, plain SGD) as the straightforward float32 JS a user would write -- one
// Float32Array per tensor, triple loops in i-k-j order so that the innermost loop walks
// contiguous memory on both sides (the cache-friendly order every tutorial recommends),
// no blocking, no unrolling, no zero-skipping (MNIST is ~80% zeros: skipping them would be
// a data-dependent trick, not a GEMM). V8 computes in float64 and rounds on every store.
//
// Weights are stored inputs x outputs (the transpose of the lab's layout), which is what
// makes the forward product X W an i-k-j loop; the caller passes the lab's initial
// weights (outputs x inputs), so the three systems of the benchmark start from the same
// network.

export function labTrainer() {
  return {
    id: 'js', label: 'plain JS (Float32Array, i-k-j loops)',
    /**
     * split: { x, y, n }; init: [{ inputs, outputs, weights (outputs x inputs), bias }];
     * order: the sample order of an epoch (the lab's shuffle, so every system sees the same
     * batches). run() trains one epoch and returns its mean loss.
     */
    prepare(split, init, { batch, lr, order }) {
      const net = new JsMlp(init);
      return { run: () => net.epoch(split, order, batch, lr), dispose() {} };
    },
  };
}

class JsMlp {
  constructor(init) {
    this.layers = init.map(({ inputs, outputs, weights, bias }) => {
      const w = new Float32Array(inputs * outputs);
      for (let o = 0; o < outputs; o++) for (let i = 0; i < inputs; i++) w[i * outputs + o] = weights[o * inputs + i];
      return { inputs, outputs, w, b: Float32Array.from(bias), dw: new Float32Array(w.length), db: new Float32Array(outputs) };
    });
    this.buffers = 0; // rows the activation buffers are sized for
  }

  #ensure(rows) {
    if (this.buffers >= rows) return;
    for (const L of this.layers) {
      L.z = new Float32Array(rows * L.outputs); // pre-activation; logits on the last layer
      L.h = new Float32Array(rows * L.outputs); // sigmoid(z) on hidden layers
      L.delta = new Float32Array(rows * L.outputs); // dLoss/dz
    }
    this.rowOffsets = new Int32Array(rows);
    this.buffers = rows;
  }

  /** One epoch of mini-batches in `order`; the mean loss over the epoch (before each update). */
  epoch(split, order, batch, lr) {
    this.#ensure(Math.min(batch, split.n));
    let lossSum = 0;
    for (let from = 0; from < split.n; from += batch) {
      const rows = Math.min(batch, split.n - from);
      // the rows of this batch, read in place from the split (no gather copy needed)
      for (let r = 0; r < rows; r++) this.rowOffsets[r] = order[from + r] * this.layers[0].inputs;
      lossSum += this.#step(split.x, split.y, order, from, rows, lr) * rows;
    }
    return lossSum / split.n;
  }

  #step(x, y, order, from, rows, lr) {
    const layers = this.layers, last = layers.length - 1, off = this.rowOffsets;
    // ---- forward: z = a W + b, h = sigmoid(z) ----
    for (let l = 0; l <= last; l++) {
      const L = layers[l], K = L.inputs, N = L.outputs, w = L.w, z = L.z;
      const a = l === 0 ? x : layers[l - 1].h;
      for (let i = 0; i < rows; i++) {
        const ai = l === 0 ? off[i] : i * K, zi = i * N;
        for (let j = 0; j < N; j++) z[zi + j] = L.b[j];
        for (let k = 0; k < K; k++) {
          const v = a[ai + k], wk = k * N;
          for (let j = 0; j < N; j++) z[zi + j] += v * w[wk + j];
        }
      }
      if (l < last) for (let i = 0, h = L.h; i < rows * N; i++) h[i] = 1 / (1 + Math.exp(-z[i]));
    }
    // ---- softmax cross-entropy, mean over the batch; delta = (p - onehot) / rows ----
    const out = layers[last], C = out.outputs, logits = out.z, d = out.delta;
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      const zi = i * C;
      let max = -Infinity;
      for (let j = 0; j < C; j++) if (logits[zi + j] > max) max = logits[zi + j];
      let sum = 0;
      for (let j = 0; j < C; j++) sum += (d[zi + j] = Math.exp(logits[zi + j] - max));
      const label = y[order[from + i]];
      loss += Math.log(sum) - (logits[zi + label] - max);
      for (let j = 0; j < C; j++) d[zi + j] = (d[zi + j] / sum - (j === label ? 1 : 0)) / rows;
    }
    // ---- backward ----
    for (let l = last; l >= 0; l--) {
      const L = layers[l], K = L.inputs, N = L.outputs, delta = L.delta, dw = L.dw, db = L.db;
      const a = l === 0 ? x : layers[l - 1].h;
      // dW (K x N) = a^T delta: i-k-j, the inner loop over a row of dW and a row of delta
      dw.fill(0);
      db.fill(0);
      for (let i = 0; i < rows; i++) {
        const ai = l === 0 ? off[i] : i * K, di = i * N;
        for (let j = 0; j < N; j++) db[j] += delta[di + j];
        for (let k = 0; k < K; k++) {
          const v = a[ai + k], wk = k * N;
          for (let j = 0; j < N; j++) dw[wk + j] += v * delta[di + j];
        }
      }
      if (l > 0) {
        // dA (rows x K) = delta W^T: a dot product over a row of delta and a row of W (both
        // contiguous), then delta of the layer below = dA * h (1 - h)
        const below = layers[l - 1], h = below.h, dBelow = below.delta, w = L.w;
        for (let i = 0; i < rows; i++) {
          const di = i * N, hi = i * K;
          for (let k = 0; k < K; k++) {
            let s = 0;
            const wk = k * N;
            for (let j = 0; j < N; j++) s += delta[di + j] * w[wk + j];
            const hv = h[hi + k];
            dBelow[hi + k] = s * hv * (1 - hv);
          }
        }
      }
    }
    // ---- SGD (momentum 0) ----
    for (const L of layers) {
      for (let i = 0, w = L.w, dw = L.dw; i < w.length; i++) w[i] -= lr * dw[i];
      for (let j = 0; j < L.outputs; j++) L.b[j] -= lr * L.db[j];
    }
    return loss / rows;
  }
}
