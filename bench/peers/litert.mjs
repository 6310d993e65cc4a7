// LiteRT.js (@litertjs/core): TFLite models on its XNNPACK CPU path in wasm. Models of
// one builtin operator are built in memory by ../tflite.mjs, one per tensor size.
//
// LiteRT.js is written for browsers and workers: it loads its Emscripten script with
// importScripts() (or a <script> tag) and reads `self`. Node runs it with a worker-style
// shim: self = globalThis, importScripts = run the file in this context, plus the
// CommonJS globals (require, __dirname) that the Emscripten script expects in Node.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { OP, tfliteUnary } from '../tflite.mjs';

/** actq op name -> TFLite builtin (no hard_sigmoid, silu or softplus builtins exist) */
const OPS = { sigmoid: OP.LOGISTIC, tanh: OP.TANH, elu: OP.ELU, gelu: OP.GELU, relu: OP.RELU, relu6: OP.RELU6, hard_swish: OP.HARD_SWISH };

/** Runs fn with console output silenced (the runtime logs INFO lines and a WebGPU error). */
async function quietly(fn) {
  const saved = { ...console };
  for (const k of ['log', 'info', 'warn', 'error', 'debug']) console[k] = () => {};
  try { return await fn(); } finally { Object.assign(console, saved); }
}

export async function systems() {
  const wasmDir = new URL('../node_modules/@litertjs/core/wasm/', import.meta.url);
  globalThis.self ??= globalThis;
  globalThis.require ??= createRequire(import.meta.url);
  globalThis.__dirname ??= fileURLToPath(wasmDir);
  globalThis.importScripts ??= (url) => {
    const file = fileURLToPath(url);
    vm.runInThisContext(readFileSync(file, 'utf8'), { filename: file });
  };
  const litert = await import('@litertjs/core');
  const relaxed = await litert.supportsFeature('relaxedSimd');
  await quietly(() => litert.loadLiteRt(wasmDir.href));
  const version = JSON.parse(readFileSync(new URL('../node_modules/@litertjs/core/package.json', import.meta.url))).version;
  const binary = relaxed ? 'litert_wasm_internal.wasm' : 'litert_wasm_compat_internal.wasm (no relaxed SIMD in this Node)';
  const compile = (model) => quietly(() =>
    litert.loadAndCompile(model, { accelerator: 'wasm', cpuOptions: { numThreads: 1 } }));

  return {
    info: { '@litertjs/core': `${version} (loaded ${binary}, 1 thread)` },
    litert, compile,
    list: [{
      id: 'litert', label: 'LiteRT.js (XNNPACK)',
      supports: (op) => op in OPS,
      async prepare(op, x) {
        const model = await compile(tfliteUnary(OPS[op], [x.length]));
        const input = new litert.Tensor(x, [x.length]);
        const once = async () => { const [y] = await model.run(input); return y; };
        return {
          isAsync: true,
          run: async () => (await once()).delete(),
          read: async () => { const y = await once(); const d = y.toTypedArray().slice(); y.delete(); return d; },
          dispose: () => { input.delete(); model.delete(); },
        };
      },
    }],
  };
}
