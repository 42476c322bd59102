/**
 * Generates a realistic glove stream for a sequence of letters: each letter is held for about
 * as long as in the recordings, following that class's recorded course with hold-to-hold
 * variation and sensor noise; between letters the hand moves (pitch/roll swing, fingers
 * relax part-way), so even a repeated letter (ㄴ ㄴ in 안녕) is two separate holds. One stream
 * is one signer: a recording session is picked once and kept, with slow yaw drift on top.
 * Everything comes from a seeded Rng, so the same seed gives the same stream.
 */
import { Rng } from '../../util/rng.js';
import { isJamo, type Jamo } from '../../jamo.js';
import type { Episode } from '../../data/types.js';
import { jamoIndex, JAMO } from '../../jamo.js';
import { FRAME_CHANNELS, FRAME_WIDTH, channelIndices, type Frame } from '../frame.js';
import { spellText } from '../hangul.js';
import { isAngleChannel, wrapAngle } from './angles.js';
import { interpolateKnots } from './estimate.js';
import { commonSessions, shippedSimulatorParams, sessionStats, type SimulatorParams } from './params.js';
import { WearingApplier, type Wearing } from './new-wearing.js';

export interface SimulateOptions {
  seed?: number;
  params?: SimulatorParams;
  /** Recording session whose signer to imitate (default: picked by the seed). */
  session?: string;
  /** Frames per held letter, inclusive range (default 70–90). */
  holdFrames?: [number, number];
  /** Frames per move between letters (default 8–20). */
  transitionFrames?: [number, number];
  /** Frames of hand at rest before the first and after the last letter (default 10). */
  restFrames?: number;
  /** The glove worn another day (offsets, gains, a dead sensor, yaw drift); default: as recorded. */
  wearing?: Wearing;
}

/** Where a letter is held in a simulated stream: frames [start, end). */
export interface SimulatedSegment {
  jamo: Jamo;
  start: number;
  end: number;
}

export interface SimulatedStream {
  frames: Frame[];
  segments: SimulatedSegment[];
  session: string;
  letters: Jamo[];
}

const C = FRAME_WIDTH;
const FLEX = FRAME_CHANNELS.map((c) => c.startsWith('flex'));
const ANGLE = FRAME_CHANNELS.map(isAngleChannel);
const PITCH = FRAME_CHANNELS.indexOf('pitch');
const ROLL = FRAME_CHANNELS.indexOf('roll');
const YAW = FRAME_CHANNELS.indexOf('yaw');
// Yaw drifts slowly in a real IMU (no magnetometer correction): degrees per frame, random walk.
const YAW_DRIFT_PER_FRAME = 0.02;
/** Shortest move between two words, in frames (~1.8 s at the recorded rate; its slow ends look still): a clear rest. */
const WORD_GAP_FRAMES = 60;

/**
 * Stream for a word or phrase in Hangul (spelled with spellText; throws on what cannot be spelled).
 * Between the words of a phrase the hand drops and comes back (~1.8–2.1 s): the recogniser reads that
 * rest as a space, so recognising the stream gives the words with spaces between them.
 */
export function simulateText(text: string, opts: SimulateOptions = {}): SimulatedStream {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const letters: Jamo[] = [];
  const wordStarts = new Set<number>();
  for (const w of words) {
    if (letters.length) wordStarts.add(letters.length);
    letters.push(...spellText(w));
  }
  return simulateLetters(letters, opts, wordStarts);
}

export function simulateLetters(letters: readonly string[], opts: SimulateOptions = {}, wordStarts: ReadonlySet<number> = new Set()): SimulatedStream {
  const bad = letters.filter((l) => !isJamo(l));
  if (bad.length) throw new Error(`cannot simulate ${bad.map((b) => `'${b}'`).join(', ')}: not one of the 24 letters (${JAMO.join('')})`);
  const params = opts.params ?? shippedSimulatorParams();
  const rng = new Rng(opts.seed ?? 1);
  const session = pickSession(params, rng, opts.session);
  const signer = new Signer(params, session, rng, opts.wearing && new WearingApplier(opts.wearing, opts.seed ?? 1));
  const [hMin, hMax] = opts.holdFrames ?? [70, 90];
  const [mMin, mMax] = opts.transitionFrames ?? [8, 20];
  const rest = opts.restFrames ?? 10;

  const rows: Row[] = [];
  const segments: SimulatedSegment[] = [];
  const relaxed = signer.relaxedPose();
  let previous = relaxed;
  for (let i = 0; i < rest; i++) rows.push(signer.still(relaxed));
  (letters as Jamo[]).forEach((letter, i) => {
    const hold = signer.holdCourse(letter, hMin + rng.int(hMax - hMin + 1));
    const move = mMin + rng.int(mMax - mMin + 1);
    if (wordStarts.has(i)) {
      // between words the hand drops towards the relaxed pose and comes back in one arc, moving
      // for longer than the recogniser's rest (1.25 s), which gives the space; a slow straight
      // move, or a stop at the relaxed pose, would pause on poses that read as letters
      rows.push(...signer.restCourse(previous, hold[0]!.x, WORD_GAP_FRAMES + rng.int(9)));
    } else rows.push(...signer.moveCourse(previous, hold[0]!.x, move));
    segments.push({ jamo: letter, start: rows.length, end: rows.length + hold.length });
    rows.push(...hold);
    previous = hold[hold.length - 1]!.x;
  });
  if (letters.length) rows.push(...signer.moveCourse(previous, relaxed, mMin + rng.int(mMax - mMin + 1)));
  for (let i = 0; i < rest; i++) rows.push(signer.still(relaxed));

  const frames = signer.render(rows, 10_000 + rng.int(50_000));
  return { frames, segments, session, letters: [...letters] as Jamo[] };
}

