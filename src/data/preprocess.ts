/**
 * Preprocessing between episodes and model input: fixed length T, standardisation, batches.
 *
 * Order (the reference's, and the default here): fix the length in RAW units — padding short
 * episodes with `padValue` (reference: raw 1.0) — then standardise every step, padding included.
 * With `padAfterScaling` the padding is written after standardisation instead, so `padValue` is
 * in standardised units (0 = the training mean). The mask marks real frames either way.
 */
import type { Episode } from './types.js';

/** The reference's sequence length (87 steps ≈ 2.6 s at 33 Hz). */
export const DEFAULT_T = 87;
/** The reference pads with raw 1.0 before scaling. */
export const DEFAULT_PAD_VALUE = 1.0;

/**
 * How an episode becomes exactly T frames:
 *  - 'pad':      the reference. Keep the first T frames of a long episode; pad a short one at the end.
 *  - 'truncate': keep the middle T frames of a long episode (drops the start and end, where the
 *                hand moves into and out of the sign); pad a short one at the end, like 'pad'.
 *  - 'resample': stretch or squeeze the whole episode to T frames by linear interpolation; no padding.
 */
export type LengthMode = 'pad' | 'truncate' | 'resample';
export const LENGTH_MODES: readonly LengthMode[] = ['pad', 'truncate', 'resample'];

export interface FixedLength {
  /** T×C values, row-major. */
  data: Float32Array;
  /** 1 for real (or interpolated) frames, 0 for padding. */
  mask: Uint8Array;
  /** Number of real frames at the start (T unless padded). */
  validLength: number;
}

/** One episode at exactly T frames; see LengthMode. */
export function fixLength(ep: Episode, T: number, mode: LengthMode = 'pad', padValue = DEFAULT_PAD_VALUE): FixedLength {
  const out = { data: new Float32Array(T * ep.channels.length), mask: new Uint8Array(T), validLength: 0 };
  fixLengthInto(ep, T, mode, padValue, out.data, out.mask, 0, 0);
  out.validLength = mode === 'resample' ? T : Math.min(T, ep.length);
  return out;
}

function fixLengthInto(
  ep: Episode,
  T: number,
  mode: LengthMode,
  padValue: number,
  data: Float32Array,
  mask: Uint8Array,
  dataOffset: number,
  maskOffset: number,
): void {
  if (!Number.isInteger(T) || T < 1) throw new Error(`sequence length T must be a positive integer, got ${T}`);
  if (ep.length < 1) throw new Error(`${ep.file}: episode has no frames`);
  const C = ep.channels.length;
  const L = ep.length;
  const src = ep.data;
  if (mode === 'resample') {
    for (let t = 0; t < T; t++) {
      // Endpoints map to endpoints; a 1-frame episode is repeated.
      const pos = T === 1 || L === 1 ? 0 : (t * (L - 1)) / (T - 1);
      const i0 = Math.floor(pos);
      const i1 = Math.min(i0 + 1, L - 1);
      const w = pos - i0;
      for (let c = 0; c < C; c++) {
        data[dataOffset + t * C + c] = src[i0 * C + c]! * (1 - w) + src[i1 * C + c]! * w;
      }
      mask[maskOffset + t] = 1;
    }
    return;
  }
  if (mode !== 'pad' && mode !== 'truncate') throw new Error(`unknown length mode '${String(mode)}'; use pad, truncate or resample`);
  const keep = Math.min(L, T);
  const start = mode === 'truncate' && L > T ? Math.floor((L - T) / 2) : 0;
  data.set(src.subarray(start * C, (start + keep) * C), dataOffset);
  data.fill(padValue, dataOffset + keep * C, dataOffset + T * C);
  mask.fill(1, maskOffset, maskOffset + keep);
  mask.fill(0, maskOffset + keep, maskOffset + T);
}

export interface ScalerJSON {
  channels: string[];
  mean: number[];
  std: number[];
}

/**
 * Per-channel standardisation, (x − mean) / std, like sklearn's StandardScaler (population std;
 * a constant channel gets std 1). Fit it on the TRAINING episodes only: the reference fits on all
 * data, which leaks the test set's statistics into training.
 */
export class Scaler {
  constructor(
    readonly channels: string[],
    readonly mean: Float64Array,
    readonly std: Float64Array,
  ) {
    if (mean.length !== channels.length || std.length !== channels.length) {
      throw new Error(`scaler has ${channels.length} channels but ${mean.length} means and ${std.length} stds`);
    }
  }

  /** Fit on the real frames of these episodes (never on padding). */
  static fit(episodes: readonly Episode[]): Scaler {
    if (episodes.length === 0) throw new Error('cannot fit a scaler on no episodes');
    const channels = episodes[0]!.channels;
    for (const ep of episodes) checkChannels(ep, channels);
    return Scaler.fitFrames(
      episodes.map((e) => e.data),
      channels,
    );
  }

