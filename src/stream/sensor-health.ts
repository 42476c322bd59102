/**
 * Sensor health while live: a flex channel that is dead or disconnected (near 0), at the ADC rail,
 * flat (no ADC noise at all), outside what a flex sensor on this glove can read, or outside what
 * the model saw in training (flex4 at 290–380 where the model saw ~800–930) is reported as soon as
 * the last second of frames shows it, naming the channel and what to do; and again when it recovers.
 * The same thresholds as the training-time fault checks (sensor-faults.ts). Portable: no Node imports.
 */
import { DEFAULT_FAULT_RULES, isFlexChannel, type FaultRules } from '../data/sensor-faults.js';
import type { SessionStats } from '../data/session-norm.js';
import { FRAME_CHANNELS, type Frame } from './frame.js';

export type HealthProblem = 'missing' | 'dead' | 'saturated' | 'flat' | 'implausible' | 'untrained';

export interface HealthWarning {
  channel: string;
  problem: HealthProblem;
  /** The channel's range over the last second, as read. */
  reads: [number, number];
  /** What the model saw in training for this channel (for 'untrained'). */
  trained?: [number, number];
  /** One line: the channel, what is wrong, what to do. */
  message: string;
}

export interface SensorHealthOptions {
  /** Per channel, the range the model saw in training (see trainedRanges). */
  trained?: Record<string, [number, number]>;
  /** Frames judged at once for a reading (default 33, one second at the glove's rate). */
  windowFrames?: number;
  /** Frames a channel must show no noise at all before it counts as flat (default 66, two seconds). */
  flatFrames?: number;
  rules?: FaultRules;
}

/**
 * What the model saw per channel: over every training session, mean ± 4 standard deviations (wide: a bent finger is far from the mean, and a false alarm costs trust)
 * (a session's masked channels say nothing about the sensor). Angles are left out: any pitch or
 * roll is a possible posture.
 */
export function trainedRanges(sessions: readonly SessionStats[]): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const s of sessions) {
    s.channels.forEach((ch, i) => {
      if (!isFlexChannel(ch) || s.masked.includes(ch)) return;
      const lo = s.center[i]! - 4 * s.scale[i]!;
      const hi = s.center[i]! + 4 * s.scale[i]!;
      const r = out[ch];
      out[ch] = r ? [Math.min(r[0], lo), Math.max(r[1], hi)] : [lo, hi];
    });
  }
  return out;
}

/** Watches the flex channels of a live stream (frames in the given channel order). */
export class SensorHealthMonitor {
  private readonly flex: { channel: string; index: number }[];
  private readonly W: number;
  private readonly F: number;
  private readonly rules: FaultRules;
  private readonly trained: Record<string, [number, number]>;
  /** The last F frames of each flex channel (ring). */
  private readonly ring: Float32Array[];
  private count = 0;
  private readonly state = new Map<string, HealthWarning>();

  constructor(channels: readonly string[], opts: SensorHealthOptions = {}) {
    this.flex = channels.map((channel, index) => ({ channel, index })).filter((c) => isFlexChannel(c.channel));
    this.W = opts.windowFrames ?? 33;
    this.F = Math.max(this.W, opts.flatFrames ?? 66);
    this.rules = opts.rules ?? DEFAULT_FAULT_RULES;
    this.trained = opts.trained ?? {};
    this.ring = this.flex.map(() => new Float32Array(this.F));
  }

  /** The problems now, one per channel at most. */
  get warnings(): HealthWarning[] {
    return [...this.state.values()];
  }

  /**
   * One frame. Returns the warnings when they changed (a channel went bad, changed problem or
   * recovered: then the list no longer has it), else undefined. Judged once a second.
   */
  push(values: ArrayLike<number>): HealthWarning[] | undefined {
    const slot = this.count % this.F;
    this.flex.forEach((c, k) => (this.ring[k]![slot] = values[c.index]!));
    this.count++;
    if (this.count < this.W || this.count % this.W !== 0) return undefined;
    let changed = false;
    this.flex.forEach((c, k) => {
      const w = this.judge(c.channel, this.ring[k]!);
      const before = this.state.get(c.channel);
      if (w) {
        if (before?.problem !== w.problem) changed = true;
        this.state.set(c.channel, w);
      } else if (before) {
        this.state.delete(c.channel);
        changed = true;
      }
    });
    return changed ? this.warnings : undefined;
  }

