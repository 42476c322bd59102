import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lexicon, WordDecoder } from '../../src/stream/word-decoder.js';
import type { RecognizedLetter } from '../../src/stream/recognizer.js';
import { JAMO } from '../../src/jamo.js';
import { SuggestionText } from '../../src/stream/suggestions.js';

/** A hold: candidates as [jamo, probability] pairs, best first. */
function hold(...cands: [string, number][]): RecognizedLetter {
  const topK = cands.map(([jamo, confidence]) => ({ jamo, index: JAMO.indexOf(jamo as never), confidence }));
  return { ...topK[0]!, topK, atMs: 0, holdFrames: 20 };
}
const space: RecognizedLetter = { jamo: ' ', index: -1, confidence: 1, topK: [], atMs: 0, holdFrames: 0 };

const lexicon = new Lexicon(['바다', '사랑', '학교', '감사'], ['안녕']);
const decoder = new WordDecoder(lexicon);

test('fixes a one-letter error to a listed word (the signed letter second in the top-k)', () => {
  // 바다 with ㄷ misread as ㅌ (ㄷ second)
  const holds = [hold(['ㅂ', 0.98]), hold(['ㅏ', 0.99]), hold(['ㅌ', 0.55], ['ㄷ', 0.4]), hold(['ㅏ', 0.97])];
  assert.equal(decoder.suggest(holds)?.word, '바다');
  assert.equal(decoder.decodeText(holds), '바다');
});

test('restores a letter the recogniser missed (학교 read as 하교)', () => {
  const holds = ['ㅎ', 'ㅏ', 'ㄱ', 'ㅛ'].map((j) => hold([j, 0.7], ['ㅇ', 0.2]));
  assert.equal(decoder.suggest(holds)?.word, '학교');
});

test('never invents letters when no word fits: the raw letters stand', () => {
  const holds = [hold(['ㅋ', 0.9]), hold(['ㅓ', 0.9]), hold(['ㅍ', 0.9]), hold(['ㅣ', 0.9])];
  assert.equal(decoder.suggest(holds), undefined);
  assert.equal(decoder.decodeText(holds), '커피');
});

test('a confidently signed unlisted word is kept over a listed word one letter away', () => {
  // 바타: confident ㅌ, no ㄷ among the candidates
  const holds = [hold(['ㅂ', 0.99]), hold(['ㅏ', 0.99]), hold(['ㅌ', 0.99]), hold(['ㅏ', 0.99])];
  assert.equal(decoder.suggest(holds), undefined);
});

test('words are decoded one by one between spaces; the user list counts', () => {
  const letters = [...['ㅇ', 'ㅏ', 'ㄴ', 'ㄴ', 'ㅕ', 'ㅇ'].map((j) => hold([j, 0.95])), space, ...['ㅅ', 'ㅏ', 'ㄹ', 'ㅏ', 'ㅇ'].map((j) => hold([j, 0.95]))];
  assert.equal(decoder.decodeText(letters), '안녕 사랑');
  assert.ok(lexicon.has('안녕') && !lexicon.has('커피'));
  assert.equal(lexicon.add('꿈'), false, 'tense consonants cannot be fingerspelled');
});

test('the raw letters stay visible; accepting puts the suggestion in the text', () => {
  const s = new SuggestionText(decoder);
  const letters = [hold(['ㅂ', 0.98]), hold(['ㅏ', 0.99]), hold(['ㅌ', 0.55], ['ㄷ', 0.4]), hold(['ㅏ', 0.97])];
  const before = s.update(letters);
  assert.equal(before.text, '바타');
  assert.equal(before.raw, '바타');
  assert.deepEqual([before.suggestion?.word, before.suggestion?.raw], ['바다', '바타']);
  const after = s.accept();
  assert.equal(after.text, '바다');
  assert.equal(after.raw, '바타');
  assert.equal(after.suggestion, undefined);
  // the next word starts after a space; the accepted one stays
  const more = s.update([...letters, space, hold(['ㅋ', 0.9])]);
  assert.equal(more.text, '바다 ㅋ');
  assert.equal(s.rejectAll().text, '바타 ㅋ');
});