  /** Fit on row-major frame arrays (each a multiple of channels.length values). */
  static fitFrames(frames: readonly Float32Array[], channels: readonly string[]): Scaler {
    const C = channels.length;
    const sum = new Float64Array(C);
    let n = 0;
    for (const f of frames) {
      for (let i = 0; i < f.length; i += C) for (let c = 0; c < C; c++) sum[c] += f[i + c]!;
      n += f.length / C;
    }
    if (n === 0) throw new Error('cannot fit a scaler on no frames');
    const mean = sum.map((s) => s / n);
    // Second pass around the mean: exact enough in float64 even for ~800 ± 50 ADC values.
    const sq = new Float64Array(C);
    for (const f of frames) {
      for (let i = 0; i < f.length; i += C) {
        for (let c = 0; c < C; c++) {
          const d = f[i + c]! - mean[c]!;
          sq[c] += d * d;
        }
      }
    }
    const std = sq.map((s) => {
      const sd = Math.sqrt(s / n);
      return sd > 0 ? sd : 1;
    });
    return new Scaler([...channels], mean, std);
  }

  /** Standardise row-major frames in place. */
  transform(data: Float32Array): Float32Array {
    const C = this.channels.length;
    if (data.length % C !== 0) throw new Error(`data length ${data.length} is not a multiple of ${C} channels`);
    for (let i = 0; i < data.length; i += C) {
      for (let c = 0; c < C; c++) data[i + c] = (data[i + c]! - this.mean[c]!) / this.std[c]!;
    }
    return data;
  }

  /** Undo transform in place. */
  inverseTransform(data: Float32Array): Float32Array {
    const C = this.channels.length;
    for (let i = 0; i < data.length; i += C) {
      for (let c = 0; c < C; c++) data[i + c] = data[i + c]! * this.std[c]! + this.mean[c]!;
    }
    return data;
  }

  toJSON(): ScalerJSON {
    return { channels: [...this.channels], mean: [...this.mean], std: [...this.std] };
  }

  static fromJSON(j: ScalerJSON): Scaler {
    if (!j || !Array.isArray(j.channels) || !Array.isArray(j.mean) || !Array.isArray(j.std)) {
      throw new Error('scaler JSON needs arrays channels, mean and std');
    }
    if (j.std.some((s) => !(s > 0))) throw new Error('scaler JSON has a std that is not positive');
    return new Scaler([...j.channels], Float64Array.from(j.mean), Float64Array.from(j.std));
  }
}

export interface BatchOptions {
  T?: number;
  mode?: LengthMode;
  /** Value written into padded steps (raw units unless padAfterScaling). */
  padValue?: number;
  /** Standardise with this (fitted on the training split). */
  scaler?: Scaler;
  /** Pad after standardising, so padValue is in standardised units (default false: reference order). */
  padAfterScaling?: boolean;
}

export interface Batch {
  /** N×T×C values, row-major. */
  x: Float32Array;
  /** N×T, 1 for real frames. */
  mask: Uint8Array;
  /** Class index per episode (-1 when unknown). */
  labels: Int32Array;
  /** Real frames per episode (T for resample, min(length, T) otherwise). */
  lengths: Int32Array;
  N: number;
  T: number;
  C: number;
}

/** Fixed-length, standardised model input for a list of episodes (see the module comment for the order). */
export function makeBatch(episodes: readonly Episode[], opts: BatchOptions = {}): Batch {
  const T = opts.T ?? DEFAULT_T;
  const mode = opts.mode ?? 'pad';
  const padValue = opts.padValue ?? DEFAULT_PAD_VALUE;
  const N = episodes.length;
  const channels = opts.scaler?.channels ?? episodes[0]?.channels ?? [];
  const C = channels.length;
  const x = new Float32Array(N * T * C);
  const mask = new Uint8Array(N * T);
  const labels = new Int32Array(N);
  const lengths = new Int32Array(N);
  for (let n = 0; n < N; n++) {
    const ep = episodes[n]!;
    checkChannels(ep, channels);
    fixLengthInto(ep, T, mode, padValue, x, mask, n * T * C, n * T);
    labels[n] = ep.label;
    lengths[n] = mode === 'resample' ? T : Math.min(T, ep.length);
  }
  if (opts.scaler) {
    if (!opts.padAfterScaling) opts.scaler.transform(x);
    else {
      for (let n = 0; n < N; n++) {
        const len = lengths[n]!;
        opts.scaler.transform(x.subarray(n * T * C, (n * T + len) * C));
      }
    }
  }
  return { x, mask, labels, lengths, N, T, C };
}

function checkChannels(ep: Episode, channels: readonly string[]): void {
  if (ep.channels.length !== channels.length || ep.channels.some((c, i) => c !== channels[i])) {
    throw new Error(`${ep.file}: channels [${ep.channels.join(', ')}] differ from [${channels.join(', ')}]`);
  }
}
