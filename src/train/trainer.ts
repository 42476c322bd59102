/**
 * The training loop: AdamW, ReduceLROnPlateau, early stopping on validation loss, best checkpoint.
 * Deterministic: the same seed, data and kernels give the same numbers bit for bit.
 */
import { argmax } from '../infer/class-scores.js';
import type { Model } from '../models/index.js';
// the engine's modules directly, not its index (which also holds Node-only file helpers)
import { AdamW } from '../nn/adamw.js';
import { ReduceLROnPlateau } from '../nn/scheduler.js';
import { clipGradNorm } from '../nn/clip.js';
import { softmaxCrossEntropy } from '../nn/loss.js';
import type { BackendName } from '../nn/select-kernels.js';
import { Rng } from '../util/rng.js';
import { DataParallel } from './data-parallel.js';
import type { EpochRecord } from '../bundle/types.js';
import { augmentBatch, driftAugment, isAugmentOff, type AugmentConfig } from './augment.js';
import { InputError } from '../util/input-error.js';

/** A prepared set: x is N×T×C standardised, mask N×T, labels N. */
export interface TensorSet {
  x: Float32Array;
  mask: Uint8Array;
  labels: Int32Array;
  N: number;
  T: number;
  C: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  /** Early stopping: epochs without a validation-loss improvement of at least minDelta. */
  patience: number;
  minDelta: number;
  seed: number;
  /** ReduceLROnPlateau on validation loss. */
  lrPatience: number;
  lrFactor: number;
  minLr: number;
  /** Gradient-norm clipping (0 = off). */
  clipNorm: number;
  /**
   * Augmentation for wearing-to-wearing change (see augment.ts). A number is the older drift form:
   * per-channel offset ~N(0, σ) and gain ~1+N(0, σ/3); 0 = off.
   */
  augment: number | AugmentConfig;
  /**
   * Threads for data-parallel training (1 = this thread only). With N > 1 every batch is split
   * over N replicas of the model (see data-parallel.ts): faster on several cores; reproducible for
   * a seed and N, but not equal to a 1-thread run (BatchNorm statistics per slice, other dropout masks).
   */
  workers: number;
  /** Backend of the worker threads' replicas (the main model keeps its own kernels). */
  workerBackend: BackendName;
  /** Called after every epoch, e.g. to print or log. */
  onEpoch?: (r: EpochRecord, improved: boolean) => void;
  /** Called after every batch with (batchIndex, batchCount), e.g. to move a progress bar. */
  onBatch?: (i: number, n: number, loss: number) => void;
  /** When it aborts, training stops after the current batch and keeps the best model so far. */
  signal?: AbortSignal;
  /**
   * Awaited after every epoch (after onEpoch); false stops training there and keeps the best model
   * so far (stoppedBy 'pruned'). A tuner uses it to compare trials at the same epoch and drop poor ones.
   */
  afterEpoch?: (r: EpochRecord) => boolean | Promise<boolean>;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  epochs: 100,
  batchSize: 32,
  lr: 1e-3,
  weightDecay: 1e-3,
  patience: 10,
  minDelta: 0.001,
  seed: 42,
  lrPatience: 5,
  lrFactor: 0.5,
  minLr: 1e-6,
  clipNorm: 5,
  augment: 0,
  workers: 1,
  workerBackend: 'auto',
};

export interface TrainResult {
  history: EpochRecord[];
  bestEpoch: number;
  bestValLoss: number;
  stoppedBy: 'early-stopping' | 'max-epochs' | 'interrupted' | 'pruned';
  seconds: number;
}

/** Copies rows `idx` of a set into preallocated batch buffers. xb: B×T×C, mb: B×T, yb: B. */
export function gather(set: TensorSet, idx: Int32Array, from: number, B: number, xb: Float32Array, mb: Uint8Array, yb: Int32Array): void {
  const stride = set.T * set.C;
  for (let b = 0; b < B; b++) {
    const i = idx[from + b]!;
    xb.set(set.x.subarray(i * stride, (i + 1) * stride), b * stride);
    mb.set(set.mask.subarray(i * set.T, (i + 1) * set.T), b * set.T);
    yb[b] = set.labels[i]!;
  }
}