  reset(): void {
    this.count = 0;
    this.state.clear();
  }

  private judge(channel: string, ring: Float32Array): HealthWarning | undefined {
    const recent = this.latest(ring, this.W).filter((v) => Number.isFinite(v));
    if (recent.length < this.W / 2) {
      return { channel, problem: 'missing', reads: [NaN, NaN], message: `${channel} sends no values: check the glove's firmware line format (9 or 12 fields, or JSON lines)` };
    }
    const sorted = [...recent].sort((a, b) => a - b);
    const reads: [number, number] = [sorted[0]!, sorted[sorted.length - 1]!];
    const median = sorted[sorted.length >> 1]!;
    const span = `reads ${fmt(reads[0])}–${fmt(reads[1])}`;
    const [validLo, validHi] = this.rules.flexValid;
    if (median < validLo / 4) {
      return { channel, problem: 'dead', reads, message: `${channel} ${span}, near 0: the sensor is disconnected or broken; check its wire and connector` };
    }
    if (median > validHi) {
      return { channel, problem: 'saturated', reads, message: `${channel} ${span}, at the top of the ADC: the sensor is shorted or its divider is open; check its wire and connector` };
    }
    const trained = this.trained[channel];
    const saw = trained ? ` (the model saw ${fmt(trained[0])}–${fmt(trained[1])})` : '';
    if (median < validLo) {
      return {
        channel, problem: 'implausible', reads, ...(trained ? { trained } : {}),
        message: `${channel} ${span}, where a flex sensor on this glove reads ${validLo}–${validHi}${saw}: check that it sits flat on its finger and is wired to its own input`,
      };
    }
    if (trained && (median < trained[0] || median > trained[1])) {
      return {
        channel, problem: 'untrained', reads, trained,
        message: `${channel} ${span} where the model saw ${fmt(trained[0])}–${fmt(trained[1])}: reseat the sensor on its finger, or calibrate for today's wearing (signglove calibrate)`,
      };
    }
    if (this.count >= this.F && std(this.latest(ring, this.F)) < this.rules.stuckStd) {
      return { channel, problem: 'flat', reads, message: `${channel} ${span} without the least noise for ${Math.round(this.F / 33)} s: the sensor or its ADC input is stuck; check its wire` };
    }
    return undefined;
  }

  /** The last n values of a ring, oldest first. */
  private latest(ring: Float32Array, n: number): number[] {
    const out: number[] = [];
    for (let i = this.count - Math.min(n, this.count); i < this.count; i++) out.push(ring[i % this.F]!);
    return out;
  }
}

function std(xs: readonly number[]): number {
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length);
}

function fmt(v: number): string {
  return String(Math.round(v));
}

/**
 * For a frame source (values in FRAME_CHANNELS order): a callback that watches every frame and
 * says each change in one line — a channel gone bad, or healthy again.
 */
export function healthReporter(trainingSessions: readonly SessionStats[] | undefined, say: (line: string) => void): (frame: Frame) => void {
  const monitor = new SensorHealthMonitor(FRAME_CHANNELS, { trained: trainedRanges(trainingSessions ?? []) });
  let before = new Map<string, HealthProblem>();
  return (frame) => {
    const warnings = monitor.push(frame.values);
    if (!warnings) return;
    const now = new Map(warnings.map((w) => [w.channel, w.problem]));
    for (const w of warnings) if (before.get(w.channel) !== w.problem) say(`sensor: ${w.message}`);
    for (const ch of before.keys()) if (!now.has(ch)) say(`sensor: ${ch} reads normally again`);
    before = now;
  };
}
