// Types of actq/lab: train a small MLP with one activation, deploy another, quantize (PTQ)
// or fine-tune (QAT), and run the integer network as an edge chip does.
import type { Actq, ActivationName, QParams } from '../index.js';

export type DatasetName = 'mnist' | 'spiral' | 'moons' | 'circles' | 'xor' | 'gaussians';
export type Optimizer = 'sgd' | 'adam';

/** One split: n rows of dim features (row-major) and their labels in [0, classes). */
export interface Split { x: Float32Array; y: Int32Array | Uint8Array | number[]; n?: number }
export interface Dataset {
  name: DatasetName; dim: number; classes: number; seed: number; noise: number | null;
  train: { x: Float32Array; y: Int32Array; n: number };
  test: { x: Float32Array; y: Int32Array; n: number };
  /** min and max of x over train and test */
  inputRange: [number, number];
}
export interface DataOptions {
  /** integer in [0, 2^32), default 1 */
  seed?: number;
  /** sample counts; mnist: default 8000 / 2000 of its 10,000 digits; 2-D: default 80% / 20% of samples */
  train?: number; test?: number;
  /** 2-D sets: total samples (default 2000), Gaussian noise sd in [0, 1], classes (spiral, gaussians: 2..8, default 3) */
  samples?: number; noise?: number; classes?: number;
}

/** An activation with an optional preset: 'hard_sigmoid:pytorch', or { name, params }. */
export type ActivationSpec = string | { name: ActivationName | string; params?: string | Record<string, number | boolean | number[]> | null; preset?: string };

export interface TrainOptions {
  epochs?: number;        // default 5
  batch?: number;         // default 64 (the last, partial batch of an epoch included)
  optimizer?: Optimizer;  // default 'adam'
  lr?: number;            // default: adam 0.01, sgd 0.1
  momentum?: number;      // sgd, default 0.9
  beta1?: number; beta2?: number; eps?: number; // adam: 0.9, 0.999, 1e-8
  /** batch order (default: the network's seed) */
  seed?: number;
  /** evaluated after every epoch (testLoss / testAccuracy in the epoch events) */
  validation?: Split;
  /** called after every step and epoch; return false to stop */
  onProgress?: (event: ProgressEvent) => boolean | void;
}
export interface ProgressEvent {
  type: 'step' | 'epoch'; epoch: number; epochs: number; step?: number; steps?: number;
  loss: number; accuracy: number; testLoss?: number; testAccuracy?: number; elapsed: number;
  /** compare(): which run this is */
  phase?: 'train' | 'qat'; activation?: string; preset?: string | null; bits?: number;
}
export interface TrainResult {
  history: { epoch: number; loss: number; accuracy: number; testLoss?: number; testAccuracy?: number }[];
  stopped: boolean; samples: number; seconds: number; samplesPerSecond: number;
}
export interface Metrics { accuracy: number; loss: number }

export interface HiddenActivation { name: ActivationName; preset: string | null; params: Record<string, number | boolean | number[]> }

/** A float MLP living in wasm memory: free() it when done. */
export interface Mlp {
  readonly sizes: readonly number[];
  readonly activation: HiddenActivation;
  readonly seed: number;
  readonly parameterCount: number;
  readonly inputs: number;
  readonly classes: number;
  readonly freed: boolean;
  /** QAT settings after lab.qat() (the qparams the integer network uses), else null */
  quant: object | null;
  train(split: Split, options?: TrainOptions): TrainResult;
  evaluate(split: Split): Metrics;
  /** float logits, n x classes */
  logits(x: Float32Array): Float32Array;
  /** predicted classes (first maximum logit) */
  predict(x: Float32Array): Int32Array;
  /** pre-activations of hidden layer l (rows x units), e.g. for histograms and calibration */
  hiddenPreActivations(x: Float32Array, l?: number, options?: { limit?: number }): Float32Array;
  /** loss and the gradient of every parameter [W0 b0 W1 b1 ...] for one batch */
  gradient(split: Split): { loss: number; gradient: Float32Array };
  /** all parameters [W0 b0 W1 b1 ...], W row-major outputs x inputs */
  parameters(): Float32Array;
  setParameters(values: Float32Array): void;
  /** layer l's symmetric per-output-channel weight scales at bits (the QAT forward's and PTQ's) */
  weightScales(l: number, bits: number): Float32Array;
  layer(l: number): { weights: Float32Array; bias: Float32Array };
  /** the same weights with another hidden activation (no retraining) */
  withActivation(name: ActivationName | string, params?: string | Record<string, number | boolean | number[]> | null): Mlp;
  clone(): Mlp;
  resetOptimizer(): void;
  toJSON(): MlpJSON;
  free(): void;
}
export interface MlpJSON {
  format: 'actq-mlp'; version: 1; sizes: number[]; seed: number;
  activation: { name: string; preset: string | null; params: Record<string, unknown> };
  layers: { weights: number[]; bias: number[] }[];
  quant: object | null;
}

