import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from 'es-hangul';
import { composeLetters, HangulComposer, spellText, UnspellableTextError } from '../../src/stream/hangul.js';
import { SIMULATION_WORDS } from '../../src/stream/simulated-evaluation.js';
import { JAMO } from '../../src/jamo.js';
import { Rng } from '../../src/util/rng.js';

test('letters compose like a 2-beolsik keyboard', () => {
  assert.equal(composeLetters([...'ㅎㅏㄴㄱㅡㄹ']), '한글');
  assert.equal(composeLetters([...'ㅇㅏㄴㄴㅕㅇ']), '안녕'); // repeated ㄴ: final + initial
  assert.equal(composeLetters([...'ㄱㅏㅂㅅ']), '값'); // consonant cluster as final
  assert.equal(composeLetters([...'ㄱㅏㅂㅅㅏ']), '갑사'); // the cluster splits when a vowel follows
  assert.equal(composeLetters([...'ㄱㅗㅏㅈㅏ']), '과자'); // compound vowel
  assert.equal(composeLetters([...'ㄷㅏㅣ']), '대'); // ㅏ + ㅣ → ㅐ (no sign of its own)
  assert.equal(composeLetters([...'ㅇㅗㅏㅣ']), '왜');
  assert.equal(composeLetters([]), '');
});

test('a final consonant moves to the next syllable when a vowel follows (incremental)', () => {
  const c = new HangulComposer();
  const steps = [...'ㅎㅏㄴㄱㅡㄹ'].map((l) => c.push(l));
  assert.deepEqual(steps, ['ㅎ', '하', '한', '한ㄱ', '한그', '한글']);
  const d = new HangulComposer();
  assert.deepEqual([...'ㅇㅏㄴㅣ'].map((l) => d.push(l)), ['ㅇ', '아', '안', '아니']);
  assert.equal(d.backspace(), '안');
  assert.equal(d.letterCount, 3);
});

test('spelling then composing gives the text back', () => {
  const words = [...SIMULATION_WORDS, '안녕하세요', '괜찮아요', '웨딩', '얘기', '계란', '닭고기', '앉다', '뭐', '의자', 'ㅋㅋ'];
  for (const w of words) assert.equal(composeLetters(spellText(w)), w, w);
  assert.deepEqual(spellText('안녕'), [...'ㅇㅏㄴㄴㅕㅇ']);
  assert.deepEqual(spellText('왜'), [...'ㅇㅗㅏㅣ']);
});

test('text the 24 letters cannot spell is refused, naming the characters', () => {
  assert.throws(() => spellText('했어요'), (e: unknown) => e instanceof UnspellableTextError && e.unspellable.join() === '했' && /Tense/.test(e.message));
  assert.throws(() => spellText('hi 안녕'), (e: unknown) => e instanceof UnspellableTextError && e.unspellable.join('') === 'hi ');
});

test('composition never throws on any letter sequence', () => {
  const rng = new Rng(3);
  for (let i = 0; i < 300; i++) {
    const letters = Array.from({ length: 1 + rng.int(12) }, () => JAMO[rng.int(JAMO.length)]!);
    const text = composeLetters(letters);
    assert.ok(text.length >= 1 && text.length <= letters.length, letters.join(''));
  }
});

test('agrees with es-hangul assemble wherever assemble accepts the input', () => {
  const rng = new Rng(9);
  let compared = 0;
  for (let i = 0; i < 1000; i++) {
    const letters = Array.from({ length: 1 + rng.int(10) }, () => JAMO[rng.int(JAMO.length)]!);
    // vowel + ㅣ → ㅐ/ㅔ/ㅒ/ㅖ is our addition, so leave those sequences out
    if (letters.some((l, k) => l === 'ㅣ' && k > 0 && 'ㅏㅓㅑㅕ'.includes(letters[k - 1]!))) continue;
    let expected: string;
    try {
      expected = assemble(letters);
    } catch {
      continue;
    }
    assert.equal(composeLetters(letters), expected, letters.join(''));
    compared++;
  }
  assert.ok(compared > 500);
});
