/**
 * A frame is one glove sample: the device timestamp and every channel a glove can send,
 * in the fixed order of ALL_CHANNELS (missing channels, e.g. accel on 9-field lines, are NaN).
 */
import { ALL_CHANNELS } from '../data/types.js';

export const FRAME_CHANNELS: readonly string[] = ALL_CHANNELS;
export const FRAME_WIDTH = FRAME_CHANNELS.length;

const FRAME_INDEX = new Map<string, number>(FRAME_CHANNELS.map((c, i) => [c, i]));

/** Position of a channel inside Frame.values, or -1. */
export function frameChannelIndex(name: string): number {
  return FRAME_INDEX.get(name) ?? -1;
}

export interface Frame {
  /** Device timestamp in milliseconds (as sent by the glove, or simulated). */
  t: number;
  /** Values in FRAME_CHANNELS order; NaN where the line did not carry the channel. */
  values: Float32Array;
}

/** Counters every source keeps, so a user can see what was dropped and why. */
export interface SourceStats {
  /** Non-empty text lines received. */
  lines: number;
  frames: number;
  /** Lines that were neither a frame, a header nor a message (skipped). */
  malformed: number;
  /** '#' lines from the firmware. */
  messages: number;
  headers: number;
  /** Times the source came back after the glove or link went away. */
  reconnects: number;
  /** Why the most recent malformed line was skipped. */
  lastMalformed?: string;
}

export function emptyStats(): SourceStats {
  return { lines: 0, frames: 0, malformed: 0, messages: 0, headers: 0, reconnects: 0 };
}

/** A running stream of frames. Iterate it once; `close()` (or the abort signal given at open) ends it. */
export interface FrameSource extends AsyncIterable<Frame> {
  /** What the source reads, for messages (e.g. 'serial /dev/ttyACM0'). */
  readonly description: string;
  readonly stats: SourceStats;
  close(): void;
}

/** Status lines a source reports while running (connected, disconnected, firmware '#' messages). */
export type StatusListener = (message: string) => void;

/** Picks the named channels out of a frame into `out` (e.g. the model's channel order). */
export function selectChannels(frame: Frame, indices: readonly number[], out: Float32Array, offset = 0): void {
  for (let i = 0; i < indices.length; i++) out[offset + i] = frame.values[indices[i]!]!;
}

/** FRAME_CHANNELS indices of the given channel names; throws naming any the glove does not send. */
export function channelIndices(names: readonly string[]): number[] {
  const unknown = names.filter((n) => frameChannelIndex(n) < 0);
  if (unknown.length) {
    throw new Error(`unknown channel(s) ${unknown.join(', ')}: a glove sends ${FRAME_CHANNELS.join(', ')}`);
  }
  return names.map(frameChannelIndex);
}
