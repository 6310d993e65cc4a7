// No kernel reads past its input or writes past its output: every kernel runs on n elements
// (0..37) placed between guard bytes in wasm memory, and the guards must stay untouched.
// (Writes past the end inside wasm memory would not trap: they would silently corrupt
// neighbouring allocations.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'actq';

const GUARD = 64; // bytes on each side
const SENTINEL = 0xa5;

for (const simd of [true, false]) {
  const aq = await load({ simd });
  const w = aq.wasm;

  /** Runs kernel(src, dst) on n elements of inBytes / outBytes each, checks dst's guards. */
  function guarded(n, inBytes, outBytes, fill, kernel) {
    const src = aq._malloc(n * inBytes + 2 * GUARD), dst = aq._malloc(n * outBytes + 2 * GUARD);
    try {
      const heap = aq.heapU8;
      heap.fill(SENTINEL, dst, dst + n * outBytes + 2 * GUARD);
      fill(heap, src + GUARD, n);
      kernel(src + GUARD, dst + GUARD, n);
      const after = aq.heapU8;
      for (const [from, to] of [[dst, dst + GUARD], [dst + GUARD + n * outBytes, dst + 2 * GUARD + n * outBytes]]) {
        for (let i = from; i < to; i++) if (after[i] !== SENTINEL) return `guard byte ${i - dst - GUARD} written`;
      }
      return null;
    } finally {
      aq._free(src);
      aq._free(dst);
    }
  }
  const floats = (heap, p, n) => new Float32Array(heap.buffer, p, n).forEach((_, i, a) => { a[i] = (i % 7) - 3.3; });
  const bytes = (heap, p, n) => heap.fill(3, p, p + 2 * n);

  test(`${simd ? 'SIMD' : 'scalar'}: activation kernels stay inside [0, n)`, () => {
    for (const entry of aq.activations) {
      for (let n = 0; n <= 37; n++) {
        const tiers = [0, 1, 2].map((t) => (id, s, d, m) => w.actq_forward_tier(id, t, s, d, m)); // enum actq_tier
        for (const run of [w.actq_derivative, ...tiers]) {
          const bad = guarded(n, 4, 4, floats, (s, d, m) => aq._withParams(entry, null, () => { w.actq_set_start(0); run(entry.id, s, d, m); }));
          assert.equal(bad, null, `${entry.name} n = ${n}: ${bad}`);
        }
      }
    }
  });

  test(`${simd ? 'SIMD' : 'scalar'}: quantization, LUT and integer kernels stay inside [0, n)`, () => {
    const scales = aq._malloc(4), zps = aq._malloc(4), table = aq._malloc(257 * 4);
    new Float32Array(aq.heapU8.buffer, scales, 1)[0] = 0.1;
    new Int32Array(aq.heapU8.buffer, zps, 1)[0] = 1;
    aq.heapU8.fill(7, table, table + 257 * 4);
    try {
      for (let n = 0; n <= 37; n++) {
        for (const kind of [0, 1, 2, 3]) {
          const cb = kind >= 2 ? 2 : 1;
          for (const [what, bad] of [
            ['quantize', guarded(n, 4, cb, floats, (s, d, m) => w.actq_quantize(s, d, m, scales, zps, 1, 1, 0, 0, 100, 2, kind))],
            ['dequantize', guarded(n, cb, 4, bytes, (s, d, m) => w.actq_dequantize(s, d, m, scales, zps, 1, 1, 0, kind))],
          ]) assert.equal(bad, null, `${what} kind ${kind} n = ${n}: ${bad}`);
        }
        for (const [what, bad] of [
          ['fake_quantize', guarded(n, 4, 4, floats, (s, d, m) => w.actq_fake_quantize(s, d, m, scales, zps, 1, 1, 0, -128, 127, 1))],
          ['fake_quantize_grad', guarded(n, 4, 4, floats, (s, d, m) => w.actq_fake_quantize_grad(s, d, m, scales, zps, 1, 1, 0, -8, 7, 0))],
          ['apply_lut8', guarded(n, 1, 1, bytes, (s, d, m) => w.actq_apply_lut8(table, s, d, m))],
          ['apply_lut16', guarded(n, 2, 2, bytes, (s, d, m) => w.actq_apply_lut16(table, s, d, m, -32768, 8, 0, -32768, 32767, 0))],
          ['int_hard_sigmoid', guarded(n, 1, 1, bytes, (s, d, m) => w.actq_int_hard_sigmoid(s, d, m, 0, 0, 1 << 20, 24, 1 << 23, -128, -128, 127))],
          ['int_hard_swish', guarded(n, 1, 1, bytes, (s, d, m) => w.actq_int_hard_swish(s, d, m, 0, 0, 7680, 15360, 1 << 20, 36, 0, -128, 127))],
        ]) assert.equal(bad, null, `${what} n = ${n}: ${bad}`);
      }
    } finally {
      for (const p of [scales, zps, table]) aq._free(p);
    }
  });
}
