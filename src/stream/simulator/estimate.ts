/**
 * Estimates simulator parameters from recorded held signs (Episodes with all FRAME_CHANNELS).
 * Robust statistics (medians, MAD) so a few glitchy frames or odd episodes do not shape the
 * simulated glove. A flex channel that is faulty in an episode (sensor-faults.ts: flex2 reads ~5
 * on 2025-10-01's ㅌ) says nothing about the letter: it is left out, and where no episode of a
 * letter has it healthy, it is taken from the letter's other postures, else from the letter
 * whose healthy channels are nearest — so the simulator never signs with a dead sensor.
 */
import { JAMO } from '../../jamo.js';
import type { Episode } from '../../data/types.js';
import { findEpisodeFaults, removeFaults } from '../../data/sensor-faults.js';
import { FRAME_CHANNELS } from '../frame.js';
import { isAngleChannel, unwrapAngles } from './angles.js';
import type { ClassStats, SessionStats, SimulatorParams } from './params.js';

export interface EstimateOptions {
  /** Knots over normalised time per hold (default 5). */
  knots?: number;
  /**
   * Another recording day of the same glove: a letter's channel faulty in every episode of the
   * main day is taken from this day, shifted by the channel's offset between the days.
   */
  reference?: readonly Episode[];
  source?: string;
}

const MAD_TO_STD = 1.4826;

