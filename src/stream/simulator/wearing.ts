/**
 * The simulated glove as a wearing: its session statistics, fitted like a calibration's on held
 * letters it signs (3 of each letter, no labels used). A model with the session input pipeline
 * reads a simulated stream with these, as it would read a calibrated wearer; without them it would
 * read the simulator — an imitation of the 2025-10-01 wearing — with the pooled statistics of
 * every training day.
 */
import { fitSessionStats, type SessionStats } from '../../data/session-norm.js';
import type { BundleMeta } from '../../bundle/types.js';
import { simulateHeldLetters } from './simulate.js';
import type { SimulatorParams } from './params.js';

const cache = new Map<string, SessionStats>();

export function simulatedWearingStats(meta: Pick<BundleMeta, 'preprocess'>, params?: SimulatorParams): SessionStats | undefined {
  const pipe = meta.preprocess.pipeline;
  if (!pipe) return undefined;
  const key = JSON.stringify([pipe.raw, pipe.inputs, params ? 'custom' : 'shipped']);
  let stats = cache.get(key);
  if (!stats) {
    stats = fitSessionStats(pipe, simulateHeldLetters({ perClass: 3, seed: 99, channels: pipe.raw, ...(params ? { params } : {}) }));
    if (!params) cache.set(key, stats);
  }
  return stats;
}

/** Points a model at the simulated wearing (no-op for a model without the session pipeline). */
export function useSimulatedWearing(model: object, params?: SimulatorParams): void {
  const m = model as { meta?: Pick<BundleMeta, 'preprocess'>; useSession?(s: SessionStats): void };
  if (!m.meta || typeof m.useSession !== 'function') return;
  const s = simulatedWearingStats(m.meta, params);
  if (s) m.useSession(s);
}
