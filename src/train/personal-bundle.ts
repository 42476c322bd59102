/**
 * A personal model in one call, as the browser, the server and the CLI all need it: calibrate the
 * base model on the shots, measure both on the held-out holds, and encode the personal bundle.
 * Portable.
 */
import type { Episode } from '../data/types.js';
import type { Predictor } from '../infer/core.js';
import { encodeBundle } from '../bundle/encode.js';
import { calibrateModel, type Calibrated, type CalibrateOptions } from './calibrate.js';

/** Share of `episodes` the predictor reads as their letter (NaN without episodes). */
export function heldOutAccuracy(p: Predictor, episodes: readonly Episode[]): number {
  if (!episodes.length) return NaN;
  return p.predictBatch([...episodes]).filter((r, i) => r.index === episodes[i]!.label).length / episodes.length;
}

export interface PersonalBundle {
  calibrated: Calibrated;
  bytes: Uint8Array;
  /** Held-out accuracy of the base and the personal model (NaN without held-out holds). */
  before: number;
  after: number;
  seconds: number;
}

export async function personalBundle(base: Predictor, shots: readonly Episode[], heldOut: readonly Episode[], opts: CalibrateOptions = {}): Promise<PersonalBundle> {
  const calibrated = await calibrateModel(base, shots, opts);
  return {
    calibrated,
    bytes: encodeBundle(calibrated.weights, calibrated.meta),
    before: heldOutAccuracy(base, heldOut),
    after: heldOutAccuracy(calibrated.predictor, heldOut),
    seconds: calibrated.seconds,
  };
}
