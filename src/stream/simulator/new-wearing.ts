/**
 * A simulated "new wearing": the same signer putting the glove on another day. Per-channel
 * offsets and gains, one dead flex sensor and a yaw that drifts, sized after what the two real
 * days differ by (2025-08-19 against 2025-10-01, channel medians and spreads over all episodes):
 *   flex medians −35, −8, −16, −16 counts (flex1, 2, 3, 5); flex spreads ×0.73–0.88;
 *   pitch +14°, roll +12…+20°; yaw's level about the same but ~35% less spread (it drifts);
 *   flex4 dead on 08-19: it sits near 373 (the usual range is 500–1010) on 21 of 24 letters.
 * Portable: no Node imports.
 */
import { Rng } from '../../util/rng.js';
import { FRAME_CHANNELS } from '../frame.js';
import { wrapAngle, isAngleChannel } from './angles.js';

export interface Wearing {
  /** 'new:SEED', as given. */
  name: string;
  /** Per FRAME_CHANNELS entry: added after the gain. */
  offset: number[];
  /** Per channel: deviation from `center` is scaled by this (a sensor sitting tighter or looser). */
  gain: number[];
  center: number[];
  /** The flex channel that reads nothing useful, and the level it sits at. */
  dead?: { channel: string; level: number };
  /** Degrees per frame the yaw drifts by (~10° a minute: a gyro bias not re-zeroed). */
  yawDriftPerFrame: number;
}

const FLEX_CENTER = 820; // flex sensors sit around 780–880 on our gloves

/** The wearing drawn from a seed: 'new' (seed 1) or 'new:SEED'. */
export function newWearing(seed = 1, opts: { dead?: string | null } = {}): Wearing {
  const rng = new Rng(seed * 7919 + 17);
  const clip = (v: number, m: number) => Math.max(-m, Math.min(m, v));
  const offset: number[] = [];
  const gain: number[] = [];
  const center: number[] = [];
  for (const ch of FRAME_CHANNELS) {
    if (ch.startsWith('flex')) {
      // magnitudes like 08-19's (16–35 counts), sign drawn: a sensor can sit tighter or looser
      offset.push((rng.next() < 0.5 ? -1 : 1) * rng.uniform(12, 40));
      gain.push(rng.uniform(0.75, 1.05));
      center.push(FLEX_CENTER);
    } else if (ch === 'pitch') {
      offset.push(clip(14 + 5 * rng.normal(), 25));
      gain.push(1);
      center.push(0);
    } else if (ch === 'roll') {
      offset.push(clip(15 + 6 * rng.normal(), 30));
      gain.push(1);
      center.push(0);
    } else if (ch === 'yaw') {
      offset.push(clip(10 * rng.normal(), 25));
      gain.push(1);
      center.push(0);
    } else {
      offset.push(0);
      gain.push(1);
      center.push(0);
    }
  }
  const dead = opts.dead === null ? undefined : { channel: opts.dead ?? 'flex4', level: 373 };
  return { name: `new:${seed}`, offset, gain, center, dead, yawDriftPerFrame: 0.005 * (rng.next() < 0.5 ? -1 : 1) };
}

/** 'new' or 'new:SEED' (SEED a whole number) → a wearing; anything else throws saying what is accepted. */
export function parseWearing(spec: string): Wearing {
  const m = /^new(?::(\d+))?$/i.exec(spec.trim());
  if (!m) throw new Error(`unknown wearing '${spec}': use new or new:SEED (e.g. new:3)`);
  return newWearing(m[1] === undefined ? 1 : Number(m[1]));
}

const YAW = FRAME_CHANNELS.indexOf('yaw');
const ANGLE = FRAME_CHANNELS.map(isAngleChannel);

/** Applies a wearing frame by frame (yaw drift accumulates; the dead sensor has its own small noise). */
export class WearingApplier {
  private frames = 0;
  private readonly rng: Rng;
  private readonly deadIndex: number;

  constructor(
    readonly wearing: Wearing,
    seed = 1,
  ) {
    this.rng = new Rng(seed * 31 + 5);
    this.deadIndex = wearing.dead ? FRAME_CHANNELS.indexOf(wearing.dead.channel) : -1;
    if (wearing.dead && this.deadIndex < 0) throw new Error(`wearing: unknown channel '${wearing.dead.channel}'`);
  }

  /** Changes `values` (FRAME_CHANNELS order) in place. */
  apply(values: Float32Array): void {
    const w = this.wearing;
    this.frames++;
    for (let c = 0; c < values.length; c++) {
      const v = values[c]!;
      if (Number.isNaN(v)) continue;
      let out = w.center[c]! + w.gain[c]! * (v - w.center[c]!) + w.offset[c]!;
      if (c === YAW) out += w.yawDriftPerFrame * this.frames;
      if (c === this.deadIndex) out = w.dead!.level + 3 * this.rng.normal();
      if (FRAME_CHANNELS[c]!.startsWith('flex')) values[c] = Math.round(Math.min(1023, Math.max(0, out)));
      else values[c] = ANGLE[c] ? Math.round(wrapAngle(out) * 100) / 100 : out;
    }
  }
}
