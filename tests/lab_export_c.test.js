// The lab's integer network exported as C (src/js/lab/export_c.js): the header must compile
// warning-free (gcc, clang, g++ when present) and give, for every sample, exactly the logits
// and predictions of the plain-JS reference (tests/lab/int_reference.js); quantize_input must
// be ONNX QuantizeLinear (half even, float32 division) for every float we throw at it; bad
// networks must throw errors naming the field; the JSON form must round-trip exactly. The
// reference itself is checked against numbers worked out by hand, so it cannot silently be
// wrong the same way as the C.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { integerNetworkToC, integerNetworkToJSON, integerNetworkFromJSON, validateIntegerNetwork } from '../src/js/lab/export_c.js';
import { referenceLogits, referencePredict } from './lab/int_reference.js';

const has = (cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const INT32_MIN = -(2 ** 31), INT32_MAX = 2 ** 31 - 1;
const qp = (scale, zeroPoint, bits, signed) => ({ scale, zeroPoint, bits, signed, narrowRange: false, rounding: 'half_even' });

// ---- the hand-computed network -----------------------------------------------------------
//
// 2-2-2, bits 4 (weights in [-7, 7], activation codes in [0, 15]), input zero point 3.
// Layer 0: w = [[2, -1], [-7, 5]], bias [10, -4], m [2^30, 3], s [31, 2] (so r = acc / 2 and
//   3 acc / 4, rounded half up), output zero point -1, lut[z & 255] = clamp(z + 4, 0, 15),
//   activation zero point 4.
// Layer 1: w = [[3, -2], [1, 1]], bias [-5, 130], m [2^31 - 1, 2000], s [21, 3] (so r is about
//   1024 acc and 250 acc).
//
// x = [10, 0]: x - 3 = [7, -3]
//   L0 c0: acc = 10 + 14 + 3 = 27,  r = floor((27 2^30 + 2^30) / 2^31) = 14, z = 13, h = clamp(17) = 15
//   L0 c1: acc = -4 - 49 - 15 = -68, r = floor((-204 + 2) / 4) = floor(-50.5) = -51, z = -52, h = 0
//   h - 4 = [11, -4]
//   L1 c0: acc = -5 + 33 + 8 = 36,  r = floor(36 (2^31 - 1) / 2^21 + 1/2) = floor(36864.5 - 36/2^21) = 36864 -> 32767
//   L1 c1: acc = 130 + 11 - 4 = 137, r = floor((274000 + 4) / 8) = 34250 -> 32767
//   logits [32767, 32767]: a tie, the first maximum wins -> class 0
// x = [4, 4]: x - 3 = [1, 1]
//   L0 c0: acc = 11, 11 / 2 = 5.5 rounds half up: r = 6, z = 5, h = 9
//   L0 c1: acc = -6, -18 / 4 = -4.5 rounds half up: r = -4, z = -5, h = clamp(-1) = 0
//   h - 4 = [5, -4]
//   L1 c0: acc = -5 + 15 + 8 = 18,  r = floor(18432.5 - 18/2^21) = 18432
//   L1 c1: acc = 130 + 5 - 4 = 131, r = floor((262000 + 4) / 8) = floor(32750.5) = 32750
//   logits [18432, 32750] -> class 1
// x = [3, 255]: x - 3 = [0, 252]
//   L0 c0: acc = 10 - 252 = -242, r = -121, z = -122, h = 0
//   L0 c1: acc = -4 + 1260 = 1256, r = floor((3768 + 2) / 4) = 942, z = 941 -> 127, h = 15
//   h - 4 = [-4, 11]
//   L1 c0: acc = -5 - 12 - 22 = -39, r = floor(-39936 + 39/2^21 + 1/2) = -39936 -> -32768
//   L1 c1: acc = 130 - 4 + 11 = 137 -> 32767
//   logits [-32768, 32767] -> class 1
function handNet() {
  const lut = new Uint8Array(256);
  for (let z = -128; z < 128; z++) lut[z & 255] = Math.min(15, Math.max(0, z + 4));
  return {
    format: 'actq-integer-mlp', version: 1, bits: 4,
    activation: { name: 'relu', preset: null, params: {} },
    input: qp(Math.fround(1 / 255), 3, 8, false),
    layers: [
      { inputs: 2, outputs: 2, weights: Int8Array.of(2, -1, -7, 5), weightScales: Float32Array.of(0.5, 0.25),
        bias: Int32Array.of(10, -4), multiplier: Int32Array.of(2 ** 30, 3), shift: Int32Array.of(31, 2),
        output: qp(0.125, -1, 8, true), lut, activationOutput: qp(0.25, 4, 4, false) },
      { inputs: 2, outputs: 2, weights: Int8Array.of(3, -2, 1, 1), weightScales: Float32Array.of(1, 1),
        bias: Int32Array.of(-5, 130), multiplier: Int32Array.of(2 ** 31 - 1, 2000), shift: Int32Array.of(21, 3),
        output: qp(0.01, 0, 16, true), lut: null, activationOutput: null },
    ],
  };
}
const HAND_INPUTS = Uint8Array.of(10, 0, 4, 4, 3, 255);
const HAND_LOGITS = [32767, 32767, 18432, 32750, -32768, 32767];
const HAND_CLASSES = [0, 1, 1];

test('referenceLogits gives the hand-computed logits (typed-array and JSON forms)', () => {
  const net = handNet();
  for (const form of [net, JSON.parse(JSON.stringify(integerNetworkToJSON(net)))]) {
    assert.deepEqual(Array.from(referenceLogits(form, HAND_INPUTS, 3)), HAND_LOGITS);
    assert.deepEqual(Array.from(referencePredict(form, Array.from(HAND_INPUTS), 3)), HAND_CLASSES);
  }
});

// ---- synthetic networks ----------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * A random integer network of the given shape. Requantization per channel mixes: a normalized
 * multiplier in [2^30, 2^31) aimed at a typical r near the clamps; tiny multipliers with small
 * shifts (many exact halves, so round half up is exercised); uniformly random m and s (r is 0 or
 * far beyond the clamps); m = 0. With `extremes`, layer 0's channels 0 and 1 reach exactly
 * INT32_MAX and INT32_MIN on the all-255 input, with m = 2^31 - 1 (acc * m near 2^62).
 */
function randomNet(seed, { sizes, bits, input, activation, extremes = false }) {
  const rand = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const wmax = 2 ** (bits - 1) - 1, amax = 2 ** bits - 1;
  const layers = [];
  let zin = input.zeroPoint, xmax = 255;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inputs = sizes[l], outputs = sizes[l + 1], hidden = l + 2 < sizes.length;
    const weights = Int8Array.from({ length: inputs * outputs }, () => (rand() < 0.2 ? 0 : int(-wmax, wmax)));
    const bias = new Int32Array(outputs), multiplier = new Int32Array(outputs), shift = new Int32Array(outputs);
    const D = Math.max(zin, xmax - zin), target = hidden ? 150 : 30000;
    for (let c = 0; c < outputs; c++) {
      const row = weights.subarray(c * inputs, (c + 1) * inputs);
      const S = row.reduce((a, w) => a + Math.abs(w), 0);
      bias[c] = int(-Math.floor(D * S / 3), Math.floor(D * S / 3));
      const typical = Math.max(1, D * S / 4); // a typical |acc|
      const u = rand();
      if (u < 0.45) {
        const f = target / typical;
        let s = Math.min(62, Math.max(1, 30 - Math.floor(Math.log2(f))));
        let m = Math.round(f * 2 ** s);
        while (m >= 2 ** 31) { m = Math.round(m / 2); s--; }
        multiplier[c] = m; shift[c] = s;
      } else if (u < 0.7) {
        multiplier[c] = int(1, 7);
        shift[c] = Math.min(62, Math.max(1, Math.round(Math.log2(multiplier[c] * typical / target))));
      } else if (u < 0.9) {
        multiplier[c] = int(0, INT32_MAX); shift[c] = int(1, 62);
      } else {
        multiplier[c] = 0; shift[c] = int(1, 62);
      }
    }
    if (extremes && l === 0) {
      weights.fill(wmax, 0, inputs).fill(-wmax, inputs, 2 * inputs);
      bias[0] = INT32_MAX - (255 - zin) * wmax * inputs;
      bias[1] = INT32_MIN + (255 - zin) * wmax * inputs;
      multiplier[0] = multiplier[1] = INT32_MAX;
      shift[0] = 62; shift[1] = 33;
    }
    const output = hidden ? qp(0.01 + rand(), int(-30, 30), 8, true) : qp(0.001 + rand() / 100, 0, 16, true);
    const activationOutput = hidden ? qp(Math.fround(1 / amax), int(0, amax), bits, false) : null;
    layers.push({
      inputs, outputs, weights,
      weightScales: Float32Array.from({ length: outputs }, () => rand() / 10),
      bias, multiplier, shift, output,
      lut: hidden ? Uint8Array.from({ length: 256 }, () => int(0, amax)) : null,
      activationOutput,
    });
    if (hidden) { zin = activationOutput.zeroPoint; xmax = amax; }
  }
  return { format: 'actq-integer-mlp', version: 1, bits, activation, input, layers };
}

