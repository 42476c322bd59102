/**
 * Word decoding with a lexicon: each hold keeps its top-k classes with probabilities; a beam
 * search over that letter lattice, constrained to a trie of the lexicon's spellings, finds the
 * listed word that best explains the holds. A letter outside a hold's top-k, a hold to drop (a
 * doubled letter) or a letter the recogniser missed each cost one edit (probability `editCost`).
 * The word is proposed only when it explains the holds better than the raw letters do as an
 * unlisted word (`unlistedCost`, far lower when the letters do not even compose into whole
 * syllables) and within `maxEdits`: when no word fits, nothing is proposed
 * and the raw letters stand, so the decoder never invents letters on its own. Node-free.
 */
import { composeLetters, spellText } from './hangul.js';
import type { RecognizedLetter } from './recognizer.js';

export interface WordDecoderOptions {
  /** Probability of an edit: a letter outside the hold's top-k, a dropped hold, a missed letter (default 1e-3). */
  editCost?: number;
  /** Prior probability that the signer meant an unlisted word (default 1e-2: a confidently signed unlisted word is kept over a listed word one edit away). */
  unlistedCost?: number;
  /**
   * Probability that the second of two equal letters was missed (default 0.05): the small bounce
   * between them is the weakest cue the recogniser has, so 하교 → 학교 is a likely fix.
   */
  missedRepeatCost?: number;
  /** Probability that a hold with its own letter was a stray (default 1e-4: a misread sign is likelier). */
  strayCost?: number;
  /** Prior probability of raw letters that do not compose into whole syllables (default 1e-6). */
  illFormedCost?: number;
  /** Most edits for words of up to 4 letters; one more for longer words (default 1). */
  maxEdits?: number;
  /** Candidates kept per step (default 64). */
  beam?: number;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  /** The word ending here, if any. */
  word?: string;
  user?: boolean;
}

/** Words as a trie of their fingerspelled letters (words the 24 letters cannot spell are left out). */
export class Lexicon {
  readonly root: TrieNode = { next: new Map() };
  size = 0;

  constructor(words: Iterable<string> = [], userWords: Iterable<string> = []) {
    for (const w of words) this.add(w, false);
    for (const w of userWords) this.add(w, true);
  }

  /** Adds a word; returns false when it cannot be fingerspelled (tense consonants, non-Hangul). */
  add(word: string, user = false): boolean {
    const w = word.trim().normalize('NFC');
    if (!w || !/^[\uAC00-\uD7A3]+$/.test(w)) return false;
    let letters: string[];
    try {
      letters = spellText(w);
    } catch {
      return false;
    }
    let node = this.root;
    for (const l of letters) {
      let child = node.next.get(l);
      if (!child) node.next.set(l, (child = { next: new Map() }));
      node = child;
    }
    if (!node.word) this.size++;
    node.word = w;
    node.user = node.user || user;
    return true;
  }

  has(word: string): boolean {
    let letters: string[];
    try {
      letters = spellText(word.normalize('NFC'));
    } catch {
      return false;
    }
    let node: TrieNode | undefined = this.root;
    for (const l of letters) node = node?.next.get(l);
    return node?.word !== undefined;
  }
}

export interface WordSuggestion {
  word: string;
  /** log-probability of the holds under this word minus under the raw letters (≤ 0 means no better). */
  gain: number;
  edits: number;
}

interface Hyp {
  node: TrieNode;
  /** The last letter on the path (a missed repeat of it is cheaper). */
  last?: string;
  score: number;
  edits: number;
}

export class WordDecoder {
  private readonly logEdit: number;
  private readonly logUnlisted: number;
  private readonly logRepeat: number;
  private readonly logIllFormed: number;
  private readonly logStray: number;
  private readonly maxEdits: number;
  private readonly beam: number;

  constructor(
    readonly lexicon: Lexicon,
    opts: WordDecoderOptions = {},
  ) {
    this.logEdit = Math.log(opts.editCost ?? 1e-3);
    this.logUnlisted = Math.log(opts.unlistedCost ?? 1e-2);
    this.logRepeat = Math.log(opts.missedRepeatCost ?? 0.05);
    this.logIllFormed = Math.log(opts.illFormedCost ?? 1e-6);
    this.logStray = Math.log(opts.strayCost ?? 1e-4);
    this.maxEdits = opts.maxEdits ?? 1;
    this.beam = opts.beam ?? 64;
  }

