/**
 * What is in a loaded dataset, and what looks wrong: a pure summary used by `signglove data
 * inspect` (and usable by the web UI). No printing here.
 */
import { JAMO } from '../jamo.js';
import { NOMINAL_HZ } from './glove-format.js';
import type { LoadedDataset } from './load.js';
import type { Episode } from './types.js';
import { CHANNEL_RANGES, findEpisodeFaults, sessionFaultChannels, type EpisodeFaults } from './sensor-faults.js';

export interface Stats {
  min: number;
  max: number;
  mean: number;
  median: number;
}

export interface ChannelStats extends Stats {
  channel: string;
  std: number;
  /** 1st and 99th percentiles: the range most values fall in. */
  p1: number;
  p99: number;
}

export type AnomalyKind =
  | 'skipped-file'
  | 'ignored-folder'
  | 'missing-class'
  | 'unlabelled'
  | 'short-episode'
  | 'flat-sensor'
  | 'saturated-sensor'
  | 'out-of-range'
  | 'unusual-range'
  | 'sampling-rate'
  | 'timing-gap'
  | 'timestamps-backwards'
  | 'duplicate'
  | 'sensor-fault'
  | 'session-fault';

export interface Anomaly {
  kind: AnomalyKind;
  /** How many episodes (or files, folders, classes) are affected. */
  count: number;
  message: string;
  channel?: string;
  /** Up to a few affected files or names, to look at first. */
  examples: string[];
}

export interface InspectSummary {
  root?: string;
  channels: string[];
  /** Number of episodes loaded. */
  episodes: number;
  skipped: { file: string; row?: number; reason: string }[];
  ignoredFolders: string[];
  /** jamo → episodes, all 24 in class order (0 when absent), plus '?' for unlabelled. */
  classes: Record<string, number>;
  /** session → episodes. */
  sessions: Record<string, number>;
  /** jamo → session → episodes. */
  classSessions: Record<string, Record<string, number>>;
  /** Frames per episode. */
  length: Stats;
  /** Frames per episode → episodes (keys in ascending length: JS orders integer keys). */
  lengthCounts: Record<string, number>;
  /** Per-episode rate from device timestamps (undefined when no file has timestamps). */
  samplingHz?: Stats & { episodes: number };
  channelStats: ChannelStats[];
  anomalies: Anomaly[];
}


const MAX_EXAMPLES = 5;
// A sampling rate this far from nominal, or a gap this many nominal periods long, is worth a look.
const RATE_TOLERANCE = 0.25;
const GAP_PERIODS = 3;
// Episodes shorter than this share of the median length were probably cut off.
const SHORT_SHARE = 0.5;

