/**
 * The live benchmark on real data: phrases spelled with held-out recorded episodes (the ones a
 * bundle never saw in training, its `provenance.testFiles`), joined by varied moves, streamed
 * frame by frame through the live recogniser. Reports how many phrases come out exactly, the
 * letter error rate (edit distance over the expected letters) and the delay from the start of a
 * hold to its letter; with a lexicon, the same for the decoder's suggestions.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadDataset } from '../data/load.js';
import { datasetRootOfFile } from '../data/layout.js';
import type { Episode } from '../data/types.js';
import type { LoadedModel } from '../infer/index.js';
import type { Predictor } from '../infer/core.js';
import { buildEpisodeStream, EpisodePool, LIVE_BENCHMARK_PHRASES, type EpisodeStream } from '../stream/episode-streams.js';
import { composeLetters } from '../stream/hangul.js';
import { StreamingRecognizer, type RecognizedLetter, type RecognizerOptions } from '../stream/recognizer.js';
import type { WordDecoder } from '../stream/word-decoder.js';
import { runSimulatedWords, SIMULATION_WORDS } from '../stream/simulated-evaluation.js';
import { Rng } from '../util/rng.js';
import { adaptiveClassifier } from '../stream/adaptive-session.js';
import { liveDefaults } from '../stream/live-session.js';
import type { RunningSessionOptions } from '../data/running-session.js';

export interface LiveBenchmarkOptions {
  /** Dataset root the bundle's testFiles are relative to. */
  data: string;
  phrases?: readonly string[];
  seeds?: readonly number[];
  recognizer?: RecognizerOptions;
  /** Decode each word with this decoder too (the "with lexicon" figures). */
  decoder?: WordDecoder;
  /**
   * Confusion matrix (rows true, columns predicted, counts), or 'model' for the model's own on the
   * held-out episodes, to inject letter errors at its rates into the recognised letters before
   * decoding (see injectErrors).
   */
  confusion?: number[][] | 'model';
  onProgress?: (done: number, total: number) => void;
  /** Called with every stream built (e.g. to save it for `live --source replay:`). */
  onStream?: (stream: EpisodeStream, seed: number, index: number) => void;
  /**
   * `data` is a day the model never saw: stream all its episodes, read with the model's own
   * (pooled) statistics as a glove put on again without calibration would be.
   */
  newDay?: boolean;
  /** With newDay: stream only these episodes of it (e.g. those a calibration did not use). */
  episodes?: Episode[];
  /** Learn the wearing's statistics while streaming (one running session per seed, over all its phrases). */
  adapt?: boolean | RunningSessionOptions;
}

export interface PhraseResult {
  phrase: string;
  seed: number;
  session: string;
  expected: string;
  letters: string;
  text: string;
  exact: boolean;
  letterErrors: number;
  /** The decoder's words (when a decoder was given), and whether they are the phrase. */
  decoded?: string;
  decodedExact?: boolean;
  /** Letters after error injection (when a confusion matrix was given). */
  injected?: string;
}

export interface LiveBenchmarkResult {
  model: string;
  dataset: string;
  episodes: number;
  phrases: number;
  seeds: number[];
  streams: number;
  exact: number;
  exactRate: number;
  lettersExpected: number;
  letterErrors: number;
  letterErrorRate: number;
  /** Delays from hold start to the letter, in ms, for letters emitted in their own hold. */
  delayMedianMs: number;
  delayP90Ms: number;
  decodedExact?: number;
  decodedExactRate?: number;
  injectedErrors?: number;
  details: PhraseResult[];
}

/**
 * Loads the episodes a bundle never saw (its testFiles) from the dataset root (for a bundle trained
 * on several days, the folder that holds them). A stream is one wearing: with the session pipeline
 * the episodes of one training day are kept (`wearing`, default the first) and the model reads them
 * with that day's statistics, as a calibrated wearer's live session would.
 */
