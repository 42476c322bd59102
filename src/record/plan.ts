/**
 * The order letters are prompted in: shuffled and interleaved (never blocks of one letter), every
 * letter (and, with variants, every posture variant of it) exactly `reps` times. Round r holds
 * the r-th repetition of every prompt, shuffled; the same seed gives the same order, so a
 * recording that stopped resumes by skipping what is already kept. Portable: no Node imports.
 */
import { Rng } from '../util/rng.js';
import { JAMO, isJamo, type Jamo } from '../jamo.js';
import { spellText } from '../stream/hangul.js';
import { BASIC_VARIANT, VARIANTS } from './handshapes.js';

export interface Prompt {
  jamo: Jamo;
  /** Posture variant folder ('1'…'5'). */
  variant: string;
  /** 0-based repetition of this letter and variant. */
  rep: number;
}

export interface PlanOptions {
  letters?: readonly Jamo[];
  reps?: number;
  variants?: boolean;
  seed?: number;
}

/** `all`, or the letters typed (ㄱㄴㄷ, with or without spaces/commas); throws naming what is not one of the 24. */
export function parseLetters(spec: string): Jamo[] {
  if (spec.trim().toLowerCase() === 'all') return [...JAMO];
  const chars = [...spec.normalize('NFC').replace(/[\s,]+/g, '')];
  const bad = chars.filter((c) => !isJamo(c));
  if (bad.length || chars.length === 0) {
    // a syllable (가) is a common slip: say what it spells to
    const hint = bad.length && /[가-힣]/.test(bad[0]!) ? ` ('${bad[0]}' is a syllable; its letters are ${safeSpell(bad[0]!)})` : '';
    throw new Error(`--letters: ${chars.length ? `'${bad.join('')}' not one of the 24 letters` : 'no letters given'} (use all, or letters from ${JAMO.join('')})${hint}`);
  }
  return [...new Set(chars as Jamo[])];
}

function safeSpell(s: string): string {
  try {
    return spellText(s).join(' ');
  } catch {
    return '?';
  }
}

export function promptKey(p: Pick<Prompt, 'jamo' | 'variant'>): string {
  return `${p.jamo}/${p.variant}`;
}

export function promptOrder(opts: PlanOptions = {}): Prompt[] {
  const letters = opts.letters ?? JAMO;
  const reps = opts.reps ?? 3;
  if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`--reps must be a whole number ≥ 1, got ${reps}`);
  const variants = opts.variants ? Object.keys(VARIANTS) : [BASIC_VARIANT];
  const rng = new Rng(opts.seed ?? 1);
  const out: Prompt[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const round: Prompt[] = letters.flatMap((jamo) => variants.map((variant) => ({ jamo, variant, rep })));
    rng.shuffle(round);
    // no letter twice in a row (a held pose carried over is not a new hold), across rounds too
    for (let i = 0; i < round.length; i++) {
      const prev = i > 0 ? round[i - 1] : out[out.length - 1];
      if (!prev || round[i]!.jamo !== prev.jamo) continue;
      const j = round.findIndex((p, k) => k > i && p.jamo !== prev.jamo);
      if (j > i) [round[i], round[j]] = [round[j]!, round[i]!];
    }
    out.push(...round);
  }
  return out;
}

/** The prompts still to record, given how many episodes each letter/variant already has. */
export function remainingPrompts(order: readonly Prompt[], kept: ReadonlyMap<string, number>): Prompt[] {
  return order.filter((p) => p.rep >= (kept.get(promptKey(p)) ?? 0));
}
