/** safetensors files on disk (Node only; the browser uses encode/decode from safetensors.ts). */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { decodeSafetensors, encodeSafetensors, type TensorMap } from './safetensors.js';

/** Writes atomically: a temporary file beside the target, then a rename. */
export function writeSafetensors(path: string, tensors: TensorMap, metadata?: Record<string, string>): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, encodeSafetensors(tensors, metadata));
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
}

export function readSafetensors(path: string): { tensors: TensorMap; metadata: Record<string, string> } {
  return decodeSafetensors(new Uint8Array(readFileSync(path)));
}
