#!/usr/bin/env node
// Writes the committed seed corpora fuzz/corpus/<harness>/ (small, deterministic): for
// each harness a few dozen short inputs whose first bytes walk the choices its decoder
// makes first (activation id, layout, qparams), the rest from a seeded PRNG. The decoders
// (fuzz/fuzz.h) read any bytes, so seeds only need to start the search in many places.
//
//   node fuzz/seeds.mjs
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(fileURLToPath(import.meta.url));

function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) & 255;
  };
}

/** count seeds: head(i) bytes, then `tail` PRNG bytes */
function seeds(name, count, head, tail = 48) {
  const dir = join(root, 'corpus', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const next = prng(name.length * 7919);
  for (let i = 0; i < count; i++) {
    const bytes = [...head(i), ...Array.from({ length: tail }, next)];
    writeFileSync(join(dir, `seed-${String(i).padStart(2, '0')}`), Uint8Array.from(bytes));
  }
}

// args: the name to find, the activation, its preset name, then parameters by name
seeds('args', 16, (i) => [i, 0, i, i % 3, 0, 3, i % 2, 0]);
// activation: id; every parameter at its default (byte < 40), arrays of one default-ish
// element; start 0; then layout, n = 37 + i, split
seeds('activation', 32, (i) => [i, 0, 1, 0, 210, 0, 9, 0, 1, 0, 0, i * 8, 37 + i, 0, 11, 0]);
// quantize: layout (bit 7: per channel), bits, signed, narrow, rounding, scale class
seeds('quantize', 24, (i) => [i & 1 ? 0x80 | i : i, i % 15, i & 1, i % 7 === 0 ? 0 : 200, i % 3, (i * 37) & 255]);
// lut8: id, default arguments, then the two qparams
seeds('lut8', 32, (i) => [i, 0, 0, 0, 0, 0, 0, 0, 6, i & 1, 200, i % 3, 99]);
// lut16: id, default arguments, then the two qparams (9..16 bits)
seeds('lut16', 24, (i) => [i, 0, 0, 0, 0, 0, 0, 0, i % 8, i & 1, 200, i % 3, 99]);
// integer: hard_sigmoid / hard_swish, signedness, then the constants
seeds('integer', 16, (i) => [i & 1, (i >> 1) & 1, (i >> 2) & 1, (i * 29) & 255]);
console.log('fuzz/corpus: written');
