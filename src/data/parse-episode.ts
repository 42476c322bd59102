/**
 * Parsing one episode CSV (text → Episode). Pure: no file system, so the loader, the web upload
 * and the HTTP API share it.
 *
 * Accepted inputs (header names decide, case-insensitive, quotes and spaces ignored):
 *  - the unified episode CSV (EPISODE_COLUMNS), in any column order;
 *  - the firmware's 9- or 12-field lines, with a header or headerless (fields by position);
 *  - a UTF-8 BOM, CRLF line ends, blank lines and '#' message lines anywhere.
 * Only the requested channels and the timestamp column must be numeric; other columns are ignored.
 */
import { DEFAULT_CHANNELS, type Episode, type LoadProblem } from './types.js';
import { firmwareFieldsFor, TIMESTAMP_COLUMNS } from './glove-format.js';
import { limitsOf, valueProblem } from './value-limits.js';
import { InputError } from '../util/input-error.js';

/** A file that cannot be turned into an episode; `problem` says where and why. */
export class EpisodeParseError extends InputError {
  constructor(readonly problem: LoadProblem) {
    super(formatProblem(problem));
    this.name = 'EpisodeParseError';
  }
}

/** `file:row: reason`, the one-line form used in logs and error messages. */
export function formatProblem(p: LoadProblem): string {
  const where = p.row !== undefined ? `${p.file}:${p.row}` : p.file;
  return `${where}: ${p.reason}`;
}

/** Label and provenance the caller knows from where the text came from. */
export interface EpisodeMeta {
  label?: number;
  jamo?: string;
  session?: string;
  path?: string;
}

/**
 * Parse the text of one episode CSV into an Episode holding `channels` (in that order).
 * Throws EpisodeParseError naming file, row (1-based line) and column for any problem.
 * Length limits are the caller's business (see loadDataset's minLength).
 */