/** n input vectors: the all-0, all-255 and all-zero-point ones, 0/255 mixes, then uniform bytes. */
function randomInputs(seed, inputs, n, zeroPoint) {
  const rand = prng(seed);
  const x = new Uint8Array(n * inputs);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inputs; k++) {
      x[i * inputs + k] = i === 0 ? 0 : i === 1 ? 255 : i === 2 ? zeroPoint
        : i < 10 ? (rand() < 0.5 ? 0 : 255) : Math.floor(rand() * 256);
    }
  }
  return x;
}

const HARD_SIGMOID = { name: 'hard_sigmoid', preset: 'onnx', params: { slope: 0.2, offset: 0.5 } };
const CASES = [
  { what: '196-32-10 (MNIST-like, smaller), 4-bit', name: 'mnist_int4', seed: 1, n: 120, extremes: true,
    sizes: [196, 32, 10], bits: 4, input: qp(Math.fround(1 / 255), 0, 8, false), activation: HARD_SIGMOID },
  { what: '2-16-8-3, two hidden layers, 2-bit', name: 'lab/2d net', id: 'lab_2d_net', seed: 2, n: 300, extremes: true,
    sizes: [2, 16, 8, 3], bits: 2, input: qp(0.0625, 128, 8, false), activation: { name: 'tanh', preset: null, params: {} } },
  { what: '20-12-5, 8-bit, 4-bit input codes', name: 'net8', seed: 3, n: 200, extremes: true,
    sizes: [20, 12, 5], bits: 8, input: qp(Math.fround(0.37), 7, 4, false),
    activation: { name: 'leaky_relu', preset: 'tensorflow', params: { alpha: 0.2 } } },
  { what: '8-6-5-4-3-2, four hidden layers, 5-bit', name: '2deep', id: 'actq_2deep', seed: 4, n: 200,
    sizes: [8, 6, 5, 4, 3, 2], bits: 5, input: qp(Math.fround(0.01), 250, 8, false),
    activation: { name: 'rrelu', preset: null, params: { lower: 0.125, upper: 0.25, training: false, seed: 7 } } },
  { what: '5-4, no hidden layer, 3-bit', name: 'linear', seed: 5, n: 100,
    sizes: [5, 4], bits: 3, input: qp(1, 17, 8, false), activation: { name: 'relu', preset: null, params: {} } },
];