export function inspectDataset(result: LoadedDataset): InspectSummary {
  const eps = result.episodes;
  const channels = result.channels;
  const anomalies: Anomaly[] = [];

  const classes: Record<string, number> = Object.fromEntries(JAMO.map((j) => [j, 0]));
  const sessions: Record<string, number> = {};
  const classSessions: Record<string, Record<string, number>> = {};
  for (const e of eps) {
    const key = e.label >= 0 ? JAMO[e.label]! : '?';
    classes[key] = (classes[key] ?? 0) + 1;
    const s = e.session === '' ? '(none)' : e.session;
    sessions[s] = (sessions[s] ?? 0) + 1;
    const row = (classSessions[key] ??= {});
    row[s] = (row[s] ?? 0) + 1;
  }
  const sortedSessions = Object.fromEntries(Object.entries(sessions).sort(([a], [b]) => compareSessions(a, b)));

  if (result.problems.length > 0) {
    anomalies.push({
      kind: 'skipped-file',
      count: result.problems.length,
      message: `${result.problems.length} file(s) skipped (see the skipped list)`,
      examples: result.problems.slice(0, MAX_EXAMPLES).map((p) => p.file),
    });
  }
  if (result.ignoredFolders.length > 0) {
    anomalies.push({
      kind: 'ignored-folder',
      count: result.ignoredFolders.length,
      message: `${result.ignoredFolders.length} folder(s) ignored: not one of the 24 jamo, or deeper than <jamo>/<session>/`,
      examples: result.ignoredFolders.slice(0, MAX_EXAMPLES),
    });
  }
  const labelled = eps.filter((e) => e.label >= 0).length;
  if (labelled > 0) {
    const missing = JAMO.filter((j) => classes[j] === 0);
    if (missing.length > 0) {
      anomalies.push({ kind: 'missing-class', count: missing.length, message: `no episodes for ${missing.join(' ')}`, examples: missing });
    }
  }
  if (labelled < eps.length) {
    const files = eps.filter((e) => e.label < 0).map((e) => e.file);
    anomalies.push({
      kind: 'unlabelled',
      count: files.length,
      message: `${files.length} episode(s) have no class (not inside a <jamo>/ folder)`,
      examples: files.slice(0, MAX_EXAMPLES),
    });
  }

  const lengths = eps.map((e) => e.length);
  const length = stats(lengths);
  const lengthCounts = countValues(lengths);
  const short = eps.filter((e) => e.length < SHORT_SHARE * length.median);
  if (short.length > 0) {
    anomalies.push({
      kind: 'short-episode',
      count: short.length,
      message: `${short.length} episode(s) shorter than half the median length (${length.median} frames)`,
      examples: short.slice(0, MAX_EXAMPLES).map((e) => `${e.file} (${e.length})`),
    });
  }

  const samplingHz = timingChecks(eps, anomalies);
  const channelStats = channels.map((ch, c) => channelSummary(eps, ch, c));
  sensorChecks(eps, channels, anomalies);
  faultChecks(eps, channels, anomalies);
  duplicateCheck(eps, anomalies);

  const summary: InspectSummary = {
    channels,
    episodes: eps.length,
    skipped: result.problems.map((p) => (p.row !== undefined ? { file: p.file, row: p.row, reason: p.reason } : { file: p.file, reason: p.reason })),
    ignoredFolders: result.ignoredFolders,
    classes,
    sessions: sortedSessions,
    classSessions,
    length,
    lengthCounts,
    channelStats,
    anomalies,
  };
  if (result.root !== undefined) summary.root = result.root;
  if (samplingHz) summary.samplingHz = samplingHz;
  return summary;
}

/** Sampling rate, gaps and backwards steps from device timestamps; returns the rate statistics. */
function timingChecks(eps: readonly Episode[], anomalies: Anomaly[]): (Stats & { episodes: number }) | undefined {
  const rates: number[] = [];
  const offRate: string[] = [];
  const gaps: string[] = [];
  const backwards: string[] = [];
  const period = 1000 / NOMINAL_HZ;
  for (const e of eps) {
    const ts = e.timestampsMs;
    if (!ts || ts.length < 2) continue;
    let maxStep = 0;
    let back = false;
    for (let i = 1; i < ts.length; i++) {
      const d = ts[i]! - ts[i - 1]!;
      if (d <= 0) back = true;
      if (d > maxStep) maxStep = d;
    }
    if (back) backwards.push(e.file);
    if (maxStep > GAP_PERIODS * period) gaps.push(`${e.file} (${Math.round(maxStep)} ms)`);
    const span = ts[ts.length - 1]! - ts[0]!;
    if (span <= 0) continue;
    const hz = ((ts.length - 1) * 1000) / span;
    rates.push(hz);
    if (Math.abs(hz - NOMINAL_HZ) > RATE_TOLERANCE * NOMINAL_HZ) offRate.push(`${e.file} (${hz.toFixed(1)} Hz)`);
  }
  const push = (kind: AnomalyKind, list: string[], message: string): void => {
    if (list.length > 0) anomalies.push({ kind, count: list.length, message: `${list.length} episode(s) ${message}`, examples: list.slice(0, MAX_EXAMPLES) });
  };
  push('sampling-rate', offRate, `sampled more than ${RATE_TOLERANCE * 100}% away from ${NOMINAL_HZ} Hz`);
  push('timing-gap', gaps, `have a gap longer than ${GAP_PERIODS} frames (${Math.round(GAP_PERIODS * period)} ms) between frames`);
  push('timestamps-backwards', backwards, 'have timestamps that repeat or go backwards');
  return rates.length > 0 ? { ...stats(rates), episodes: rates.length } : undefined;
}

