#!/usr/bin/env node
// Runs every libFuzzer harness (fuzz/*.c, built by `make -f native.mk fuzz`) for
// FUZZ_SECONDS each (default 60), after replaying its committed regression inputs; fails on
// any crash, sanitizer report or broken invariant. `npm run fuzz`; tests/fuzz.test.js runs it
// briefly as part of `npm test`.
//
//   node fuzz/run.mjs [--seconds N] [harness ...]
//
// Corpora: fuzz/corpus/<harness>/ (committed seeds, read only) plus
// build/native/fuzz/corpus/<harness>/ (what the runs add, kept between runs). A crash is
// written to build/native/fuzz/artifacts/ with the command that reproduces it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = join(root, 'build', 'native', 'fuzz');

export const HARNESSES = readdirSync(join(root, 'fuzz')).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2)).sort();

/** make -f native.mk fuzz (installs clang / SIMDe / libFuzzer as root, else says how). */
export function buildHarnesses() {
  const r = spawnSync('make', ['-s', '-f', 'native.mk', 'fuzz'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('make -f native.mk fuzz failed');
}

const files = (dir) => (existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : []);

/** libFuzzer's numbers from its output: runs, exec/s, cov (edges), ft (features), corpus, total edges. */
function parse(out) {
  const last = [...out.matchAll(/^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/gm)].at(-1);
  const stat = (name) => Number(out.match(new RegExp(`stat::${name}:\\s+(\\d+)`))?.[1] ?? NaN);
  const counters = Number(out.match(/\((\d+) inline 8-bit counters\)/)?.[1] ?? NaN);
  return {
    runs: stat('number_of_executed_units'), execPerSec: stat('average_exec_per_sec'),
    cov: Number(last?.[2] ?? NaN), ft: Number(last?.[3] ?? NaN), corpus: Number(last?.[4] ?? NaN), counters,
  };
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (status, signal) => resolve({ status, signal, out }));
  });
}

/**
 * Replays fuzz/regressions/<name>/*, then fuzzes for `seconds`. Resolves to
 * { name, ok, ...numbers, log } (log: the tail of libFuzzer's output when not ok).
 */
export async function fuzzOne(name, seconds) {
  const bin = join(build, name);
  const work = join(build, 'corpus', name), artifacts = join(build, 'artifacts');
  mkdirSync(work, { recursive: true });
  mkdirSync(artifacts, { recursive: true });
  const regressions = files(join(root, 'fuzz', 'regressions', name));
  if (regressions.length) {
    const r = await run(bin, regressions);
    if (r.status !== 0) return { name, ok: false, stage: 'regression inputs', log: r.out.slice(-4000) };
  }
  const seeds = join(root, 'fuzz', 'corpus', name);
  const args = [`-max_total_time=${seconds}`, '-print_final_stats=1', '-max_len=16384', '-timeout=30',
    '-rss_limit_mb=2048', `-artifact_prefix=${artifacts}/${name}-`, work, ...(existsSync(seeds) ? [seeds] : [])];
  const r = await run(bin, args);
  const numbers = parse(r.out);
  const ok = r.status === 0 && !/ERROR: |runtime error|invariant broken/.test(r.out);
  const crash = r.out.match(/Test unit written to (\S+)/)?.[1];
  return {
    name, ok, stage: 'fuzzing', regressions: regressions.length, ...numbers,
    ...(ok ? {} : { log: r.out.slice(-4000), reproduce: crash ? `${relative(root, bin)} ${relative(root, crash)}` : null }),
  };
}

export function table(results) {
  const rows = results.map((r) => `| ${r.name} | ${r.ok ? 'ok' : `FAILED (${r.stage})`} | ${r.runs ?? '-'} | ` +
    `${r.execPerSec ?? '-'} | ${r.cov ?? '-'} of ${r.counters ?? '-'} | ${r.ft ?? '-'} | ${r.corpus ?? '-'} |`);
  return ['| harness | result | runs | exec/s | cov (edges) | ft | corpus |', '|---|---|--:|--:|--:|--:|--:|', ...rows].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  let seconds = Number(process.env.FUZZ_SECONDS ?? 60);
  const at = argv.indexOf('--seconds');
  if (at >= 0) seconds = Number(argv.splice(at, 2)[1]);
  if (!(seconds > 0)) { console.error('fuzz: --seconds / FUZZ_SECONDS must be a positive number'); process.exit(1); }
  const names = argv.length ? argv : HARNESSES;
  for (const n of names) if (!HARNESSES.includes(n)) { console.error(`fuzz: no harness '${n}' (${HARNESSES.join(', ')})`); process.exit(1); }
  try { buildHarnesses(); } catch (e) { console.error(`fuzz: ${e.message}`); process.exit(1); }
  const results = [];
  for (const name of names) {
    process.stdout.write(`fuzz: ${name} for ${seconds} s ... `);
    const r = await fuzzOne(name, seconds);
    console.log(r.ok ? `ok (${r.runs} runs, ${r.execPerSec} exec/s, cov ${r.cov})` : 'FAILED');
    if (!r.ok) console.log(`${r.log}\n${r.reproduce ? `reproduce: ${r.reproduce}` : ''}`);
    results.push(r);
  }
  console.log(`\n${table(results)}`);
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}
