// Plain-JS reference of the lab's integer network ('actq-integer-mlp', src/js/lab/export_c.js
// documents the format), written for obviousness rather than speed, for the tests of the
// exported C header and of the wasm integer inference. Takes the typed-array form or the
// JSON form (plain arrays): both are only indexed.
//
// Per layer, for input codes x with zero point zin:
//   acc[c] = bias[c] + sum_k (x[k] - zin) * w[c * inputs + k]              int32
//   r[c]   = floor((acc[c] * m[c] + 2^(s[c] - 1)) / 2^s[c])                 in BigInt: exact
//   hidden: z = clamp(r + output.zeroPoint, -128, 127), x' = lut[z & 255]
//   last:   logit = clamp(r, -32768, 32767)
// It deliberately does not share code with export_c.js (not even its validation), so the
// two cannot be wrong the same way.

const clamp = (v, lo, hi) => (v < lo ? lo : v > hi ? hi : v);

/** The int16 logits (n x classes, row-major) for n samples of uint8 input codes. */
export function referenceLogits(net, inputCodes, n) {
  const { layers } = net;
  const inputs = layers[0].inputs, classes = layers[layers.length - 1].outputs;
  if (inputCodes.length !== n * inputs) throw new RangeError(`referenceLogits: ${inputCodes.length} codes for ${n} x ${inputs}`);
  const logits = new Int16Array(n * classes);
  for (let i = 0; i < n; i++) {
    let x = Array.from({ length: inputs }, (_, k) => inputCodes[i * inputs + k]);
    let zin = net.input.zeroPoint;
    layers.forEach((L, l) => {
      const hidden = l + 1 < layers.length;
      const y = [];
      for (let c = 0; c < L.outputs; c++) {
        // Numbers are exact here: |acc| stays far below 2^53 for any layer that fits int32.
        let acc = L.bias[c];
        for (let k = 0; k < L.inputs; k++) acc += (x[k] - zin) * L.weights[c * L.inputs + k];
        if (acc < -(2 ** 31) || acc > 2 ** 31 - 1) throw new RangeError(`referenceLogits: layer ${l} channel ${c}: accumulator ${acc} overflows int32`);
        const s = BigInt(L.shift[c]);
        // BigInt >> is floor division by 2^s, also for negative values
        const r = (BigInt(acc) * BigInt(L.multiplier[c]) + (1n << (s - 1n))) >> s;
        if (hidden) {
          const z = Number(clamp(r + BigInt(L.output.zeroPoint), -128n, 127n));
          y.push(L.lut[z & 255]);
        } else {
          y.push(Number(clamp(r, -32768n, 32767n)));
        }
      }
      x = y;
      zin = hidden ? L.activationOutput.zeroPoint : null;
    });
    logits.set(x, i * classes);
  }
  return logits;
}

/** The predicted class of each sample: the index of its first maximum logit. */
export function referencePredict(net, inputCodes, n) {
  const classes = net.layers[net.layers.length - 1].outputs;
  const logits = referenceLogits(net, inputCodes, n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
    out[i] = best;
  }
  return out;
}
