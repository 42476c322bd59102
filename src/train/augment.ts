/**
 * Augmentation for wearing-to-wearing change, applied to each training batch in standardised
 * units: what a glove put on again looks like after session normalisation (a residual per-channel
 * offset and gain), sensor noise, a sensor that dies (channel dropout — the same 0 the fault
 * handling writes, so "channel is 0" is never the cue of one class), and signing faster or slower
 * (time warp). Deterministic for a seed.
 */
import type { Rng } from '../util/rng.js';
import { isGravityInput } from '../data/orientation.js';

export interface AugmentConfig {
  /** Per-episode, per-channel offset ~ N(0, offset). */
  offset: number;
  /** Per-episode, per-channel gain ~ 1 + N(0, gain). */
  gain: number;
  /** Per-frame noise ~ N(0, noise). */
  noise: number;
  /** Probability that one channel of an episode reads 0 (unknown) throughout. */
  channelDropout: number;
  /** Channels that channel dropout may drop (indices; default: all). */
  dropChannels?: number[];
  /**
   * Per-channel factor on the offset and gain (absent: 1 for every channel). A unit gravity vector
   * is not standardised: an offset of 0.15 there tilts the hand by about 9°, as much as some letters
   * differ, so gravity gets a smaller share (see augmentFor).
   */
  shiftScale?: number[];
  /** Time warp: the real frames are resampled by a factor in [1 − timeWarp, 1 + timeWarp]. */
  timeWarp: number;
}

export const NO_AUGMENT: AugmentConfig = { offset: 0, gain: 0, noise: 0, channelDropout: 0, timeWarp: 0 };

/** What the new pipeline trains with by default (measured on the cross-day and posture protocols). */
export const DEFAULT_AUGMENT: AugmentConfig = { offset: 0.15, gain: 0.1, noise: 0.02, channelDropout: 0.05, timeWarp: 0.1 };

/** Share of the wearing shift (offset, gain) that gravity inputs get: σ 0.05 ≈ 3° of tilt. */
export const GRAVITY_SHIFT_SCALE = 1 / 3;

/**
 * The augmentation as it applies to a pipeline's inputs: the full offset and gain on the
 * standardised channels, a third of it on gravity. Measured (GRU, both days): the full shift on
 * gravity confuses letters that differ by a few degrees of tilt (ㅈ/ㅊ/ㅅ, ㄷ/ㄹ on 2025-08-19) on
 * the random split; none at all costs zero-shot accuracy on a new day.
 */
export function augmentFor(a: AugmentConfig, inputs: readonly string[]): AugmentConfig {
  if (a.shiftScale || !inputs.some(isGravityInput)) return a;
  return { ...a, shiftScale: inputs.map((c) => (isGravityInput(c) ? GRAVITY_SHIFT_SCALE : 1)) };
}

/** Every strength of `a` times k (k = 0: off); channel dropout stays a probability (≤ 1). */
export function scaleAugment(a: AugmentConfig, k: number): AugmentConfig {
  return { ...a, offset: a.offset * k, gain: a.gain * k, noise: a.noise * k, channelDropout: Math.min(1, a.channelDropout * k), timeWarp: Math.min(0.9, a.timeWarp * k) };
}

/** The older single-number form: drift σ → offset σ, gain σ/3. */
export function driftAugment(sigma: number): AugmentConfig {
  return { ...NO_AUGMENT, offset: sigma, gain: sigma / 3 };
}

export function isAugmentOff(a: AugmentConfig): boolean {
  return !(a.offset > 0 || a.gain > 0 || a.noise > 0 || a.channelDropout > 0 || a.timeWarp > 0);
}

/**
 * Augments a batch in place. xb: B×T×C standardised, mb: B×T (1 = real frame; only real frames
 * change, and time warp keeps the real length).
 */
export function augmentBatch(cfg: AugmentConfig, xb: Float32Array, mb: Uint8Array, B: number, T: number, C: number, rng: Rng): void {
  const offset = new Float32Array(C);
  const gain = new Float32Array(C);
  const keep = new Uint8Array(C);
  const tmp = cfg.timeWarp > 0 ? new Float32Array(T * C) : null;
  const droppable = cfg.dropChannels ?? Array.from({ length: C }, (_, c) => c);
  const scale = Float32Array.from({ length: C }, (_, c) => cfg.shiftScale?.[c] ?? 1);
  for (let b = 0; b < B; b++) {
    let L = 0;
    while (L < T && mb[b * T + L]) L++;
    const base = b * T * C;
    if (tmp && L > 2) {
      // read the real frames at a warped rate: a slower or faster version of the same hold
      const f = 1 + (rng.next() * 2 - 1) * cfg.timeWarp;
      tmp.set(xb.subarray(base, base + L * C));
      for (let t = 0; t < L; t++) {
        const pos = Math.min(L - 1, t * f);
        const i0 = Math.floor(pos);
        const i1 = Math.min(i0 + 1, L - 1);
        const w = pos - i0;
        for (let c = 0; c < C; c++) xb[base + t * C + c] = tmp[i0 * C + c]! * (1 - w) + tmp[i1 * C + c]! * w;
      }
    }
    keep.fill(1);
    for (let c = 0; c < C; c++) {
      offset[c] = rng.normal() * cfg.offset * scale[c]!;
      gain[c] = 1 + rng.normal() * cfg.gain * scale[c]!;
    }
    if (cfg.channelDropout > 0 && rng.next() < cfg.channelDropout) keep[droppable[Math.floor(rng.next() * droppable.length)]!] = 0;
    for (let t = 0; t < L; t++) {
      const o = base + t * C;
      for (let c = 0; c < C; c++) {
        xb[o + c] = keep[c] ? xb[o + c]! * gain[c]! + offset[c]! + (cfg.noise > 0 ? rng.normal() * cfg.noise : 0) : 0;
      }
    }
  }
}
