/**
 * A model bundle as bytes: the weights (a network's state dict, or a forest's tensors) under
 * PyTorch state_dict names, with the model's whole description as JSON in the safetensors header
 * and a checksum of the tensors. Portable: the browser writes a personal model with exactly the
 * bytes `signglove calibrate` writes to disk.
 */
import type { StateDict } from '../models/index.js';
import { encodeSafetensors } from '../nn/safetensors.js';
import type { BundleMeta } from './types.js';
import { CHECKSUM_KEY, tensorChecksum } from './check.js';

export function encodeBundle(weights: StateDict | { stateDict(): StateDict }, meta: BundleMeta): Uint8Array {
  const sd = weights instanceof Map ? weights : weights.stateDict();
  return encodeSafetensors(sd, { signglove: JSON.stringify(meta), [CHECKSUM_KEY]: tensorChecksum(sd) });
}
