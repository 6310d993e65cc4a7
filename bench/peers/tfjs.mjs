// TensorFlow.js with its WebAssembly backend (XNNPACK inside), single-threaded. The
// timed call is the op on a tensor already in wasm memory, output disposed: no copies.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs-core');
const wasmBackend = require('@tensorflow/tfjs-backend-wasm');

/** actq op name -> tfjs op with a native wasm kernel (others have none: silu and gelu
 *  would be compositions of several kernels, hard_sigmoid / hard_swish do not exist). */
const OPS = {
  sigmoid: (t) => tf.sigmoid(t),
  tanh: (t) => tf.tanh(t),
  elu: (t) => tf.elu(t),
  softplus: (t) => tf.softplus(t),
  relu: (t) => tf.relu(t),
  relu6: (t) => tf.relu6(t),
  leaky_relu: (t) => tf.leakyRelu(t, 0.01),
  hard_tanh: (t) => tf.clipByValue(t, -1, 1),
};

export async function systems() {
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  const names = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
  const requested = new Set();
  // a file map that records which binary the backend asks for
  const files = new Proxy(Object.fromEntries(names.map((n) => [n, join(dist, n)])), {
    get(target, name) { if (names.includes(name)) requested.add(name); return target[name]; },
  });
  wasmBackend.setWasmPaths(files);
  requested.clear(); // setWasmPaths itself reads every entry
  wasmBackend.setThreadsCount(1);
  await tf.setBackend('wasm');
  await tf.ready();
  const binary = [...requested].join(', ') || '?';
  const threads = wasmBackend.getThreadsCount();
  return {
    info: {
      'tfjs-backend-wasm': `${wasmBackend.version_wasm} (tfjs-core ${tf.version_core}; loaded ${binary}, ${threads} thread)`,
    },
    list: [{
      id: 'tfjs', label: 'tfjs-backend-wasm', binary,
      supports: (op) => op in OPS,
      prepare(op, x) {
        const t = tf.tensor1d(x);
        let last = null;
        return {
          run: () => { const y = OPS[op](t); y.dispose(); },
          read: () => { last = OPS[op](t); const d = last.dataSync().slice(); last.dispose(); return d; },
          dispose: () => t.dispose(),
        };
      },
    }],
  };
}
