// The page's side of the worker protocol (worker.js): requests with promises, a run with
// streamed progress and rows, and Stop.
//
// Stop: a run is one synchronous stretch of wasm in the worker, which cannot read a message
// until it ends. When the page is cross-origin isolated (scripts/serve.mjs sends COOP/COEP),
// it shares an Int32Array flag with the worker; Stop sets it, onProgress sees it at the next
// step and returns false, and compare() resolves with the rows so far, stopped: true -- the
// trained network stays in the worker for the Why panel. Without isolation (another server),
// or if the worker does not answer soon after Stop, the worker is terminated and a fresh one
// started: the rows streamed so far are kept, the network is gone.

const STOP_GRACE_MS = 5000; // a run checks the flag at every training step; PTQ rows have no steps

export function labWorker({ onReady, onCrash }) {
  let worker = null, nextId = 1;
  const pending = new Map(); // id -> { resolve, reject, onProgress?, onRow? }
  let running = null; // { id, flag, rows, timer }

  function spawn() {
    worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.addEventListener('message', ({ data: m }) => {
      if (m.type === 'ready') return onReady(m.meta);
      const p = pending.get(m.id);
      if (m.type === 'error' && m.id === null) return onCrash(new Error(m.message));
      if (!p) return;
      if (m.type === 'progress') return p.onProgress?.(m);
      if (m.type === 'row') {
        if (running?.id === m.id) running.rows[m.index] = m.row;
        return p.onRow?.(m.row, m.index);
      }
      pending.delete(m.id);
      if (running?.id === m.id) {
        clearTimeout(running.timer);
        running = null;
      }
      if (m.type === 'reply') p.resolve(m.value);
      else p.reject(Object.assign(new Error(m.message), { name: m.name }));
    });
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      onCrash(new Error(e.message || 'the lab worker failed to start'));
    });
  }

  function request(type, payload = {}, callbacks = {}) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, ...callbacks });
      worker.postMessage({ type, id, ...payload });
    });
  }

  /** Starts compare(options); resolves with the summary (stopped: true after stop()). */
  function run(options, { onProgress, onRow }) {
    const flag = globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
    const promise = request('run', { options, stop: flag }, { onProgress, onRow });
    running = { id: nextId - 1, flag, rows: [], timer: 0 };
    return promise;
  }

  /** Stops the current run (see above). */
  function stop() {
    if (!running) return;
    const r = running;
    if (r.flag) {
      Atomics.store(r.flag, 0, 1);
      r.timer = setTimeout(() => { if (running === r) kill(r); }, STOP_GRACE_MS);
    } else {
      kill(r);
    }
  }

  /** Terminates the worker mid-run: the run resolves with the rows it streamed. */
  function kill(r) {
    worker.terminate();
    const p = pending.get(r.id);
    pending.delete(r.id);
    for (const [, other] of pending) other.reject(new Error('the lab worker was restarted'));
    pending.clear();
    running = null;
    spawn();
    p?.resolve({ rows: r.rows.filter(Boolean), stopped: true, terminated: true });
  }

  spawn();
  return { request, run, stop, get busy() { return running !== null; }, get isolated() { return globalThis.crossOriginIsolated === true; } };
}