/**
 * Held letters alone, as episodes (like the recordings), `perClass` of each of the 24 classes,
 * in the given channel order: the simulator's letter-level test set.
 */
export function simulateHeldLetters(opts: SimulateOptions & { perClass?: number; channels?: readonly string[] } = {}): Episode[] {
  const params = opts.params ?? shippedSimulatorParams();
  const rng = new Rng(opts.seed ?? 1);
  const channels = [...(opts.channels ?? FRAME_CHANNELS.slice(0, 8))];
  const idx = channelIndices(channels);
  const [hMin, hMax] = opts.holdFrames ?? [params.holdFrames.min, params.holdFrames.max];
  const sessions = commonSessions(params);
  const out: Episode[] = [];
  for (const jamo of JAMO) {
    for (let n = 0; n < (opts.perClass ?? 20); n++) {
      const session = opts.session ?? sessions[rng.int(sessions.length)]!;
      const signer = new Signer(params, session, rng, opts.wearing && new WearingApplier(opts.wearing, rng.int(1 << 30)));
      const frames = signer.render(signer.holdCourse(jamo, hMin + rng.int(hMax - hMin + 1)), 0);
      const data = new Float32Array(frames.length * channels.length);
      frames.forEach((f, t) => idx.forEach((k, c) => (data[t * channels.length + c] = f.values[k]!)));
      out.push({
        file: `sim/${jamo}/${session}/hold_${n}`,
        label: jamoIndex(jamo),
        jamo,
        session,
        channels,
        data,
        length: frames.length,
        timestampsMs: Float64Array.from(frames, (f) => f.t),
      });
    }
  }
  return out;
}

export function pickSession(params: SimulatorParams, rng: Rng, wanted?: string): string {
  const sessions = commonSessions(params);
  if (!sessions.length) throw new Error('the simulator parameters have no session common to all 24 letters');
  if (wanted !== undefined) {
    if (!sessions.includes(wanted)) throw new Error(`no simulator session '${wanted}' (have ${sessions.join(', ')})`);
    return wanted;
  }
  return sessions[rng.int(sessions.length)]!;
}

/** A noise-free frame and the noise level to add to it. */
export interface Row {
  x: Float64Array;
  noise: readonly number[];
}

/** One simulated signer: a session's statistics plus the running noise state. */
export class Signer {
  private readonly angleNoise = new Float64Array(C);
  private yawDrift = 0;
  private typicalNoise: number[] | undefined;

  constructor(
    private readonly params: SimulatorParams,
    private readonly session: string,
    private readonly rng: Rng,
    private readonly wearing?: WearingApplier,
  ) {}

  /** Noise-free course of one hold: the class's knots plus this hold's own offset. */
  holdCourse(jamo: string, length: number): Row[] {
    const s = sessionStats(this.params, jamo, this.session);
    const K = s.knots.length;
    const flat = s.knots.flat();
    const offset = s.episodeStd.map((sd) => sd * this.rng.normal());
    const rows: Row[] = [];
    for (let t = 0; t < length; t++) {
      const x = new Float64Array(C);
      for (let c = 0; c < C; c++) x[c] = interpolateKnots(flat, C, K, c, (t + 0.5) / length) + offset[c]!;
      rows.push({ x, noise: s.noiseStd });
    }
    return rows;
  }

  /** The hand between signs: average over all letters of this signer (fingers half bent). */
  relaxedPose(): Float64Array {
    const pose = new Float64Array(C);
    for (const cls of this.params.classes) {
      const s = sessionStats(this.params, cls.jamo, this.session);
      for (let c = 0; c < C; c++) pose[c]! += s.knots[s.knots.length >> 1]![c]! / this.params.classes.length;
    }
    return pose;
  }