export function parseEpisodeCsv(
  text: string,
  file: string,
  channels: readonly string[] = DEFAULT_CHANNELS,
  meta: EpisodeMeta = {},
): Episode {
  const fail = (reason: string, row?: number, column?: string): never => {
    const problem: LoadProblem = { file, reason };
    if (row !== undefined) problem.row = row;
    if (column !== undefined) problem.column = column;
    throw new EpisodeParseError(problem);
  };
  if (channels.length === 0) fail('no channels requested');

  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // NUL bytes: UTF-16 or a binary file read as text; say so instead of dumping them in a message.
  if (text.indexOf('\u0000') >= 0) fail('the file holds NUL bytes: it is UTF-16 encoded or not a text file; save it as UTF-8 CSV');
  // Old Mac (CR-only) line ends: without this the whole file is one header line.
  const lines = text.indexOf('\n') < 0 && text.indexOf('\r') >= 0 ? text.split('\r') : text.split('\n');

  // The first content line is either the header or, for raw glove logs, already data.
  let first = 0;
  while (first < lines.length && isSkippable(lines[first]!)) first++;
  if (first === lines.length) fail('empty file (no header and no data rows)');

  const firstCells = splitCsvLine(stripCr(lines[first]!));
  let columns: string[];
  let dataStart: number;
  if (looksLikeHeader(firstCells)) {
    columns = firstCells.map(normaliseColumnName);
    dataStart = first + 1;
    const seen = new Set<string>();
    for (const c of columns) {
      if (c !== '' && seen.has(c)) fail(`duplicate column '${c}' in the header`, first + 1, c);
      seen.add(c);
    }
  } else {
    const fields = firmwareFieldsFor(firstCells.length);
    if (!fields) {
      fail(
        `no header, and the line has ${firstCells.length} fields; a headerless glove line has 9 or 12 fields ` +
          '(add a header row naming the columns)',
        first + 1,
      );
    }
    columns = [...fields!];
    dataStart = first;
  }

  const columnIndex = new Map(columns.map((c, i) => [c, i]));
  const channelIdx = channels.map((ch) => {
    const i = columnIndex.get(ch);
    if (i === undefined) {
      fail(`missing column '${ch}' (the file has: ${columns.filter((c) => c !== '').join(', ')})`, first + 1, ch);
    }
    return i!;
  });
  const tsName = TIMESTAMP_COLUMNS.find((c) => columnIndex.has(c));
  const tsIdx = tsName !== undefined ? columnIndex.get(tsName)! : -1;

  const C = channels.length;
  const width = columns.length;
  const data = new Float32Array((lines.length - dataStart) * C);
  const stamps = tsIdx >= 0 ? new Float64Array(lines.length - dataStart) : undefined;
  let t = 0;
  // Column → slot in `row` (channels first, then the timestamp), -1 for columns not read.
  const slotOf = new Int32Array(width).fill(-1);
  channelIdx.forEach((col, c) => (slotOf[col] = c));
  if (tsIdx >= 0) slotOf[tsIdx] = C;
  const row = new Float64Array(C + 1);
  const { lo, hi } = limitsOf(channels);
  for (let li = dataStart; li < lines.length; li++) {
    const line = stripCr(lines[li]!);
    if (isSkippable(line)) continue;
    // The fast path covers plain numeric rows; anything unusual goes through the careful path,
    // which either reads it (quoted numbers, long mantissas) or says exactly what is wrong.
    if (!parseRowFast(line, slotOf, width, row)) {
      const cells = splitCsvLine(line);
      if (cells.length !== width) fail(`row has ${cells.length} fields, expected ${width}`, li + 1);
      for (let col = 0; col < width; col++) {
        const slot = slotOf[col]!;
        if (slot < 0) continue;
        const v = parseNumber(cells[col]!);
        const name = slot < C ? channels[slot]! : tsName!;
        if (Number.isNaN(v)) fail(`column '${name}': ${describeBadCell(cells[col]!)}`, li + 1, name);
        row[slot] = v;
      }
    }
    for (let c = 0; c < C; c++) {
      const v = row[c]!;
      if (!(v >= lo[c]! && v <= hi[c]!)) fail(`column '${channels[c]}': ${valueProblem(v, channels[c]!)}`, li + 1, channels[c]);
      data[t * C + c] = v;
    }
    if (stamps) stamps[t] = row[C]!;
    t++;
  }
  if (t === 0) fail('no data rows (only a header)');

  const episode: Episode = {
    file,
    label: meta.label ?? -1,
    jamo: meta.jamo ?? '',
    session: meta.session ?? '',
    channels: [...channels],
    data: data.slice(0, t * C),
    length: t,
  };
  if (stamps) episode.timestampsMs = stamps.slice(0, t);
  if (meta.path !== undefined) episode.path = meta.path;
  return episode;
}

/** Like parseEpisodeCsv, but returns the problem instead of throwing it. */
export function tryParseEpisodeCsv(
  text: string,
  file: string,
  channels: readonly string[] = DEFAULT_CHANNELS,
  meta: EpisodeMeta = {},
): { episode: Episode; problem?: undefined } | { episode?: undefined; problem: LoadProblem } {
  try {
    return { episode: parseEpisodeCsv(text, file, channels, meta) };
  } catch (err) {
    if (err instanceof EpisodeParseError) return { problem: err.problem };
    throw err;
  }
}

