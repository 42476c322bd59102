/** The seven architectures: createModel, their configs and defaults, the Model contract. */
import type { Kernels } from '../nn/kernels.js';
import { tsKernels } from '../nn/kernels-ts.js';
import { ownedKernels } from '../nn/owned-kernels.js';
import { canonicalArch, defaultConfig, type ArchConfig } from './config.js';
import { SequenceModel } from './sequence-model.js';
import type { Model } from './types.js';

export { ARCHS, ARCH_ALIASES, canonicalArch, defaultConfig, dropoutOverrides, isCnnArch, type ArchConfig, type ArchName } from './config.js';
export { MODEL_NAMES, TREES_ARCH, findModelName, modelArch, modelNameOf, type ModelArch, type ModelName } from './names.js';
export type { Model, Param, StateDict } from './types.js';

/**
 * Builds a model with PyTorch's default initialisation drawn from a seeded generator.
 * Fields missing from `config` (e.g. from an older bundle) take the architecture's defaults.
 */
export function createModel(config: ArchConfig, opts: { seed?: number; kernels?: Kernels } = {}): Model {
  const arch = canonicalArch(config.arch);
  const base = defaultConfig(arch, config.inputSize ?? 8, config.numClasses ?? 24);
  const c: ArchConfig = { ...base, ...config, arch, kernels: [...(config.kernels ?? base.kernels)] };
  const owned = ownedKernels(opts.kernels ?? tsKernels);
  const model = new SequenceModel(c, owned.kernels, opts.seed ?? 0);
  let disposed = false;
  model.dispose = () => {
    if (disposed) return;
    disposed = true;
    owned.releaseAll();
  };
  return model;
}
