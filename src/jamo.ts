/** The 24 Korean fingerspelling classes, in the reference's class-index order (Hangul compatibility jamo, U+3131…). */
export const JAMO = [
  'ㄱ', 'ㄴ', 'ㄷ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅅ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
  'ㅏ', 'ㅑ', 'ㅓ', 'ㅕ', 'ㅗ', 'ㅛ', 'ㅜ', 'ㅠ', 'ㅡ', 'ㅣ',
] as const;

export type Jamo = (typeof JAMO)[number];

export const NUM_CLASSES = JAMO.length;

const INDEX = new Map<string, number>(JAMO.map((j, i) => [j, i]));

/** Class index of a jamo (NFC or NFD input), or -1 when it is not one of the 24. */
export function jamoIndex(s: string): number {
  return INDEX.get(s.normalize('NFC')) ?? -1;
}

export function isJamo(s: string): s is Jamo {
  return jamoIndex(s) >= 0;
}

export const CONSONANTS: readonly Jamo[] = JAMO.slice(0, 14);
export const VOWELS: readonly Jamo[] = JAMO.slice(14);