export async function heldOutEpisodes(model: Predictor, data: string, wearing?: string): Promise<Episode[]> {
  const files = model.info.testFiles;
  if (!files.length) throw new Error(`${model.info.name} records no test episodes (provenance.testFiles): the benchmark needs episodes it never saw`);
  // a bundle of several days names its files <day>/<jamo>/…: given one day's root, look beside it
  const root = files.some((f) => f.startsWith(`${path.basename(path.resolve(data))}/`)) ? path.dirname(path.resolve(data)) : data;
  const paths = files.map((f) => path.join(root, f));
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length === paths.length) throw new Error(`none of ${model.info.name}'s ${files.length} test episodes is in ${data} (first: ${files[0]})`);
  const loaded = await loadDataset(paths.filter((p) => existsSync(p)), { channels: model.info.channels });
  const sessions = (model.meta.preprocess.trainingSessions ?? []).filter((s) => s.wearing);
  if (sessions.length === 0) return loaded.episodes;
  const day = wearing ?? (root !== data ? path.basename(path.resolve(data)) : sessions[0]!.wearing!);
  const stats = sessions.find((s) => s.wearing === day);
  if (!stats) throw new Error(`${model.info.name} was not trained on '${day}' (its days: ${sessions.map((s) => s.wearing).join(', ')})`);
  model.useSession(stats);
  const ofDay = loaded.episodes.filter((e) => e.path && path.basename(datasetRootOfFile(e.path)).normalize('NFC') === day);
  return sessions.length > 1 ? ofDay : loaded.episodes;
}

export async function runLiveBenchmark(model: Predictor, opts: LiveBenchmarkOptions): Promise<LiveBenchmarkResult> {
  const episodes = opts.newDay
    ? (opts.episodes ?? (await loadDataset(opts.data, { channels: model.info.channels })).episodes)
    : await heldOutEpisodes(model, opts.data);
  if (episodes.length === 0) throw new Error(`no episodes to stream in ${opts.data}`);
  const confusion = opts.confusion === 'model' ? confusionOf(model, episodes) : opts.confusion;
  const pool = new EpisodePool(episodes);
  const phrases = opts.phrases ?? LIVE_BENCHMARK_PHRASES;
  const seeds = [...(opts.seeds ?? [1, 2, 3, 4, 5, 6, 7, 8, 9])];
  const details: PhraseResult[] = [];
  const delays: number[] = [];
  let lettersExpected = 0;
  let injectedErrors = 0;
  const total = phrases.length * seeds.length;
  for (const seed of seeds) {
    const inject = confusion ? new Rng(seed * 7919) : undefined;
    const adapter = opts.adapt ? adaptiveClassifier(model, model.session, opts.adapt === true ? {} : opts.adapt) : null;
    if (opts.adapt && !adapter) throw new Error(`${model.info.name} has no session pipeline to adapt`);
    phrases.forEach((phrase, i) => {
      const stream = buildEpisodeStream(phrase, pool, { seed: seed * 1000 + i });
      opts.onStream?.(stream, seed, i);
      // the live defaults `live`, `serve` and the web page use for this model
      const rec = new StreamingRecognizer(adapter ? adapter.classify : (w, n) => model.classifyWindow(w, n), { ...liveDefaults(model), ...opts.recognizer });
      if (adapter) rec.on('frame', adapter.onFrame);
      for (const f of stream.frames) rec.push(f);
      rec.finish();
      const letters = [...rec.letters];
      delays.push(...holdDelays(stream, letters));
      const got = letters.map((l) => l.jamo);
      const errors = editDistance(stream.letters, got);
      lettersExpected += stream.letters.filter((l) => l !== ' ').length;
      const text = composeLetters(got);
      const r: PhraseResult = {
        phrase, seed, session: stream.session, expected: stream.letters.join(''), letters: got.join(''), text,
        exact: text === stream.phrase, letterErrors: errors,
      };
      if (opts.decoder) {
        let input = letters;
        if (inject && confusion) {
          input = injectErrors(letters, confusion, model.info.classes, inject);
          const changed = input.filter((l, k) => l.jamo !== letters[k]!.jamo).length;
          injectedErrors += changed;
          r.injected = input.map((l) => l.jamo).join('');
        }
        r.decoded = opts.decoder.decodeText(input);
        r.decodedExact = r.decoded === stream.phrase;
      }
      details.push(r);
      opts.onProgress?.(details.length, total);
    });
  }
  const exact = details.filter((d) => d.exact).length;
  const letterErrors = details.reduce((s, d) => s + d.letterErrors, 0);
  const sorted = delays.sort((a, b) => a - b);
  const result: LiveBenchmarkResult = {
    model: model.info.name,
    dataset: path.basename(opts.data),
    episodes: episodes.length,
    phrases: phrases.length,
    seeds,
    streams: details.length,
    exact,
    exactRate: exact / Math.max(1, details.length),
    lettersExpected,
    letterErrors,
    letterErrorRate: letterErrors / Math.max(1, lettersExpected),
    delayMedianMs: quantile(sorted, 0.5),
    delayP90Ms: quantile(sorted, 0.9),
    details,
  };
  if (opts.decoder) {
    result.decodedExact = details.filter((d) => d.decodedExact).length;
    result.decodedExactRate = result.decodedExact / Math.max(1, details.length);
    if (confusion) result.injectedErrors = injectedErrors;
  }
  return result;
}

