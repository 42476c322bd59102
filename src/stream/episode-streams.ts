/**
 * Glove streams assembled from real recorded episodes (one held sign each), for measuring the
 * live recogniser on real signing rather than on the simulator, whose transitions are always large.
 *
 * A phrase is spelled letter by letter; each letter is a recorded episode of that jamo (preferably
 * from one recording session, as one signer's sitting would be), cropped to a random hold length,
 * joined to the next by a linear move of varied length. Repeated letters (ㄴㄴ in 안녕) get the
 * small bounce people make between them; words are separated by a rest (the hand drifts away and
 * back for over a second, signing nothing). Extra sensor noise and rare one-frame glitches are
 * added on top of the recordings' own noise. Node-free.
 */
import { Rng } from '../util/rng.js';
import { FRAME_CHANNELS, FRAME_WIDTH, type Frame } from './frame.js';
import { spellText } from './hangul.js';
import { angleDifference, isAngleChannel } from './simulator/angles.js';

/** One recorded held sign, in any channel order (the 8 model channels at least). */
export interface HeldEpisode {
  jamo: string;
  session: string;
  channels: readonly string[];
  data: Float32Array;
  length: number;
  file?: string;
}

export type TransitionKind = 'short' | 'long' | 'repeat' | 'rest';

/** Where a held letter sits in the stream (frame indices, end exclusive). */
export interface StreamSegment {
  jamo: string;
  start: number;
  end: number;
  /** Index of the word in the phrase this letter belongs to. */
  word: number;
  /** The move that led into this hold ('rest' for the first letter of a word after the first). */
  before: TransitionKind | 'start';
  file?: string;
}

export interface EpisodeStream {
  phrase: string;
  frames: Frame[];
  segments: StreamSegment[];
  /** Letters expected, with ' ' between words. */
  letters: string[];
  session: string;
}

export interface EpisodeStreamOptions {
  seed?: number;
  /** Milliseconds between frames (default 30, the recordings' rate). */
  frameMs?: number;
  /** Shortest hold kept from an episode, in frames (default 36, about 1.1 s). */
  minHoldFrames?: number;
  /** Standard deviation of the added noise: flex in ADC units, angles in degrees (default 3 and 0.15). */
  noise?: { flex: number; angle: number };
  /** Probability per frame of a one-frame glitch on one flex channel (default 0.003). */
  glitchRate?: number;
}

const CH = FRAME_CHANNELS.length;
const FLEX = FRAME_CHANNELS.map((c) => c.startsWith('flex'));
const ANGLE = FRAME_CHANNELS.map(isAngleChannel);

/** Durations of each kind of move, in seconds [min, max). */
const MOVE_SECONDS: Record<TransitionKind, [number, number]> = {
  short: [0.15, 0.3],
  long: [0.5, 0.75],
  repeat: [0.25, 0.4],
  rest: [1.3, 1.7],
};

/** Episodes grouped by jamo, then by session. */
export class EpisodePool {
  private readonly byJamo = new Map<string, Map<string, HeldEpisode[]>>();

  constructor(episodes: readonly HeldEpisode[]) {
    for (const e of episodes) {
      const sessions = this.byJamo.get(e.jamo) ?? new Map<string, HeldEpisode[]>();
      this.byJamo.set(e.jamo, sessions);
      const list = sessions.get(e.session) ?? [];
      list.push(e);
      sessions.set(e.session, list);
    }
  }

  get sessions(): string[] {
    const all = new Set<string>();
    for (const s of this.byJamo.values()) for (const k of s.keys()) all.add(k);
    return [...all].sort();
  }

  has(jamo: string): boolean {
    return this.byJamo.has(jamo);
  }

  /** A random episode of `jamo`, from `session` when it has one, avoiding `not` when there is a choice. */
  pick(jamo: string, session: string, rng: Rng, not?: HeldEpisode): HeldEpisode {
    const sessions = this.byJamo.get(jamo);
    if (!sessions) throw new Error(`no episode of '${jamo}' to build a stream from`);
    let list = sessions.get(session) ?? [...sessions.values()].flat();
    if (not && list.length > 1) list = list.filter((e) => e !== not);
    else if (not && list.length === 1 && list[0] === not) {
      const others = [...sessions.values()].flat().filter((e) => e !== not);
      if (others.length) list = others;
    }
    return list[rng.int(list.length)]!;
  }
}

