// actq: activation functions and their quantized forms, as SIMD WebAssembly kernels.
//
//   import { load } from 'actq';
//   const aq = await load();
//   const y = aq.forward('hard_sigmoid', x, 'pytorch');
//
// Every array argument is checked before wasm runs; a call that throws writes nothing.
// Copying calls stream through two fixed scratch blocks in wasm memory (no allocation per
// call); `alloc(n)` gives buffers that live in wasm memory for zero-copy work.

import { instantiate, simdSupported } from './loader.js';
import { readRegistry, resolveParams, parameterError, TIERS } from './registry.js';
import { installQuantization } from './quantize.js';
import { installFit } from './fit.js';

/** The package version (tests check it against package.json). */
export const VERSION = '0.1.0';

/** Elements per scratch chunk: 64 KiB blocks stay in L2 while the kernel runs. */
const CHUNK = 16384;

const BUFFER_TYPES = [Float32Array, Int8Array, Uint8Array, Int16Array, Uint16Array];

class ActqBuffer {
  #memory;
  #ptr;
  constructor(memory, ptr, length, Type, owner) {
    this.#memory = memory;
    this.#ptr = ptr;
    this.length = length;
    this.type = Type;
    this.owner = owner;
  }
  /** Address in wasm memory (0 once freed). */
  get ptr() { return this.#ptr; }
  get freed() { return this.#ptr === 0; }
  get BYTES_PER_ELEMENT() { return this.type.BYTES_PER_ELEMENT; }
  /** A fresh typed-array view of the buffer: valid until the next call that may grow memory. */
  get view() {
    if (this.#ptr === 0) throw new RangeError('buffer: used after free()');
    return new this.type(this.#memory.buffer, this.#ptr, this.length);
  }
  free() {
    if (this.#ptr !== 0) this.owner._free(this.#ptr);
    this.#ptr = 0;
  }
}

class Actq {
  #wasm;
  #f32 = null;
  #u8 = null;
  #byName = new Map();
  #scratch;
  #scratch2;

  constructor(wasm, simd) {
    this.#wasm = wasm;
    this.simd = simd;
    this.activations = readRegistry(wasm, (ptr) => this._cstring(ptr));
    for (const entry of this.activations) this.#byName.set(entry.name, entry);
    this.#byName.set('swish', this.#byName.get('silu'));
    this.#scratch = this._malloc(CHUNK * 4);
    this.#scratch2 = this._malloc(CHUNK * 4);
    installQuantization(this, wasm);
    installFit(this);
  }

  // ---- memory --------------------------------------------------------------------------

  /** The wasm exports (for tools and tests that go below the API). */
  get wasm() { return this.#wasm; }
  /** Heap views, re-created whenever memory has grown (the old buffer is then detached). */
  get heapF32() {
    if (this.#f32?.buffer !== this.#wasm.memory.buffer) this.#f32 = new Float32Array(this.#wasm.memory.buffer);
    return this.#f32;
  }
  get heapU8() {
    if (this.#u8?.buffer !== this.#wasm.memory.buffer) this.#u8 = new Uint8Array(this.#wasm.memory.buffer);
    return this.#u8;
  }
  _cstring(ptr) {
    const heap = this.heapU8;
    let end = ptr;
    while (heap[end] !== 0) end++;
    return new TextDecoder().decode(heap.subarray(ptr, end));
  }
  _malloc(bytes) {
    const ptr = this.#wasm.actq_malloc(bytes) >>> 0;
    if (ptr === 0) throw new RangeError(`actq: cannot allocate ${bytes} bytes of wasm memory`);
    return ptr;
  }
  _free(ptr) { this.#wasm.actq_free(ptr); }
  /** Number of live allocations inside wasm (the two scratch blocks included). */
  liveAllocations() { return this.#wasm.actq_live_allocations(); }

  /**
   * A buffer of n elements in wasm memory, for zero-copy calls: Float32Array for
   * activations and float data, Int8Array / Uint8Array / Int16Array / Uint16Array for codes.
   */
  alloc(n, Type = Float32Array) {
    if (!Number.isSafeInteger(n) || n < 0 || n > 0x3fffffff) {
      throw new RangeError(`alloc: n must be an integer in [0, 2^30), got ${n}`);
    }
    if (!BUFFER_TYPES.includes(Type)) {
      throw new TypeError(`alloc: type must be one of ${BUFFER_TYPES.map((T) => T.name).join(', ')}`);
    }
    return new ActqBuffer(this.#wasm.memory, this._malloc(n * Type.BYTES_PER_ELEMENT), n, Type, this);
  }

  isBuffer(v) { return v instanceof ActqBuffer && v.owner === this; }

  /** Checks an input array: a Type typed array, or a live buffer of this instance holding Type. */
  _checkInput(x, what = 'x', Type = Float32Array) {
    if (this.isBuffer(x) && x.type === Type) {
      if (x.freed) throw new RangeError(`${what}: buffer used after free()`);
    } else if (!(x instanceof Type)) {
      throw new TypeError(`${what} must be a ${Type.name} or a ${Type.name} buffer from alloc(), got ${typeName(x)}`);
    }
  }
  /** Checks `out` against the type and length it must have; returns null when out is absent. */
  _checkOut(out, n, Type = Float32Array) {
    if (out === undefined || out === null) return null;
    this._checkInput(out, 'out', Type);
    if (out.length !== n) throw new RangeError(`out: length ${out.length} does not match the input length ${n}`);
    return out;
  }

  /**
   * Runs kernel(srcPtr, dstPtr, count, start) over the n elements of x into out (typed
   * arrays of any element size, or buffers of this instance). Buffers are
   * used in place; typed arrays stream through scratch blocks in wasm memory, chunk by chunk
   * (start = index of the chunk's first element). Returns out.
   */
  _stream(x, out, kernel) {
    const n = x.length;
    const xBuf = this.isBuffer(x), outBuf = this.isBuffer(out);
    if (xBuf && outBuf) {
      kernel(x.ptr, out.ptr, n, 0);
      return out;
    }
    const inBytes = x.BYTES_PER_ELEMENT, outBytes = out.BYTES_PER_ELEMENT;
    const scratchIn = this.#scratch, scratchOut = inBytes === outBytes ? scratchIn : this.#scratch2;
    for (let i = 0; i < n; i += CHUNK) {
      const m = Math.min(CHUNK, n - i);
      let src = scratchIn;
      if (xBuf) src = x.ptr + inBytes * i;
      else this.heapU8.set(new Uint8Array(x.buffer, x.byteOffset + i * inBytes, m * inBytes), scratchIn);
      const dst = outBuf ? out.ptr + outBytes * i : scratchOut;
      kernel(src, dst, m, i);
      if (!outBuf) {
        new Uint8Array(out.buffer, out.byteOffset + i * outBytes, m * outBytes)
          .set(this.heapU8.subarray(scratchOut, scratchOut + m * outBytes));
      }
    }
    return out;
  }

  // ---- activations -----------------------------------------------------------------------

  /** The registry entry for an activation name (RangeError when unknown). */
  activation(name) {
    const entry = typeof name === 'string' ? this.#byName.get(name) : undefined;
    if (!entry) {
      throw new RangeError(`unknown activation ${typeof name === 'string' ? `'${name}'` : typeName(name)}` +
        ` (one of: ${this.activations.map((a) => a.name).join(', ')})`);
    }
    return entry;
  }

  /**
   * Sets the wasm-side arguments of activation `entry` for the next kernel call and runs
   * body(); array parameters are copied into wasm memory and freed afterwards.
   */
  _withParams(entry, params, body) {
    const resolved = resolveParams(entry, params);
    const wasm = this.#wasm;
    const owned = [];
    try {
      resolved.scalars.forEach((v, k) => wasm.actq_set_param(k, v));
      resolved.arrays.forEach((a, k) => {
        if (!a) return;
        const ptr = a.length ? this._malloc(a.length * 4) : 0;
        if (ptr) owned.push(ptr);
        this.heapF32.set(a, ptr >>> 2);
        wasm.actq_set_array(k, ptr, a.length);
      });
      const bad = wasm.actq_validate(entry.id);
      if (bad >= 0) throw parameterError(entry, bad, resolved);
      return body();
    } finally {
      for (const ptr of owned) this._free(ptr);
    }
  }

  _activation(which, name, x, params, out, options) {
    const entry = this.activation(name);
    const tier = options?.tier ?? 'precise', t = TIERS.indexOf(tier); // t: enum actq_tier
    if (t < 0) {
      throw new RangeError(`options.tier must be ${TIERS.map((s) => `'${s}'`).join(', ')}, got ${typeof tier === 'string' ? `'${tier}'` : typeName(tier)}`);
    }
    this._checkInput(x);
    out = this._checkOut(out, x.length);
    const wasm = this.#wasm;
    return this._withParams(entry, params, () => this._stream(x, out ?? new Float32Array(x.length), (src, dst, m, start) => {
      wasm.actq_set_start(start);
      if (which === 'derivative') wasm.actq_derivative(entry.id, src, dst, m);
      else wasm.actq_forward_tier(entry.id, t, src, dst, m);
    }));
  }

  /**
   * f(x) elementwise. params: undefined | preset name | { name: value, preset? }.
   * options.tier: 'precise' (default; the stated ULP bounds), 'balanced' (at least as accurate as every peer
   * framework's kernel, in fewer instructions: gelu, 103 ULP and 2.4e-7 over [-20, 20]) or 'fast' (abs error
   * <= 2^-14; 2^-20 for hard_sigmoid, hard_swish, hard_tanh). Activations without a kernel of the tier
   * (`balanced` / `fast` false in the registry) run their precise kernel.
   */
  forward(name, x, params, out, options) { return this._activation('forward', name, x, params, out, options); }
  /** f'(x) elementwise. */
  derivative(name, x, params, out) { return this._activation('derivative', name, x, params, out); }
}

function typeName(v) {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return v.constructor?.name ?? 'object';
}

const instances = new Map();

/** One cached instance per (module, build): the core ('actq') or the lab's ('lab', used by
 *  actq/lab: the same core API over a binary that also holds the training kernels). */
export function loadModule(module, options = {}) {
  const supported = simdSupported();
  const simd = options.simd ?? supported;
  if (simd && !supported) return Promise.reject(new Error('actq: this runtime does not support wasm SIMD'));
  const key = `${module}.${simd ? 'simd' : 'scalar'}`;
  if (!instances.has(key)) {
    const promise = instantiate(simd ? 'simd' : 'scalar', module).then((wasm) => new Actq(wasm, simd));
    promise.catch(() => instances.delete(key));
    instances.set(key, promise);
  }
  return instances.get(key);
}

/**
 * Loads actq: compiles the wasm once per build and returns the same instance afterwards.
 * @param {{ simd?: boolean }} [options] simd: true requires the SIMD build, false forces
 *   the scalar one; by default SIMD is used when the runtime validates it.
 */
export function load(options = {}) { return loadModule('actq', options); }

export { simdSupported };