/**
 * For each hold that produced its own letter: milliseconds from the hold's first frame to the
 * letter. A letter belongs to the hold it was emitted in (or the move just after it).
 */
export function holdDelays(stream: EpisodeStream, letters: readonly RecognizedLetter[], frameMs = 30): number[] {
  const out: number[] = [];
  const used = new Set<number>();
  for (const l of letters) {
    if (l.jamo === ' ') continue;
    const frame = Math.round(l.atMs / frameMs);
    // the latest hold that started at or before this frame
    let k = -1;
    for (let s = 0; s < stream.segments.length; s++) if (stream.segments[s]!.start <= frame) k = s;
    if (k < 0 || used.has(k)) continue;
    const seg = stream.segments[k]!;
    if (seg.jamo !== l.jamo) continue;
    used.add(k);
    out.push((frame - seg.start) * frameMs);
  }
  return out;
}

/** Levenshtein distance between two token sequences. */
export function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Letters with errors injected at a confusion matrix's rates: a letter of true class i becomes
 * class j with probability confusion[i][j] / row total, confidently: j takes the letter's
 * probability and i drops to what j had (or out of the top-k), as a real confusion looks.
 */
export function injectErrors(letters: readonly RecognizedLetter[], confusion: number[][], classes: readonly string[], rng: Rng): RecognizedLetter[] {
  return letters.map((l) => {
    if (l.index < 0) return l;
    const row = confusion[l.index]!;
    const total = row.reduce((s, v) => s + v, 0);
    if (!total) return l;
    let u = rng.next() * total;
    let j = 0;
    for (; j < row.length - 1; j++) {
      u -= row[j]!;
      if (u < 0) break;
    }
    if (j === l.index) return l;
    const pj = l.topK.find((s) => s.index === j)?.confidence ?? 0;
    const topK = l.topK
      .filter((s) => s.index !== j && s.index !== l.index)
      .concat(pj > 0 ? [{ jamo: l.jamo, index: l.index, confidence: pj }] : [])
      .concat([{ jamo: classes[j]!, index: j, confidence: l.confidence }])
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, l.topK.length);
    return { ...l, jamo: classes[j]!, index: j, confidence: l.confidence, topK };
  });
}

/** Confusion counts (rows true, columns predicted) of the model on whole episodes. */
export function confusionOf(model: Predictor, episodes: readonly Episode[]): number[][] {
  const K = model.info.classes.length;
  const m = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const preds = model.predictBatch([...episodes], { topK: 1 });
  episodes.forEach((e, i) => {
    const t = model.info.classes.indexOf(e.jamo);
    if (t >= 0) m[t]![preds[i]!.index]!++;
  });
  return m;
}

