// Shape letters, the same in every file of the engine and the models:
//   B batch (sequences in a batch)   T time steps   C input channels (features per step)
//   H hidden units                   K classes      G gates × H (3H for a GRU, 4H for an LSTM)
// Arrays are row-major and named by their shape: x B×T×C (batch-major) or T×B×C (time-major), logits B×K.
// Two local exceptions keep their field's own names: gemm's M×K·K×N (K its inner size, as in BLAS)
// and a convolution's `taps` (its kernel width).
/** The neural-network engine: kernels, layers with explicit forward/backward, loss, optimizer, safetensors. */
export type { Kernels } from './kernels.js';
export { tsKernels, defaultKernels } from './kernels-ts.js';
export { type Param, createParam, initUniform } from './param.js';
export { Linear } from './linear.js';
export { Activation, type ActivationKind } from './activation.js';
export { Dropout } from './dropout.js';
export { BatchNorm1d } from './batchnorm1d.js';
export { Conv1d } from './conv1d.js';
export { MaxPool1d } from './maxpool1d.js';
export { concatColumns, splitColumns } from './concat.js';
export { GRULayer } from './gru.js';
export { LSTMLayer } from './lstm.js';
export { RecurrentStack, type CellKind } from './rnn.js';
export { StepSelect, lastValidSteps, toTimeMajor } from './sequence.js';
export { softmax, softmaxCrossEntropy } from './loss.js';
export { AdamW, type AdamWOptions, type AdamWState } from './adamw.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './scheduler.js';
export { clipGradNorm } from './clip.js';
export { encodeSafetensors, decodeSafetensors, type TensorEntry, type TensorMap } from './safetensors.js';
// Node only (node:fs); browser code imports from ./safetensors.js and ./loss.js directly.
export { writeSafetensors, readSafetensors } from './safetensors-fs.js';
