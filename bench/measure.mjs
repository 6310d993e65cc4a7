// Timing: every system of one (op, size) cell is warmed up, then sampled in rounds
// (system A, B, C, A, B, C, ...) so that drift of the machine hits all of them alike.
// A sample repeats the call until it has run for about `sampleMs`, after one untimed call
// (the previous system's sample evicted this one's data from cache); its rate is elements
// per second. A cell reports, per system, the median rate and the per-round ratios against
// its reference (pairedRatio: median and IQR).
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export const median = (values) => {
  const s = [...values].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function timeCalls(runner, iters) {
  // a runner that changes its own input (in place) is reset every `refreshEvery` calls,
  // outside the timed spans
  const chunk = runner.refreshEvery ?? iters;
  let seconds = 0;
  for (let done = 0; done < iters; done += chunk) {
    const m = Math.min(chunk, iters - done);
    runner.refresh?.();
    const t0 = performance.now();
    if (runner.isAsync) for (let i = 0; i < m; i++) await runner.run();
    else for (let i = 0; i < m; i++) runner.run();
    seconds += (performance.now() - t0) / 1000;
  }
  return seconds;
}

/**
 * runners: [{ run, isAsync?, refresh? }] over n elements each.
 * @returns {Promise<number[][]>} the per-sample rates (elements/s) of each runner
 */
export async function sampleRates(runners, n, { samples, sampleMs, warmupMs = [200, 2000] }) {
  const iters = [];
  for (const r of runners) {
    const once = await timeCalls(r, 1);
    let k = Math.max(1, Math.round(sampleMs / 1000 / Math.max(once, 1e-7)));
    // Warm-up until two windows in a row agree within 3% (at least 0.2 s, at most 2 s):
    // V8 runs new wasm code in its baseline compiler (Liftoff) and swaps in optimized
    // (TurboFan) code compiled in the background; JS loops are optimized the same way.
    const start = performance.now();
    let last = 0;
    for (;;) {
      const t = await timeCalls(r, k);
      const rate = k / t;
      k = Math.max(1, Math.round((sampleMs / 1000) * rate));
      const stable = last > 0 && Math.abs(rate - last) <= 0.03 * last;
      last = rate;
      const elapsed = performance.now() - start;
      if ((stable && elapsed >= warmupMs[0]) || elapsed >= warmupMs[1]) break;
    }
    iters.push(k);
  }
  const rates = runners.map(() => []);
  for (let s = 0; s < samples; s++) {
    for (let j = 0; j < runners.length; j++) {
      await timeCalls(runners[j], 1); // untimed: bring this runner's data back into cache
      const t = await timeCalls(runners[j], iters[j]);
      rates[j].push((n * iters[j]) / t);
    }
  }
  return rates;
}

/**
 * load() time in fresh Node processes: import of the package, then load(). Returns the
 * medians over `runs` processes, in ms, of load() alone and of import + load().
 */
export function loadTimes(indexUrl, runs) {
  const script = `
    const t0 = performance.now();
    const { load } = await import(${JSON.stringify(indexUrl)});
    const t1 = performance.now();
    await load();
    const t2 = performance.now();
    console.log(JSON.stringify([t2 - t1, t2 - t0]));`;
  const load = [], total = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const [l, t] = JSON.parse(out.trim().split('\n').pop());
    load.push(l);
    total.push(t);
  }
  return { load: median(load), importAndLoad: median(total), runs };
}

/** The q-quantile (0..1) of values, linear between order statistics. */
export function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const p = (s.length - 1) * q, i = Math.floor(p), f = p - i;
  return i + 1 < s.length ? s[i] + f * (s[i + 1] - s[i]) : s[i];
}

/**
 * Paired ratios: round r of a against round r of b (both sampled in the same round, so
 * machine drift hits them alike), then the median and the interquartile range of those
 * ratios -- not a ratio of two separate medians.
 */
export function pairedRatio(a, b) {
  const n = Math.min(a?.length ?? 0, b?.length ?? 0);
  if (!n) return null;
  const r = Array.from({ length: n }, (_, i) => a[i] / b[i]);
  return { median: median(r), q1: quantile(r, 0.25), q3: quantile(r, 0.75), rounds: n };
}

/**
 * The machine a result was measured on: CPU model and the x86 features that matter (V8
 * lowers 128-bit wasm SIMD to SSE4.1 or AVX (VEX) code; wasm has no wider vectors and, without
 * relaxed SIMD, no FMA), Node and V8 versions.
 */
export function machine() {
  let model = os.cpus()[0]?.model ?? '?', flags = [], mhz = '', family = '';
  try {
    const out = execFileSync('lscpu', { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    model = out.match(/^Model name:\s*(.+)$/m)?.[1]?.trim() ?? model;
    flags = out.match(/^Flags:\s*(.+)$/m)?.[1]?.split(/\s+/) ?? [];
    const l2 = out.match(/^L2 cache:\s*(.+)$/m)?.[1]?.trim(), l3 = out.match(/^L3 cache:\s*(.+)$/m)?.[1]?.trim();
    mhz = [l2 && `L2 ${l2}`, l3 && `L3 ${l3}`].filter(Boolean).join(', ');
    // virtual machines often name only the vendor ("AMD EPYC"): family and model tell the generation
    const fam = out.match(/^CPU family:\s*(\d+)$/m)?.[1], mod = out.match(/^Model:\s*(\d+)$/m)?.[1];
    if (fam && mod) family = `family ${fam}, model ${mod}`;
  } catch { /* no lscpu: model from os.cpus(), flags unknown */ }
  // The x86 features worth knowing: V8 lowers 128-bit wasm SIMD to SSE4.1 (or AVX/VEX)
  // instructions; wasm has no 256/512-bit vectors and (without relaxed SIMD) no FMA, so
  // avx2, fma and avx512f say what native code would get, not what wasm uses.
  const featureList = ['sse4_1', 'avx', 'avx2', 'fma', 'avx512f'];
  const features = Object.fromEntries(featureList.map((f) => [f, flags.includes(f)]));
  const featureText = flags.length ? featureList.map((f) => (features[f] ? f : `no ${f}`)).join(' ') : 'flags unknown (no lscpu)';
  const cpu = family ? `${model} (${family})` : model;
  const text = `Machine: ${cpu} (${os.cpus().length} cores; ${featureText}` +
    `${mhz ? `; ${mhz}` : ''}), ${os.platform()} ${os.arch()}; Node ${process.version}, V8 ${process.versions.v8}; single thread.`;
  return { cpu, cores: os.cpus().length, features, flags: flags.length ? featureText : null, caches: mhz, node: process.version, v8: process.versions.v8, text };
}
