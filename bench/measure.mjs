// Timing: every system of one (op, size) cell is warmed up, then sampled in rounds
// (system A, B, C, A, B, C, ...) so that drift of the machine hits all of them alike.
// A sample repeats the call until it has run for about `sampleMs`, after one untimed call
// (the previous system's sample evicted this one's data from cache); its rate is elements
// per second, and a cell reports the median of its samples.
import { execFileSync } from 'node:child_process';

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
export async function sampleRates(runners, n, { samples, sampleMs }) {
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
      if ((stable && elapsed >= 200) || elapsed >= 2000) break;
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
