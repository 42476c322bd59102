/** Architecture names, configuration and defaults of the seven models. */

export const ARCHS = ['GRU', 'StackedGRU', 'LSTM', 'CNNGRU', 'CNNStackedGRU', 'MSGRU', 'MSStackedGRU'] as const;
export type ArchName = (typeof ARCHS)[number];

/** Names the reference fixtures use for the multi-scale models. */
export const ARCH_ALIASES: Record<string, ArchName> = { MSCGRU: 'MSGRU', MSCSGRU: 'MSStackedGRU' };

export interface ArchConfig {
  arch: ArchName;
  inputSize: number;
  numClasses: number;
  /** Recurrent hidden size. */
  hidden: number;
  /**
   * RNN family: layers of the one multi-layer RNN. CNN family: stacked → that many single-layer
   * GRU modules gru1..gruN with dropout between; not stacked → one `gru` with this many layers.
   */
  layers: number;
  /** RNN family: width of a Linear in front of the RNN (0 = none). */
  inputDense: number;
  /** Hidden width of the head (Linear hidden→headHidden → Linear headHidden→classes). */
  headHidden: number;
  /** Dropout between RNN layers (and, CNN family, before the head). */
  rnnDropout: number;
  /** Dropout inside the head. */
  headDropout: number;
  /** CNN family: filters per tower, the towers' kernel sizes (odd), dropout after pooling. */
  filters: number;
  kernels: number[];
  cnnDropout: number;
  /** Classify from the last valid step of the B×T mask instead of the last step. */
  useMask: boolean;
}

export function canonicalArch(name: string): ArchName {
  const a = ARCH_ALIASES[name] ?? name;
  if (!(ARCHS as readonly string[]).includes(a)) throw new Error(`unknown architecture "${name}"; expected one of ${ARCHS.join(', ')}`);
  return a as ArchName;
}

export function isCnnArch(a: ArchName): boolean {
  return a === 'CNNGRU' || a === 'CNNStackedGRU' || a === 'MSGRU' || a === 'MSStackedGRU';
}

export function isStackedCnn(a: ArchName): boolean {
  return a === 'CNNStackedGRU' || a === 'MSStackedGRU';
}

/** The reference's sizes and dropouts: hidden 64, 32 filters per tower, head 2·hidden. */
export function defaultConfig(arch: string, inputSize = 8, numClasses = 24): ArchConfig {
  const a = canonicalArch(arch);
  const base = { arch: a, inputSize, numClasses, hidden: 64, headHidden: 128, inputDense: 0, filters: 32, useMask: false };
  switch (a) {
    case 'GRU': return { ...base, layers: 2, rnnDropout: 0, headDropout: 0.2, kernels: [], cnnDropout: 0 };
    case 'StackedGRU': return { ...base, layers: 3, rnnDropout: 0, headDropout: 0.2, kernels: [], cnnDropout: 0 };
    case 'LSTM': return { ...base, layers: 2, rnnDropout: 0, headDropout: 0.2, kernels: [], cnnDropout: 0 };
    case 'CNNGRU': return { ...base, layers: 1, rnnDropout: 0.3, headDropout: 0.3, kernels: [3], cnnDropout: 0.3 };
    case 'CNNStackedGRU': return { ...base, layers: 2, rnnDropout: 0.3, headDropout: 0.3, kernels: [3], cnnDropout: 0.3 };
    case 'MSGRU': return { ...base, layers: 1, rnnDropout: 0.3, headDropout: 0.3, kernels: [3, 5, 7], cnnDropout: 0.3 };
    case 'MSStackedGRU': return { ...base, layers: 2, rnnDropout: 0.3, headDropout: 0.3, kernels: [3, 5, 7], cnnDropout: 0.3 };
  }
}

/** One dropout rate for every dropout of an architecture: the head, between recurrent layers, after the CNN's pooling. */
export function dropoutOverrides(rate: number): Pick<ArchConfig, 'headDropout' | 'rnnDropout' | 'cnnDropout'> {
  return { headDropout: rate, rnnDropout: rate, cnnDropout: rate };
}
