/**
 * The one way users name a model: snake_case, as the shipped model files are named
 * (models/cnn_gru.safetensors). Older spellings (CNNGRU, MSCGRU, ExtraTrees, …) are still read,
 * but only these names are listed.
 */
import { ARCH_ALIASES, ARCHS, type ArchName } from './config.js';

/** The tree ensemble's internal architecture name (bundles record it). */
export const TREES_ARCH = 'ExtraTrees';
export type ModelArch = ArchName | typeof TREES_ARCH;

/** Every model a user can train, each once: the tree ensemble, then the seven networks. */
export const MODEL_NAMES = ['extra_trees', 'gru', 'stacked_gru', 'lstm', 'cnn_gru', 'cnn_stacked_gru', 'ms_gru', 'ms_stacked_gru'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

const ARCH_OF: Record<ModelName, ModelArch> = {
  extra_trees: TREES_ARCH,
  gru: 'GRU',
  stacked_gru: 'StackedGRU',
  lstm: 'LSTM',
  cnn_gru: 'CNNGRU',
  cnn_stacked_gru: 'CNNStackedGRU',
  ms_gru: 'MSGRU',
  ms_stacked_gru: 'MSStackedGRU',
};

/** Case, '_' and '-' do not matter: cnn_gru = CNNGRU = cnn-gru. */
const squash = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');

const BY_SQUASHED = new Map<string, ModelName>();
for (const name of MODEL_NAMES) {
  BY_SQUASHED.set(squash(name), name);
  BY_SQUASHED.set(squash(ARCH_OF[name]), name);
}
for (const [alias, arch] of Object.entries(ARCH_ALIASES)) BY_SQUASHED.set(squash(alias), modelNameOf(arch));

/** The snake_case name for any accepted spelling, or undefined. */
export function findModelName(spelling: string): ModelName | undefined {
  return BY_SQUASHED.get(squash(spelling));
}

/** The internal architecture (what createModel and bundles use) for any accepted spelling; throws on an unknown one. */
export function modelArch(spelling: string): ModelArch {
  const name = findModelName(spelling);
  if (!name) throw new Error(`unknown model '${spelling}'; use one of ${MODEL_NAMES.join(', ')}`);
  return ARCH_OF[name];
}

/** The snake_case name of an internal architecture: CNNStackedGRU → cnn_stacked_gru. */
export function modelNameOf(arch: string): ModelName {
  const name = (MODEL_NAMES as readonly string[]).find((n) => ARCH_OF[n as ModelName] === arch) as ModelName | undefined;
  if (!name) throw new Error(`unknown architecture '${arch}'; expected one of ${[TREES_ARCH, ...ARCHS].join(', ')}`);
  return name;
}