// ---- quantize_input reference ---------------------------------------------------------------

/** clamp(round_half_even(x / scale) + zp, qmin, qmax) with x / scale in float32; NaN -> zp.
 *  The double quotient of two floats rounded once to float32 is the float32 quotient
 *  (53 >= 2 * 24 + 2 bits: double rounding is innocuous for division). */
function quantizeRef(x, input) {
  const q = Math.fround(x / Math.fround(input.scale));
  if (Number.isNaN(q)) return input.zeroPoint;
  let r = Math.round(q); // nearest, halves up
  if (r - q === 0.5 && r % 2 !== 0) r -= 1; // halves to even
  return Math.min(2 ** input.bits - 1, Math.max(0, r + input.zeroPoint));
}

const bits32 = new Float32Array(1), int32 = new Int32Array(bits32.buffer);
/** The float32 `ulps` steps away from v in the order of the floats (through 0 if need be):
 *  the bit patterns, read as sign and magnitude, are ordered like the values. */
function ulpStep(v, ulps) {
  bits32[0] = v;
  const i = int32[0];
  const ordered = (i >= 0 ? i : INT32_MIN - i) + ulps;
  int32[0] = ordered >= 0 ? ordered : INT32_MIN - ordered;
  return bits32[0];
}

/** Floats for quantize_input: exact ties and their neighbours around every code, codes
 *  themselves, random values over twice the code range, and special values. */
