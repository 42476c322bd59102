/**
 * A captured hold as an episode file of the recorded datasets: the same 14 columns, timestamps
 * relative to the hold's first frame, the receive time on the computer's clock, the rate between
 * frames. Values are written with the fewest digits that read back as the same float32, so the
 * data loader gets exactly the frames that were captured. Portable.
 */
import type { Frame } from '../stream/frame.js';
import { frameChannelIndex } from '../stream/frame.js';

export const EPISODE_COLUMNS = [
  'timestamp_ms', 'recv_timestamp_ms', 'pitch', 'roll', 'yaw', 'flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'sampling_hz', 'accel_x', 'accel_y', 'accel_z',
] as const;

const VALUE_COLUMNS = ['pitch', 'roll', 'yaw', 'flex1', 'flex2', 'flex3', 'flex4', 'flex5'].map(frameChannelIndex);
const ACCEL = ['accel_x', 'accel_y', 'accel_z'].map(frameChannelIndex);

/** Shortest decimal that is the same float32. */
export function float32Text(v: number): string {
  if (Number.isNaN(v)) return '';
  for (let p = 1; p <= 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return String(s);
  }
  return String(v);
}

/**
 * `recvMs`: when each frame arrived (epoch ms); `previousT`: device time of the frame before the
 * hold, for the first row's rate.
 */
export function episodeCsv(frames: readonly Frame[], recvMs: readonly number[], previousT?: number): string {
  const t0 = frames[0]?.t ?? 0;
  const lines: string[] = [EPISODE_COLUMNS.join(',')];
  frames.forEach((f, i) => {
    const prevT = i > 0 ? frames[i - 1]!.t : previousT;
    const dt = prevT === undefined ? (frames[1] ? frames[1].t - f.t : NaN) : f.t - prevT;
    const hz = dt > 0 ? String(1000 / dt) : '';
    const cells = [
      String(Math.round(f.t - t0)),
      String(Math.round(recvMs[i] ?? 0)),
      ...VALUE_COLUMNS.map((k) => float32Text(f.values[k]!)),
      hz,
      ...ACCEL.map((k) => float32Text(f.values[k]!)),
    ];
    lines.push(cells.join(','));
  });
  return `${lines.join('\n')}\n`;
}

/** episode_<YYYYMMDD>_<HHMMSS>_<jamo>_<variant>.csv for a local time. */
export function episodeFileName(when: Date, jamo: string, variant: string): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const d = `${when.getFullYear()}${p(when.getMonth() + 1)}${p(when.getDate())}`;
  const t = `${p(when.getHours())}${p(when.getMinutes())}${p(when.getSeconds())}`;
  return `episode_${d}_${t}_${jamo}_${variant}.csv`;
}