  /** A move from `from` to `to` through a waypoint off the straight line: wrist swings, fingers relax part-way. */
  still(pose: Float64Array): Row {
    return { x: Float64Array.from(pose), noise: this.noiseLevel() };
  }

  moveCourse(from: Float64Array, to: Float64Array, length: number): Row[] {
    const relaxed = this.relaxedPose();
    const via = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      const mid = (from[c]! + to[c]!) / 2;
      via[c] = FLEX[c] ? mid + 0.5 * (relaxed[c]! - mid) : mid;
    }
    const swing = (): number => (this.rng.next() < 0.5 ? -1 : 1) * this.rng.uniform(6, 15);
    via[PITCH]! += swing();
    via[ROLL]! += swing();
    const rows: Row[] = [];
    for (let t = 1; t <= length; t++) {
      const u = t / (length + 1);
      const [a, b, v] = u < 0.5 ? [from, via, smoothstep(u * 2)] : [via, to, smoothstep(u * 2 - 1)];
      rows.push({ x: Float64Array.from(a, (x, c) => x + (b[c]! - x) * v), noise: this.noiseLevel() });
    }
    return rows;
  }

  /**
   * The rest between words: one smooth arc from `from` to `to` that swings the fingers towards the
   * relaxed pose and the wrist down on the way (never still in between, unlike two moves).
   */
  restCourse(from: Float64Array, to: Float64Array, length: number): Row[] {
    const relaxed = this.relaxedPose();
    const bump = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      if (!FLEX[c]) continue;
      // the fingers open well past the relaxed pose (a rest is a clear move, not a drift)
      const towards = relaxed[c]! - (from[c]! + to[c]!) / 2;
      bump[c] = Math.sign(towards || 1) * Math.max(Math.abs(towards), this.rng.uniform(80, 140));
    }
    bump[PITCH] = -this.rng.uniform(30, 45);
    bump[ROLL] = (this.rng.next() < 0.5 ? -1 : 1) * this.rng.uniform(8, 15);
    const rows: Row[] = [];
    for (let t = 1; t <= length; t++) {
      const u = t / (length + 1);
      const v = smoothstep(u);
      const arc = Math.sin(Math.PI * u);
      rows.push({ x: Float64Array.from(from, (x, c) => x + (to[c]! - x) * v + arc * bump[c]!), noise: this.noiseLevel() });
    }
    return rows;
  }

  /** Adds sensor noise, glitches and drift; rounds like the firmware; stamps times at the recorded frame rate. */
  render(rows: readonly Row[], startMs: number, wearing = this.wearing): Frame[] {
    const a = this.params.angleAr1;
    const innovation = Math.sqrt(1 - a * a);
    const frames: Frame[] = [];
    let t = startMs;
    for (const { x, noise } of rows) {
      const values = new Float32Array(C);
      this.yawDrift += YAW_DRIFT_PER_FRAME * this.rng.normal();
      for (let c = 0; c < C; c++) {
        let v = x[c]!;
        if (FLEX[c]) {
          v += noise[c]! * this.rng.normal();
          if (this.rng.next() < this.params.spikeProb[c]!) v += this.params.spikeStd[c]! * this.rng.normal();
          values[c] = Math.round(Math.min(1023, Math.max(0, v)));
        } else {
          this.angleNoise[c] = a * this.angleNoise[c]! + innovation * noise[c]! * this.rng.normal();
          v += this.angleNoise[c]!;
          if (c === YAW) v += this.yawDrift;
          values[c] = ANGLE[c] ? Math.round(wrapAngle(v) * 100) / 100 : Math.round(v * 1000) / 1000;
        }
      }
      wearing?.apply(values);
      frames.push({ t, values });
      t += this.frameInterval();
    }
    return frames;
  }

  /** Noise between signs: this signer's median over letters, per channel. */
  private noiseLevel(): number[] {
    if (!this.typicalNoise) {
      this.typicalNoise = [];
      for (let c = 0; c < C; c++) {
        const v = this.params.classes.map((cls) => sessionStats(this.params, cls.jamo, this.session).noiseStd[c]!).sort((x, y) => x - y);
        this.typicalNoise.push(v[v.length >> 1]!);
      }
    }
    return this.typicalNoise;
  }

  private frameInterval(): number {
    const { values, probs } = this.params.frameIntervalsMs;
    let u = this.rng.next();
    for (let i = 0; i < values.length; i++) {
      u -= probs[i]!;
      if (u <= 0) return values[i]!;
    }
    return values[values.length - 1]!;
  }
}

function smoothstep(u: number): number {
  return u * u * (3 - 2 * u);
}
