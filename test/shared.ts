import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

/** The read-only shared folder beside the repository (datasets, parity fixtures, anchors). */
export const SHARED_DIR = process.env.SIGNGLOVE_SHARED ?? path.resolve(PACKAGE_ROOT, '..', 'shared');
export const DATASET_1001 = path.join(SHARED_DIR, 'datasets', 'signglove-2025-10-01');
export const DATASET_0819 = path.join(SHARED_DIR, 'datasets', 'signglove-2025-08-19');
export const PARITY_DIR = path.join(SHARED_DIR, 'fixtures', 'torch-parity');

/** Tests that need ../shared fail loudly in CI (where it is always present) and skip elsewhere. */
export const sharedSkip: string | false = existsSync(DATASET_1001)
  ? false
  : process.env.CI ? false : `../shared not found at ${SHARED_DIR}`;

/** The letters of the small real days tests train and calibrate on. */
export const SUBSET_LETTERS = ['ㄱ', 'ㄴ', 'ㄷ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅅ', 'ㅇ'];

/** A small real day: the letters' folders of a shared dataset copied into a fresh root under dir (named as the dataset). */
export function copyLetters(src: string, dir: string, letters: readonly string[] = SUBSET_LETTERS): string {
  const root = path.join(dir, path.basename(src));
  for (const j of letters) cpSync(path.join(src, j), path.join(root, j), { recursive: true });
  return root;
}
