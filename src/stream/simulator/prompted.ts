/**
 * A simulated glove that signs what it is asked to, when it is asked: the recorder's stand-in for
 * a person. `prompt(letter)` makes the hand move to the letter and hold it (long enough for a
 * countdown and a capture) until the next prompt or `release()`, which drops the hand back to
 * the relaxed pose. A prompted posture variant ('1'…'5') is signed like that recording session
 * of the simulator's data. Between prompts the hand rests. Portable.
 */
import { Rng } from '../../util/rng.js';
import type { Frame } from '../frame.js';
import { commonSessions, shippedSimulatorParams, type SimulatorParams } from './params.js';
import { pickSession, Signer, type Row } from './simulate.js';
import { WearingApplier, type Wearing } from './new-wearing.js';

export interface PromptedGloveOptions {
  seed?: number;
  params?: SimulatorParams;
  wearing?: Wearing;
  /** Frames the letter is held for after a prompt (default 260, ~8 s: countdown + capture + margin). */
  holdFrames?: number;
}

export class PromptedGlove {
  private readonly params: SimulatorParams;
  private readonly rng: Rng;
  private readonly wearing?: WearingApplier;
  private readonly signers = new Map<string, Signer>();
  private readonly session: string;
  private readonly holdFrames: number;
  private queue: Row[] = [];
  private pose: Float64Array;
  private signer: Signer;
  private t: number;
  private pending: Frame[] = [];

  constructor(opts: PromptedGloveOptions = {}) {
    this.params = opts.params ?? shippedSimulatorParams();
    this.rng = new Rng(opts.seed ?? 1);
    this.wearing = opts.wearing && new WearingApplier(opts.wearing, opts.seed ?? 1);
    this.session = pickSession(this.params, this.rng);
    this.signer = this.signerFor(this.session);
    this.pose = this.signer.relaxedPose();
    this.holdFrames = opts.holdFrames ?? 260;
    this.t = 10_000 + this.rng.int(50_000);
  }

  /** The recording session the glove imitates when no variant is asked for. */
  get defaultSession(): string {
    return this.session;
  }

  /** Move to `jamo` and hold it (in posture `variant` when the simulator has that session). */
  prompt(jamo: string, variant?: string): void {
    const session = variant && commonSessions(this.params).includes(variant) ? variant : this.session;
    const signer = this.signerFor(session);
    const hold = signer.holdCourse(jamo, this.holdFrames);
    const move = signer.moveCourse(this.pose, hold[0]!.x, 10 + this.rng.int(12));
    this.signer = signer;
    this.queue = [...move, ...hold];
    this.pending = [];
    this.pose = hold[hold.length - 1]!.x;
  }

  /** Drop the hand to the relaxed pose (after a capture). */
  release(): void {
    const relaxed = this.signer.relaxedPose();
    this.queue = this.signer.moveCourse(this.pose, relaxed, 12 + this.rng.int(10));
    this.pending = [];
    this.pose = relaxed;
  }

  /** The next frame (the glove never stops: a held letter stays held, then the hand rests). */
  next(): Frame {
    if (!this.pending.length) {
      const rows = this.queue.length ? this.queue.splice(0, 16) : Array.from({ length: 16 }, () => this.signer.still(this.pose));
      // render a few rows at a time so a new prompt takes effect within half a second
      this.pending = this.signer.render(rows, this.t, this.wearing);
      this.t = this.pending[this.pending.length - 1]!.t + 30;
    }
    return this.pending.shift()!;
  }

  private signerFor(session: string): Signer {
    let s = this.signers.get(session);
    if (!s) {
      s = new Signer(this.params, session, this.rng);
      this.signers.set(session, s);
    }
    return s;
  }
}
