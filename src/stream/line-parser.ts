/**
 * Turns the glove's text lines into frames. Pure: no I/O, one line at a time.
 *
 * - '#' lines are firmware messages.
 * - A line whose fields are names (e.g. `timestamp,pitch,…` or a recorded episode's
 *   `timestamp_ms,recv_timestamp_ms,…`) is a header: it sets the field order for the lines after it.
 * - Otherwise 9 or 12 numeric fields are read by position (the firmware formats in glove-format.ts).
 * - A line starting with '{' is the JSON-lines firmware: `{"timestamp": s, "yaw": …, "pitch": …,
 *   "roll": …, "flex1": …, …, "flex5": …}` (timestamp in seconds; accel_* optional).
 * Anything else is malformed: reported with a reason, never thrown.
 */
import { firmwareFieldsFor, TIMESTAMP_COLUMNS } from '../data/glove-format.js';
import { DEFAULT_CHANNELS } from '../data/types.js';
import { FRAME_CHANNELS, FRAME_WIDTH, frameChannelIndex, type Frame } from './frame.js';
import { valueProblem } from '../data/value-limits.js';

export type ParsedLine =
  | { kind: 'frame'; frame: Frame }
  | { kind: 'message'; text: string }
  | { kind: 'header'; fields: string[] }
  | { kind: 'empty' }
  | { kind: 'malformed'; reason: string };

/** Where each field of a line goes: FRAME_CHANNELS index, TIMESTAMP, or IGNORED. */
type FieldMap = Int8Array;
const TIMESTAMP = -2;
const IGNORED = -1;

// Channels a frame must carry for any model to use it; accel is optional (9-field firmware).
const REQUIRED = DEFAULT_CHANNELS.map(frameChannelIndex);

const TIMESTAMP_NAMES = new Set<string>(TIMESTAMP_COLUMNS);

function fieldMapOf(names: readonly string[]): FieldMap {
  return Int8Array.from(names, (n) => (TIMESTAMP_NAMES.has(n) ? TIMESTAMP : frameChannelIndex(n)));
}

const FIRMWARE_9 = fieldMapOf(firmwareFieldsFor(9)!);
const FIRMWARE_12 = fieldMapOf(firmwareFieldsFor(12)!);

export class GloveLineParser {
  private header: FieldMap | undefined;

  /** Parses one line (with or without its line ending). */
  parse(rawLine: string): ParsedLine {
    const line = rawLine.trim();
    if (line === '') return { kind: 'empty' };
    if (line.startsWith('#')) return { kind: 'message', text: line.slice(1).trim() };
    if (line.startsWith('{')) return parseJsonLine(line);

    const fields = line.split(',').map((f) => f.trim());
    if (looksLikeHeader(fields)) return this.acceptHeader(fields);

    const map =
      this.header && fields.length === this.header.length
        ? this.header
        : fields.length === 9
          ? FIRMWARE_9
          : fields.length === 12
            ? FIRMWARE_12
            : undefined;
    if (!map) {
      const expected = this.header ? `${this.header.length} (header), 9 or 12` : '9 or 12';
      return { kind: 'malformed', reason: `${fields.length} fields, expected ${expected}` };
    }
    return toFrame(fields, map);
  }

  private acceptHeader(fields: string[]): ParsedLine {
    const names = fields.map((f) => f.toLowerCase());
    const map = fieldMapOf(names);
    if (!map.includes(TIMESTAMP)) return { kind: 'malformed', reason: `header without a timestamp column: ${fields.join(',')}` };
    const missing = REQUIRED.filter((c) => !map.includes(c));
    if (missing.length) {
      return { kind: 'malformed', reason: `header lacks ${DEFAULT_CHANNELS.filter((_, i) => missing.includes(REQUIRED[i]!)).join(', ')}` };
    }
    this.header = map;
    return { kind: 'header', fields: names };
  }
}

/** A header is a line whose first field is not a number but a name (letters, digits, underscores). */
function looksLikeHeader(fields: string[]): boolean {
  const first = fields[0]!;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(first) && fields.some((f) => TIMESTAMP_NAMES.has(f.toLowerCase()) || frameChannelIndex(f.toLowerCase()) >= 0);
}

function toFrame(fields: string[], map: FieldMap): ParsedLine {
  const values = new Float32Array(FRAME_WIDTH).fill(NaN);
  let t = NaN;
  for (let i = 0; i < fields.length; i++) {
    const target = map[i]!;
    if (target === IGNORED) continue;
    const f = fields[i]!;
    // an empty optional field (accel on a glove without one) is a missing value, not an error
    if (f === '' && target >= 0 && !REQUIRED.includes(target)) continue;
    const v = f === '' ? NaN : Number(f);
    if (!Number.isFinite(v)) return { kind: 'malformed', reason: `field ${i + 1} is not a number: '${f.slice(0, 20)}'` };
    if (target === TIMESTAMP) t = v;
    else {
      // the same limits as files: 1e39 would become Infinity in the frame and NaN in the model
      const bad = valueProblem(v, FRAME_CHANNELS[target]!);
      if (bad) return { kind: 'malformed', reason: `field ${i + 1}: ${bad}` };
      values[target] = v;
    }
  }
  if (!Number.isFinite(t)) return { kind: 'malformed', reason: 'no timestamp' };
  return { kind: 'frame', frame: { t, values } };
}

/** One JSON-lines firmware frame; the timestamp is in seconds (the CSV firmware's is in ms). */
function parseJsonLine(line: string): ParsedLine {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return { kind: 'malformed', reason: `malformed JSON: '${line.slice(0, 40)}'` };
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return { kind: 'malformed', reason: 'JSON line is not an object' };
  const rec = obj as Record<string, unknown>;
  const ts = rec['timestamp'];
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return { kind: 'malformed', reason: 'JSON frame without a numeric "timestamp" (seconds)' };
  const values = new Float32Array(FRAME_WIDTH).fill(NaN);
  for (const [key, v] of Object.entries(rec)) {
    const k = frameChannelIndex(key.toLowerCase());
    if (k < 0) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) return { kind: 'malformed', reason: `JSON field "${key}" is not a number` };
    // the same limits as CSV lines and files
    const bad = valueProblem(v, FRAME_CHANNELS[k]!);
    if (bad) return { kind: 'malformed', reason: `JSON field "${key}": ${bad}` };
    values[k] = v;
  }
  const missing = DEFAULT_CHANNELS.filter((_, i) => Number.isNaN(values[REQUIRED[i]!]!));
  if (missing.length) return { kind: 'malformed', reason: `JSON frame lacks ${missing.join(', ')}` };
  return { kind: 'frame', frame: { t: ts * 1000, values } };
}
