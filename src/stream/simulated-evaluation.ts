/**
 * Acceptance checks on simulated gloves: letter accuracy on simulated held signs, and whole
 * words spelled through the live recogniser. Any WindowClassifier can be checked (the shipped
 * GRU's classifyWindow, or the prototype classifier).
 */
import { argmax } from '../infer/class-scores.js';
import { composeLetters, spellText } from './hangul.js';
import { StreamingRecognizer, type RecognizerOptions, type WindowClassifier } from './recognizer.js';
import { simulateHeldLetters, simulateText, type SimulateOptions } from './simulator/simulate.js';

/** 20 everyday words (no tense consonants), covering repeated letters (안녕), compound vowels (과자, 의사) and ㅐ/ㅔ. */
export const SIMULATION_WORDS = [
  '안녕', '한글', '사랑', '감사', '학교', '친구', '가족', '우유', '나무', '바다',
  '하늘', '사람', '컴퓨터', '장갑', '과자', '의사', '병원', '대한민국', '선생님', '고맙습니다',
] as const;

export interface HeldLetterResult {
  correct: number;
  total: number;
  accuracy: number;
  /** Per jamo: correct / total. */
  perClass: Record<string, { correct: number; total: number }>;
}

/** Classifies simulated held letters (`perClass` per class) and counts how many come out right. */
export function evaluateHeldLetters(
  classify: WindowClassifier,
  opts: SimulateOptions & { perClass?: number; channels?: readonly string[] } = {},
): HeldLetterResult {
  const episodes = simulateHeldLetters(opts);
  const perClass: Record<string, { correct: number; total: number }> = {};
  let correct = 0;
  for (const e of episodes) {
    const probs = classify(e.data, e.length);
    const ok = argmax(probs) === e.label;
    correct += ok ? 1 : 0;
    const pc = (perClass[e.jamo] ??= { correct: 0, total: 0 });
    pc.total++;
    pc.correct += ok ? 1 : 0;
  }
  return { correct, total: episodes.length, accuracy: correct / Math.max(1, episodes.length), perClass };
}

export interface WordResult {
  word: string;
  expected: string;
  letters: string;
  text: string;
  exact: boolean;
  session: string;
}

export interface WordsResult {
  exact: number;
  total: number;
  /** exact / total. */
  accuracy: number;
  /** Letters expected vs emitted, summed over words (an emitted count above expected means doubles). */
  lettersExpected: number;
  lettersEmitted: number;
  details: WordResult[];
}

/**
 * Spells each word with a simulated glove (seed + word index, so every word is a different
 * stream), runs the live recogniser over it, composes the letters and compares with the word.
 */
export function runSimulatedWords(
  words: readonly string[],
  classify: WindowClassifier,
  opts: { seed?: number; simulate?: Omit<SimulateOptions, 'seed'>; recognizer?: RecognizerOptions } = {},
): WordsResult {
  const details: WordResult[] = [];
  let lettersExpected = 0;
  let lettersEmitted = 0;
  words.forEach((word, i) => {
    const stream = simulateText(word, { ...opts.simulate, seed: (opts.seed ?? 1) * 1000 + i });
    const rec = new StreamingRecognizer(classify, opts.recognizer);
    for (const f of stream.frames) rec.push(f);
    rec.finish();
    const letters = rec.letters.map((l) => l.jamo);
    const text = composeLetters(letters);
    lettersExpected += stream.letters.length;
    lettersEmitted += letters.length;
    details.push({ word, expected: spellText(word).join(''), letters: letters.join(''), text, exact: text === word, session: stream.session });
  });
  const exact = details.filter((d) => d.exact).length;
  return { exact, total: words.length, accuracy: exact / Math.max(1, words.length), lettersExpected, lettersEmitted, details };
}
