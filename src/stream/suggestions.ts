/**
 * Raw letters and lexicon suggestions side by side, as the user sees them: the text is made of
 * words (split at the spaces a rest puts in); each word shows its raw letters composed, unless
 * the user accepted the decoder's suggestion for it. The raw letters stay available, so accepting
 * can be undone. Node-free (the web page and the CLI share it).
 */
import { composeLetters } from './hangul.js';
import { SPACE, type RecognizedLetter } from './recognizer.js';
import { splitWords, type WordDecoder, type WordSuggestion } from './word-decoder.js';

export interface SuggestionState {
  /** The text with accepted suggestions in place. */
  text: string;
  /** The raw letters composed, words separated by spaces. */
  raw: string;
  /** The suggestion for the latest word, when it differs from its raw letters and is not yet accepted. */
  suggestion?: WordSuggestion & { wordIndex: number; raw: string };
}

export class SuggestionText {
  private letters: RecognizedLetter[] = [];
  private readonly accepted = new Map<number, string>();

  constructor(private readonly decoder: WordDecoder) {}

  /** Takes the recogniser's letters so far (spaces included). */
  update(letters: readonly RecognizedLetter[]): SuggestionState {
    this.letters = [...letters];
    // a word whose letters changed (a backspace) loses its accepted suggestion
    for (const k of [...this.accepted.keys()]) if (k >= this.words().length) this.accepted.delete(k);
    return this.state();
  }

  /** Accepts the current suggestion: the latest word shows the listed word instead of its letters. */
  accept(): SuggestionState {
    const s = this.state().suggestion;
    if (s) this.accepted.set(s.wordIndex, s.word);
    return this.state();
  }

  /** Back to the raw letters for every word. */
  rejectAll(): SuggestionState {
    this.accepted.clear();
    return this.state();
  }

  state(): SuggestionState {
    const words = this.words();
    const raws = words.map((w) => composeLetters(w.map((l) => l.jamo)));
    const text = raws.map((r, i) => this.accepted.get(i) ?? r).join(' ') + (this.endsWithSpace() ? ' ' : '');
    const state: SuggestionState = { text, raw: raws.join(' ') + (this.endsWithSpace() ? ' ' : '') };
    const last = words.length - 1;
    if (last >= 0 && !this.accepted.has(last)) {
      const s = this.decoder.suggest(words[last]!);
      if (s && s.word !== raws[last]) state.suggestion = { ...s, wordIndex: last, raw: raws[last]! };
    }
    return state;
  }

  /** Every word replaced by its suggestion where there is one (what accepting each would give). */
  decodeAll(letters: readonly RecognizedLetter[]): string {
    return this.decoder.decodeText(letters);
  }

  private words(): RecognizedLetter[][] {
    return splitWords(this.letters);
  }

  private endsWithSpace(): boolean {
    return this.letters.length > 0 && this.letters[this.letters.length - 1]!.jamo === SPACE;
  }
}