function channelSummary(eps: readonly Episode[], channel: string, c: number): ChannelStats {
  let n = 0;
  for (const e of eps) n += e.length;
  const values = new Float64Array(n);
  let k = 0;
  for (const e of eps) {
    const C = e.channels.length;
    for (let t = 0; t < e.length; t++) values[k++] = e.data[t * C + c]!;
  }
  values.sort();
  let sum = 0;
  for (const v of values) sum += v;
  const mean = n > 0 ? sum / n : NaN;
  let sq = 0;
  for (const v of values) sq += (v - mean) * (v - mean);
  return {
    channel,
    min: n > 0 ? values[0]! : NaN,
    max: n > 0 ? values[n - 1]! : NaN,
    mean,
    median: quantile(values, 0.5),
    std: n > 0 ? Math.sqrt(sq / n) : NaN,
    p1: quantile(values, 0.01),
    p99: quantile(values, 0.99),
  };
}

/** Flat-lined, saturated, impossible and unusual values, per channel, counted in episodes. */
function sensorChecks(eps: readonly Episode[], channels: readonly string[], anomalies: Anomaly[]): void {
  channels.forEach((ch, c) => {
    const range = CHANNEL_RANGES[ch];
    const flat: string[] = [];
    const saturated: string[] = [];
    const impossible: string[] = [];
    const unusual: string[] = [];
    for (const e of eps) {
      const C = e.channels.length;
      let lo = Infinity;
      let hi = -Infinity;
      let pinned = 0;
      let outside = 0;
      let outsideUsual = 0;
      for (let t = 0; t < e.length; t++) {
        const v = e.data[t * C + c]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (!range) continue;
        if (v < range.possible[0] || v > range.possible[1]) outside++;
        else if (range.rails && (v === range.rails[0] || v === range.rails[1])) pinned++;
        else if (v < range.usual[0] || v > range.usual[1]) outsideUsual++;
      }
      if (e.length > 1 && lo === hi) flat.push(`${e.file} (${lo})`);
      if (pinned > 0) saturated.push(`${e.file} (${pinned}/${e.length} frames)`);
      if (outside > 0) impossible.push(`${e.file} (${lo}…${hi})`);
      else if (outsideUsual > 0) unusual.push(`${e.file} (${lo}…${hi})`);
    }
    const push = (kind: AnomalyKind, list: string[], message: string): void => {
      if (list.length > 0) {
        anomalies.push({ kind, channel: ch, count: list.length, message: `${ch}: ${list.length} episode(s) ${message}`, examples: list.slice(0, MAX_EXAMPLES) });
      }
    };
    push('flat-sensor', flat, 'flat-lined (the same value in every frame): disconnected or frozen sensor?');
    if (range?.rails) push('saturated-sensor', saturated, `read ${range.rails[0]} or ${range.rails[1]} (the ADC's limits) in some frames: loose wire or short?`);
    if (range) {
      push('out-of-range', impossible, `have values outside the possible range ${range.possible[0]}…${range.possible[1]}`);
      push('unusual-range', unusual, `have values outside the usual range ${range.usual[0]}…${range.usual[1]}`);
    }
  });
}

/**
 * What the input pipeline will remove (src/data/sensor-faults.ts): flex channels that are dead,
 * saturated, stuck or far out of range in an episode, and channels faulty in most of a wearing's
 * episodes, which are masked for that whole wearing. Faults that cluster in one letter would be
 * a class cue to a model that saw them, so the letters are named.
 */
