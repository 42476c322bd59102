/**
 * Finding episode files in the unified layout `<root>/<jamo>/<session>/episode_*.csv` and reading
 * class and session from a file's folders. No parsing here.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { JAMO, jamoIndex } from '../jamo.js';
import type { LoadProblem } from './types.js';
import { describeFsError } from './safe-read.js';

/** An episode file found on disk, with what its folders say about it. */
export interface FoundFile {
  /** Absolute path as found on disk (may be NFD on macOS). */
  path: string;
  /** Path relative to the dataset root, NFC, with '/' separators. */
  file: string;
  label: number;
  jamo: string;
  session: string;
}

export interface Discovery {
  root: string;
  files: FoundFile[];
  /** Folders (relative to root) that are not part of the layout, e.g. not one of the 24 jamo. */
  ignoredFolders: string[];
  /** CSV files that cannot be given a class (e.g. loose in a root that has jamo folders). */
  problems: LoadProblem[];
}

const nfc = (s: string): string => s.normalize('NFC');

// Compatibility jamo (ㄱ U+3131…) do not change under NFC/NFD, but some tools write folder names
// with the conjoining jamo (ᄀ U+1100, ᅡ U+1161…), which are their NFKD forms: accept those too.
const CONJOINING = new Map<string, number>(JAMO.map((j, i) => [j.normalize('NFKD'), i]));

/** Class index a folder name stands for, or -1. */
export function folderJamoIndex(name: string): number {
  const i = jamoIndex(name);
  return i >= 0 ? i : (CONJOINING.get(name.normalize('NFKD')) ?? -1);
}

/** Relative path with '/' separators, NFC, so it compares equal across machines. */
export function relativeName(root: string, p: string): string {
  return nfc(path.relative(root, p).split(path.sep).join('/'));
}

/**
 * Class and session from a file's folders: `…/<jamo>/<session>/f.csv` or `…/<jamo>/f.csv`;
 * label -1 when neither parent nor grandparent folder is a jamo.
 */
export function labelFromPath(file: string): { label: number; jamo: string; session: string } {
  const abs = path.resolve(file);
  const parent = nfc(path.basename(path.dirname(abs)));
  const grand = nfc(path.basename(path.dirname(path.dirname(abs))));
  let i = folderJamoIndex(grand);
  if (i >= 0) return { label: i, jamo: JAMO[i]!, session: parent };
  i = folderJamoIndex(parent);
  if (i >= 0) return { label: i, jamo: JAMO[i]!, session: '' };
  return { label: -1, jamo: '', session: '' };
}

/**
 * The dataset root a file belongs to: the folder above its jamo folder when it sits in the
 * layout, otherwise its own folder.
 */
export function datasetRootOfFile(file: string): string {
  const abs = path.resolve(file);
  const parent = path.dirname(abs);
  const grand = path.dirname(parent);
  if (folderJamoIndex(nfc(path.basename(grand))) >= 0) return path.dirname(grand);
  if (folderJamoIndex(nfc(path.basename(parent))) >= 0) return grand;
  return parent;
}

const isCsv = (name: string): boolean => name.toLowerCase().endsWith('.csv');
const isHidden = (name: string): boolean => name.startsWith('.');

/**
 * Find the episode files under a folder. The folder may be a dataset root, one jamo folder
 * (`root/ㄱ`) or one session folder (`root/ㄱ/1`); file names stay relative to the dataset root
 * either way. A folder without jamo sub-folders but with CSV files is read as unlabelled files.
 */
export async function discoverDirectory(dir: string): Promise<Discovery> {
  const abs = path.resolve(dir);
  const base = nfc(path.basename(abs));
  const parentName = nfc(path.basename(path.dirname(abs)));
  const out: Discovery = { root: abs, files: [], ignoredFolders: [], problems: [] };
  if (folderJamoIndex(base) >= 0) {
    out.root = path.dirname(abs);
    await walkClass(abs, folderJamoIndex(base), out);
  } else if (folderJamoIndex(parentName) >= 0) {
    out.root = path.dirname(path.dirname(abs));
    await walkSession(abs, folderJamoIndex(parentName), base, out);
  } else {
    const entries = listSorted(abs, out);
    const dirs = entries.filter((e) => e.kind === 'dir');
    const csvs = entries.filter((e) => e.kind === 'file' && isCsv(e.name));
    const hasClassFolders = dirs.some((e) => folderJamoIndex(e.name) >= 0);
    for (const e of dirs) {
      const i = folderJamoIndex(e.name);
      if (i >= 0) await walkClass(e.path, i, out);
      else out.ignoredFolders.push(relativeName(abs, e.path));
    }
    for (const e of csvs) {
      if (hasClassFolders) {
        out.problems.push({
          file: relativeName(abs, e.path),
          reason: 'outside the <jamo>/<session>/ layout, so its class is unknown; skipped',
        });
      } else {
        out.files.push({ path: e.path, file: relativeName(abs, e.path), label: -1, jamo: '', session: '' });
      }
    }
  }
  return out;
}

