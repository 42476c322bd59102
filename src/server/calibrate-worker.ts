/**
 * One POST /calibrate on its own worker thread: the base bundle's bytes and the labelled holds in,
 * the personal bundle and the before/after accuracy out. Calibrating takes seconds; on a worker the
 * event loop keeps answering /health and the live streams meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Episode } from '../data/types.js';
import { Predictor } from '../infer/core.js';
import { personalBundle } from '../train/personal-bundle.js';

export interface CalibrateJob {
  bundle: Uint8Array;
  baseName: string;
  shots: Episode[];
  heldOut: Episode[];
}

export type CalibrateReply = { bytes: Uint8Array; before: number; after: number; seconds: number } | { error: string };

/** The calibration itself (also used in-process when a model has no bundle bytes). */
export async function runCalibration(base: Predictor, baseName: string, shots: Episode[], heldOut: Episode[]): Promise<Exclude<CalibrateReply, { error: string }>> {
  const { bytes, before, after, seconds } = await personalBundle(base, shots, heldOut, { baseFile: baseName });
  return { bytes, before, after, seconds };
}

if (parentPort && workerData && (workerData as { calibrate?: boolean }).calibrate) {
  const job = workerData as CalibrateJob & { calibrate: true };
  runCalibration(Predictor.fromBytes(job.bundle, job.baseName), job.baseName, job.shots, job.heldOut).then(
    (r) => parentPort!.postMessage(r, [r.bytes.buffer as ArrayBuffer]),
    (e: Error) => parentPort!.postMessage({ error: e.message }),
  );
}