  /** The listed word the holds of one word spell best, or undefined when none fits. */
  suggest(holds: readonly RecognizedLetter[]): WordSuggestion | undefined {
    if (!holds.length) return undefined;
    const maxEdits = this.maxEdits + (holds.length > 4 ? 1 : 0);
    const rawScore = holds.reduce((s, h) => s + Math.log(Math.max(h.confidence, 1e-9)), 0);
    const rawWord = composeLetters(holds.map((h) => h.jamo));
    let hyps: Hyp[] = this.closeMissing([{ node: this.lexicon.root, score: 0, edits: 0 }], maxEdits);
    holds.forEach((h, i) => {
      const next: Hyp[] = [];
      // the hold was a stray: a doubled letter (cheap, like a missed repeat) or a transition read as a sign
      const strayCost = i > 0 && holds[i - 1]!.jamo === h.jamo ? this.logRepeat : this.logStray;
      for (const hyp of hyps) {
        if (hyp.edits < maxEdits) next.push({ node: hyp.node, last: hyp.last, score: hyp.score + strayCost, edits: hyp.edits + 1 });
        for (const [letter, child] of hyp.node.next) {
          const p = h.topK.find((s) => s.jamo === letter)?.confidence;
          if (p !== undefined && p > Math.exp(this.logEdit)) next.push({ node: child, last: letter, score: hyp.score + Math.log(p), edits: hyp.edits });
          else if (hyp.edits < maxEdits) next.push({ node: child, last: letter, score: hyp.score + this.logEdit, edits: hyp.edits + 1 });
        }
      }
      hyps = this.closeMissing(this.prune(next), maxEdits);
    });
    if (!hyps.length) return undefined;
    let best: Hyp | undefined;
    for (const hyp of hyps) {
      if (!hyp.node.word) continue;
      const score = hyp.score + (hyp.node.user ? 0.5 : 0); // the user's own words win ties
      if (!best || score > best.score + (best.node.user ? 0.5 : 0)) best = hyp;
    }
    if (!best) return undefined;
    // The raw letters are a listed word themselves: that is the suggestion.
    if (best.node.word !== rawWord && this.lexicon.has(rawWord)) return { word: rawWord, gain: 0, edits: 0 };
    // Letters that do not even compose into whole syllables (남ㄱ, ㅇㄱ산) are no Korean word: a listed
    // word within the allowed edits is then far likelier than the raw letters.
    const wellFormed = /^[\uAC00-\uD7A3]+$/.test(rawWord);
    const gain = best.score - (rawScore + (wellFormed ? this.logUnlisted : this.logIllFormed));
    if (best.node.word !== rawWord && gain <= 0) return undefined;
    return { word: best.node.word!, gain, edits: best.edits };
  }

  /** The text of letters (with SPACE between words), each word replaced by its suggestion when there is one. */
  decodeText(letters: readonly RecognizedLetter[]): string {
    return splitWords(letters)
      .map((w) => this.suggest(w)?.word ?? composeLetters(w.map((l) => l.jamo)))
      .join(' ');
  }

  /** A letter the recogniser missed: advance the trie without consuming a hold. */
  private closeMissing(hyps: Hyp[], maxEdits: number): Hyp[] {
    const out = [...hyps];
    for (const hyp of hyps) {
      if (hyp.edits >= maxEdits) continue;
      for (const [letter, child] of hyp.node.next) {
        const cost = letter === hyp.last ? this.logRepeat : this.logEdit;
        out.push({ node: child, last: letter, score: hyp.score + cost, edits: hyp.edits + 1 });
      }
    }
    return this.prune(out);
  }

  private prune(hyps: Hyp[]): Hyp[] {
    // the same trie node reached twice: keep the better
    const byNode = new Map<TrieNode, Hyp>();
    for (const h of hyps) {
      const seen = byNode.get(h.node);
      if (!seen || h.score > seen.score) byNode.set(h.node, h);
    }
    return [...byNode.values()].sort((a, b) => b.score - a.score).slice(0, this.beam);
  }
}

/** Letters split into words at SPACE letters (empty words dropped). */
export function splitWords(letters: readonly RecognizedLetter[]): RecognizedLetter[][] {
  const words: RecognizedLetter[][] = [[]];
  for (const l of letters) {
    if (l.jamo === ' ') words.push([]);
    else words[words.length - 1]!.push(l);
  }
  return words.filter((w) => w.length);
}