async function walkClass(dir: string, label: number, out: Discovery): Promise<void> {
  for (const e of listSorted(dir, out)) {
    if (e.kind === 'dir') await walkSession(e.path, label, e.name, out);
    else if (e.kind === 'file' && isCsv(e.name)) out.files.push(found(out.root, e.path, label, ''));
  }
}

async function walkSession(dir: string, label: number, session: string, out: Discovery): Promise<void> {
  for (const e of listSorted(dir, out)) {
    if (e.kind === 'dir') out.ignoredFolders.push(relativeName(out.root, e.path));
    else if (e.kind === 'file' && isCsv(e.name)) out.files.push(found(out.root, e.path, label, session));
  }
}

function found(root: string, p: string, label: number, session: string): FoundFile {
  return { path: p, file: relativeName(root, p), label, jamo: JAMO[label]!, session: nfc(session) };
}

interface Entry {
  name: string;
  path: string;
  kind: 'dir' | 'file' | 'other';
}

/**
 * Visible entries, NFC names, sorted by code point (deterministic on every platform).
 * Only folders and regular files count; a `*.csv` that is anything else (FIFO, device, socket, a
 * link leaving the dataset or dangling) is reported in `out.problems` with why, never opened. A
 * folder that cannot be listed is reported the same way.
 */
function listSorted(dir: string, out: Discovery): Entry[] {
  // Synchronous listing: for hundreds of small folders it is several times faster than fs/promises.
  let dirents: Dirent[];
  try {
    dirents = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    out.problems.push({ file: relativeName(out.root, dir) || '.', reason: `cannot read folder: ${describeFsError(err)}; skipped` });
    return [];
  }
  const entries: Entry[] = [];
  for (const d of dirents) {
    if (isHidden(d.name)) continue;
    const p = path.join(dir, d.name);
    let kind: Entry['kind'] = d.isDirectory() ? 'dir' : d.isFile() ? 'file' : 'other';
    let why = `${d.isFIFO() ? 'a FIFO (named pipe)' : d.isCharacterDevice() || d.isBlockDevice() ? 'a device' : d.isSocket() ? 'a socket' : 'something'}, not a regular file`;
    if (d.isSymbolicLink()) ({ kind, why } = followLink(p, dir, out.root));
    if (kind === 'other' && isCsv(d.name)) out.problems.push({ file: relativeName(out.root, p), reason: `${why}; skipped` });
    entries.push({ name: nfc(d.name), path: p, kind });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * What a symbolic link is taken for, decided once here: a folder, or a regular file whose real
 * path lies inside the dataset (or its own folder); anything else (a device such as /dev/zero, a
 * FIFO, a file elsewhere on the machine, a dangling link) is not read.
 */
function followLink(p: string, dir: string, root: string): { kind: Entry['kind']; why: string } {
  let real: string;
  let s: ReturnType<typeof statSync>;
  try {
    real = realpathSync(p);
    s = statSync(real);
  } catch (err) {
    return { kind: 'other', why: `a symbolic link that cannot be followed (${describeFsError(err)})` };
  }
  if (s.isDirectory()) return { kind: 'dir', why: '' };
  if (!s.isFile()) return { kind: 'other', why: 'a symbolic link to a device, FIFO or socket, not a regular file' };
  const inside = [root, dir].some((d) => {
    const r = realOrSelf(d);
    return real.startsWith(r.endsWith(path.sep) ? r : r + path.sep);
  });
  return inside ? { kind: 'file', why: '' } : { kind: 'other', why: 'a symbolic link to a file outside the dataset' };
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
