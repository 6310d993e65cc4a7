// Types of the actq package. Activation names, parameters and presets come from the
// generated ./activations.d.ts (scripts/gen-types.mjs reads them from the wasm table).
import type { ActivationName, ActivationParamsMap, ActivationPresetsMap } from './activations.js';

export type { ActivationName, ActivationParamsMap, ActivationPresetsMap };
import type { FitOptions, FitResult } from './fit.js';
export type { FitOptions, FitResult, FitPresetRow, FitSegment } from './fit.js';
export type Name = ActivationName | 'swish';
type Canonical<N extends Name> = N extends 'swish' ? 'silu' : N;

/** undefined/null: defaults; a preset name; or values, optionally on top of a preset. */
export type Params<N extends Name> =
  | null
  | undefined
  | ActivationPresetsMap[Canonical<N>]
  | (ActivationParamsMap[Canonical<N>] & { preset?: ActivationPresetsMap[Canonical<N>] });

export interface ParamInfo {
  name: string;
  kind: 'number' | 'integer' | 'boolean' | 'array';
  default: number | boolean | number[];
  min: number;
  max: number;
  doc: string;
}
export interface ActivationInfo {
  id: number;
  name: ActivationName;
  formula: string;
  /** has a kernel of the 'balanced' accuracy tier (at least as accurate as every peer framework's kernel: gelu) */
  balanced: boolean;
  /** has a kernel of the 'fast' accuracy tier (abs error <= 2^-14; 2^-20 for hard_sigmoid, hard_swish, hard_tanh) */
  fast: boolean;
  params: readonly ParamInfo[];
  presets: Readonly<Record<string, Readonly<Record<string, number | string>>>>;
}

export type BufferArray = Float32Array | Int8Array | Uint8Array | Int16Array | Uint16Array;
type BufferType<T extends BufferArray> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

/** A typed buffer living in wasm memory (zero-copy calls). */
export interface ActqBuffer<T extends BufferArray = Float32Array> {
  readonly length: number;
  /** Address in wasm memory; 0 once freed. */
  readonly ptr: number;
  readonly freed: boolean;
  readonly type: BufferType<T>;
  readonly BYTES_PER_ELEMENT: number;
  /** A fresh view: valid until the next call that may grow wasm memory. */
  readonly view: T;
  free(): void;
}
export type FloatInput = Float32Array | ActqBuffer<Float32Array>;
/** Codes as a typed array or a code buffer from alloc(n, Int8Array) etc. */
export type CodesOf<T extends Int8Array | Uint8Array | Int16Array | Uint16Array> = T | ActqBuffer<T>;

export type Tier = 'precise' | 'balanced' | 'fast';
export interface ForwardOptions { tier?: Tier }

export type Rounding = 'half_even' | 'half_away' | 'half_up';
export type IntCodes = Int8Array | Uint8Array | Int16Array | Uint16Array;

/** Affine quantization parameters: q = clamp(round(x / scale) + zeroPoint, qmin, qmax). */
export interface QParams {
  scale: number | ArrayLike<number>;
  zeroPoint?: number | ArrayLike<number>;
  /** 2..16, default 8 */
  bits?: number;
  /** default true */
  signed?: boolean;
  /** drop the lowest code (int8 weights: [-127, 127]); default false */
  narrowRange?: boolean;
  /** default 'half_even' (ONNX, PyTorch); 'half_away' (TFLite); 'half_up' (CMSIS-NN) */
  rounding?: Rounding;
  /** per-channel: the channel axis of `shape` (scale and zeroPoint are arrays) */
  axis?: number;
  shape?: readonly number[];
}
/** Fixed output qparams of the frameworks' quantized sigmoid / tanh. */
export type OutputQParamsPreset = 'tflite-logistic' | 'tflite-tanh' | 'pytorch-sigmoid' | 'pytorch-tanh';

export interface CalibrateOptions {
  bits?: number;
  signed?: boolean;
  symmetric?: boolean;
  narrowRange?: boolean;
  rounding?: Rounding;
  method?: 'minmax' | 'percentile' | 'mse' | 'entropy';
  /** for method 'percentile': percent of |values| kept, default 99.99 */
  percentile?: number;
}
export interface ErrorMetrics { mse: number; rmse: number; mae: number; maxAbs: number; sqnrDb: number }

export interface Observer {
  /** Moving-average min/max (PyTorch MovingAverageMinMaxObserver): first batch sets them. */
  update(x: Float32Array): void;
  readonly min: number;
  readonly max: number;
  qparams(): Required<Omit<QParams, 'axis' | 'shape'>> & { scale: number; zeroPoint: number };
}

/** An integer lookup table: output code for every input code of inQp. */
export interface Lut {
  name: ActivationName;
  params: Record<string, unknown>;
  inQp: QParams;
  outQp: QParams;
  /** table[q - qmin(inQp)]: 2^bits entries */
  table: Int8Array | Uint8Array;
}
/** The int16 path (CMSIS-NN s16 scheme): 257 uint16/int16 knots over the input range,
 *  linear interpolation between them. */
