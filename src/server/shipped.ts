import { readFile } from 'node:fs/promises';
import { listShippedModels, loadModel, type LoadedModel } from '../infer/index.js';
import { ModelCatalog } from './catalog.js';
import type { ModelSource, ServedModel } from './types.js';

/** A loaded bundle as the server serves it: the predictor plus its file for browsers. */
export function served(m: LoadedModel): ServedModel {
  return {
    info: m.info,
    predict: (ep, opts) => m.predict(ep, opts),
    predictBatch: (eps, opts) => m.predictBatch(eps, opts),
    predictBatchAsync: (eps, opts) => m.predictBatchParallel(eps, opts),
    classifyWindow: (w, n, session) => m.classifyWindow(w, n, session),
    meta: m.meta,
    bundleBytes: async () => new Uint8Array(await readFile(m.path)),
    predictor: m,
  };
}

/** The models shipped in models/, by their bundle names. */
export const shippedSource: ModelSource = {
  list: async () => (await listShippedModels()).map((m) => ({ name: m.name, arch: m.arch, ...(m.testAccuracy !== undefined ? { testAccuracy: m.testAccuracy } : {}) })),
  load: async (name) => {
    const entry = (await listShippedModels()).find((m) => m.name === name);
    return served(await loadModel(entry?.path ?? name));
  },
};

/**
 * The catalog for `signglove serve`: shipped models, with `--model` (a shipped name or a bundle
 * path) loaded up front as the default so a bad path fails at start, not at the first request.
 */
export async function shippedCatalog(model?: string): Promise<ModelCatalog> {
  const first = served(await loadModel(model));
  const catalog = new ModelCatalog(shippedSource, first.info.name);
  catalog.add(first);
  return catalog;
}
