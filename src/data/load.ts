/**
 * Loading episodes from disk: a dataset root, one CSV file, or a list of files and folders.
 * Bad files never stop a load and are never dropped silently: each one becomes a LoadProblem
 * (file, row, reason). With `strict`, any problem or ignored folder makes the load throw.
 */
import { accessSync, constants } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CHANNELS, type Episode, type LoadProblem } from './types.js';
import { formatProblem, tryParseEpisodeCsv } from './parse-episode.js';
import { describeFsError, readTextFileBounded, UnreadableFileError } from './safe-read.js';
import { datasetRootOfFile, discoverDirectory, labelFromPath, relativeName, type FoundFile } from './layout.js';
import { InputError } from '../util/input-error.js';

/** Episodes shorter than this are reported and skipped unless told otherwise. */
export const DEFAULT_MIN_LENGTH = 10;

export interface LoadOptions {
  /** Channels to read, in this order (default: flex1..flex5, pitch, roll, yaw). */
  channels?: readonly string[];
  /** Minimum number of frames; shorter episodes are reported and skipped (default 10). */
  minLength?: number;
  /** Maximum number of frames; longer episodes are reported and skipped (default: no limit). */
  maxLength?: number;
  /** Throw a DatasetError when any file is skipped or any folder ignored. */
  strict?: boolean;
  /** Called after each file is read: (files done, files total). */
  onProgress?: (done: number, total: number) => void;
}

export interface LoadedDataset {
  /** Loaded episodes, sorted by `file` (code-point order, so class order for the layout). */
  episodes: Episode[];
  /** Files that were skipped, and why, sorted by file. */
  problems: LoadProblem[];
  /** Folders that are not part of the layout (e.g. not one of the 24 jamo), relative to `root`. */
  ignoredFolders: string[];
  /** The folder `Episode.file` is relative to (absent for a single-file load). */
  root?: string;
  /** The channels every episode holds. */
  channels: string[];
}

