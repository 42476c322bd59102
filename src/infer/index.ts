/**
 * The one-call user API: `const model = await loadModel(); model.predict(rows)`.
 * Loads a bundle from a path, or a shipped model by name (default: the shipped tree ensemble, extra_trees).
 */
import { readFile, readdir } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { MODELS_DIR } from '../paths.js';
import { readProfile } from '../train/profile.js';
import { findModelName } from '../models/names.js';
import { Predictor, type ModelInfo } from './core.js';
import { bundleMetaOf } from '../bundle/read.js';
import { selectKernels, type BackendName } from '../nn/select-kernels.js';
import { InferencePool } from './worker-pool.js';
import type { Episode } from '../data/types.js';
import type { EpisodeInput, Prediction, PredictOptions } from './types.js';

export { Predictor, MAX_FRAMES, type ModelInfo } from './core.js';
export type * from './types.js';

/** A loaded model: the Node-free predictor plus where it came from and multi-core batches. */
export interface LoadedModel extends Predictor {
  readonly path: string;
  /**
   * predictBatch on worker threads (one network per core by default): the same predictions,
   * about twice as fast for large batches on two cores. Workers start on first use.
   */
  predictBatchParallel(episodes: (EpisodeInput | Episode)[], opts?: PredictOptions & { workers?: number }): Promise<Prediction[]>;
  /** Stops the worker threads, if any, and frees the network's buffers. */
  close(): Promise<void>;
}

/** The shipped model used when none is named. */
export const DEFAULT_MODEL = 'extra_trees';

/** Path of a shipped bundle by name (case-insensitive, e.g. 'gru', 'ms_stacked_gru'), or undefined. */
export function shippedModelPath(name: string): string | undefined {
  // a shipped file's own name, or an older spelling of it (CNNGRU → cnn_gru, ExtraTrees → extra_trees)
  for (const stem of [name.toLowerCase(), findModelName(name)]) {
    const p = stem && path.join(MODELS_DIR, `${stem}.safetensors`);
    if (p && existsSync(p)) return p;
  }
  return undefined;
}

/** Resolves a model argument: an existing file path, or the name of a shipped model. */
export function resolveModelPath(pathOrName: string = DEFAULT_MODEL): string {
  if (existsSync(pathOrName) && pathOrName.endsWith('.safetensors')) return pathOrName;
  // a wearer's profile folder: its latest personal model
  if (existsSync(path.join(pathOrName, 'profile.json'))) {
    const latest = readProfile(pathOrName).calibrations.at(-1);
    if (!latest) throw new Error(`profile ${pathOrName} has no calibration yet: run signglove calibrate --profile ${pathOrName}`);
    return path.join(pathOrName, latest.model);
  }
  const shipped = shippedModelPath(pathOrName);
  if (shipped) return shipped;
  if (existsSync(pathOrName)) return pathOrName;
  throw new Error(
    `no model '${pathOrName}': not a .safetensors bundle path, a profile folder, or a shipped model (shipped: ${listShippedNames().join(', ') || 'none'})`,
  );
}

function listShippedNames(): string[] {
  try {
    return readdirSync(MODELS_DIR)
      .filter((f) => f.endsWith('.safetensors'))
      .map((f) => f.replace(/\.safetensors$/, ''))
      .sort();
  } catch {
    return [];
  }
}

export interface LoadModelOptions {
  /** Numeric kernels: 'auto' (WebAssembly SIMD when available), 'wasm' or 'ts'. */
  backend?: BackendName;
}

/** Loads a model bundle (path or shipped name; default the shipped tree ensemble). */
export async function loadModel(pathOrName?: string, opts: LoadModelOptions = {}): Promise<LoadedModel> {
  const file = resolveModelPath(pathOrName);
  const bytes = new Uint8Array(await readFile(file));
  const predictor = Predictor.fromBytes(bytes, file, selectKernels(opts.backend)) as LoadedModel;
  let pool: Promise<InferencePool> | undefined;
  Object.defineProperties(predictor, {
    path: { value: file, enumerable: true },
    predictBatchParallel: {
      value: async (episodes: (EpisodeInput | Episode)[], o: PredictOptions & { workers?: number } = {}): Promise<Prediction[]> => {
        // a forest is fast on one thread; the pool runs networks
        if (predictor.classifier.kind === 'trees') return predictor.predictBatch(episodes, o);
        pool ??= InferencePool.create(bytes, o.workers);
        const p = await pool;
        const { x, mask } = predictor.prepare(episodes.map((e, i) => predictor.toFrames(e, `episode ${i}`)));
        const probs = await p.probs(x, mask, episodes.length, predictor.meta.preprocess.T);
        const K = predictor.info.classes.length;
        return episodes.map((_, i) => predictor.toPrediction(probs.subarray(i * K, (i + 1) * K), o.topK));
      },
    },
    close: {
      value: async (): Promise<void> => {
        if (pool) await (await pool).close();
        pool = undefined;
        predictor.dispose();
      },
    },
  });
  return predictor;
}

/** Shipped models with their headline numbers, read from the bundle headers only. */
export async function listShippedModels(): Promise<(Omit<ModelInfo, 'classes' | 'channels' | 'testFiles' | 'params' | 'T'> & { path: string })[]> {
  if (!existsSync(MODELS_DIR)) return [];
  const files = (await readdir(MODELS_DIR)).filter((f) => f.endsWith('.safetensors')).sort();
  const out = [];
  for (const f of files) {
    const p = path.join(MODELS_DIR, f);
    const meta = bundleMetaOf(new Uint8Array(await readFile(p)), p);
    out.push({
      name: meta.name,
      arch: meta.arch.arch,
      path: p,
      datasetName: meta.provenance?.dataset,
      testAccuracy: meta.training?.testAccuracy,
    });
  }
  return out;
}
