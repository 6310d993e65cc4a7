// The deployment export: `actq lut ...` (bin/actq.mjs) and actq/export. The C header must
// compile warning-free and give, for every input code, what aq.applyLut gives; JSON and CSV
// must parse back to the same table and qparams; bad flags fail cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'actq';
import { lutToC, lutToJson, lutToCsv, cIdentifier, exactDecimal, hexFloat } from 'actq/export';

const aq = await load();
const CLI = fileURLToPath(new URL('../bin/actq.mjs', import.meta.url));
const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const has = (cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const actq = (...args) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const QP_FIELDS = ['scale', 'zeroPoint', 'bits', 'signed', 'narrowRange', 'rounding'];
const pick = (qp) => Object.fromEntries(QP_FIELDS.map((k) => [k, qp[k]]));

// Each case: CLI arguments, the C identifier they give, and the same LUT built by the library.
const CASES = [
  {
    what: 'sigmoid, TFLite int8 LOGISTIC (half away)',
    args: ['lut', 'sigmoid', '--in-scale', '0.0625', '--out', 'tflite-logistic', '--rounding', 'half_away'],
    name: 'sigmoid_lut',
    lut: () => aq.lut('sigmoid', null, { scale: 0.0625, zeroPoint: 0, bits: 8, signed: true },
      aq.outputQParams('tflite-logistic', { signed: true, rounding: 'half_away' })),
  },
  {
    what: 'tanh, TFLite int8 TANH, negative input zero point',
    args: ['lut', 'tanh', '--in-scale', '1/32', '--in-zero-point', '-3', '--out', 'tflite-tanh', '--name', 'tanh_q'],
    name: 'tanh_q',
    lut: () => aq.lut('tanh', null, { scale: 1 / 32, zeroPoint: -3, bits: 8, signed: true },
      aq.outputQParams('tflite-tanh', { signed: true })),
  },
  {
    what: 'sigmoid, unsigned in and out (PyTorch quint8)',
    args: ['lut', 'sigmoid', '--in-scale', '0.05', '--in-zero-point', '128', '--in-unsigned',
      '--out', 'pytorch-sigmoid', '--out-unsigned', '--format', 'c'],
    name: 'sigmoid_lut',
    lut: () => aq.lut('sigmoid', null, { scale: 0.05, zeroPoint: 128, bits: 8, signed: false },
      aq.outputQParams('pytorch-sigmoid', { signed: false })),
  },
  {
    what: 'hard_sigmoid preset + param, 4-bit input, explicit output qparams, odd --name',
    args: ['lut', 'hard_sigmoid', '--preset', 'pytorch', '--param', 'offset=0.4', '--in-bits', '4',
      '--in-scale', '0.5', '--out-scale', '1/255', '--out-zero-point', '-128', '--rounding', 'half_up', '--name', 'hs-4bit'],
    name: 'hs_4bit',
    lut: () => aq.lut('hard_sigmoid', { preset: 'pytorch', offset: 0.4 }, { scale: 0.5, zeroPoint: 0, bits: 4, signed: true },
      { scale: 1 / 255, zeroPoint: -128, bits: 8, signed: true, rounding: 'half_up' }),
  },
];

const codesOf = (qp) => {
  const [qmin, qmax] = aq.codeRange(qp);
  return Array.from({ length: qmax - qmin + 1 }, (_, i) => qmin + i);
};

test('the CLI prints exactly what lutToC / lutToJson / lutToCsv make (the page uses the same functions)', () => {
  for (const c of CASES) {
    const lut = c.lut();
    const formula = aq.activation(lut.name).formula;
    const r = actq(...c.args);
    assert.equal(r.status, 0, `${c.what}: ${r.stderr}`);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, lutToC(lut, { name: c.name, version: VERSION, formula }), c.what);
    assert.equal(actq(...c.args).stdout, r.stdout, 'deterministic');
    assert.equal(actq(...c.args, '--format', 'json').stdout, lutToJson(lut, { version: VERSION }));
    assert.equal(actq(...c.args, '--format', 'csv').stdout, lutToCsv(lut, { version: VERSION }));
  }
});