/** A load that cannot go on (missing input) or, in strict mode, any problem at all. */
export class DatasetError extends InputError {
  constructor(
    message: string,
    readonly problems: LoadProblem[] = [],
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}

const YIELD_EVERY = 100;

export async function loadDataset(input: string | readonly string[], opts: LoadOptions = {}): Promise<LoadedDataset> {
  const channels = [...(opts.channels ?? DEFAULT_CHANNELS)];
  const minLength = opts.minLength ?? DEFAULT_MIN_LENGTH;
  const { files, problems, ignoredFolders, root } = await collectFiles(input);

  const episodes: Episode[] = [];
  const readOne = (f: FoundFile): void => {
    let text: string;
    try {
      text = readTextFileBounded(f.path);
    } catch (err) {
      if (!(err instanceof UnreadableFileError)) throw err;
      problems.push({ file: f.file, reason: err.reason });
      return;
    }
    const r = tryParseEpisodeCsv(text, f.file, channels, {
      label: f.label,
      jamo: f.jamo,
      session: f.session,
      path: f.path,
    });
    if (r.problem) problems.push(r.problem);
    else if (r.episode.length < minLength) {
      problems.push({
        file: f.file,
        reason: `too short: ${r.episode.length} frame${r.episode.length === 1 ? '' : 's'} (minimum ${minLength})`,
      });
    } else if (opts.maxLength !== undefined && r.episode.length > opts.maxLength) {
      problems.push({ file: f.file, reason: `too long: ${r.episode.length} frames (at most ${opts.maxLength} are accepted)` });
    } else episodes.push(r.episode);
  };
  // Synchronous reads are ~10x faster than fs/promises for many small files; yielding between
  // chunks keeps progress bars and servers responsive.
  for (let i = 0; i < files.length; i++) {
    readOne(files[i]!);
    opts.onProgress?.(i + 1, files.length);
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
  }

  episodes.sort((a, b) => byCodePoint(a.file, b.file));
  problems.sort((a, b) => byCodePoint(a.file, b.file) || (a.row ?? 0) - (b.row ?? 0));
  ignoredFolders.sort(byCodePoint);

  if (opts.strict && (problems.length > 0 || ignoredFolders.length > 0)) {
    throw new DatasetError(describeStrictFailure(problems, ignoredFolders), problems);
  }
  const result: LoadedDataset = { episodes, problems, ignoredFolders, channels };
  if (root !== undefined) result.root = root;
  return result;
}

interface Collected {
  files: FoundFile[];
  problems: LoadProblem[];
  ignoredFolders: string[];
  root?: string;
}

async function collectFiles(input: string | readonly string[]): Promise<Collected> {
  const inputs = typeof input === 'string' ? [input] : [...input];
  if (inputs.length === 0) throw new DatasetError('no input files or folders given');
  const kinds = await Promise.all(inputs.map(kindOfInput));

  // One file on its own keeps the name it was given.
  if (typeof input === 'string' && kinds[0] === 'file') {
    const abs = path.resolve(input);
    return { files: [{ path: abs, file: input, ...labelFromPath(abs) }], problems: [], ignoredFolders: [] };
  }

  // Folders and lists: names relative to one root (the common folder of all inputs' roots).
  const parts = await Promise.all(
    inputs.map(async (p, i) => {
      if (kinds[i] === 'dir') return discoverDirectory(p);
      const abs = path.resolve(p);
      const f: FoundFile = { path: abs, file: '', ...labelFromPath(abs) };
      return { root: datasetRootOfFile(abs), files: [f], ignoredFolders: [], problems: [] as LoadProblem[] };
    }),
  );
  const root = commonAncestor(parts.map((p) => p.root));
  const seen = new Set<string>();
  const out: Collected = { files: [], problems: [], ignoredFolders: [], root };
  for (const part of parts) {
    const rebase = (rel: string): string => relativeName(root, path.join(part.root, rel));
    for (const f of part.files) {
      if (seen.has(f.path)) continue; // the same file named twice (e.g. by folder and by name)
      seen.add(f.path);
      out.files.push({ ...f, file: relativeName(root, f.path) });
    }
    for (const d of part.ignoredFolders) out.ignoredFolders.push(rebase(d));
    for (const p of part.problems) out.problems.push({ ...p, file: rebase(p.file) });
  }
  return out;
}

async function kindOfInput(p: string): Promise<'file' | 'dir'> {
  const s = await stat(p).catch(() => undefined);
  if (!s) throw new DatasetError(`no such file or folder: ${p}`);
  if (s.isDirectory()) {
    // The folder asked for must be readable: the user's mistake, said in one line before any work.
    try {
      accessSync(p, constants.R_OK | constants.X_OK);
    } catch (err) {
      throw new DatasetError(`cannot read folder ${p}: ${describeFsError(err)}`);
    }
    return 'dir';
  }
  if (s.isFile()) return 'file';
  throw new DatasetError(`not a regular file or folder: ${p}`);
}

function commonAncestor(dirs: string[]): string {
  let common = dirs[0]!;
  for (const d of dirs.slice(1)) {
    while (common !== d && !d.startsWith(common.endsWith(path.sep) ? common : common + path.sep)) {
      const up = path.dirname(common);
      if (up === common) break;
      common = up;
    }
  }
  return common;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const MAX_LISTED = 20;
function describeStrictFailure(problems: LoadProblem[], ignoredFolders: string[]): string {
  const lines = [
    ...problems.map(formatProblem),
    ...ignoredFolders.map((d) => `${d}: folder ignored (not one of the 24 jamo or not in the layout)`),
  ];
  const shown = lines.slice(0, MAX_LISTED);
  if (lines.length > MAX_LISTED) shown.push(`… and ${lines.length - MAX_LISTED} more`);
  return `strict mode: ${problems.length} file(s) skipped, ${ignoredFolders.length} folder(s) ignored\n  ${shown.join('\n  ')}`;
}
