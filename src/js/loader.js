// Finds, compiles and instantiates actq's standalone wasm (no Emscripten glue), in Node and
// in browsers without a bundler: the binaries sit next to this module.

// The smallest module using a v128 value: (func (result v128) (v128.const i32x4 0 0 0 0)).
// Runtimes that validate it run the SIMD build.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, //       type: () -> v128
  0x03, 0x02, 0x01, 0x00, //                         func 0 has type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, //       code: v128.const
  ...new Array(16).fill(0), 0x0b, //                 16 zero bytes, end
]);

export const simdSupported = () => WebAssembly.validate(SIMD_PROBE);

export async function readBinary(url) {
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`actq: cannot fetch ${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** Over http(s), compiles while the bytes arrive (served as application/wasm); else reads, then compiles. */
async function compileFrom(url) {
  if (url.protocol !== 'file:' && typeof WebAssembly.compileStreaming === 'function') {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`actq: cannot fetch ${url}: HTTP ${response.status}`);
    if (response.headers.get('content-type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
    return WebAssembly.compile(await response.arrayBuffer());
  }
  return WebAssembly.compile(await readBinary(url));
}

const modules = new Map(); // variant -> Promise<WebAssembly.Module>, compiled once

function compile(file) {
  if (!modules.has(file)) {
    const url = new URL(`./wasm/${file}.wasm`, import.meta.url);
    const promise = compileFrom(url);
    promise.catch(() => modules.delete(file)); // a failed load may be retried
    modules.set(file, promise);
  }
  return modules.get(file);
}

/** Instantiates the 'simd' or 'scalar' build of a module ('actq', or 'lab': the core plus
 *  the lab's kernels); returns its exports. */
export async function instantiate(variant, module = 'actq') {
  const compiled = await compile(`${module}.${variant}`);
  const instance = await WebAssembly.instantiate(compiled, {
    // memory growth needs no notification: views are re-created whenever the buffer changes
    env: { emscripten_notify_memory_growth() {} },
  });
  instance.exports._initialize();
  return instance.exports;
}