/** Builds the stream of one phrase (words separated by spaces) from the pool. */
export function buildEpisodeStream(phrase: string, pool: EpisodePool, opts: EpisodeStreamOptions = {}): EpisodeStream {
  const rng = new Rng(opts.seed ?? 1);
  const frameMs = opts.frameMs ?? 30;
  const minHold = opts.minHoldFrames ?? 36;
  const noise = opts.noise ?? { flex: 3, angle: 0.15 };
  const glitchRate = opts.glitchRate ?? 0.003;
  const words = phrase.trim().split(/\s+/).filter(Boolean);
  const sessions = pool.sessions;
  const session = sessions[rng.int(sessions.length)]!;

  const rows: Float32Array[] = [];
  const segments: StreamSegment[] = [];
  const letters: string[] = [];
  let previous: HeldEpisode | undefined;

  words.forEach((word, w) => {
    if (w > 0) letters.push(' ');
    const spelled = spellText(word);
    spelled.forEach((jamo, i) => {
      const repeat = i > 0 && spelled[i - 1] === jamo;
      const ep = pool.pick(jamo, session, rng, repeat ? previous : undefined);
      const hold = crop(ep, minHold, rng);
      let kind: TransitionKind | 'start' = 'start';
      if (rows.length) {
        kind = w > 0 && i === 0 ? 'rest' : repeat ? 'repeat' : rng.next() < 0.5 ? 'short' : 'long';
        const [lo, hi] = MOVE_SECONDS[kind];
        const n = Math.max(2, Math.round((rng.uniform(lo, hi) * 1000) / frameMs));
        rows.push(...move(rows[rows.length - 1]!, hold[0]!, n, kind, rng));
      }
      const start = rows.length;
      rows.push(...hold);
      segments.push({ jamo, start, end: rows.length, word: w, before: kind, file: ep.file });
      letters.push(jamo);
      previous = ep;
    });
  });

  // Sensor noise on top of the recordings' own, and rare one-frame flex glitches.
  const flexChannels = FRAME_CHANNELS.flatMap((_, c) => (FLEX[c] ? [c] : []));
  const frames = rows.map((r, i): Frame => {
    const values = new Float32Array(r);
    for (let c = 0; c < CH; c++) {
      if (!Number.isFinite(values[c]!)) continue;
      if (FLEX[c]) values[c] = Math.round(values[c]! + noise.flex * rng.normal());
      else if (ANGLE[c]) values[c] = values[c]! + noise.angle * rng.normal();
    }
    if (rng.next() < glitchRate) {
      const c = flexChannels[rng.int(flexChannels.length)]!;
      values[c] = values[c]! + (rng.next() < 0.5 ? -1 : 1) * rng.uniform(60, 150);
    }
    return { t: i * frameMs, values };
  });
  return { phrase: words.join(' '), frames, segments, letters, session };
}

/** A random contiguous part of the episode, at least `minHold` frames, as full-width frames. */
function crop(ep: HeldEpisode, minHold: number, rng: Rng): Float32Array[] {
  const C = ep.channels.length;
  const slot = ep.channels.map((c) => FRAME_CHANNELS.indexOf(c));
  const len = ep.length <= minHold ? ep.length : minHold + rng.int(ep.length - minHold + 1);
  const start = rng.int(ep.length - len + 1);
  const out: Float32Array[] = [];
  for (let t = start; t < start + len; t++) {
    const v = new Float32Array(FRAME_WIDTH).fill(NaN);
    for (let c = 0; c < C; c++) if (slot[c]! >= 0) v[slot[c]!] = ep.data[t * C + c]!;
    out.push(v);
  }
  return out;
}

/**
 * n frames moving from `a` to `b` (exclusive of both): a straight line (angles the short way
 * round), plus for a repeated letter a small bounce of the fingers and wrist, and for a rest a
 * wide slow arc away and back (the hand drops between words).
 */
function move(a: Float32Array, b: Float32Array, n: number, kind: TransitionKind, rng: Rng): Float32Array[] {
  const bump = new Float32Array(CH);
  if (kind === 'repeat' || kind === 'rest') {
    const big = kind === 'rest';
    for (let c = 0; c < CH; c++) {
      if (FLEX[c]) bump[c] = (big ? rng.uniform(80, 160) : rng.uniform(15, 30)) * (rng.next() < 0.5 ? -1 : 1);
      else if (ANGLE[c]) bump[c] = (big ? rng.uniform(15, 30) : rng.uniform(1.5, 3)) * (rng.next() < 0.5 ? -1 : 1);
    }
  }
  const out: Float32Array[] = [];
  for (let k = 1; k <= n; k++) {
    const f = k / (n + 1);
    // ease in and out, as a hand accelerates and slows
    const s = f * f * (3 - 2 * f);
    const arc = Math.sin(Math.PI * f);
    const v = new Float32Array(CH);
    for (let c = 0; c < CH; c++) {
      const from = a[c]!;
      const to = b[c]!;
      if (!Number.isFinite(from) || !Number.isFinite(to)) v[c] = NaN;
      else if (ANGLE[c]) v[c] = from + s * angleDifference(to, from) + arc * bump[c]!;
      else v[c] = from + s * (to - from) + arc * bump[c]!;
    }
    out.push(v);
  }
  return out;
}

/**
 * 48 everyday words and short phrases spelled with the 24 letters only (no tense consonants):
 * repeated letters (안녕, 학교, 언니), neighbours that differ in few channels (바다, 치마, 미안해요),
 * compound vowels (과자, 의사, 시계) and two-word phrases (a rest between the words).
 */
export const LIVE_BENCHMARK_PHRASES = [
  '안녕', '한글', '사랑', '감사', '학교', '친구', '가족', '우유', '나무', '바다',
  '하늘', '사람', '컴퓨터', '장갑', '과자', '의사', '병원', '대한민국', '선생님', '고맙습니다',
  '미안해요', '치마', '언니', '남매', '어머니', '아버지', '누나', '동생', '음식', '김치',
  '라면', '커피', '우산', '시계', '학생', '공부', '노래', '기차', '택시', '포도',
  '여름', '겨울', '휴대폰', '안녕 하세요', '사랑 해요', '좋은 아침', '잘 자요', '만나서 반가워요',
] as const;

