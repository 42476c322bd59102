/**
 * The simulator's parameter file: per class and recording session, the mean course of every
 * channel over a held sign (a few knots over normalised time), how much one hold differs from
 * another, and the frame-to-frame noise. Estimated from real data by scripts/estimate-simulator.ts
 * and shipped as assets/simulator/params.json. Portable; reading another parameter file is
 * ./params-file.ts (Node).
 */
// Bundled with the code (a JSON module), so the simulator runs the same in Node and the browser.
import shippedParams from '../../../assets/simulator/params.json' with { type: 'json' };
import { JAMO } from '../../jamo.js';
import { FRAME_CHANNELS } from '../frame.js';

export interface SessionStats {
  session: string;
  /** Episodes the numbers come from. */
  episodes: number;
  /** knots × channels: the median course of the hold (segment means over normalised time). */
  knots: number[][];
  /** Per channel: spread of one hold's level around the course (hold-to-hold variation). */
  episodeStd: number[];
  /** Per channel: frame-to-frame noise around the hold's own course. */
  noiseStd: number[];
}

export interface ClassStats {
  jamo: string;
  sessions: SessionStats[];
}

export interface SimulatorParams {
  format: 'signglove-simulator';
  version: 1;
  /** Dataset the numbers were estimated from. */
  source: string;
  /** Channel order of every per-channel array (FRAME_CHANNELS). */
  channels: string[];
  /** Frame intervals seen in the data, with their probabilities. */
  frameIntervalsMs: { values: number[]; probs: number[] };
  /** Frames per held sign in the data (min, median, max). */
  holdFrames: { min: number; median: number; max: number };
  /** Lag-1 autocorrelation of the angle noise (the IMU filter smooths it). */
  angleAr1: number;
  /** Per channel: probability of a one-frame spike and its size (sensor glitches). */
  spikeProb: number[];
  spikeStd: number[];
  classes: ClassStats[];
}

let shipped: SimulatorParams | undefined;

/** The shipped parameters (assets/simulator/params.json), checked once. */
export function shippedSimulatorParams(): SimulatorParams {
  return (shipped ??= validateParams(shippedParams as unknown, 'assets/simulator/params.json'));
}

export function validateParams(raw: unknown, where = 'simulator parameters'): SimulatorParams {
  const p = raw as SimulatorParams;
  if (p?.format !== 'signglove-simulator' || p.version !== 1) throw new Error(`${where}: not a signglove simulator parameter file (version 1)`);
  if (p.channels.join() !== FRAME_CHANNELS.join()) throw new Error(`${where}: channels ${p.channels.join(',')} differ from ${FRAME_CHANNELS.join(',')}`);
  const have = new Set(p.classes.map((c) => c.jamo));
  const missing = JAMO.filter((j) => !have.has(j));
  if (missing.length) throw new Error(`${where}: no statistics for ${missing.join(' ')}`);
  const C = p.channels.length;
  for (const c of p.classes) {
    if (!c.sessions.length) throw new Error(`${where}: class ${c.jamo} has no sessions`);
    for (const s of c.sessions) {
      if (s.knots.some((k) => k.length !== C) || s.episodeStd.length !== C || s.noiseStd.length !== C) {
        throw new Error(`${where}: class ${c.jamo} session ${s.session} has arrays of the wrong width (expected ${C})`);
      }
    }
  }
  return p;
}

/** Sessions that every class has, so one simulated signer can spell any word. */
export function commonSessions(params: SimulatorParams): string[] {
  const sets = params.classes.map((c) => new Set(c.sessions.map((s) => s.session)));
  return [...sets[0]!].filter((s) => sets.every((set) => set.has(s))).sort();
}

export function sessionStats(params: SimulatorParams, jamo: string, session: string): SessionStats {
  const cls = params.classes.find((c) => c.jamo === jamo);
  if (!cls) throw new Error(`the simulator has no statistics for '${jamo}'`);
  const s = cls.sessions.find((x) => x.session === session);
  if (!s) throw new Error(`the simulator has no session '${session}' for '${jamo}' (has ${cls.sessions.map((x) => x.session).join(', ')})`);
  return s;
}
