/**
 * The Korean word list behind the word decoder, read from disk (Node only): the hunspell Korean
 * dictionary's stems from the `dictionary-ko` npm package (wooorm/dictionaries, from
 * hunspell-dict-ko; GPL-2.0 OR LGPL-2.1 OR MPL-1.1, used here as data under MPL-1.1), plus the
 * user's own words (a text file, one word per line; '#' starts a comment).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Lexicon } from './word-decoder.js';

/** Stems of dictionary-ko's index.dic that the 24 letters can spell (no affix expansion). */
export function koreanDictionaryWords(): string[] {
  // the package's own entry reads the large .aff file too; only the .dic is needed
  const dic = path.join(path.dirname(createRequire(import.meta.url).resolve('dictionary-ko')), 'index.dic');
  const out = new Set<string>(); // a stem appears once per sense
  const lines = readFileSync(dic, 'utf8').split('\n');
  for (let i = 1; i < lines.length; i++) {
    // stored as conjoining jamo (NFD): composed to syllables
    const word = lines[i]!.split('/')[0]!.trim().normalize('NFC');
    if (/^[\uAC00-\uD7A3]{1,8}$/.test(word)) out.add(word);
  }
  return [...out];
}

/** Words of a user's word list file: one per line, blank lines and '#' comments ignored. */
export function readWordList(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean)
    .flatMap((l) => l.split(/\s+/));
}

/** The Korean dictionary plus the user's words (`userFile`), as a Lexicon. */
export function loadLexicon(opts: { dictionary?: boolean; userFile?: string; userWords?: readonly string[] } = {}): Lexicon {
  const words = opts.dictionary === false ? [] : koreanDictionaryWords();
  const user = [...(opts.userWords ?? []), ...(opts.userFile ? readWordList(opts.userFile) : [])];
  return new Lexicon(words, user);
}
