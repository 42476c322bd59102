/**
 * Reading a bundle: its bytes → the checked metadata and the verified tensors. Portable: the
 * server, the CLI and the browser read the same bytes with this code.
 */
import { decodeSafetensors, type TensorMap } from '../nn/safetensors.js';
import { BundleError, checkBundleMetaShape, verifyTensors } from './check.js';
import type { BundleMeta } from './types.js';

/** Reads the bundle metadata stored under the `signglove` key of the safetensors header. */
export function parseBundleMeta(metadata: Record<string, string> | undefined, source: string): BundleMeta {
  const raw = metadata?.['signglove'];
  if (!raw) throw new BundleError(`${source} is not a signglove model bundle (no 'signglove' metadata in its safetensors header)`);
  let meta: BundleMeta;
  try {
    meta = JSON.parse(raw) as BundleMeta;
  } catch (e) {
    throw new BundleError(`${source}: the bundle metadata is not valid JSON (${(e as Error).message})`);
  }
  if (meta?.format !== 'signglove-bundle') throw new BundleError(`${source}: unknown bundle format '${String(meta?.format)}'`);
  if (meta.version !== 1) throw new BundleError(`${source}: bundle version ${String(meta.version)} is newer than this signglove understands`);
  checkBundleMetaShape(meta, source);
  return meta;
}

function decode(bytes: Uint8Array, source: string): { tensors: TensorMap; metadata: Record<string, string> } {
  try {
    return decodeSafetensors(bytes);
  } catch (e) {
    throw new BundleError(`${source}: not a readable safetensors bundle (${(e as Error).message.replace(/^decodeSafetensors: /, '')})`);
  }
}

/** The metadata and tensors of a bundle, checked (shape of the metadata, finite weights, checksum); errors name `source`. */
export function decodeBundle(bytes: Uint8Array, source = 'bundle'): { meta: BundleMeta; tensors: TensorMap } {
  const { tensors, metadata } = decode(bytes, source);
  const meta = parseBundleMeta(metadata, source);
  verifyTensors(tensors, metadata, source);
  return { meta, tensors };
}

/** Only the metadata (no checksum pass over the weights): for listings. */
export function bundleMetaOf(bytes: Uint8Array, source = 'bundle'): BundleMeta {
  return parseBundleMeta(decode(bytes, source).metadata, source);
}
