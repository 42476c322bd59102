/**
 * A small, real classifier that needs no trained network: each class is a mixture of Gaussians
 * (one per recording session) over the window's mean value of every channel, built from the
 * simulator parameters. Useful to test the live pipeline end to end and as a baseline; the
 * shipped models are the ones to use on a glove.
 */
import { JAMO } from '../jamo.js';
import { DEFAULT_CHANNELS } from '../data/types.js';
import { FRAME_CHANNELS } from './frame.js';
import { angleDifference, isAngleChannel } from './simulator/angles.js';
import { shippedSimulatorParams, type SimulatorParams } from './simulator/params.js';
import type { WindowClassifier } from './recognizer.js';

/** Least spread assumed per channel kind, so one very tidy session does not dominate. */
function floorStd(channel: string): number {
  if (channel.startsWith('flex')) return 4;
  if (isAngleChannel(channel)) return 1.5;
  return 0.01;
}

export function prototypeClassifier(opts: { params?: SimulatorParams; channels?: readonly string[] } = {}): WindowClassifier {
  const params = opts.params ?? shippedSimulatorParams();
  const channels = [...(opts.channels ?? DEFAULT_CHANNELS)];
  const C = channels.length;
  const src = channels.map((c) => {
    const i = FRAME_CHANNELS.indexOf(c);
    if (i < 0) throw new Error(`prototype classifier: unknown channel '${c}'`);
    return i;
  });
  const angle = channels.map(isAngleChannel);
  const protos: { cls: number; mean: Float64Array; invStd: Float64Array; logNorm: number }[] = [];
  params.classes.forEach((cls) => {
    const k = JAMO.indexOf(cls.jamo as (typeof JAMO)[number]);
    for (const s of cls.sessions) {
      const mean = new Float64Array(C);
      const invStd = new Float64Array(C);
      let logNorm = 0;
      for (let c = 0; c < C; c++) {
        mean[c] = s.knots.reduce((a, kn) => a + kn[src[c]!]!, 0) / s.knots.length;
        const sd = Math.max(floorStd(channels[c]!), Math.hypot(s.episodeStd[src[c]!]!, s.noiseStd[src[c]!]! / 4));
        invStd[c] = 1 / sd;
        logNorm -= Math.log(sd);
      }
      protos.push({ cls: k, mean, invStd, logNorm });
    }
  });

  return (window, length) => {
    const m = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      // Angles: average of differences from the first frame, so a window crossing ±180° stays right.
      const ref = window[c]!;
      let s = 0;
      for (let t = 0; t < length; t++) s += angle[c] ? angleDifference(window[t * C + c]!, ref) : window[t * C + c]!;
      m[c] = angle[c] ? ref + s / length : s / length;
    }
    const logp = new Float64Array(JAMO.length).fill(-Infinity);
    for (const p of protos) {
      let q = p.logNorm;
      for (let c = 0; c < C; c++) {
        const d = (angle[c] ? angleDifference(m[c]!, p.mean[c]!) : m[c]! - p.mean[c]!) * p.invStd[c]!;
        q -= 0.5 * d * d;
      }
      logp[p.cls] = logAddExp(logp[p.cls]!, q);
    }
    let max = -Infinity;
    for (const v of logp) max = Math.max(max, v);
    const probs = new Float32Array(JAMO.length);
    let sum = 0;
    for (let k = 0; k < probs.length; k++) sum += probs[k] = Math.exp(logp[k]! - max);
    for (let k = 0; k < probs.length; k++) probs[k]! /= sum;
    return probs;
  };
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}