/** Mean loss and accuracy of the model on a set, in eval mode, in chunks. */
export function evaluateSet(model: Model, set: TensorSet, chunk = 64): { loss: number; acc: number; probs: Float32Array } {
  model.train(false);
  const K = model.config.numClasses;
  const probs = new Float32Array(set.N * K);
  let lossSum = 0;
  let correct = 0;
  const stride = set.T * set.C;
  for (let s = 0; s < set.N; s += chunk) {
    const B = Math.min(chunk, set.N - s);
    const x = set.x.subarray(s * stride, (s + B) * stride);
    const mask = set.mask.subarray(s * set.T, (s + B) * set.T);
    const y = set.labels.subarray(s, s + B);
    const logits = model.forward(x, B, set.T, mask);
    const r = softmaxCrossEntropy(logits, y, B, K);
    lossSum += r.loss * B;
    probs.set(r.probs, s * K);
    for (let b = 0; b < B; b++) if (argmax(r.probs, b * K, K) === y[b]) correct++;
  }
  return { loss: lossSum / Math.max(1, set.N), acc: correct / Math.max(1, set.N), probs };
}

/** Snapshot of every parameter and buffer, to restore the best epoch. */
function snapshot(model: Model): Map<string, { shape: number[]; data: Float32Array }> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [k, v] of model.stateDict()) out.set(k, { shape: [...v.shape], data: v.data.slice() });
  return out;
}

/** Training produced a non-finite loss: the weights are ruined, so nothing may be saved as "best". */
export class TrainingDivergedError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingDivergedError';
  }
}

/** Index of the first non-finite value, or -1. */
function firstNonFinite(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return i;
  return -1;
}

/** Lets the event loop run (signal handlers, timers, I/O) between batches. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Trains `model` in place; on return it holds the weights of the best validation epoch.
 * Async only so the event loop gets a turn every ~50 ms: without it a Ctrl-C (SIGINT handler →
 * abort signal) would not be seen until training had finished.
 */
export async function train(model: Model, trainSet: TensorSet, valSet: TensorSet, options: Partial<TrainOptions> = {}): Promise<TrainResult> {
  const o: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const rng = new Rng(o.seed);
  // its own stream, so turning augmentation on does not change shuffling or initialisation
  const augRng = new Rng(o.seed ^ 0x5eed);
  const params = model.parameters();
  const opt = new AdamW(params, { lr: o.lr, weightDecay: o.weightDecay });
  const sched = new ReduceLROnPlateau(opt, { factor: o.lrFactor, patience: o.lrPatience, minLr: o.minLr });
  const K = model.config.numClasses;
  const { T, C } = trainSet;
  const B0 = Math.min(o.batchSize, trainSet.N);
  if (!(Number.isInteger(o.workers) && o.workers >= 1)) throw new Error(`workers must be a whole number ≥ 1, got ${o.workers}`);
  for (const [set, name] of [[trainSet, 'training'], [valSet, 'validation']] as const) {
    const i = firstNonFinite(set.x);
    if (i >= 0) {
      throw new TrainingDivergedError(
        `the ${name} input holds a non-finite value (episode ${Math.floor(i / (set.T * set.C))}) after standardisation: ` +
          'a reading too large for float32 or a constant channel; check the data with `signglove data inspect`',
      );
    }
  }
  // with workers the batch buffers are shared memory the worker threads read directly
  const dp = o.workers > 1
    ? await DataParallel.create(model, { workers: o.workers, seed: o.seed, backend: o.workerBackend, T, C, maxBatch: B0 })
    : null;
  try {
    return await trainLoop(model, trainSet, valSet, o, { rng, augRng, opt, sched, K, B0, dp });
  } finally {
    await dp?.close();
  }
}

interface LoopState {
  rng: Rng;
  augRng: Rng;
  opt: AdamW;
  sched: ReduceLROnPlateau;
  K: number;
  B0: number;
  dp: DataParallel | null;
}