function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface LiveFigures {
  model: string;
  dataset: string;
  heldOutEpisodes: number;
  phrases: number;
  seeds: number[];
  streams: number;
  /** Phrases exact from the raw letters. */
  wordsExact: number;
  letterErrorRate: number;
  delayMedianMs: number;
  delayP90Ms: number;
  /** Phrases exact with the lexicon decoder's suggestions. */
  wordsExactLexicon: number;
  /** The same, with letter errors injected at the model's confusion rates. */
  wordsExactLexiconInjected: number;
  injectedErrors: number;
  lexiconWords: number;
  /** Simulated words (SIMULATION_WORDS over the same seeds) exact through the live recogniser. */
  simulatedExact: number;
  simulatedTotal: number;
  seconds: number;
}

/** Every live figure in one run: raw, with the lexicon, with injected errors, and the simulator's words. */
export async function liveFigures(
  model: LoadedModel,
  opts: { data: string; decoder: WordDecoder; seeds?: readonly number[]; phrases?: readonly string[]; onStatus?: (s: string) => void; onStream?: LiveBenchmarkOptions['onStream'] },
): Promise<LiveFigures> {
  const t0 = performance.now();
  const seeds = opts.seeds ?? [1, 2, 3, 4, 5, 6, 7, 8, 9];
  opts.onStatus?.('real-episode streams, raw letters and lexicon …');
  const plain = await runLiveBenchmark(model, { data: opts.data, seeds, phrases: opts.phrases, decoder: opts.decoder, onStream: opts.onStream });
  opts.onStatus?.('the same with letter errors injected at the confusion rates …');
  const injected = await runLiveBenchmark(model, { data: opts.data, seeds, phrases: opts.phrases, decoder: opts.decoder, confusion: 'model' });
  opts.onStatus?.('simulated words …');
  let simExact = 0;
  let simTotal = 0;
  for (const seed of seeds) {
    const r = runSimulatedWords(SIMULATION_WORDS, (w, n) => model.classifyWindow(w, n), {
      seed,
      recognizer: { channels: model.info.channels, classes: model.info.classes, maxWindow: Math.min(80, model.info.T) },
    });
    simExact += r.exact;
    simTotal += r.total;
  }
  return {
    model: model.info.name,
    dataset: plain.dataset,
    heldOutEpisodes: plain.episodes,
    phrases: plain.phrases,
    seeds: [...seeds],
    streams: plain.streams,
    wordsExact: plain.exactRate,
    letterErrorRate: plain.letterErrorRate,
    delayMedianMs: plain.delayMedianMs,
    delayP90Ms: plain.delayP90Ms,
    wordsExactLexicon: plain.decodedExactRate!,
    wordsExactLexiconInjected: injected.decodedExactRate!,
    injectedErrors: injected.injectedErrors ?? 0,
    lexiconWords: opts.decoder.lexicon.size,
    simulatedExact: simExact,
    simulatedTotal: simTotal,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The figures as lines for a terminal. */
export function formatLiveFigures(f: LiveFigures): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `live recognition on real held-out episodes: ${f.model}, ${f.dataset} (${f.heldOutEpisodes} episodes it never saw)`,
    `${f.phrases} phrases × seeds ${f.seeds.join(',')} = ${f.streams} streams`,
    `  words exact, raw letters          ${pct(f.wordsExact)}`,
    `  words exact, with the lexicon     ${pct(f.wordsExactLexicon)}   (${f.lexiconWords.toLocaleString('en')} words)`,
    `  … and letter errors injected      ${pct(f.wordsExactLexiconInjected)}   (${f.injectedErrors} errors at the confusion matrix's rates)`,
    `  letter error rate (edit distance) ${pct(f.letterErrorRate)}`,
    `  delay hold start → letter         median ${f.delayMedianMs.toFixed(0)} ms, 90th percentile ${f.delayP90Ms.toFixed(0)} ms`,
    `  simulated words exact             ${f.simulatedExact}/${f.simulatedTotal} (${pct(f.simulatedExact / Math.max(1, f.simulatedTotal))})`,
    `  (${f.seconds.toFixed(1)} s)`,
  ].join('\n');
}
