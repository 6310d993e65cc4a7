// `actq lab` run as a process, as a user runs it: the default mnist run (the table the README
// quotes: float sigmoid >= 92%), --json's shape and its numbers equal to compare() in this
// process, --export-c compiled with gcc -Werror classifying every test sample exactly as the
// JS integer network does, progress on stderr, and bad flags: one line, exit 1, no stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLab } from 'actq/lab';
import { referencePredict } from './lab/int_reference.js';

const CLI = fileURLToPath(new URL('../bin/actq.mjs', import.meta.url));
const actq = (...args) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
const has = (cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const lab = await loadLab();

test('npx actq lab (the defaults): mnist, sigmoid >= 92%, three hard sigmoids x PTQ/QAT x 8/4/2 bits', () => {
  const r = actq('lab', '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ['data', 'layers', 'trainSamplesPerSecond', 'rows']);
  assert.deepEqual(out.data, { name: 'mnist', train: 8000, test: 2000, dim: 784, classes: 10 });
  assert.deepEqual(out.layers, [784, 64, 10]);
  assert.ok(out.trainSamplesPerSecond > 0);
  assert.equal(out.rows.length, 1 + 3 * (1 + 3 + 3));
  const float = out.rows[0];
  assert.deepEqual([float.activation, float.preset, float.stage, float.bits], ['sigmoid', null, 'float', null]);
  assert.ok(float.accuracy >= 0.92, `float sigmoid accuracy ${float.accuracy}`);
  for (const preset of ['onnx', 'pytorch', 'bnn']) {
    const rows = out.rows.filter((row) => row.preset === preset);
    assert.deepEqual(rows.map((row) => `${row.stage}${row.bits ?? ''}`), ['swap', 'ptq8', 'ptq4', 'ptq2', 'qat8', 'qat4', 'qat2']);
    rows.forEach((row) => {
      assert.equal(row.activation, 'hard_sigmoid');
      assert.deepEqual(Object.keys(row), ['activation', 'preset', 'stage', 'bits', 'accuracy', 'loss']);
    });
    // what QAT is for: at 2 bits it recovers most of what PTQ loses
    const at = (stage) => rows.find((row) => row.stage === stage && row.bits === 2).accuracy;
    assert.ok(at('qat') > at('ptq'), `${preset}: QAT 2-bit ${at('qat')} vs PTQ ${at('ptq')}`);
  }
  assert.match(r.stderr, /train sigmoid, epoch 5\/5/); // not a TTY: a line per epoch
});

test('the table: one row per deployed definition, a column per stage and width', () => {
  const r = actq('lab', '--data', 'xor', '--hidden', '8', '--train', 'tanh', '--deploy', 'hard_tanh,softsign', '--bits', '4', '--epochs', '10', '--qat-epochs', '1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^actq lab: xor \(1600 train \/ 400 test\), 2-8-2 MLP trained with tanh: test accuracy/);
  assert.match(r.stdout, /\| deployed \| swap \(float\) \| PTQ 4-bit \| QAT 4-bit \|/);
  assert.match(r.stdout, /\n\| hard_tanh \| [\d.]+% \([-+][\d.]+\) \| [\d.]+% \([-+][\d.]+\) \| [\d.]+% \([-+][\d.]+\) \|\n\| softsign \|/);
});

test('--json equals compare() with the same settings; --export-c compiles (-Werror) and classifies every test sample as the JS integer network', { skip: !has('gcc') && 'gcc not found' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'actq-lab-'));
  try {
    const header = join(dir, 'net.h');
    const args = ['lab', '--data', 'spiral', '--noise', '0.05', '--hidden', '24,12', '--train', 'silu', '--deploy', 'hard_swish,relu',
      '--bits', '4,8', '--epochs', '30', '--qat-epochs', '2', '--batch', '32', '--lr', '0.02', '--optimizer', 'adam', '--seed', '7', '--json', '--export-c', header];
    const r = actq(...args);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const data = await lab.data('spiral', { seed: 7, noise: 0.05 });
    const mine = await lab.compare({ data, hidden: [24, 12], train: 'silu', deploy: ['hard_swish', 'relu'], bits: [4, 8], epochs: 30, qatEpochs: 2,
      batch: 32, lr: 0.02, optimizer: 'adam', seed: 7 });
    assert.deepEqual(out.rows, mine.rows);
    assert.ok(mine.rows[0].accuracy > 0.9, `spiral float accuracy ${mine.rows[0].accuracy}`);
    // the exported network: hard_swish, QAT, 4 bits
    const index = mine.rows.findIndex((row) => row.activation === 'hard_swish' && row.stage === 'qat' && row.bits === 4);
    const int = lab.integerFromJSON(mine.integer[index]);
    const codes = int.quantizeInput(data.test.x);
    writeFileSync(join(dir, 'input.bin'), codes);
    writeFileSync(join(dir, 'main.c'), `#include <stdio.h>
#include "net.h"
int main(void) {
  FILE* f = fopen("input.bin", "rb");
  uint8_t x[ACTQ_NET_INPUTS];
  while (fread(x, 1, sizeof x, f) == sizeof x) printf("%d\\n", actq_net_predict(x));
  fclose(f);
  return 0;
}
`);
    const cc = spawnSync('gcc', ['-std=c99', '-Wall', '-Wextra', '-Werror', '-O2', '-o', 'main', 'main.c'], { cwd: dir, encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    const run = spawnSync(join(dir, 'main'), [], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const predicted = run.stdout.trim().split('\n').map(Number);
    assert.equal(predicted.length, data.test.n);
    assert.deepEqual(predicted, Array.from(int.predict(data.test.x)));
    assert.deepEqual(predicted, Array.from(referencePredict(mine.integer[index], codes, data.test.n)));
    assert.match(readFileSync(header, 'utf8'), /hard_swish/);
    assert.match(r.stderr, /wrote .*net\.h \(hard_swish at 4 bits, QAT\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad flags: exit 1, one line on stderr naming the problem, nothing on stdout', () => {
  const cases = [
    [['--data', 'cifar'], /unknown data set 'cifar'/],
    [['--bits', '8,9'], /bits must be an integer in \[2, 8\], got 9/],
    [['--bits', '8,x'], /--bits: expected a non-negative integer, got 'x'/],
    [['--lr', '0'], /--lr must be a finite number > 0, got 0/],
    [['--lr', 'fast'], /--lr: expected a finite number, got 'fast'/],
    [['--optimizer', 'rmsprop'], /unknown optimizer "rmsprop"/],
    [['--train', 'sigmoidd'], /unknown activation 'sigmoidd'/],
    [['--deploy', 'hard_sigmoid:keras9'], /hard_sigmoid: unknown preset 'keras9'/],
    [["--hidden", "64,0"], /layer size 2 must be an integer in \[1, 65536\], got 0/],
    [['--epochs', '0'], /--epochs must be an integer in \[1, 100000\], got 0/],
    [['--qat-epochs', '-1'], /--qat-epochs/],
    [['--noise', '0.1'], /--noise applies to the 2-D data sets/],
    [['--data', 'moons', '--noise', '7'], /noise/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['extra'], /unexpected argument 'extra'/],
  ];
  for (const [args, message] of cases) {
    const r = actq('lab', ...args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '', args.join(' '));
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(lines[0], /^actq: /);
    assert.match(lines[0], message, args.join(' '));
  }
  const diverge = actq('lab', '--data', 'moons', '--optimizer', 'sgd', '--lr', '1e38', '--epochs', '2');
  assert.equal(diverge.status, 1);
  assert.match(diverge.stderr, /^actq: train: the loss became (NaN|Infinity) .*lower learning rate/m);
});

test('actq lab --help', () => {
  const r = actq('lab', '--help');
  assert.equal(r.status, 0);
  for (const flag of ['--data', '--hidden', '--train', '--deploy', '--bits', '--epochs', '--qat-epochs', '--batch', '--lr', '--optimizer', '--seed', '--json', '--export-c']) {
    assert.ok(r.stdout.includes(flag), flag);
  }
});

test('a terminal gets a progress bar on stderr', { skip: !has('script') && 'script (util-linux) not found' }, () => {
  const cmd = `${process.execPath} ${CLI} lab --data moons --epochs 3 --qat-epochs 1 --bits 4 --deploy hard_sigmoid 2>&1 >/dev/null`;
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /\r\x1b\[K\[#*-*\] \d+% train sigmoid epoch \d\/3 step/);
  assert.match(r.stdout, /QAT hard_sigmoid 4-bit/);
});
