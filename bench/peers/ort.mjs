// ONNX Runtime Web, wasm execution provider, one thread. Each op is a model of one node
// (two for fake quantization) built in memory by ../onnx.mjs. session.run copies the
// input into wasm memory and the output back to JS: that is the only way ORT runs.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-web';
import { unaryModel } from '../onnx.mjs';

const require = createRequire(import.meta.url);

/** actq op name -> ONNX node (ai.onnx opset 20 unless stated; Swish needs opset 24). */
const NODES = {
  sigmoid: ['Sigmoid'],
  tanh: ['Tanh'],
  silu: ['Swish', { opset: 24, attrs: { alpha: { f: 1 } } }],
  gelu: ['Gelu', { attrs: { approximate: { s: 'none' } } }],
  elu: ['Elu', { attrs: { alpha: { f: 1 } } }],
  softplus: ['Softplus'],
  relu: ['Relu'],
  hard_sigmoid: ['HardSigmoid', { attrs: { alpha: { f: 0.2 }, beta: { f: 0.5 } } }],
  hard_swish: ['HardSwish'],
  leaky_relu: ['LeakyRelu', { attrs: { alpha: { f: 0.01 } } }],
};

export async function systems() {
  const wasmFile = require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = {
    wasm: pathToFileURL(wasmFile).href,
    mjs: pathToFileURL(wasmFile.replace(/\.wasm$/, '.mjs')).href,
  };
  const version = JSON.parse(readFileSync(new URL('../node_modules/onnxruntime-web/package.json', import.meta.url))).version;
  const sessions = new Map();
  const session = async (op) => {
    if (!sessions.has(op)) {
      const [type, options] = NODES[op];
      sessions.set(op, await ort.InferenceSession.create(unaryModel(type, options), {
        executionProviders: ['wasm'], graphOptimizationLevel: 'all',
      }));
    }
    return sessions.get(op);
  };
  await session('relu'); // initializes the runtime
  return {
    info: { 'onnxruntime-web': `${version} (loaded ort-wasm-simd-threaded.wasm, numThreads 1)` },
    ort,
    list: [{
      id: 'ort', label: 'onnxruntime-web (wasm EP)',
      supports: (op) => op in NODES,
      async prepare(op, x) {
        const s = await session(op);
        const feeds = { x: new ort.Tensor('float32', x, [x.length]) };
        return {
          isAsync: true,
          run: async () => { await s.run(feeds); },
          read: async () => (await s.run(feeds)).y.data,
          dispose() {},
        };
      },
    }],
  };
}
