/**
 * A bundle on disk (Node): written atomically, so a crash never leaves half a model. The bytes
 * are exactly what encodeBundle gives the browser.
 */
import type { StateDict } from '../models/index.js';
import type { BundleMeta } from './types.js';
import { encodeBundle } from './encode.js';
import { writeFileAtomic } from '../eval/atomic-write.js';

/** Saves weights (a network's state dict, or a forest's tensors) + meta to `file` (…/name.safetensors) atomically. */
export function saveBundle(file: string, weights: StateDict | { stateDict(): StateDict }, meta: BundleMeta): void {
  writeFileAtomic(file, encodeBundle(weights, meta));
}