function quantizeProbes(seed, input) {
  const rand = prng(seed), s = Math.fround(input.scale), qmax = 2 ** input.bits - 1;
  const out = [0, -0, NaN, Infinity, -Infinity, 3.4028234663852886e38, -3.4028234663852886e38, 1e-45, -1e-45, 1e30, -1e30];
  for (let k = -input.zeroPoint - 4; k <= qmax - input.zeroPoint + 4; k++) {
    for (const base of [Math.fround((k + 0.5) * s), Math.fround(k * s)]) {
      for (let d = -2; d <= 2; d++) out.push(ulpStep(base, d));
    }
  }
  for (let i = 0; i < 3000; i++) out.push(Math.fround((rand() * 4 - 2) * (qmax + 1) * s));
  return Float32Array.from(out);
}

// ---- the C program ---------------------------------------------------------------------------

// main.c: `main logits IN LOGITS PREDICTIONS` reads input-code vectors and writes int16 logits
// and int32 predictions; `main quantize IN OUT` maps float32s to input codes. It includes the
// case's header twice (the include guard) and the hand net's header (two networks' prefixes
// must not collide).
const mainC = (id) => {
  const M = id.toUpperCase();
  return `#include <stdio.h>
#include <string.h>
#include "net.h"
#include "net.h"
#include "hand.h"

int main(int argc, char **argv) {
  FILE *in, *out, *out2;
  if (argc < 4) return 2;
  in = fopen(argv[2], "rb");
  out = fopen(argv[3], "wb");
  if (!in || !out) return 3;
  if (strcmp(argv[1], "logits") == 0) {
    uint8_t x[${M}_INPUTS];
    int16_t logits[${M}_CLASSES];
    int32_t cls;
    if (argc < 5 || !(out2 = fopen(argv[4], "wb"))) return 4;
    while (fread(x, 1, (size_t)${M}_INPUTS, in) == (size_t)${M}_INPUTS) {
      ${id}_logits(x, logits);
      cls = ${id}_predict(x);
      fwrite(logits, sizeof logits[0], (size_t)${M}_CLASSES, out);
      fwrite(&cls, sizeof cls, 1, out2);
    }
    fclose(out2);
  } else {
    float v;
    uint8_t q;
    while (fread(&v, sizeof v, 1, in) == 1) {
      q = ${id}_quantize_input(v);
      fwrite(&q, 1, 1, out);
    }
  }
  fclose(in);
  fclose(out);
  return 0;
}
`;
};

