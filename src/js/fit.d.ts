// Types of aq.fit (src/js/fit.js).
import type { Name, Params, QParams, OutputQParamsPreset } from './index.js';

export interface FitOptions<N extends Name = Name> {
  /** the target's parameters: a preset name or values, as for forward() */
  params?: Params<N>;
  /** 'pwl' (default): continuous piecewise-linear; 'hard': clip(slope x + offset, lo, hi) for
   *  targets rising from lo to hi (hard_sigmoid / hard_tanh), x clip(slope x + offset, 0, 1)
   *  for x-times-a-gate targets (hard_swish) */
  form?: 'hard' | 'pwl';
  /** pwl pieces, 2..64 (default 8); flat outer pieces count */
  pieces?: number;
  /** 'max' (default): minimax; 'rms': least squares */
  metric?: 'max' | 'rms';
  /** 'free' (default), 'pow2' (0 or +-2^k: one shift), 'pow2x2' (+-(2^i +- 2^j): shift-add) */
  slopes?: 'free' | 'pow2' | 'pow2x2';
  /** the inputs that count, default [-8, 8] (mean +- 6 sd for a normal distribution, the
   *  samples' span for samples); within [-1000, 1000] */
  range?: [number, number];
  /** keep the target's point symmetry f(-x) = 2 f(0) - f(x) (sigmoid, tanh, ...); the range
   *  must contain 0 */
  symmetric?: boolean;
  /** a fixed-point grid: pwl knots and values (hard: slope and offset) multiples of 2^-fracBits, 0..24 */
  fracBits?: number | null;
  /** rms only: weight the inputs by a normal density or take the error over samples */
  distribution?: { normal: [mean: number, sd: number] } | { samples: ArrayLike<number> } | null;
  /** output qparams (or a framework preset): the error is taken on the dequantized codes of
   *  the fitted kernel's outputs -- the error the deployed kernel has */
  outQp?: QParams | OutputQParamsPreset | null;
  /** output bits (2..16); alone, the scale and zero point come from the target's output range */
  bits?: number | null;
  /** input qparams: the (quantized) error is then taken at every input code in the range */
  inQp?: QParams | null;
}

/** One piece of the result: y = slope x + intercept on [from, to) (hard_swish's middle: x times a gate). */
export interface FitSegment {
  from: number;
  to: number;
  slope?: number;
  intercept?: number;
  gate?: number | { slope: number; offset: number };
}

export interface FitPresetRow {
  name: string;
  /** the table entry that runs it; null for PLAN, a published reference with no kernel */
  activation: string | null;
  params: Record<string, unknown> | null;
  maxError: number;
  maxErrorAt: number;
  rmsError: number;
}

export interface FitResult {
  target: string;
  targetParams: Record<string, unknown>;
  form: 'hard' | 'pwl';
  /** pieces asked for (a hard form: 3) */
  pieces: number;
  /** pieces the result has: fewer when more gain nothing (an even count for a point-symmetric
   *  target, or a constrained fit whose neighbouring slopes came out equal) */
  piecesUsed: number;
  metric: 'max' | 'rms';
  slopes: 'free' | 'pow2' | 'pow2x2';
  range: [number, number];
  symmetric: boolean;
  fracBits: number | null;
  /** the grid the result lies on: fracBits, or the one constrained slopes used (float32-exact) */
  gridBits: number | null;
  /** the table entry that runs the fit: 'pwl', 'hard_sigmoid', 'hard_tanh' or 'hard_swish' */
  activation: 'pwl' | 'hard_sigmoid' | 'hard_tanh' | 'hard_swish';
  /** its parameters, as the kernel takes them (pwl: float32 knots and values) */
  params: Record<string, unknown>;
  /** the largest |error| over the range and where: the float64 error of the function these
   *  parameters define, or (with output qparams) of the dequantized output codes */
  maxError: number;
  maxErrorAt: number;
  /** the root mean square error, uniform over the range or weighted by the distribution */
  rmsError: number;
  segments: FitSegment[];
  quantization: { outQp: QParams; inQp: QParams | null } | null;
  /** the family's presets (hard sigmoids, hard_tanh, hard_swish) and PLAN, measured the same way */
  presets: FitPresetRow[];
  /** minimax fits with free slopes: the float64 optimum before float32 storage -- its
   *  alternating error extremes, how many are level with the maximum (within 1e-6), and
   *  their spread (max - min) / max */
  optimum?: { maxError: number; extrema: { x: number; error: number }[]; alternations: number; spread: number; iterations: number };
  milliseconds: number;
}

export function fit(aq: unknown, target: Name, options?: FitOptions): FitResult;
export function installFit(aq: unknown): void;
/** PLAN (Amin, Curtis & Hayes-Gill 1997), as published. */
export function plan(x: number): number;
export const FIT_FORMS: readonly ['hard', 'pwl'];
export const FIT_METRICS: readonly ['max', 'rms'];
export const FIT_SLOPES: readonly ['free', 'pow2', 'pow2x2'];
export const FIT_DEFAULT_RANGE: readonly [number, number];