/** The integer network (typed-array form); its JSON form has plain arrays. */
export interface IntegerNetworkSpec {
  format: 'actq-integer-mlp'; version: 1; bits: number;
  activation: { name: string; preset: string | null; params: Record<string, unknown> };
  input: QParams;
  layers: {
    inputs: number; outputs: number;
    weights: Int8Array; weightScales: Float32Array; bias: Int32Array; multiplier: Int32Array; shift: Int32Array;
    output: QParams; lut: Uint8Array | null; activationOutput: QParams | null;
  }[];
}
export interface IntegerNetwork {
  readonly spec: IntegerNetworkSpec;
  readonly bits: number;
  readonly inputs: number;
  readonly classes: number;
  /** uint8 input codes of float inputs */
  quantizeInput(x: Float32Array): Uint8Array;
  /** int16 logits, n x classes */
  logitsFromCodes(codes: Uint8Array): Int16Array;
  predict(x: Float32Array): Int32Array;
  evaluate(split: Split): Metrics;
}

export interface CompareOptions {
  data?: DatasetName | Dataset;     // default 'mnist'
  dataOptions?: DataOptions;
  hidden?: number[];                // default [64]
  train?: ActivationSpec;           // default 'sigmoid'
  deploy?: ActivationSpec[];        // default hard_sigmoid onnx, pytorch, bnn
  bits?: number[];                  // default [8, 4, 2]
  epochs?: number;                  // default 5
  qatEpochs?: number;               // default 2 (0: no QAT rows)
  batch?: number; optimizer?: Optimizer; lr?: number;
  /** QAT learning rate, default lr / 10 */
  qatLr?: number;
  seed?: number;                    // default 1
  /** return false to stop: compare() then resolves with the rows so far and stopped: true */
  onProgress?: (event: ProgressEvent) => boolean | void;
  /** each row as it is measured */
  onRow?: (row: CompareRow, index: number) => void;
}
export interface CompareRow {
  activation: string; preset: string | null; stage: 'float' | 'swap' | 'ptq' | 'qat'; bits: number | null;
  accuracy: number; loss: number;
}
export interface CompareResult {
  data: { name: string; train: number; test: number; dim: number; classes: number };
  layers: number[];
  trainSamplesPerSecond: number;
  rows: CompareRow[];
  /** the integer network (JSON form) of each ptq / qat row, null for the others */
  integer: (object | null)[];
  network: MlpJSON;
  stopped: boolean;
  options: Required<Omit<CompareOptions, 'onProgress' | 'onRow' | 'dataOptions'>> & { data: string };
}

export interface Lab {
  /** the actq API over the lab's wasm instance */
  readonly aq: Actq;
  readonly simd: boolean;
  data(name: DatasetName, options?: DataOptions): Promise<Dataset>;
  mlp(options: { sizes?: number[]; inputs?: number; hidden?: number[]; classes?: number; activation?: ActivationSpec;
    params?: string | Record<string, number | boolean | number[]> | null; seed?: number }): Mlp;
  fromJSON(json: MlpJSON | string): Mlp;
  /** PTQ at bits (2..8), calibrated on the first `samples` (2000) rows of calibration.x */
  quantize(net: Mlp, calibration: Split, options?: { bits?: number; samples?: number }): IntegerNetwork;
  /** QAT: a fine-tuned copy trained with fake quantization at bits */
  qat(net: Mlp, split: Split, options?: TrainOptions & { bits?: number; samples?: number }): Mlp;
  integerFromJSON(json: object | string): IntegerNetwork;
  compare(options?: CompareOptions): Promise<CompareResult>;
}

export function loadLab(options?: { simd?: boolean }): Promise<Lab>;
export function parseActivation(spec: ActivationSpec): { name: string; params: unknown };
export function compareOptions(options: CompareOptions): CompareOptions;
export const COMPARE_DEFAULTS: Readonly<Required<Pick<CompareOptions, 'data' | 'hidden' | 'train' | 'deploy' | 'bits' | 'epochs' | 'qatEpochs' | 'batch' | 'optimizer' | 'seed'>>>;
export const DATASETS: DatasetName[];
export const OPTIMIZERS: Optimizer[];
export const DEFAULTS: { sgd: { lr: number; momentum: number }; adam: { lr: number; beta1: number; beta2: number; eps: number } };
/** The integer network as a self-contained C99 header (the CLI's --export-c). */
export function integerNetworkToC(net: IntegerNetworkSpec, options?: { name?: string; version?: string; source?: string }): string;
export function integerNetworkToJSON(net: IntegerNetworkSpec | object): object;
export function integerNetworkFromJSON(obj: object): IntegerNetworkSpec;

/** Class and softmax confidence of a 2-input model on a resolution x resolution grid (row-major, top row = y[1]). */
export function decisionMap(model: Mlp | IntegerNetwork, box?: { x?: [number, number]; y?: [number, number]; resolution?: number }):
  { resolution: number; x: [number, number]; y: [number, number]; classes: number; class: Uint8Array; confidence: Float32Array };
/** counts[true * classes + predicted] */
export function confusionMatrix(predicted: ArrayLike<number>, labels: ArrayLike<number>, classes: number): Int32Array;
/** indices that reference gets right and model wrong */
export function newlyWrong(reference: ArrayLike<number>, model: ArrayLike<number>, labels: ArrayLike<number>): number[];
export function histogram(values: ArrayLike<number>, options?: { bins?: number; range?: [number, number] }):
  { lo: number; hi: number; bins: number; width: number; counts: Int32Array };
/** hidden layer l of an integer network: every int8 pre-activation code's value x and the dequantized LUT output y */
export function integerActivation(aq: Actq, spec: IntegerNetworkSpec | object, layer?: number): { x: Float32Array; y: Float32Array };