function faultChecks(eps: readonly Episode[], channels: readonly string[], anomalies: Anomaly[]): void {
  if (!channels.some((c) => /^flex\d$/.test(c))) return;
  const found: EpisodeFaults[] = eps.map((e) => findEpisodeFaults(e.data, e.length, e.channels));
  const byChannel = new Map<string, { files: string[]; letters: Map<string, number>; kinds: Set<string> }>();
  found.forEach((f, i) => {
    for (const fault of f.faults) {
      const g = byChannel.get(fault.channel) ?? { files: [], letters: new Map<string, number>(), kinds: new Set<string>() };
      g.files.push(`${eps[i]!.file} (${fault.kind}: ${fault.detail})`);
      g.letters.set(eps[i]!.jamo || '?', (g.letters.get(eps[i]!.jamo || '?') ?? 0) + 1);
      g.kinds.add(fault.kind);
      byChannel.set(fault.channel, g);
    }
  });
  for (const [ch, g] of byChannel) {
    const letters = [...g.letters].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([j, n]) => `${j} ${n}`).join(', ');
    anomalies.push({
      kind: 'sensor-fault', channel: ch, count: g.files.length,
      message: `${ch}: ${g.files.length} episode(s) ${[...g.kinds].join('/')}; models ignore the channel there (letters: ${letters})`,
      examples: g.files.slice(0, MAX_EXAMPLES),
    });
  }
  for (const m of sessionFaultChannels(found, channels)) {
    anomalies.push({
      kind: 'session-fault', channel: m.channel, count: m.episodes,
      message: `${m.channel}: faulty in ${m.episodes} of ${eps.length} episodes (${(m.share * 100).toFixed(0)}%): masked for this whole wearing (another sensor or wiring?)`,
      examples: [],
    });
  }
}

/** Files with exactly the same frames: a copy, or a recording saved twice. */
function duplicateCheck(eps: readonly Episode[], anomalies: Anomaly[]): void {
  const byHash = new Map<string, Episode[]>();
  for (const e of eps) {
    const key = `${e.length}:${hashWords(new Int32Array(e.data.buffer, e.data.byteOffset, e.data.length))}`;
    const list = byHash.get(key);
    if (list) list.push(e);
    else byHash.set(key, [e]);
  }
  // Confirm with a full comparison, so a hash collision is never reported as a copy.
  const groups = [...byHash.values()]
    .map((g) => g.filter((e) => e === g[0] || sameData(e.data, g[0]!.data)).map((e) => e.file))
    .filter((g) => g.length > 1);
  if (groups.length > 0) {
    const files = groups.reduce((n, g) => n + g.length, 0);
    anomalies.push({
      kind: 'duplicate',
      count: files,
      message: `${files} episodes in ${groups.length} group(s) have identical data`,
      examples: groups.slice(0, MAX_EXAMPLES).map((g) => g.join(' = ')),
    });
  }
}

function sameData(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Two FNV-style 32-bit hashes over the float32 words, as hex: enough to group identical recordings. */
function hashWords(words: Int32Array): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < words.length; i++) {
    h1 = Math.imul(h1 ^ words[i]!, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ words[i]!, 0x5bd1e995) >>> 0;
  }
  return h1.toString(16) + h2.toString(16);
}

function stats(values: readonly number[]): Stats {
  if (values.length === 0) return { min: NaN, max: NaN, mean: NaN, median: NaN };
  const sorted = Float64Array.from(values).sort();
  return {
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    median: quantile(sorted, 0.5),
  };
}

/** Linear-interpolated quantile of sorted values (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const j = Math.min(i + 1, sorted.length - 1);
  return sorted[i]! + (sorted[j]! - sorted[i]!) * (pos - i);
}

function countValues(values: readonly number[]): Record<string, number> {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return Object.fromEntries([...m].sort((a, b) => a[0] - b[0]).map(([v, n]) => [String(v), n]));
}

/** Numeric session names in number order ('2' before '10'), others after, by code point. */
function compareSessions(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  const an = a !== '' && Number.isFinite(na);
  const bn = b !== '' && Number.isFinite(nb);
  if (an && bn) return na - nb;
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
