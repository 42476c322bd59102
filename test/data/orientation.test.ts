import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AZIMUTH_BINS, azimuthShift, gravityOf, rotateHistogram } from '../../src/data/orientation.js';
import { defaultPipeline, fitSessionStats, normalizeEpisode, orientTrainingSessions } from '../../src/data/session-norm.js';

const cfg = defaultPipeline();
const R = cfg.raw.length;

/** Pitch and roll (degrees) of a board whose gravity is g. */
function anglesOf(g: number[]): [number, number] {
  const pitch = (Math.asin(-g[0]!) * 180) / Math.PI;
  const roll = (Math.atan2(g[1]!, g[2]!) * 180) / Math.PI;
  return [pitch, roll];
}

/** Turns gravity by `deg` about the board's z axis (the board sits turned on the hand). */
function turn(g: number[], deg: number): number[] {
  const a = (deg * Math.PI) / 180;
  return [Math.cos(a) * g[0]! - Math.sin(a) * g[1]!, Math.sin(a) * g[0]! + Math.cos(a) * g[1]!, g[2]!];
}

/** Held signs: one 20-frame episode per hand orientation, flex fixed. */
function wearing(orientations: number[][], boardTurn: number): { data: Float32Array; length: number }[] {
  return orientations.map((g0) => {
    const [pitch, roll] = anglesOf(turn(g0, boardTurn));
    const d = new Float32Array(20 * R);
    for (let t = 0; t < 20; t++) {
      d.set([800, 810, 820, 830, 840], t * R);
      d[t * R + 5] = pitch + ((t % 3) - 1) * 0.2;
      d[t * R + 6] = roll;
      d[t * R + 7] = 55 + t; // yaw: ignored
    }
    return { data: d, length: 20 };
  });
}

// unit gravity vectors of some held signs, spread over azimuths as letters are
const ORIENTATIONS = [
  [0.7, 0.3, 0.65], [-0.1, -0.99, 0.05], [-0.7, 0.5, 0.5], [0.25, -0.75, 0.6], [-0.6, -0.3, -0.7], [-0.3, 0.9, 0.3], [0.1, -0.5, 0.85],
].map((g) => g.map((v) => v / Math.hypot(...g)));

test('gravity from pitch and roll is a unit vector, upright when both are 0', () => {
  assert.deepEqual([...gravityOf(0, 0)].map((v) => Math.round(v * 1e6) / 1e6), [-0, 0, 1]);
  const g = gravityOf(30, -120);
  assert.ok(Math.abs(Math.hypot(g[0]!, g[1]!, g[2]!) - 1) < 1e-9);
});

test('the azimuth shift finds how far one histogram is turned from another', () => {
  const h = Array.from({ length: AZIMUTH_BINS }, (_, i) => (i % 17 === 3 ? 5 : i % 11 === 0 ? 2 : 0));
  assert.equal(azimuthShift(h, rotateHistogram(h, 45)), 45);
  assert.equal(azimuthShift(h, rotateHistogram(h, -30)), 330);
  assert.equal(azimuthShift(h, new Array(AZIMUTH_BINS).fill(0)), 0);
  assert.throws(() => azimuthShift(h, [1, 2]), /72 bins/);
});

test('a board turned 45° on the hand on another day reads the same gravity after alignment', () => {
  const dayA = wearing(ORIENTATIONS, 0);
  const dayB = wearing(ORIENTATIONS, 45);
  const sa = fitSessionStats(cfg, dayA);
  const oriented = orientTrainingSessions(cfg, [sa]);
  assert.equal(oriented.orientationReference!.length, AZIMUTH_BINS);
  const sb = fitSessionStats(oriented, dayB);
  assert.ok(Math.abs(sb.azimuth! - 45) <= 5, `found ${sb.azimuth}`);
  const g = oriented.inputs.indexOf('grav_x');
  const I = oriented.inputs.length;
  let worst = 0;
  let unaligned = 0;
  dayA.forEach((e, n) => {
    const a = normalizeEpisode(oriented, sa, e.data, e.length).data;
    const b = normalizeEpisode(oriented, sb, dayB[n]!.data, e.length).data;
    const raw = normalizeEpisode(oriented, { ...sb, azimuth: 0 }, dayB[n]!.data, e.length).data;
    for (let k = 0; k < 3; k++) {
      worst = Math.max(worst, Math.abs(a[g + k]! - b[g + k]!));
      unaligned = Math.max(unaligned, Math.abs(a[g + k]! - raw[g + k]!));
    }
    // flex inputs are untouched by the orientation
    for (let c = 0; c < 5; c++) assert.ok(Math.abs(a[c]! - b[c]!) < 1e-5);
    assert.equal(a.length, e.length * I);
  });
  assert.ok(worst < 0.1, `aligned gravity differs by ${worst}`); // within the 5° bin
  assert.ok(unaligned > 0.4, `without alignment it differs by ${unaligned}`);
});

test('two training wearings are aligned to one frame and the pool reads in it', () => {
  const sa = fitSessionStats(cfg, wearing(ORIENTATIONS, 0));
  const sb = fitSessionStats(cfg, wearing(ORIENTATIONS, -60));
  orientTrainingSessions(cfg, [sa, sb]);
  assert.equal(sa.azimuth, 0);
  assert.equal(sb.azimuth, 300);
  // a pipeline without gravity inputs is left as it is
  const angles = defaultPipeline(['flex1', 'pitch', 'roll']);
  assert.equal(orientTrainingSessions(angles, [fitSessionStats(angles, wearing(ORIENTATIONS, 0))]), angles);
});