export interface Lut16 {
  name: ActivationName;
  params: Record<string, unknown>;
  inQp: QParams;
  outQp: QParams;
  table: Int16Array | Uint16Array;
}
/** Integer-only hard_sigmoid / hard_swish: int8 in and out, integer multiply-add-shift. */
export interface IntegerKernel {
  name: 'hard_sigmoid' | 'hard_swish';
  inQp: QParams;
  outQp: QParams;
  multiplier: number;
  shift: number;
  apply(q: CodesOf<Int8Array | Uint8Array>, out?: CodesOf<Int8Array | Uint8Array>): Int8Array | Uint8Array;
}

export interface Actq {
  /** true when the SIMD build runs */
  readonly simd: boolean;
  readonly activations: readonly ActivationInfo[];
  activation(name: Name): ActivationInfo;

  /** options.tier: 'precise' (default), 'balanced' (as accurate as every peer's kernel: gelu) or 'fast' (abs error <= 2^-14, piecewise-linear ones <= 2^-20), where the activation has a kernel of the tier; else the precise one */
  forward<N extends Name>(name: N, x: FloatInput, params?: Params<N>): Float32Array;
  forward<N extends Name>(name: N, x: FloatInput, params: Params<N>, out: null | undefined, options: ForwardOptions): Float32Array;
  forward<N extends Name, O extends FloatInput>(name: N, x: FloatInput, params: Params<N>, out: O, options?: ForwardOptions): O;
  derivative<N extends Name>(name: N, x: FloatInput, params?: Params<N>): Float32Array;
  derivative<N extends Name, O extends FloatInput>(name: N, x: FloatInput, params: Params<N>, out: O): O;

  /** n elements in wasm memory: float32 by default, or codes (Int8Array, Uint8Array, Int16Array, Uint16Array). */
  alloc(n: number): ActqBuffer<Float32Array>;
  alloc<T extends BufferArray>(n: number, type: BufferType<T>): ActqBuffer<T>;
  isBuffer(v: unknown): v is ActqBuffer<BufferArray>;
  /** live allocations inside wasm (for leak checks) */
  liveAllocations(): number;

  /** Codes as Int8Array / Uint8Array (bits <= 8) or Int16Array / Uint16Array; out may be a code buffer. */
  quantize(x: FloatInput, qp: QParams, out?: CodesOf<IntCodes>): IntCodes;
  dequantize(q: CodesOf<IntCodes>, qp: QParams, out?: FloatInput): Float32Array;
  fakeQuantize(x: FloatInput, qp: QParams, out?: FloatInput): Float32Array;
  fakeQuantizeGrad(x: FloatInput, qp: QParams, out?: FloatInput): Float32Array;
  /** [qmin, qmax] of qp */
  codeRange(qp: QParams): [number, number];
  calibrate(x: Float32Array, options?: CalibrateOptions): QParams & { scale: number; zeroPoint: number };
  observer(options?: CalibrateOptions & { averagingConstant?: number }): Observer;
  outputQParams(preset: OutputQParamsPreset, options?: { signed?: boolean; rounding?: Rounding }): QParams;
  /** mse, rmse, mae, maxAbs, SQNR of approx vs reference; weighted by options.weights, or by an
   *  input distribution over options.x (maxAbs over the elements of nonzero weight). */
  error(reference: Float32Array, approx: Float32Array, options?: {
    weights?: ArrayLike<number>; distribution?: 'uniform' | { normal: { mean: number; sd: number } }; x?: Float32Array;
  }): ErrorMetrics;

  lut<N extends Name>(name: N, params: Params<N>, inQp: QParams, outQp: QParams | OutputQParamsPreset): Lut;
  applyLut(lut: Lut | Int8Array | Uint8Array, q: CodesOf<Int8Array | Uint8Array>, out?: CodesOf<Int8Array | Uint8Array>): Int8Array | Uint8Array;
  lut16<N extends Name>(name: N, params: Params<N>, inQp: QParams, outQp: QParams | OutputQParamsPreset): Lut16;
  applyLut16(lut: Lut16, q: CodesOf<Int16Array | Uint16Array>, out?: CodesOf<Int16Array | Uint16Array>): Int16Array | Uint16Array;
  integerKernel(name: 'hard_sigmoid' | 'hard_swish', params: Params<'hard_sigmoid'> | Params<'hard_swish'> | null, inQp: QParams, outQp: QParams | OutputQParamsPreset): IntegerKernel;

  /** The best hard or piecewise-linear approximation of an activation, and what each preset
   *  of its family gives up against it (see fit.d.ts). */
  fit<N extends Name>(target: N, options?: FitOptions<N>): FitResult;
}

export function load(options?: { simd?: boolean }): Promise<Actq>;
/** The package version. */
export const VERSION: string;
export function simdSupported(): boolean;
