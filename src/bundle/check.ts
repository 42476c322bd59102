/**
 * Integrity of a model bundle, checked when it is read: the tensors' SHA-256 against the one the
 * writer stored, every weight finite, and the metadata shaped as a bundle. Node-free (the browser
 * reads bundles too), so the hash is @noble/hashes, not node:crypto.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { TensorMap } from '../nn/safetensors.js';
import { InputError } from '../util/input-error.js';

/** The safetensors metadata key holding the checksum (beside the `signglove` JSON). */
export const CHECKSUM_KEY = 'signglove_checksum';

/** A bundle that is damaged or not a bundle; the message names the file. */
export class BundleError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

/**
 * `sha256:<hex>` over the tensors in name order: each name, its shape, then its float32 values
 * (little-endian), so it does not depend on the header's layout or the order tensors were written.
 */
export function tensorChecksum(tensors: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>): string {
  const h = sha256.create();
  for (const name of [...tensors.keys()].sort()) {
    const t = tensors.get(name)!;
    h.update(utf8ToBytes(`${name}\u0000${t.shape.join(',')}\u0000`));
    const d = Float32Array.from(t.data); // a copy: aligned, and num_batches_tracked round-trips as whole numbers
    h.update(new Uint8Array(d.buffer));
  }
  return `sha256:${bytesToHex(h.digest())}`;
}

/**
 * Throws BundleError naming `source` when a weight is not finite or the stored checksum does not
 * match. Bundles written before checksums existed (no key) are checked for finiteness only.
 */
export function verifyTensors(tensors: TensorMap, metadata: Record<string, string>, source: string): void {
  for (const [name, t] of tensors) {
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i]!)) {
        throw new BundleError(`${source}: weight '${name}' holds a non-finite value (${t.data[i]}) at index ${i}: the bundle is damaged`);
      }
    }
  }
  const stored = metadata[CHECKSUM_KEY];
  if (stored === undefined) return;
  const actual = tensorChecksum(tensors);
  if (stored !== actual) throw new BundleError(`${source}: the weights do not match the bundle's checksum (the file is damaged or was altered)`);
}

/** The fields every reader relies on, with a message naming the file and the field when one is missing. */
export function checkBundleMetaShape(meta: unknown, source: string): void {
  const m = meta as Record<string, any>;
  const need = (ok: boolean, what: string): void => {
    if (!ok) throw new BundleError(`${source}: the bundle metadata is damaged (${what})`);
  };
  need(m !== null && typeof m === 'object', 'not an object');
  need(typeof m.name === 'string', "no 'name'");
  need(m.arch !== null && typeof m.arch === 'object' && typeof m.arch.arch === 'string', "no 'arch.arch'");
  const p = m.preprocess;
  need(p !== null && typeof p === 'object', "no 'preprocess'");
  need(Array.isArray(p.channels) && p.channels.every((c: unknown) => typeof c === 'string'), "'preprocess.channels' is not a list of names");
  need(Number.isInteger(p.T) && p.T > 0, "'preprocess.T' is not a positive whole number");
  need(p.scaler && Array.isArray(p.scaler.mean) && Array.isArray(p.scaler.std), "no 'preprocess.scaler' mean/std");
  need(Array.isArray(m.classes) && m.classes.length > 0, "no 'classes'");
}
