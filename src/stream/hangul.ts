/**
 * Between Hangul text and the 24 fingerspelled letters, both ways.
 *
 * Spelling (text → letters) breaks syllables into jamo with es-hangul and writes every
 * compound with the letters a signer forms one after another: ㅘ → ㅗㅏ, ㄳ → ㄱㅅ, and the
 * vowels without a sign of their own as vowel + ㅣ (ㅐ → ㅏㅣ, ㅔ → ㅓㅣ, ㅒ → ㅑㅣ, ㅖ → ㅕㅣ).
 * Tense consonants (ㄲ ㄸ ㅃ ㅆ ㅉ) cannot be spelled: doubling the letter would be ambiguous
 * (ㄱㅏㄱㄱㅛ could be 각교 or 가꾜), so they are refused with a clear message.
 *
 * Composition (letters → text) works like a 2-beolsik keyboard (es-hangul's assemble: a final
 * consonant moves to the next syllable when a vowel follows), plus vowel + ㅣ → ㅐ ㅔ ㅒ ㅖ,
 * so that composing a word's spelling gives the word back.
 */
import { assemble, disassemble } from 'es-hangul';
import { isJamo, type Jamo } from '../jamo.js';

const VOWEL_PLUS_I: Record<string, string> = { 'ㅏ': 'ㅐ', 'ㅓ': 'ㅔ', 'ㅑ': 'ㅒ', 'ㅕ': 'ㅖ' };
const I_VOWEL_SPELLING: Record<string, Jamo[]> = { 'ㅐ': ['ㅏ', 'ㅣ'], 'ㅔ': ['ㅓ', 'ㅣ'], 'ㅒ': ['ㅑ', 'ㅣ'], 'ㅖ': ['ㅕ', 'ㅣ'] };
const TENSE = new Set(['ㄲ', 'ㄸ', 'ㅃ', 'ㅆ', 'ㅉ']);

/** Text that has characters the 24 letters cannot spell; `unspellable` lists them. */
export class UnspellableTextError extends Error {
  constructor(
    readonly text: string,
    readonly unspellable: string[],
  ) {
    const tense = unspellable.filter((c) => [...disassemble(c)].some((j) => TENSE.has(j)));
    const hint = tense.length
      ? ' Tense consonants (ㄲ ㄸ ㅃ ㅆ ㅉ) have no sign among the 24 classes.'
      : ' Only Hangul syllables and jamo can be fingerspelled (no spaces, digits or Latin letters).';
    super(`cannot fingerspell '${text}': ${unspellable.map((c) => `'${c}'`).join(', ')} ${unspellable.length === 1 ? 'has' : 'have'} no spelling with the 24 letters.${hint}`);
    this.name = 'UnspellableTextError';
  }
}

/** The sequence of letters a signer forms for `text` (e.g. 안녕 → ㅇㅏㄴㄴㅕㅇ, 왜 → ㅇㅗㅏㅣ). */
export function spellText(text: string): Jamo[] {
  const letters: Jamo[] = [];
  const bad: string[] = [];
  for (const ch of text.normalize('NFC')) {
    const spelled = spellCharacter(ch);
    if (spelled) letters.push(...spelled);
    else if (!bad.includes(ch)) bad.push(ch);
  }
  if (bad.length) throw new UnspellableTextError(text, bad);
  return letters;
}

function spellCharacter(ch: string): Jamo[] | undefined {
  const out: Jamo[] = [];
  for (const j of disassemble(ch)) {
    if (isJamo(j)) out.push(j);
    else if (I_VOWEL_SPELLING[j]) out.push(...I_VOWEL_SPELLING[j]);
    else return undefined;
  }
  return out.length ? out : undefined;
}

/** Hangul text from a sequence of letters, as a keyboard would compose them (ㅎㅏㄴㄱㅡㄹ → 한글). */
export function composeLetters(letters: readonly string[]): string {
  if (!letters.length) return '';
  return assemble(mergeVowelPlusI(letters));
}

/** ㅏ ㅣ → ㅐ and the like: a vowel right after a vowel never starts a syllable of its own in Korean. */
function mergeVowelPlusI(letters: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of letters) {
    const prev = out[out.length - 1];
    if (l === 'ㅣ' && prev !== undefined && VOWEL_PLUS_I[prev]) out[out.length - 1] = VOWEL_PLUS_I[prev];
    else out.push(l);
  }
  return out;
}

/**
 * Incremental composition for live display: letters come one at a time and the text so far
 * (whose last syllable may still change, e.g. 안 → 아니 when ㅣ follows) is recomposed.
 */
export class HangulComposer {
  private readonly letters: string[] = [];
  private composed = '';

  push(letter: string): string {
    this.letters.push(letter);
    this.composed = composeLetters(this.letters);
    return this.composed;
  }

  /** Removes the last letter (a correction). */
  backspace(): string {
    this.letters.pop();
    this.composed = composeLetters(this.letters);
    return this.composed;
  }

  clear(): void {
    this.letters.length = 0;
    this.composed = '';
  }

  get text(): string {
    return this.composed;
  }

  get letterCount(): number {
    return this.letters.length;
  }
}
