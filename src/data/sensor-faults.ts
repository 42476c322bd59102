/**
 * Sensor faults: a flex reading that is physically implausible for this glove (near 0, at the
 * ADC rail, stuck, far outside the channel's usual range) is found per frame, per episode and per
 * session, reported, and removed before a model sees it — so a dead sensor can never become a
 * class cue (2025-10-01: flex2 reads ~5 on all ㅌ; 2025-08-19: flex4 sits near 373 on 21 letters).
 *
 * Portable: no Node imports (the browser and the live recogniser run it as is).
 */

/** What a channel's values usually are, and what they can physically be. */
export interface ChannelRange {
  usual: [number, number];
  possible: [number, number];
  /** Values at which the sensor is pinned (ADC rails): min and max possible reading. */
  rails?: [number, number];
}

/** Flex sensors read a 10-bit ADC (0…1023) and sit around 700–900 on our gloves; IMU angles in degrees. */
export const CHANNEL_RANGES: Record<string, ChannelRange> = {
  flex1: { usual: [500, 1010], possible: [0, 1023], rails: [0, 1023] },
  flex2: { usual: [500, 1010], possible: [0, 1023], rails: [0, 1023] },
  flex3: { usual: [500, 1010], possible: [0, 1023], rails: [0, 1023] },
  flex4: { usual: [500, 1010], possible: [0, 1023], rails: [0, 1023] },
  flex5: { usual: [500, 1010], possible: [0, 1023], rails: [0, 1023] },
  pitch: { usual: [-90, 90], possible: [-180, 180] },
  roll: { usual: [-180, 180], possible: [-180, 180] },
  yaw: { usual: [-180, 180], possible: [-180, 360] },
  accel_x: { usual: [-2, 2], possible: [-16, 16] },
  accel_y: { usual: [-2, 2], possible: [-16, 16] },
  accel_z: { usual: [-2, 2], possible: [-16, 16] },
};

/** Thresholds of the fault checks; recorded in every bundle so live use applies the same ones. */
export interface FaultRules {
  /** A flex frame outside [lo, hi] is invalid (dead, shorted, at a rail, or another sensor's range). */
  flexValid: [number, number];
  /** An episode's flex channel whose valid frames fall below this share is faulty for the episode. */
  minValidShare: number;
  /** Standard deviation (ADC counts) below which a flex channel over ≥ 10 frames is stuck: a live sensor always shows ADC noise. */
  stuckStd: number;
  /** A channel faulty in at least this share of a session's episodes is masked for the whole session. */
  sessionShare: number;
}

export const DEFAULT_FAULT_RULES: FaultRules = {
  flexValid: [CHANNEL_RANGES.flex1!.usual[0], CHANNEL_RANGES.flex1!.usual[1]],
  minValidShare: 0.5,
  stuckStd: 0.25,
  sessionShare: 0.5,
};

export type FaultKind = 'dead' | 'saturated' | 'out-of-range' | 'stuck';

/** One channel of one episode that the model must not see. */
export interface ChannelFault {
  channel: string;
  kind: FaultKind;
  /** e.g. "median 5 over 80 frames" */
  detail: string;
}

/** What the checks found in one episode: faulty channels, and invalid frames of the healthy ones. */
export interface EpisodeFaults {
  faults: ChannelFault[];
  /** Per channel index: the number of single invalid frames that were filled in. */
  repairedFrames: number[];
}

export function isFlexChannel(name: string): boolean {
  return /^flex\d$/.test(name);
}

/**
 * Checks one episode (T×C raw frames, row-major). Only flex channels are checked: the IMU's
 * angles have no implausible value inside their range.
 */
export function findEpisodeFaults(data: Float32Array, length: number, channels: readonly string[], rules: FaultRules = DEFAULT_FAULT_RULES): EpisodeFaults {
  const C = channels.length;
  const faults: ChannelFault[] = [];
  const repairedFrames = new Array<number>(C).fill(0);
  const [lo, hi] = rules.flexValid;
  for (let c = 0; c < C; c++) {
    if (!isFlexChannel(channels[c]!)) continue;
    const valid: number[] = [];
    let low = 0;
    let high = 0;
    for (let t = 0; t < length; t++) {
      const v = data[t * C + c]!;
      if (v < lo) low++;
      else if (v > hi) high++;
      else valid.push(v);
    }
    const ch = channels[c]!;
    if (valid.length < rules.minValidShare * length) {
      const med = median(columnOf(data, length, C, c));
      const kind: FaultKind = med <= 50 ? 'dead' : med >= 1020 ? 'saturated' : 'out-of-range';
      faults.push({ channel: ch, kind, detail: `median ${round(med)} over ${length} frames (valid ${lo}…${hi})` });
      continue;
    }
    if (valid.length >= 10 && std(valid) < rules.stuckStd) {
      faults.push({ channel: ch, kind: 'stuck', detail: `constant ${round(valid[0]!)} over ${valid.length} frames` });
      continue;
    }
    repairedFrames[c] = low + high;
  }
  return { faults, repairedFrames };
}

/** Channels faulty in at least `rules.sessionShare` of a session's episodes: masked for the whole session. */
export function sessionFaultChannels(perEpisode: readonly EpisodeFaults[], channels: readonly string[], rules: FaultRules = DEFAULT_FAULT_RULES): { channel: string; episodes: number; share: number }[] {
  if (perEpisode.length === 0) return [];
  const count = new Map<string, number>();
  for (const e of perEpisode) for (const f of e.faults) count.set(f.channel, (count.get(f.channel) ?? 0) + 1);
  return channels
    .filter((ch) => (count.get(ch) ?? 0) >= rules.sessionShare * perEpisode.length)
    .map((ch) => ({ channel: ch, episodes: count.get(ch)!, share: count.get(ch)! / perEpisode.length }));
}

/**
 * Frames with faults removed, in place: a faulty channel (of the episode, or masked for the
 * session) becomes NaN over the whole episode; a single invalid flex frame of a healthy channel
 * takes the channel's median of valid frames. NaN means "unknown": normalisation turns it into 0,
 * the session mean, which every class shows (see channel dropout in training).
 */
export function removeFaults(data: Float32Array, length: number, channels: readonly string[], found: EpisodeFaults, maskedChannels: readonly string[] = [], rules: FaultRules = DEFAULT_FAULT_RULES): Float32Array {
  const C = channels.length;
  const [lo, hi] = rules.flexValid;
  const drop = new Set([...found.faults.map((f) => f.channel), ...maskedChannels]);
  for (let c = 0; c < C; c++) {
    const ch = channels[c]!;
    if (drop.has(ch)) {
      for (let t = 0; t < length; t++) data[t * C + c] = NaN;
    } else if (found.repairedFrames[c]! > 0) {
      const col = columnOf(data, length, C, c).filter((v) => v >= lo && v <= hi);
      const fill = median(col);
      for (let t = 0; t < length; t++) {
        const v = data[t * C + c]!;
        if (v < lo || v > hi) data[t * C + c] = fill;
      }
    }
  }
  return data;
}

function columnOf(data: Float32Array, length: number, C: number, c: number): number[] {
  const out = new Array<number>(length);
  for (let t = 0; t < length; t++) out[t] = data[t * C + c]!;
  return out;
}

function median(v: number[]): number {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function std(v: number[]): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