test('the header compiles with gcc -Werror and looks up what aq.applyLut gives, for every code', { skip: !has('gcc') && 'gcc not found' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'actq-cli-'));
  try {
    for (const c of CASES) {
      const lut = c.lut();
      const header = actq(...c.args).stdout;
      assert.match(header, new RegExp(`static const u?int8_t ${c.name}\\[${lut.table.length}\\]`));
      assert.match(header, new RegExp(`actq ${VERSION.replace(/\./g, '\\.')}`));
      const M = c.name.toUpperCase(), T = lut.inQp.signed ? 'int8_t' : 'uint8_t';
      writeFileSync(join(dir, 'lut.h'), header);
      writeFileSync(join(dir, 'main.c'), `#include <stdio.h>
#include "lut.h"
#include "lut.h" /* the include guard holds */
int main(void) {
  int q;
  printf("%.17g %d %.17g %d %d %d\\n", (double)${M}_IN_SCALE, ${M}_IN_ZERO_POINT,
         (double)${M}_OUT_SCALE, ${M}_OUT_ZERO_POINT, ${M}_QMIN, ${M}_QMAX);
  while (scanf("%d", &q) == 1) printf("%d\\n", (int)${c.name}_lookup((${T})q));
  return 0;
}
`);
      const cc = spawnSync('gcc', ['-std=c99', '-pedantic', '-Wall', '-Wextra', '-Werror', '-o', 'main', 'main.c'], { cwd: dir, encoding: 'utf8' });
      assert.equal(cc.status, 0, `${c.what}: gcc failed:\n${cc.stderr}`);
      if (has('g++')) {
        const cxx = spawnSync('g++', ['-std=c++11', '-Wall', '-Wextra', '-Werror', '-fsyntax-only', '-x', 'c++', 'main.c'], { cwd: dir, encoding: 'utf8' });
        assert.equal(cxx.status, 0, `${c.what}: g++ failed:\n${cxx.stderr}`);
      }
      // Every code, then the C type's extremes: the helper clamps codes the table lacks.
      const codes = codesOf(lut.inQp);
      const [qmin, qmax] = [codes[0], codes.at(-1)];
      const inputs = [...codes, lut.inQp.signed ? -128 : 0, lut.inQp.signed ? 127 : 255];
      const run = spawnSync(join(dir, 'main'), { input: inputs.join(' '), encoding: 'utf8' });
      assert.equal(run.status, 0);
      const [first, ...outputs] = run.stdout.trim().split('\n');
      assert.deepEqual(first.split(' ').map(Number),
        [lut.inQp.scale, lut.inQp.zeroPoint, lut.outQp.scale, lut.outQp.zeroPoint, qmin, qmax], `${c.what}: macros`);
      const Codes = lut.inQp.signed ? Int8Array : Uint8Array;
      const clamped = Codes.from(inputs, (q) => Math.min(qmax, Math.max(qmin, q)));
      assert.deepEqual(outputs.map(Number), Array.from(aq.applyLut(lut, clamped)), c.what);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('JSON parses back to the same table and qparams', () => {
  for (const c of CASES) {
    const lut = c.lut();
    const doc = JSON.parse(actq(...c.args, '--format', 'json').stdout);
    assert.equal(doc.name, lut.name);
    assert.deepEqual(doc.params, JSON.parse(JSON.stringify(lut.params)));
    assert.deepEqual(doc.inQp, pick(lut.inQp));
    assert.deepEqual(doc.outQp, pick(lut.outQp));
    assert.deepEqual([doc.qmin, doc.qmax], aq.codeRange(lut.inQp));
    assert.deepEqual(doc.table, Array.from(lut.table));
    assert.equal(doc.generator, `actq ${VERSION}`);
  }
});

test('CSV parses back to the same table and qparams', () => {
  const parse = (text) => {
    const meta = {}, rows = [];
    for (const line of text.trimEnd().split('\n')) {
      if (line.startsWith('# ')) {
        const eq = line.indexOf('=');
        meta[line.slice(2, eq)] = line.slice(eq + 1);
      } else rows.push(line.split(','));
    }
    const qp = (p) => ({
      scale: Number(meta[`${p}_scale`]), zeroPoint: Number(meta[`${p}_zero_point`]), bits: Number(meta[`${p}_bits`]),
      signed: meta[`${p}_signed`] === 'true', narrowRange: meta[`${p}_narrow_range`] === 'true', rounding: meta[`${p}_rounding`],
    });
    assert.deepEqual(rows[0], ['in_code', 'in_value', 'out_code', 'out_value']);
    return { meta, inQp: qp('in'), outQp: qp('out'), rows: rows.slice(1).map((r) => r.map(Number)) };
  };
  for (const c of CASES) {
    const lut = c.lut();
    const { meta, inQp, outQp, rows } = parse(actq(...c.args, '--format', 'csv').stdout);
    assert.equal(meta.name, lut.name);
    assert.deepEqual(JSON.parse(meta.params), JSON.parse(JSON.stringify(lut.params)));
    assert.deepEqual(inQp, pick(lut.inQp));
    assert.deepEqual(outQp, pick(lut.outQp));
    assert.deepEqual(rows.map((r) => r[0]), codesOf(lut.inQp));
    assert.deepEqual(rows.map((r) => r[2]), Array.from(lut.table));
    for (const [q, x, code, y] of rows) {
      assert.equal(x, (q - inQp.zeroPoint) * inQp.scale);
      assert.equal(y, (code - outQp.zeroPoint) * outQp.scale);
    }
  }
});

test('bad flags: exit 1, one line on stderr naming the problem, nothing on stdout', () => {
  const ok = ['lut', 'sigmoid', '--in-scale', '0.0625', '--out', 'tflite-logistic'];
  const without = (flag) => { const a = ok.slice(); a.splice(a.indexOf(flag), 2); return a; };
  const replace = (flag, value) => ok.map((a, i) => (ok[i - 1] === flag ? value : a));
  const bad = [
    [[...ok, '--bogus'], /--bogus/],
    [without('--in-scale'), /--in-scale/],
    [replace('--in-scale', '-1'), /scale/],
    [replace('--in-scale', 'NaN'), /NaN/],
    [replace('--in-scale', 'abc'), /abc/],
    [ok.map((a) => (a === 'sigmoid' ? 'sigmod' : a)), /sigmod/],
    [replace('--out', 'tflite-sigmoid'), /tflite-sigmoid/],
    [[...ok, '--format', 'xml'], /xml/],
    [[...ok, '--in-bits', '9'], /in-bits|bits/],
    [[...ok, '--in-zero-point', '300'], /zero/i],
    [[...ok, '--rounding', 'half_down'], /half_down/],
    [[...ok, '--out-scale', '0.1'], /--out-scale/],
    [without('--out'), /--out/],
    [[...ok, '--param', 'slope'], /slope/],
    [['lut', 'hard_sigmoid', '--in-scale', '1', '--out', 'tflite-logistic', '--preset', 'keras9'], /keras9/],
    [['lut', 'hard_sigmoid', '--in-scale', '1', '--out', 'tflite-logistic', '--param', 'slope=0'], /slope/],
    [['lut', 'hard_sigmoid', '--in-scale', '1', '--out', 'tflite-logistic', '--param', 'slop=1'], /slop/],
    [['lut'], /activation/],
    [['convert', 'sigmoid'], /convert/],
    [[], /command/],
  ];
  for (const [args, pattern] of bad) {
    const r = actq(...args);
    const label = `actq ${args.join(' ')}`;
    assert.equal(r.status, 1, `${label}: exit status (stderr: ${r.stderr})`);
    assert.equal(r.stdout, '', `${label}: stdout`);
    assert.match(r.stderr, /^actq: [^\n]+\n$/, `${label}: one stderr line`);
    assert.match(r.stderr, pattern, label);
  }
});

test('--help exits 0 with the usage on stdout', () => {
  for (const args of [['--help'], ['-h'], ['lut', 'sigmoid', '--help']]) {
    const r = actq(...args);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Usage: actq lut <activation>/);
    assert.match(r.stdout, /--in-scale/);
  }
});

test('export helpers: exact numbers, C identifiers, and nothing made from an inconsistent Lut', () => {
  assert.equal(exactDecimal(0.1), '0.1000000000000000055511151231257827021181583404541015625');
  assert.equal(exactDecimal(1 / 256), '0.00390625');
  assert.equal(exactDecimal(2 ** 60), '1152921504606846976');
  assert.equal(hexFloat(0.1), '0x1.999999999999ap-4');
  assert.equal(hexFloat(1 / 256), '0x1p-8');
  assert.equal(hexFloat(3), '0x1.8p+1');
  assert.equal(hexFloat(5e-324), '0x0.0000000000001p-1022');
  assert.equal(cIdentifier('sigmoid_lut'), 'sigmoid_lut');
  assert.equal(cIdentifier('my-lut v2'), 'my_lut_v2');
  assert.equal(cIdentifier('8bit'), 'actq_8bit');
  assert.equal(cIdentifier('int'), 'actq_int');
  assert.equal(cIdentifier(''), 'actq_lut');

  const good = {
    name: 'relu', params: {},
    inQp: { scale: 1, zeroPoint: 0, bits: 2, signed: true, narrowRange: false, rounding: 'half_even' },
    outQp: { scale: 1, zeroPoint: 0, bits: 8, signed: true, narrowRange: false, rounding: 'half_even' },
    table: Int8Array.of(0, 0, 0, 1),
  };
  for (const format of [lutToC, lutToJson, lutToCsv]) {
    assert.equal(typeof format(good), 'string');
    assert.throws(() => format({ ...good, table: Int8Array.of(0, 0, 1) }), RangeError, 'wrong length');
    assert.throws(() => format({ ...good, table: Int16Array.of(0, 0, 0, 300) }), RangeError, 'entry outside the output codes');
    assert.throws(() => format({ ...good, inQp: { ...good.inQp, scale: [1, 2] } }), RangeError, 'per-channel');
    assert.throws(() => format(null), TypeError);
  }
  assert.equal(lutToC(good, { name: 'a' }), lutToC(good, { name: 'a' }), 'deterministic');
  const header = lutToC({ ...good, params: { note: '*/ evil /*' } });
  const comment = header.slice(0, header.indexOf('\n */\n'));
  assert.equal(comment.match(/\/\*/g).length, 1, 'no comment opened inside the comment block');
  assert.doesNotMatch(comment, /\*\//, 'the comment block is not closed early');
});