/** Split one CSV line, honouring double quotes ("a,b" and "" escapes). */
export function splitCsvLine(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

/** Blank lines and firmware '#' messages carry no frame. */
function isSkippable(line: string): boolean {
  const c0 = line.charCodeAt(0);
  if (c0 >= 45 && c0 <= 57) return false; // starts with '-', '.', '/' or a digit: the common case
  const s = line.trim();
  return s === '' || s[0] === '#';
}

function normaliseColumnName(cell: string): string {
  return cell.trim().replace(/^"|"$/g, '').trim().toLowerCase();
}

// A header has at least one cell with letters that is not a spelled-out NaN/Infinity
// (so a headerless line with a bad "nan" cell is reported as a bad cell, not as a header).
const LETTERS = /[a-z_]/i;
const NON_FINITE_WORD = /^[-+]?(nan|inf|infinity)$/i;
function looksLikeHeader(cells: string[]): boolean {
  return cells.some((c) => {
    const s = c.trim().replace(/^"|"$/g, '');
    return LETTERS.test(s) && !NON_FINITE_WORD.test(s);
  });
}

/** A finite number, or NaN for empty, non-numeric, NaN or infinite cells. */
function parseNumber(cell: string): number {
  let s = cell;
  if (s.charCodeAt(0) === 34 /* " */ || s.indexOf('"') >= 0) s = s.trim().replace(/^"|"$/g, '');
  // Number('') and Number('  ') are 0, and Number('0x1f') is 31: neither is a sensor reading.
  if (s.trim() === '' || /[xob]/i.test(s)) return NaN;
  const v = Number(s);
  return Number.isFinite(v) ? v : NaN;
}

function describeBadCell(cell: string): string {
  const s = cell.trim();
  if (s === '' || s === '""') return 'empty cell';
  if (/^[-+]?nan$/i.test(s)) return 'NaN value';
  if (/^[-+]?inf(inity)?$/i.test(s)) return `infinite value '${s}'`;
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) && !Number.isFinite(Number(s))) return `value '${clip(s)}' is too large (outside the float32 range)`;
  return `non-numeric value '${clip(s)}'`;
}

const clip = (s: string): string => (s.length > 40 ? s.slice(0, 40) + '…' : s);

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const COMMA = 44;

/**
 * Read the wanted cells of a plain numeric row straight from the character codes into `row`.
 * Returns false (row untouched or partly written) when the row needs the careful path: a wrong
 * field count, quotes, non-numeric text, or more digits than a double holds exactly. Values equal
 * Number(cell): an integer mantissa below 2^53 divided or multiplied by an exact power of ten is
 * correctly rounded.
 */
function parseRowFast(line: string, slotOf: Int32Array, width: number, row: Float64Array): boolean {
  const n = line.length;
  let i = 0;
  for (let field = 0; field < width; field++) {
    const slot = slotOf[field]!;
    if (slot < 0) {
      while (i < n && line.charCodeAt(i) !== COMMA) i++;
    } else {
      let c = line.charCodeAt(i);
      while (c === 32 || c === 9) c = line.charCodeAt(++i);
      let negative = false;
      if (c === 45 || c === 43) {
        negative = c === 45;
        c = line.charCodeAt(++i);
      }
      let mantissa = 0;
      let digits = 0;
      let exponent = 0;
      while (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
        c = line.charCodeAt(++i);
      }
      if (c === 46) {
        c = line.charCodeAt(++i);
        while (c >= 48 && c <= 57) {
          mantissa = mantissa * 10 + (c - 48);
          digits++;
          exponent--;
          c = line.charCodeAt(++i);
        }
      }
      if (digits === 0 || digits > 15) return false;
      if (c === 101 || c === 69) {
        c = line.charCodeAt(++i);
        let expNegative = false;
        if (c === 45 || c === 43) {
          expNegative = c === 45;
          c = line.charCodeAt(++i);
        }
        let e = 0;
        let expDigits = 0;
        while (c >= 48 && c <= 57 && expDigits < 4) {
          e = e * 10 + (c - 48);
          expDigits++;
          c = line.charCodeAt(++i);
        }
        if (expDigits === 0) return false;
        exponent += expNegative ? -e : e;
      }
      while (c === 32 || c === 9) c = line.charCodeAt(++i);
      if (i < n && c !== COMMA) return false;
      let v: number;
      if (exponent === 0) v = mantissa;
      else if (exponent < 0 && exponent >= -22) v = mantissa / POW10[-exponent]!;
      else if (exponent > 0 && exponent <= 22) v = mantissa * POW10[exponent]!;
      else return false;
      row[slot] = negative ? -v : v;
    }
    if (field < width - 1) {
      if (i >= n) return false; // too few fields
      i++; // the comma
    }
  }
  return i >= n; // anything left means too many fields
}