const STRICT = ['-std=c99', '-pedantic', '-Wall', '-Wextra', '-Werror'];
// More than asked of users, so a deployment with stricter flags builds too.
const EXTRA = ['-Wconversion', '-Wsign-conversion', '-Wshadow', '-Wdouble-promotion', '-Wfloat-equal', '-Wcast-qual', '-Wundef'];
// The sanitizer builds trap on any undefined behaviour (signed overflow, bad shifts, bad
// float-to-int conversions) while running the extreme accumulators; used where they link.
const SANITIZE = ['-O1', '-fsanitize=undefined,float-cast-overflow', '-fno-sanitize-recover=all'];
const COMPILERS = [
  { cc: 'gcc', flags: [...STRICT, '-O0'] },
  { cc: 'gcc', flags: [...STRICT, ...EXTRA, '-O2'] },
  { cc: 'clang', flags: [...STRICT, ...EXTRA, '-O2'] },
  { cc: 'gcc', flags: [...STRICT, ...SANITIZE], probe: true },
  { cc: 'clang', flags: [...STRICT, ...SANITIZE, '-fsanitize=integer'], probe: true },
].filter(({ cc, flags, probe }) => has(cc) && (!probe || builds(cc, flags)));

/** Whether `cc flags` compiles, links and runs a trivial program (sanitizer runtimes are optional). */
function builds(cc, flags) {
  const dir = mkdtempSync(join(tmpdir(), 'actq-lab-probe-'));
  try {
    writeFileSync(join(dir, 'probe.c'), 'int main(void) { return 0; }\n');
    return spawnSync(cc, [...flags, '-o', join(dir, 'probe'), join(dir, 'probe.c')]).status === 0
      && spawnSync(join(dir, 'probe')).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the C header compiles warning-free and gives the reference logits, predictions and input codes',
  { skip: !has('gcc') && 'gcc not found: the exported C header is not compiled' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'actq-lab-c-'));
    const seen = { high: 0, low: 0, inside: 0 };
    try {
      writeFileSync(join(dir, 'hand.h'), integerNetworkToC(handNet(), { name: 'hand' }));
      for (const c of CASES) {
        const net = randomNet(c.seed, c);
        const id = c.id ?? c.name;
        const header = integerNetworkToC(net, { name: c.name, version: '0.0.0-test', source: c.what });
        assert.match(header, new RegExp(`static inline void ${id}_logits\\(`), `${c.what}: identifier from cIdentifier`);
        writeFileSync(join(dir, 'net.h'), header);
        writeFileSync(join(dir, 'main.c'), mainC(id));

        const inputs = c.sizes[0], classes = c.sizes.at(-1);
        const x = randomInputs(c.seed + 100, inputs, c.n, c.input.zeroPoint);
        writeFileSync(join(dir, 'x.bin'), x);
        const floats = quantizeProbes(c.seed + 200, c.input);
        writeFileSync(join(dir, 'f.bin'), new Uint8Array(floats.buffer));

        const logits = referenceLogits(net, x, c.n), classesRef = referencePredict(net, x, c.n);
        const codesRef = Uint8Array.from(floats, (v) => quantizeRef(v, c.input));
        for (const v of logits) seen[v === 32767 ? 'high' : v === -32768 ? 'low' : 'inside']++;
        const ties = Array.from(floats).filter((v) => {
          const q = Math.fround(v / Math.fround(c.input.scale));
          return q - Math.floor(q) === 0.5;
        }).length;
        assert.ok(ties >= 10, `${c.what}: only ${ties} exact ties among the quantize probes`);

        for (const { cc, flags } of COMPILERS) {
          const exe = join(dir, 'main');
          const built = spawnSync(cc, [...flags, '-o', exe, 'main.c'], { cwd: dir, encoding: 'utf8' });
          assert.equal(built.status, 0, `${c.what}: ${cc} ${flags.join(' ')} failed:\n${built.stderr}`);
          const run = spawnSync(exe, ['logits', 'x.bin', 'logits.bin', 'classes.bin'], { cwd: dir, encoding: 'utf8' });
          assert.equal(run.status, 0, `${c.what}: ${cc}: the program failed: ${run.stderr}`);
          const got = new Int16Array(new Uint8Array(readFileSync(join(dir, 'logits.bin'))).buffer);
          assert.equal(got.length, c.n * classes, `${c.what}: ${cc}: logit count`);
          for (let i = 0; i < c.n; i++) {
            assert.deepEqual(Array.from(got.subarray(i * classes, (i + 1) * classes)),
              Array.from(logits.subarray(i * classes, (i + 1) * classes)), `${c.what}: ${cc}: logits of sample ${i}`);
          }
          const cls = new Int32Array(new Uint8Array(readFileSync(join(dir, 'classes.bin'))).buffer);
          assert.deepEqual(Array.from(cls), Array.from(classesRef), `${c.what}: ${cc}: predictions`);
          const q = spawnSync(exe, ['quantize', 'f.bin', 'q.bin'], { cwd: dir });
          assert.equal(q.status, 0, `${c.what}: ${cc}: quantize failed`);
          const codes = new Uint8Array(readFileSync(join(dir, 'q.bin')));
          const bad = codes.findIndex((v, i) => v !== codesRef[i]);
          assert.equal(codes.length, floats.length);
          assert.equal(bad, -1, bad < 0 ? '' : `${c.what}: ${cc}: quantize_input(${floats[bad]}) = ${codes[bad]}, expected ${codesRef[bad]}`);
        }
        if (has('g++')) { // C++ projects include such headers too
          const cxx = spawnSync('g++', ['-std=c++11', '-Wall', '-Wextra', '-Werror', '-fsyntax-only', '-x', 'c++', 'main.c'], { cwd: dir, encoding: 'utf8' });
          assert.equal(cxx.status, 0, `${c.what}: g++ failed:\n${cxx.stderr}`);
        }
      }
      // the random networks reach both int16 clamps and the inside
      assert.ok(seen.high > 0 && seen.low > 0 && seen.inside > 0, `logit coverage ${JSON.stringify(seen)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

test('the C header of the hand-computed network gives the hand-computed logits',
  { skip: !has('gcc') && 'gcc not found' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'actq-lab-c-'));
    try {
      writeFileSync(join(dir, 'net.h'), integerNetworkToC(handNet(), { name: 'tiny' }));
      writeFileSync(join(dir, 'hand.h'), '');
      writeFileSync(join(dir, 'main.c'), mainC('tiny'));
      writeFileSync(join(dir, 'x.bin'), HAND_INPUTS);
      const built = spawnSync('gcc', [...STRICT, '-o', 'main', 'main.c'], { cwd: dir, encoding: 'utf8' });
      assert.equal(built.status, 0, built.stderr);
      assert.equal(spawnSync(join(dir, 'main'), ['logits', 'x.bin', 'l.bin', 'c.bin'], { cwd: dir }).status, 0);
      assert.deepEqual(Array.from(new Int16Array(new Uint8Array(readFileSync(join(dir, 'l.bin'))).buffer)), HAND_LOGITS);
      assert.deepEqual(Array.from(new Int32Array(new Uint8Array(readFileSync(join(dir, 'c.bin'))).buffer)), HAND_CLASSES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

test('the header is deterministic, the same from either form, and says what it holds', () => {
  const net = randomNet(11, CASES[0]);
  const a = integerNetworkToC(net, { name: 'mnist', version: '1.2.3', source: 'MNIST, PTQ' });
  assert.equal(integerNetworkToC(net, { name: 'mnist', version: '1.2.3', source: 'MNIST, PTQ' }), a);
  assert.equal(integerNetworkToC(integerNetworkToJSON(net), { name: 'mnist', version: '1.2.3', source: 'MNIST, PTQ' }), a);
  assert.match(a, /generated by actq 1\.2\.3/);
  assert.match(a, /hard_sigmoid \(preset onnx\): slope = 0\.2, offset = 0\.5/);
  assert.match(a, /source {6}MNIST, PTQ/);
  for (const define of ['MNIST_INPUTS 196', 'MNIST_CLASSES 10', 'MNIST_LAYERS 2', 'MNIST_MAX_WIDTH 32', 'MNIST_INPUT_ZERO_POINT 0',
    'MNIST_INPUT_SCALE_F32 0.0039215688593685626983642578125f']) {
    assert.ok(a.includes(`#define ${define}`), define);
  }
  assert.match(integerNetworkToC(net), /actq_net_predict/); // the default prefix
  assert.match(integerNetworkToC(net, { source: 'a */ b' }), /a \* \/ b/); // no comment breaks out
});