async function trainLoop(model: Model, trainSet: TensorSet, valSet: TensorSet, o: TrainOptions, st: LoopState): Promise<TrainResult> {
  const { rng, augRng, opt, sched, K, B0, dp } = st;
  const { T, C } = trainSet;
  const augCfg = typeof o.augment === 'number' ? driftAugment(o.augment) : o.augment;
  const aug = isAugmentOff(augCfg) ? null : augCfg;
  const params = model.parameters();
  const xb = dp ? dp.x : new Float32Array(B0 * T * C);
  const mb = dp ? dp.mask : new Uint8Array(B0 * T);
  const yb = dp ? dp.labels : new Int32Array(B0);
  const history: EpochRecord[] = [];
  let best = { loss: Infinity, epoch: 0, state: snapshot(model) };
  let bad = 0;
  let stoppedBy: TrainResult['stoppedBy'] = 'max-epochs';
  const t0 = performance.now();
  const nBatches = Math.ceil(trainSet.N / B0);
  let lastYield = performance.now();

  outer: for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const te = performance.now();
    const order = rng.permutation(trainSet.N);
    model.train(true);
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    for (let bi = 0; bi < nBatches; bi++) {
      if (performance.now() - lastYield > 50) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      if (o.signal?.aborted) {
        stoppedBy = 'interrupted';
        break outer;
      }
      const from = bi * B0;
      const B = Math.min(B0, trainSet.N - from);
      gather(trainSet, order, from, B, xb, mb, yb);
      if (aug) augmentBatch(aug, xb, mb, B, T, C, augRng);
      let batchLoss: number;
      if (dp) {
        const r = await dp.step(B);
        batchLoss = r.lossSum / B;
        correct += r.correct;
      } else {
        model.zeroGrad();
        const logits = model.forward(xb.subarray(0, B * T * C), B, T, mb.subarray(0, B * T));
        const r = softmaxCrossEntropy(logits, yb.subarray(0, B), B, K);
        model.backward(r.dLogits);
        batchLoss = r.loss;
        for (let b = 0; b < B; b++) {
          let arg = 0;
          for (let k = 1; k < K; k++) if (r.probs[b * K + k]! > r.probs[b * K + arg]!) arg = k;
          if (arg === yb[b]) correct++;
        }
      }
      if (!Number.isFinite(batchLoss)) {
        throw new TrainingDivergedError(
          `training loss became ${batchLoss} at epoch ${epoch}, batch ${bi + 1}; nothing was saved. Likely cause: ` +
            'extreme input values (check the data with `signglove data inspect`) or a learning rate too high (--lr)',
        );
      }
      if (o.clipNorm > 0) clipGradNorm(params, o.clipNorm);
      opt.step();
      lossSum += batchLoss * B;
      seen += B;
      o.onBatch?.(bi + 1, nBatches, batchLoss);
    }
    const val = evaluateSet(model, valSet);
    sched.step(val.loss);
    const rec: EpochRecord = {
      epoch,
      trainLoss: lossSum / seen,
      trainAcc: correct / seen,
      valLoss: val.loss,
      valAcc: val.acc,
      lr: opt.lr,
      seconds: (performance.now() - te) / 1000,
    };
    history.push(rec);
    const improved = val.loss < best.loss - o.minDelta;
    if (improved) {
      best = { loss: val.loss, epoch, state: snapshot(model) };
      bad = 0;
    } else {
      bad++;
    }
    o.onEpoch?.(rec, improved);
    if (!improved && bad >= o.patience) {
      stoppedBy = 'early-stopping';
      break;
    }
    if (o.afterEpoch && !(await o.afterEpoch(rec))) {
      stoppedBy = 'pruned';
      break;
    }
  }
  model.loadStateDict(best.state);
  model.train(false);
  return { history, bestEpoch: best.epoch, bestValLoss: best.loss, stoppedBy, seconds: (performance.now() - t0) / 1000 };
}
