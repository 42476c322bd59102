/**
 * Reading one data file without trusting what it is: only regular files, never more than a size
 * limit, and a clear reason (not a hang or a NUL-byte dump) for anything else.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Largest episode file read, in bytes: 10,000 frames of a wide firmware line fit many times over. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Why a file was not read, meant for the user as is (the caller adds the file name). */
export class UnreadableFileError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnreadableFileError';
  }
}

// O_NONBLOCK: opening a FIFO with nobody writing returns at once instead of waiting forever.
// (Windows has no such flag and no FIFOs in the file system.)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function kindOf(s: ReturnType<typeof fstatSync>): string {
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  if (s.isDirectory()) return 'a folder';
  return 'not a regular file';
}

const mb = (n: number): string => `${(n / (1024 * 1024)).toFixed(n < 1024 * 1024 ? 2 : 1)} MB`;

/**
 * The text of a regular file of at most `maxBytes` bytes, decoded as UTF-8 (BOM kept for the
 * parser). Throws UnreadableFileError naming the reason: not a regular file, too large, UTF-16,
 * or the system's error.
 */
export function readTextFileBounded(file: string, maxBytes = MAX_FILE_BYTES): string {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (err) {
    throw new UnreadableFileError(`cannot read: ${describeFsError(err)}`);
  }
  try {
    const s = fstatSync(fd);
    // Decided on the open file, so a name swapped for a FIFO after the folder listing is still refused.
    if (!s.isFile()) throw new UnreadableFileError(`${kindOf(s)}, not a regular file; skipped`);
    const tooBig = (): UnreadableFileError =>
      new UnreadableFileError(`file is larger than the ${mb(maxBytes)} limit per file${s.size > maxBytes ? ` (${mb(s.size)})` : ''}; skipped`);
    if (s.size > maxBytes) throw tooBig();
    // Read at most maxBytes + 1 whatever the size said: the file may be growing.
    const buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(s.size + 1, 64 * 1024)));
    let n = 0;
    for (;;) {
      if (n === buf.length) break;
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    if (n > maxBytes) throw tooBig();
    return decodeText(buf.subarray(0, n));
  } catch (err) {
    if (err instanceof UnreadableFileError) throw err;
    throw new UnreadableFileError(`cannot read: ${describeFsError(err)}`);
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 text of a file's bytes; UTF-16 (by its BOM or its NUL bytes) is refused with a reason. */
export function decodeText(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff) || looksUtf16(bytes)) {
    throw new UnreadableFileError('the file is UTF-16 encoded; save it as UTF-8 (CSV UTF-8)');
  }
  return new TextDecoder('utf-8').decode(bytes);
}

// UTF-16 text without a BOM has a NUL in every other byte of its ASCII characters.
function looksUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 512);
  if (n < 4) return false;
  let zeros = 0;
  for (let i = 0; i < n; i++) if (bytes[i] === 0) zeros++;
  return zeros >= n / 4;
}

/** `permission denied` rather than `EACCES: permission denied, open '/very/long/path'`. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file or folder';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EISDIR':
      return 'is a folder';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENXIO':
      return 'not a regular file (no device behind it)';
    default:
      return e?.message ?? String(err);
  }
}