export function estimateSimulatorParams(episodes: readonly Episode[], opts: EstimateOptions = {}): SimulatorParams {
  const K = opts.knots ?? 5;
  const C = FRAME_CHANNELS.length;
  for (const e of episodes) {
    if (e.channels.join() !== FRAME_CHANNELS.join()) throw new Error(`${e.file}: estimation needs channels ${FRAME_CHANNELS.join(',')}`);
  }
  const angle = FRAME_CHANNELS.map(isAngleChannel);
  const isFlex = FRAME_CHANNELS.map((c) => c.startsWith('flex'));

  const groups = new Map<string, Episode[]>();
  for (const e of episodes) {
    const key = `${e.jamo}\u0000${e.session}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }

  const residuals: number[][] = FRAME_CHANNELS.map(() => []);
  const lag1: number[] = [];
  const classes: ClassStats[] = [];
  /** Per estimated session: the channels no episode had healthy (filled in below). */
  const missing = new Map<SessionStats, number[]>();
  for (const jamo of JAMO) {
    const sessions: SessionStats[] = [];
    const keys = [...groups.keys()].filter((k) => k.startsWith(`${jamo}\u0000`)).sort();
    for (const key of keys) {
      const group = groups.get(key)!;
      // single dropout frames of a healthy channel are repaired; a faulty channel becomes NaN
      const found = group.map((e) => findEpisodeFaults(e.data, e.length, e.channels));
      const series = group.map((e, i) => unwrapEpisode(removeFaults(Float32Array.from(e.data.subarray(0, e.length * C)), e.length, e.channels, found[i]!), angle));
      alignAngles(series, angle);
      const segs = series.map((x) => segmentMeans(x, C, K));
      const faulty = found.map((f) => new Set(f.faults.map((x) => x.channel)));
      const healthy = FRAME_CHANNELS.map((ch) => group.map((_, i) => i).filter((i) => !faulty[i]!.has(ch)));
      const knots: number[][] = [];
      for (let k = 0; k < K; k++) knots.push(FRAME_CHANNELS.map((_, c) => median(healthy[c]!.map((i) => segs[i]![k * C + c]!))));
      const courseMean = FRAME_CHANNELS.map((_, c) => mean(knots.map((k) => k[c]!)));
      const episodeStd = FRAME_CHANNELS.map((_, c) => robustStd(healthy[c]!.map((i) => meanOfChannel(segs[i]!, C, c) - courseMean[c]!)));
      const noise: number[][] = FRAME_CHANNELS.map(() => []);
      for (let c = 0; c < C; c++) {
        for (const i of healthy[c]!) {
          const x = series[i]!;
          const T = x.length / C;
          const r: number[] = [];
          for (let t = 0; t < T; t++) r.push(x[t * C + c]! - interpolateKnots(segs[i]!, C, K, c, (t + 0.5) / T));
          noise[c]!.push(...r);
          residuals[c]!.push(...r);
          if (angle[c]) lag1.push(autocorrelation1(r));
        }
      }
      const stats: SessionStats = {
        session: group[0]!.session,
        episodes: group.length,
        knots: knots.map((k) => k.map((v, c) => round(v, c))),
        episodeStd: episodeStd.map((v, c) => round(v, c)),
        // Flex noise is white with rare glitches (robust spread); IMU channels wander smoothly (plain RMS).
        noiseStd: noise.map((r, c) => round(isFlex[c] ? robustStd(r) : Math.sqrt(mean(r.map((v) => v * v))), c)),
      };
      const none = FRAME_CHANNELS.map((_, c) => c).filter((c) => healthy[c]!.length === 0);
      if (none.length) missing.set(stats, none);
      sessions.push(stats);
    }
    if (sessions.length) classes.push({ jamo, sessions });
  }
  fillMissingChannels(classes, missing, isFlex, episodes, opts.reference);

  // Flex glitches: residuals far outside the robust noise level, pooled over all classes.
  const spikeProb: number[] = [];
  const spikeStd: number[] = [];
  for (let c = 0; c < C; c++) {
    const r = residuals[c]!;
    if (!isFlex[c]) {
      spikeProb.push(0);
      spikeStd.push(0);
      continue;
    }
    const s = robustStd(r) || 1e-6;
    const far = r.filter((v) => Math.abs(v) > 5 * s);
    spikeProb.push(Number((far.length / Math.max(1, r.length)).toFixed(5)));
    spikeStd.push(round(far.length ? Math.sqrt(mean(far.map((v) => v * v))) : 0, c));
  }

  const intervals = new Map<number, number>();
  let intervalCount = 0;
  const lengths = episodes.map((e) => e.length).sort((a, b) => a - b);
  for (const e of episodes) {
    const ts = e.timestampsMs;
    if (!ts) continue;
    for (let t = 1; t < ts.length; t++) {
      const dt = Math.round(ts[t]! - ts[t - 1]!);
      if (dt <= 0 || dt > 200) continue; // pauses and clock resets are not the frame rate
      intervals.set(dt, (intervals.get(dt) ?? 0) + 1);
      intervalCount++;
    }
  }
  // Keep the intervals that make up 99.5% of the data: enough for realistic jitter, a short list.
  const sorted = [...intervals.entries()].sort((a, b) => b[1] - a[1]);
  const kept: [number, number][] = [];
  let covered = 0;
  for (const [dt, n] of sorted) {
    if (covered >= 0.995 * intervalCount) break;
    kept.push([dt, n]);
    covered += n;
  }
  kept.sort((a, b) => a[0] - b[0]);

  return {
    format: 'signglove-simulator',
    version: 1,
    source: opts.source ?? 'unknown',
    channels: [...FRAME_CHANNELS],
    frameIntervalsMs: kept.length
      ? { values: kept.map((k) => k[0]), probs: kept.map((k) => Number((k[1] / covered).toFixed(4))) }
      : { values: [30], probs: [1] },
    holdFrames: { min: lengths[0] ?? 80, median: lengths[lengths.length >> 1] ?? 80, max: lengths[lengths.length - 1] ?? 80 },
    angleAr1: Number(median(lag1).toFixed(3)),
    spikeProb,
    spikeStd,
    classes,
  };
}

/**
 * A letter's channel that no episode had healthy: the mean of the letter's other postures that
 * have it; else the letter's level on the reference day plus the channel's offset between the
 * days (median over letters healthy on both); else the same posture of the letter nearest on the
 * other flex channels.
 */
function fillMissingChannels(classes: ClassStats[], missing: Map<SessionStats, number[]>, isFlex: boolean[], main: readonly Episode[], reference?: readonly Episode[]): void {
  const has = (s: SessionStats, c: number) => !missing.get(s)?.includes(c);
  const level = (s: SessionStats, c: number) => mean(s.knots.map((k) => k[c]!));
  const mainLevels = letterLevels(main);
  const refLevels = reference ? letterLevels(reference) : undefined;
  for (const cls of classes) {
    for (const s of cls.sessions) {
      for (const c of missing.get(s) ?? []) {
        const ch = FRAME_CHANNELS[c]!;
        const typical = classes.flatMap((o) => o.sessions.filter((x) => has(x, c)));
        const samePosture = cls.sessions.filter((o) => o !== s && has(o, c));
        const refLevel = refLevels?.get(`${cls.jamo}\u0000${ch}`);
        if (!samePosture.length && refLevel !== undefined && typical.length) {
          const offsets = [...mainLevels.entries()].filter(([k]) => k.endsWith(`\u0000${ch}`) && refLevels!.has(k)).map(([k, v]) => v - refLevels!.get(k)!);
          const value = round(refLevel + median(offsets), c);
          s.knots.forEach((k) => (k[c] = value));
          s.episodeStd[c] = round(mean(typical.map((o) => o.episodeStd[c]!)), c);
          s.noiseStd[c] = round(mean(typical.map((o) => o.noiseStd[c]!)), c);
          continue;
        }
        let donors = samePosture;
        if (!donors.length) {
          let best: SessionStats | undefined;
          let bestD = Infinity;
          for (const other of classes) {
            if (other === cls) continue;
            for (const o of other.sessions) {
              if (o.session !== s.session || !has(o, c)) continue;
              let d = 0;
              for (let f = 0; f < isFlex.length; f++) if (isFlex[f] && f !== c && has(s, f) && has(o, f)) d += (level(s, f) - level(o, f)) ** 2;
              if (d < bestD) [best, bestD] = [o, d];
            }
          }
          donors = best ? [best] : [];
        }
        if (!donors.length) throw new Error(`no recording has ${ch} healthy: the simulator cannot be estimated`);
        s.knots.forEach((k, i) => (k[c] = round(mean(donors.map((o) => o.knots[i]![c]!)), c)));
        s.episodeStd[c] = round(mean(donors.map((o) => o.episodeStd[c]!)), c);
        s.noiseStd[c] = round(mean(donors.map((o) => o.noiseStd[c]!)), c);
      }
    }
  }
}

/** Per letter and flex channel ('jamo\0channel'): the median level over the episodes where it is healthy. */
function letterLevels(episodes: readonly Episode[]): Map<string, number> {
  const values = new Map<string, number[]>();
  for (const e of episodes) {
    const C = e.channels.length;
    const faulty = new Set(findEpisodeFaults(e.data, e.length, e.channels).faults.map((f) => f.channel));
    e.channels.forEach((ch, c) => {
      if (!ch.startsWith('flex') || faulty.has(ch)) return;
      const key = `${e.jamo}\u0000${ch}`;
      values.set(key, [...(values.get(key) ?? []), meanOfChannel(e.data.subarray(0, e.length * C), C, c)]);
    });
  }
  return new Map([...values].map(([k, v]) => [k, median(v)]));
}

function unwrapEpisode(data: Float32Array, angle: boolean[]): Float64Array {
  const C = angle.length;
  const x = Float64Array.from(data);
  for (let c = 0; c < C; c++) if (angle[c]) unwrapAngles(x, C, c);
  return x;
}

/** Shifts each episode's angles by whole turns so all episodes of a group sit on the same side of ±180°. */
function alignAngles(series: Float64Array[], angle: boolean[]): void {
  const C = angle.length;
  for (let c = 0; c < C; c++) {
    if (!angle[c]) continue;
    const ref = meanOfChannel(series[0]!, C, c);
    for (const x of series) {
      const turns = Math.round((meanOfChannel(x, C, c) - ref) / 360);
      if (turns) for (let i = c; i < x.length; i += C) x[i]! -= turns * 360;
    }
  }
}

/** K segment means per channel (K × C, row-major). */
function segmentMeans(x: Float64Array, C: number, K: number): Float64Array {
  const T = x.length / C;
  const out = new Float64Array(K * C);
  for (let k = 0; k < K; k++) {
    const a = Math.floor((k * T) / K);
    const b = Math.max(a + 1, Math.floor(((k + 1) * T) / K));
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let t = a; t < b; t++) s += x[t * C + c]!;
      out[k * C + c] = s / (b - a);
    }
  }
  return out;
}

/** Value of channel c at normalised time tau, linear between knot centres, flat beyond the ends. */
export function interpolateKnots(knots: ArrayLike<number>, C: number, K: number, c: number, tau: number): number {
  const pos = tau * K - 0.5;
  if (pos <= 0) return knots[c]!;
  if (pos >= K - 1) return knots[(K - 1) * C + c]!;
  const k = Math.floor(pos);
  const f = pos - k;
  return knots[k * C + c]! * (1 - f) + knots[(k + 1) * C + c]! * f;
}

function meanOfChannel(x: ArrayLike<number>, C: number, c: number): number {
  let s = 0;
  let n = 0;
  for (let i = c; i < x.length; i += C) {
    s += x[i]!;
    n++;
  }
  return s / n;
}

function mean(v: number[]): number {
  return v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
}

function median(v: number[]): number {
  if (!v.length) return 0;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function robustStd(v: number[]): number {
  const m = median(v);
  return MAD_TO_STD * median(v.map((x) => Math.abs(x - m)));
}

function autocorrelation1(r: number[]): number {
  let num = 0;
  let den = 0;
  for (let t = 0; t < r.length; t++) {
    den += r[t]! * r[t]!;
    if (t) num += r[t]! * r[t - 1]!;
  }
  return den > 0 ? num / den : 0;
}

/** Rounds to the precision the glove sends: ADC units to 0.1, degrees to 0.01, g to 0.001. */
function round(v: number, c: number): number {
  const name = FRAME_CHANNELS[c]!;
  const digits = name.startsWith('flex') ? 1 : name.startsWith('accel') ? 4 : 3;
  return Number(v.toFixed(digits));
}
