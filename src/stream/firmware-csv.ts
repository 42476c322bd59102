/** Writes frames as the firmware's 12-field CSV lines (with a header), so any source can replay them. */
import { FIRMWARE_FIELDS_12 } from '../data/glove-format.js';
import { frameChannelIndex, type Frame } from './frame.js';

const FIELD_INDEX = FIRMWARE_FIELDS_12.map((f) => (f === 'timestamp' ? -1 : frameChannelIndex(f)));

export const FIRMWARE_HEADER = FIRMWARE_FIELDS_12.join(',');

/** One 12-field firmware line (no line ending): flex as integers, angles to 0.01°, accel to 0.001 g. */
export function formatFirmwareLine(frame: Frame): string {
  return FIELD_INDEX.map((k, i) => {
    if (k < 0) return String(Math.round(frame.t));
    const v = frame.values[k]!;
    if (!Number.isFinite(v)) return '';
    const name = FIRMWARE_FIELDS_12[i]!;
    return name.startsWith('flex') ? String(Math.round(v)) : name.startsWith('accel') ? v.toFixed(3) : v.toFixed(2);
  }).join(',');
}
