// actq itself, four ways: the SIMD build on buffers from alloc() (zero-copy, x -> y and in
// place), the SIMD build on plain Float32Arrays (the copying API), the scalar build; plus
// the physical limit, a copy of the same bytes inside wasm memory.
import { statSync } from 'node:fs';
import { load, VERSION } from '../../src/js/index.js';
import { FLOAT_OPS } from '../ops.mjs';

const FLOAT = new Set(FLOAT_OPS.map((o) => o.name));
const wasmUrl = (variant) => new URL(`../../src/js/wasm/actq.${variant}.wasm`, import.meta.url);

/** Two buffers in wasm memory holding x; y receives the result. */
function zeroCopy(aq, op, x, inPlace) {
  const src = aq.alloc(x.length);
  src.view.set(x);
  if (!inPlace) {
    const dst = aq.alloc(x.length);
    return { run: () => aq.forward(op, src, null, dst), read: () => dst.view.slice(), dispose: () => { src.free(); dst.free(); } };
  }
  // In place, the data drifts with each call (gelu(gelu(...(x)))), towards subnormals that
  // x86 computes slowly: start again from x every 4 calls (outside the timing).
  const pristine = aq.alloc(x.length);
  pristine.view.set(x);
  return {
    run: () => aq.forward(op, src, null, src),
    refresh: () => aq.heapU8.copyWithin(src.ptr, pristine.ptr, pristine.ptr + 4 * x.length),
    refreshEvery: 4,
    read: () => src.view.slice(),
    dispose: () => { src.free(); pristine.free(); },
  };
}

/** An accuracy tier other than the default ('fast', 'balanced'), zero-copy. */
function tierOf(aq, op, x, tier) {
  const src = aq.alloc(x.length), dst = aq.alloc(x.length);
  src.view.set(x);
  const run = () => aq.forward(op, src, null, dst, { tier });
  return { run, read: () => dst.view.slice(), dispose: () => { src.free(); dst.free(); } };
}

function copying(aq, op, x) {
  const y = new Float32Array(x.length);
  return { run: () => aq.forward(op, x, null, y), read: () => y, dispose() {} };
}

export async function systems() {
  const simd = await load();
  const scalar = await load({ simd: false });
  const floatOnly = (op) => FLOAT.has(op);
  return {
    info: {
      actq: `${VERSION} (simd ${statSync(wasmUrl('simd')).size} B, scalar ${statSync(wasmUrl('scalar')).size} B)`,
    },
    list: [
      { id: 'actq', label: 'actq SIMD, alloc x->y (zero-copy)', supports: floatOnly, prepare: (op, x) => zeroCopy(simd, op, x, false) },
      { id: 'actq-inplace', label: 'actq SIMD, alloc in place', supports: floatOnly, prepare: (op, x) => zeroCopy(simd, op, x, true) },
      { id: 'actq-copying', label: 'actq SIMD, Float32Array (copying)', supports: floatOnly, prepare: (op, x) => copying(simd, op, x) },
      { id: 'actq-scalar', label: 'actq scalar, alloc x->y', supports: floatOnly, prepare: (op, x) => zeroCopy(scalar, op, x, false) },
      {
        id: 'actq-fast', label: 'actq SIMD fast tier, alloc x->y',
        supports: (op) => floatOnly(op) && simd.activation(op).fast,
        prepare: (op, x) => tierOf(simd, op, x, 'fast'),
      },
      {
        id: 'actq-balanced', label: 'actq SIMD balanced tier, alloc x->y',
        supports: (op) => floatOnly(op) && simd.activation(op).balanced,
        prepare: (op, x) => tierOf(simd, op, x, 'balanced'),
      },
    ],
    /** memcpy inside wasm memory (memory.copyWithin on the heap): the physical limit */
    copy: {
      id: 'copy', label: 'wasm memcpy (limit)',
      prepare(x) {
        const src = simd.alloc(x.length), dst = simd.alloc(x.length);
        src.view.set(x);
        const bytes = 4 * x.length;
        return {
          run: () => simd.heapU8.copyWithin(dst.ptr, src.ptr, src.ptr + bytes),
          read: () => dst.view.slice(),
          dispose: () => { src.free(); dst.free(); },
        };
      },
    },
    simd, scalar,
  };
}
