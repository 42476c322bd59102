/**
 * The model bundle format: one .safetensors file with the weights under PyTorch state_dict names
 * and the model's whole description (architecture, preprocessing, classes, training record,
 * provenance) as JSON in the header, plus a checksum of the tensors. Portable; the file writer
 * is ./file.ts (Node).
 */
export type * from './types.js';
export { parseBundleMeta, decodeBundle, bundleMetaOf } from './read.js';
export { encodeBundle } from './encode.js';
export { BundleError, CHECKSUM_KEY, tensorChecksum, verifyTensors, checkBundleMetaShape } from './check.js';
export { modelCard } from './card.js';
