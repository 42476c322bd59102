import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import { checkHold } from '../../src/record/gates.js';
import { HoldCapture } from '../../src/record/capture.js';
import { FRAME_CHANNELS, FRAME_WIDTH, type Frame } from '../../src/stream/frame.js';
import { loadDataset } from '../../src/data/load.js';
import { ALL_CHANNELS } from '../../src/data/types.js';
import { DATASET_1001, sharedSkip } from '../shared.js';

const idx = (c: string) => FRAME_CHANNELS.indexOf(c);

/** A recorded held ㄱ as frames (all channels), and its motion energies as the recorder computes them. */
async function realHold(): Promise<{ frames: Frame[]; energies: number[] }> {
  const dir = path.join(DATASET_1001, 'ㄱ', '3');
  const file = path.join(dir, readdirSync(dir).sort()[0]!);
  const { episodes } = await loadDataset(file, { channels: ALL_CHANNELS });
  const e = episodes[0]!;
  const frames: Frame[] = [];
  for (let t = 0; t < e.length; t++) {
    const values = new Float32Array(FRAME_WIDTH);
    ALL_CHANNELS.forEach((c, k) => (values[idx(c)] = e.data[t * e.channels.length + k]!));
    frames.push({ t: t * 30, values });
  }
  return { frames, energies: energiesOf(frames) };
}

/** The capture's motion energies for frames (countdown 0, so every frame is judged). */
function energiesOf(frames: Frame[]): number[] {
  const cap = new HoldCapture({ countdownMs: 0, episodeFrames: frames.length });
  return frames.map((f) => {
    const s = cap.push(f);
    return s.phase === 'capturing' ? s.energy : 0;
  });
}

const OPTS = { episodeFrames: 80 };
const withChannel = (frames: Frame[], ch: string, value: (t: number) => number) =>
  frames.map((f, t) => {
    const values = f.values.slice();
    values[idx(ch)] = value(t);
    return { t: f.t, values };
  });

test('quality gates: a recorded held sign passes; each refusal is one line saying why', { skip: sharedSkip }, async () => {
  const { frames, energies } = await realHold();
  assert.equal(frames.length, 80);
  assert.equal(checkHold(frames, energies, OPTS), undefined);

  const refuse = (f: Frame[], e: number[], kind: string, why: RegExp, opts = {}) => {
    const r = checkHold(f, e, { ...OPTS, ...opts });
    assert.equal(r?.kind, kind, `${kind}: ${r?.reason}`);
    assert.match(r!.reason, why);
    assert.doesNotMatch(r!.reason, /\n/);
  };
  refuse(frames.slice(0, 50), energies.slice(0, 50), 'short', /^too short: the hold lasted 50 frames \(1\.5 s\)/);
  refuse(frames.map((f, t) => ({ ...f, t: t * 80 })), energies, 'rate', /^sampling rate 12\.5 Hz is far from the glove's ~33 Hz/);
  refuse(frames.map((f, t) => ({ ...f, t: t * 20 })), energies, 'rate', /^sampling rate 50\.0 Hz/);
  refuse(frames.map((f, t) => ({ ...f, t: t * 30 + (t >= 40 ? 400 : 0) })), energies, 'rate', /frames were lost: a gap of 430 ms/);
  // the hand drifting: a pitch ramp of 40° over the hold
  const drifting = withChannel(withChannel(frames, 'pitch', (t) => frames[t]!.values[idx('pitch')]! + t * 0.5), 'roll', (t) => frames[t]!.values[idx('roll')]! - t * 0.5);
  refuse(drifting, energiesOf(drifting), 'motion', /^too much motion during the hold \(energy up to \d/);
  refuse(withChannel(frames, 'flex4', (t) => 373 + (t % 3)), energies, 'channel', /^flex4 is dead or loose \(out of the usual range\): median 37\d/);
  refuse(withChannel(frames, 'flex2', () => 3), energies, 'channel', /^flex2 is dead: median 3/);
  refuse(withChannel(frames, 'flex1', () => 1023), energies, 'channel', /^flex1 is saturated/);
  refuse(withChannel(frames, 'flex5', () => 812), energies, 'channel', /^flex5 is stuck: constant 812/);
  // a sensor known to be broken on this glove is accepted
  assert.equal(checkHold(withChannel(frames, 'flex4', (t) => 373 + (t % 3)), energies, { ...OPTS, knownFaults: new Set(['flex4']) }), undefined);
});

test('capture: waits out the countdown, starts on a still hand, stops early when it moves', { skip: sharedSkip }, async () => {
  const { frames } = await realHold();
  // 40 frames of the hold (countdown 600 ms = 20 frames), then a swing of the wrist (pitch and roll)
  const swing = (f: Frame, k: number) => withChannel(withChannel([f], 'pitch', () => f.values[idx('pitch')]! + 8 * (k + 1)), 'roll', () => f.values[idx('roll')]! + 6 * (k + 1))[0]!.values;
  const stream = [...frames.slice(0, 40), ...frames.slice(0, 40).map((f, k) => ({ t: (40 + k) * 30, values: swing(f, k) }))];
  const cap = new HoldCapture({ countdownMs: 600 });
  const states = stream.map((f) => cap.push(f));
  assert.equal(states[0]!.phase, 'countdown');
  const done = states.find((s) => s.phase === 'done');
  assert.ok(done && done.phase === 'done');
  assert.ok(done.frames.length >= 15 && done.frames.length < 30, `captured ${done.frames.length} frames`);
  assert.ok(done.frames[0]!.t >= 600, 'nothing from the countdown');
  assert.equal(checkHold(done.frames, done.energies, OPTS)?.kind, 'short');
});