// ---- validation ----------------------------------------------------------------------------

test('malformed networks throw a TypeError or RangeError naming the field, from every entry point', () => {
  const base = integerNetworkToJSON(randomNet(21, CASES[1])); // 2-16-8-3, 2-bit: weights in [-1, 1]
  const cases = [
    ['not an object', () => null, TypeError, /net must be an object/],
    ['format', (n) => { n.format = 'actq-mlp'; }, RangeError, /net\.format/],
    ['version', (n) => { n.version = 2; }, RangeError, /net\.version/],
    ['bits 9', (n) => { n.bits = 9; }, RangeError, /net\.bits/],
    ['bits 1', (n) => { n.bits = 1; }, RangeError, /net\.bits/],
    ['bits missing', (n) => { delete n.bits; }, TypeError, /net\.bits/],
    ['activation', (n) => { delete n.activation; }, TypeError, /net\.activation/],
    ['activation param', (n) => { n.activation.params.slope = 'x'; }, TypeError, /net\.activation\.params\.slope/],
    ['input scale', (n) => { n.input.scale = 0; }, RangeError, /net\.input\.scale/],
    ['input signed', (n) => { n.input.signed = true; }, RangeError, /net\.input\.signed/],
    ['input zero point', (n) => { n.input.zeroPoint = 256; }, RangeError, /net\.input\.zeroPoint/],
    ['input rounding', (n) => { n.input.rounding = 'half_up'; }, RangeError, /net\.input\.rounding/],
    ['layers empty', (n) => { n.layers = []; }, RangeError, /net\.layers/],
    ['layers not an array', (n) => { n.layers = {}; }, TypeError, /net\.layers/],
    ['weights length', (n) => { n.layers[0].weights.pop(); }, RangeError, /net\.layers\[0\]\.weights has 31 entries, expected 32/],
    ['weights type', (n) => { n.layers[0].weights = 'abc'; }, TypeError, /net\.layers\[0\]\.weights/],
    ['weight code', (n) => { n.layers[1].weights[5] = 2; }, RangeError, /net\.layers\[1\]\.weights\[5\] = 2 is not an integer in \[-1, 1\]/],
    ['weight fraction', (n) => { n.layers[1].weights[5] = 0.5; }, RangeError, /net\.layers\[1\]\.weights\[5\]/],
    ['inputs chain', (n) => { n.layers[1].inputs = 15; }, RangeError, /net\.layers\[1\]\.inputs must be 16/],
    ['bias', (n) => { n.layers[2].bias[0] = 2 ** 31; }, RangeError, /net\.layers\[2\]\.bias\[0\]/],
    ['multiplier', (n) => { n.layers[0].multiplier[3] = -1; }, RangeError, /net\.layers\[0\]\.multiplier\[3\]/],
    ['multiplier 2^31', (n) => { n.layers[0].multiplier[3] = 2 ** 31; }, RangeError, /net\.layers\[0\]\.multiplier\[3\]/],
    ['shift 0', (n) => { n.layers[0].shift[1] = 0; }, RangeError, /net\.layers\[0\]\.shift\[1\] = 0 is not an integer in \[1, 62\]/],
    ['shift 63', (n) => { n.layers[2].shift[2] = 63; }, RangeError, /net\.layers\[2\]\.shift\[2\]/],
    ['weight scale', (n) => { n.layers[0].weightScales[0] = -1; }, RangeError, /net\.layers\[0\]\.weightScales\[0\]/],
    ['lut missing', (n) => { n.layers[1].lut = null; }, TypeError, /net\.layers\[1\]\.lut is missing/],
    ['lut length', (n) => { n.layers[0].lut.pop(); }, RangeError, /net\.layers\[0\]\.lut has 255 entries/],
    ['lut code', (n) => { n.layers[0].lut[7] = 4; }, RangeError, /net\.layers\[0\]\.lut\[7\] = 4 is not an integer in \[0, 3\]/],
    ['lut on the last layer', (n) => { n.layers[2].lut = n.layers[1].lut; }, RangeError, /net\.layers\[2\]\.lut must be null/],
    ['hidden output bits', (n) => { n.layers[0].output.bits = 16; }, RangeError, /net\.layers\[0\]\.output\.bits/],
    ['hidden output signed', (n) => { n.layers[0].output.signed = false; }, RangeError, /net\.layers\[0\]\.output\.signed/],
    ['logits zero point', (n) => { n.layers[2].output.zeroPoint = 1; }, RangeError, /net\.layers\[2\]\.output\.zeroPoint/],
    ['logits bits', (n) => { n.layers[2].output.bits = 8; }, RangeError, /net\.layers\[2\]\.output\.bits/],
    ['activation output bits', (n) => { n.layers[0].activationOutput.bits = 8; }, RangeError, /net\.layers\[0\]\.activationOutput\.bits/],
    ['activation output missing', (n) => { n.layers[0].activationOutput = null; }, TypeError, /net\.layers\[0\]\.activationOutput/],
    ['narrow range', (n) => { n.layers[1].output.narrowRange = true; }, RangeError, /net\.layers\[1\]\.output\.narrowRange/],
    ['int32 overflow', (n) => { n.layers[0].bias[4] = INT32_MAX - 10; n.layers[0].weights[8] = 1; }, RangeError,
      /net\.layers\[0\]\.bias\[4\] = 2147483637: the accumulator reaches .* outside int32/],
  ];
  for (const [what, mutate, Type, message] of cases) {
    const bad = structuredClone(base);
    const replaced = mutate(bad);
    const net = replaced === undefined ? bad : replaced;
    for (const fn of [integerNetworkToC, integerNetworkToJSON, integerNetworkFromJSON]) {
      assert.throws(() => fn(net), (e) => e instanceof Type && message.test(e.message), `${what}: ${fn.name}`);
    }
  }
  // the accumulator bound is exact: at the limit it passes (INT32_MAX reached on x = 255)
  const edge = structuredClone(base);
  const L = edge.layers[0]; // 2 inputs, zero point 128: (255 - 128) * 1 * 2 = 254
  L.weights[0] = L.weights[1] = 1;
  L.bias[0] = INT32_MAX - 254;
  assert.doesNotThrow(() => validateIntegerNetwork(edge));
  L.bias[0]++;
  assert.throws(() => validateIntegerNetwork(edge), /net\.layers\[0\]\.bias\[0\]/);
  assert.throws(() => integerNetworkFromJSON(JSON.stringify(base)), TypeError);
});

test('the JSON form round-trips exactly, through text too', () => {
  for (const c of CASES) {
    const net = randomNet(c.seed, c);
    const json = integerNetworkToJSON(net);
    const text = JSON.stringify(json);
    assert.ok(!/\{"0":/.test(text), 'typed arrays are written as plain arrays');
    assert.deepStrictEqual(integerNetworkFromJSON(JSON.parse(text)), net, c.what);
    assert.deepStrictEqual(integerNetworkToJSON(integerNetworkFromJSON(JSON.parse(text))), json, c.what);
  }
  // typed arrays in, fresh copies out: the result shares no buffer with the argument
  const net = handNet(), copy = integerNetworkFromJSON(net);
  copy.layers[0].weights[0] = 7;
  assert.equal(net.layers[0].weights[0], 2);
});
