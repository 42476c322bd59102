/**
 * Quality gates: a captured hold is kept only if it is long enough, at the glove's rate, still,
 * and every flex sensor reads like a live sensor. Each refusal is one line saying why (and what
 * to do). The channel checks are the training-time fault checks (sensor-faults.ts), so what the
 * recorder keeps is what training would use. Portable: no Node imports.
 */
import { findEpisodeFaults, isFlexChannel, type ChannelFault } from '../data/sensor-faults.js';
import { FRAME_CHANNELS, type Frame } from '../stream/frame.js';

export interface GateOptions {
  /** Frames an episode must have (the training length). */
  episodeFrames: number;
  /** Accepted sampling rates, Hz: the CSV firmware's ~33 Hz (JSON firmware's 50 Hz is resampled before). */
  rateHz?: [number, number];
  /** Longest gap between two frames, ms (a longer one means frames were lost). */
  maxGapMs?: number;
  /** Motion energy (MotionDetector) above which the hand is moving. */
  moveAbove?: number;
  /** Energy a held sign stays below; more than `maxRestlessShare` of frames above it is too much motion. */
  stillBelow?: number;
  maxRestlessShare?: number;
  /** Channels known to be faulty on this glove (accepted, recorded in the manifest). */
  knownFaults?: ReadonlySet<string>;
}

export type GateKind = 'short' | 'rate' | 'motion' | 'channel';

export interface Refusal {
  kind: GateKind;
  /** One line. */
  reason: string;
  /** For 'channel': the faults found. */
  faults?: ChannelFault[];
}

export const GLOVE_RATE_HZ: [number, number] = [25, 42];

/** Checks a captured hold; undefined when it may be kept. `energies` are the motion energies of its frames. */
export function checkHold(frames: readonly Frame[], energies: readonly number[], opts: GateOptions): Refusal | undefined {
  const n = frames.length;
  if (n < opts.episodeFrames) {
    const ms = n > 1 ? frames[n - 1]!.t - frames[0]!.t : 0;
    return { kind: 'short', reason: `too short: the hold lasted ${n} frames (${(ms / 1000).toFixed(1)} s); hold still for ${opts.episodeFrames} frames (~${((opts.episodeFrames * 30) / 1000).toFixed(1)} s)` };
  }
  const gaps = frames.slice(1).map((f, i) => f.t - frames[i]!.t);
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  const hz = median > 0 ? 1000 / median : Infinity;
  const [lo, hi] = opts.rateHz ?? GLOVE_RATE_HZ;
  if (!(hz >= lo && hz <= hi)) {
    return { kind: 'rate', reason: `sampling rate ${Number.isFinite(hz) ? hz.toFixed(1) : '∞'} Hz is far from the glove's ~33 Hz (${lo}–${hi} Hz accepted): check the firmware's interval setting` };
  }
  const longest = sorted[sorted.length - 1]!;
  if (longest > (opts.maxGapMs ?? 150)) {
    return { kind: 'rate', reason: `frames were lost: a gap of ${Math.round(longest)} ms inside the hold (the glove sends one every ~30 ms)` };
  }
  const moveAbove = opts.moveAbove ?? 0.7;
  const stillBelow = opts.stillBelow ?? 0.4;
  const peak = Math.max(0, ...energies);
  const restless = energies.filter((e) => e > stillBelow).length / Math.max(1, energies.length);
  if (peak > moveAbove || restless > (opts.maxRestlessShare ?? 0.2)) {
    return { kind: 'motion', reason: `too much motion during the hold (energy up to ${peak.toFixed(2)}, ${Math.round(restless * 100)}% of frames above ${stillBelow}): keep the hand still until the capture ends` };
  }
  const flex = FRAME_CHANNELS.filter(isFlexChannel);
  const idx = flex.map((c) => FRAME_CHANNELS.indexOf(c));
  const data = new Float32Array(n * flex.length);
  frames.forEach((f, t) => idx.forEach((k, c) => (data[t * flex.length + c] = f.values[k]!)));
  const faults = findEpisodeFaults(data, n, flex).faults.filter((f) => !opts.knownFaults?.has(f.channel));
  if (faults.length) {
    const f = faults[0]!;
    const what = f.kind === 'out-of-range' ? 'dead or loose (out of the usual range)' : f.kind;
    const more = faults.length > 1 ? ` (also ${faults.slice(1).map((x) => `${x.channel} ${x.kind}`).join(', ')})` : '';
    return { kind: 'channel', reason: `${f.channel} is ${what}: ${f.detail}${more}; check the sensor and its connector`, faults };
  }
  return undefined;
}
