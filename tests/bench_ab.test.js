// bench/ab.mjs, the paired A/B of two builds, run as a developer runs it: two revisions built
// into a temporary folder, one line of ratios per op and size, refusals before any timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const AB = fileURLToPath(new URL('../bench/ab.mjs', import.meta.url));
const ab = (...args) => spawnSync(process.execPath, [AB, ...args], { encoding: 'utf8' });
const leftovers = () => readdirSync(tmpdir()).filter((f) => f.startsWith('actq-ab-')).sort();
const hasGit = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: fileURLToPath(new URL('..', import.meta.url)) }).status === 0;

test('ab: a line of paired ratios B / A per op and size, for both orders; the build folder is removed', { skip: !hasGit && 'not a git checkout' }, () => {
  const before = leftovers();
  const r = ab('--ops', 'relu,gelu:balanced,quantize', '--sizes', '1024,4096', '--rounds', '3');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^Machine: /);
  assert.match(lines[1], /A = HEAD, B = work tree; 3 rounds per order/);
  const rows = lines.slice(2);
  assert.deepEqual(rows.map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
    ['relu n=1024', 'relu n=4096', 'gelu:balanced n=1024', 'gelu:balanced n=4096', 'quantize n=1024', 'quantize n=4096']);
  for (const row of rows) {
    const ratios = [...row.matchAll(/(A,B|B,A): (\d+\.\d+) \(IQR (\d+\.\d+)-(\d+\.\d+)\)/g)];
    assert.equal(ratios.length, 2, row);
    for (const [, , median, q1, q3] of ratios) {
      // the same kernel or a small change: a ratio far from 1 means the sides were mixed up
      assert.ok(Number(q1) <= Number(median) && Number(median) <= Number(q3) && Number(median) > 0.2 && Number(median) < 5, row);
    }
  }
  assert.deepEqual(leftovers(), before);
});

test('ab: --processes repeats the measurement in fresh processes and reports the median of their medians', { skip: !hasGit && 'not a git checkout' }, () => {
  const before = leftovers();
  const r = ab('--ops', 'hard_tanh:fast', '--sizes', '2048', '--rounds', '2', '--processes', '3');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[1], /2 rounds per order, in 3 fresh processes/);
  assert.equal(lines.length, 3);
  const m = lines[2].match(/^hard_tanh:fast\s+n=2048\s+(\d+\.\d+) \(range (\d+\.\d+)-(\d+\.\d+)\); per process A,B\|B,A: (.*)$/);
  assert.ok(m, lines[2]);
  const pairs = m[4].split(' ').map((p) => p.split('|').map(Number));
  assert.equal(pairs.length, 3);
  const all = pairs.flat().sort((a, b) => a - b);
  assert.equal(Number(m[2]), Number(all[0].toFixed(3)));
  assert.equal(Number(m[3]), Number(all.at(-1).toFixed(3)));
  // the printed values are rounded to 3 decimals, the median was taken before rounding
  assert.ok(Math.abs(Number(m[1]) - (all[2] + all[3]) / 2) <= 0.0011, lines[2]);
  assert.deepEqual(leftovers(), before);
});

test('ab: refuses unknown ops, tiers and revisions with exit 2 and a reason', { skip: !hasGit && 'not a git checkout' }, () => {
  const cases = [
    [['--ops', 'nope'], /unknown activation 'nope'/],
    [['--ops', 'relu:balanced'], /relu has no balanced tier/],
    [['--ops', 'sigmoid:turbo'], /a tier is :fast or :balanced/],
    [['--ops', 'quantize:fast'], /quantize has no tiers/],
    [['--ops', 'relu', '--sizes', '0'], /--sizes takes positive integers/],
    [['--ops', 'relu', '--processes', '0'], /--processes a positive integer/],
    [['--ops', 'relu', '--base', 'no-such-revision'], /cannot build A \(no-such-revision\)/],
    [[], /usage: node bench\/ab.mjs/],
  ];
  const before = leftovers();
  for (const [args, reason] of cases) {
    const r = ab(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, reason);
    assert.equal(r.stdout, '');
  }
  assert.deepEqual(leftovers(), before);
});
