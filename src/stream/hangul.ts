/**
 * Between Hangul text and the 24 fingerspelled letters, both ways.
 *
 * Spelling (text → letters) breaks syllables into jamo with es-hangul and writes every
 * compound with the letters a signer forms one after another: ㅘ → ㅗㅏ, ㄳ → ㄱㅅ, and the
 * vowels without a sign of their own as vowel + ㅣ (ㅐ → ㅏㅣ, ㅔ → ㅓㅣ, ㅒ → ㅑㅣ, ㅖ → ㅕㅣ).
 * Tense consonants (ㄲ ㄸ ㅃ ㅆ ㅉ) cannot be spelled: doubling the letter would be ambiguous
 * (ㄱㅏㄱㄱㅛ could be 각교 or 가꾜), so they are refused with a clear message.
 *
 * Composition (letters → text) works like a 2-beolsik keyboard (a final consonant moves to the
 * next syllable when a vowel follows), plus vowel + ㅣ → ㅐ ㅔ ㅒ ㅖ (a vowel never follows a vowel
 * inside a Korean word otherwise),
 * so that composing a word's spelling gives the word back.
 */
import { canBeChoseong, canBeJongseong, canBeJungseong, combineCharacter, combineVowels, disassemble } from 'es-hangul';
import { isJamo, type Jamo } from '../jamo.js';
import { InputError } from '../util/input-error.js';

const VOWEL_PLUS_I: Record<string, string> = { 'ㅏ': 'ㅐ', 'ㅓ': 'ㅔ', 'ㅑ': 'ㅒ', 'ㅕ': 'ㅖ' };
const I_VOWEL_SPELLING: Record<string, Jamo[]> = { 'ㅐ': ['ㅏ', 'ㅣ'], 'ㅔ': ['ㅓ', 'ㅣ'], 'ㅒ': ['ㅑ', 'ㅣ'], 'ㅖ': ['ㅕ', 'ㅣ'] };
const TENSE = new Set(['ㄲ', 'ㄸ', 'ㅃ', 'ㅆ', 'ㅉ']);

/** Text that has characters the 24 letters cannot spell; `unspellable` lists them. */
export class UnspellableTextError extends InputError {
  constructor(
    readonly text: string,
    readonly unspellable: string[],
  ) {
    const tense = unspellable.filter((c) => [...disassemble(c)].some((j) => TENSE.has(j)));
    const hint = tense.length
      ? ' Tense consonants (ㄲ ㄸ ㅃ ㅆ ㅉ) have no sign among the 24 classes.'
      : ' Only Hangul syllables and jamo can be fingerspelled: spaces between words are fine; digits, Latin letters and punctuation are not.';
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
  const automaton = new SyllableAutomaton();
  for (const l of letters) automaton.push(l);
  return automaton.text;
}

/**
 * The 2-beolsik keyboard automaton. es-hangul's `assemble` does the same for well-formed input but
 * throws on some sequences a live recogniser can produce (e.g. ㅗ ㅗ ㅣ ㅎ), so the syllable
 * boundaries are decided here and es-hangul checks and builds each syllable. Parts are kept
 * decomposed (ㅘ as 'ㅗㅏ', ㄳ as 'ㄱㅅ'), the form es-hangul's helpers take.
 */
class SyllableAutomaton {
  private done = '';
  private cho = '';
  private jung = '';
  private jong = '';

  push(letter: string): void {
    if (canBeChoseong(letter)) this.consonant(letter);
    else if (canBeJungseong(letter)) this.vowel(letter);
    else {
      this.commit();
      this.done += letter;
    }
  }

  get text(): string {
    return this.done + this.render();
  }

  private consonant(c: string): void {
    if (this.cho && this.jung && !this.jong && canBeJongseong(c)) this.jong = c;
    else if (this.jong.length === 1 && canBeJongseong(this.jong + c)) this.jong += c;
    else {
      this.commit();
      this.cho = c;
    }
  }

  private vowel(v: string): void {
    if (this.jong) {
      // The last final consonant starts the next syllable: 갑 + ㅏ → 가바, 값 + ㅏ → 갑사.
      const moved = this.jong.slice(-1);
      this.jong = this.jong.slice(0, -1);
      this.commit();
      this.cho = moved;
      this.jung = v;
      return;
    }
    const combined = this.jung ? combineVowel(this.jung, v) : undefined;
    if (combined) this.jung = combined;
    else if (this.cho && !this.jung) this.jung = v;
    else {
      this.commit();
      this.jung = v;
    }
  }

  private render(): string {
    if (this.cho && this.jung) return combineCharacter(this.cho, this.jung, this.jong);
    if (this.jung) return this.jung.length === 1 ? this.jung : combineVowels(this.jung[0]!, this.jung.slice(1));
    return this.cho;
  }

  private commit(): void {
    this.done += this.render();
    this.cho = this.jung = this.jong = '';
  }
}

/** A vowel followed by another, as one compound vowel (ㅗ ㅏ → ㅘ, ㅏ ㅣ → ㅐ, ㅗㅏ ㅣ → ㅙ), or undefined. */
function combineVowel(jung: string, v: string): string | undefined {
  if (canBeJungseong(jung + v)) return jung + v;
  const last = jung.slice(-1);
  if (v === 'ㅣ' && VOWEL_PLUS_I[last]) {
    const merged = jung.slice(0, -1) + VOWEL_PLUS_I[last];
    if (canBeJungseong(merged)) return merged;
  }
  return undefined;
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
