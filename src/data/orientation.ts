/**
 * The hand's orientation as a gravity direction, aligned between wearings.
 *
 * Why: the IMU board sits at another angle on the hand each time the glove is put on. Between the
 * two recording days here the same letters' gravity vectors differ by a rotation of about 45°
 * about the board's normal (z), which mixes pitch and roll non-linearly: standardising pitch and
 * roll one by one cannot undo it, a rotation can. A session's rotation is estimated without
 * labels, from where gravity points over its frames (the azimuth of its x–y part): the session's
 * azimuth histogram is matched against the model's reference histogram by circular
 * cross-correlation. Letters spread gravity over many azimuths, so a minute of mixed signing (or a
 * calibration's shots) pins the angle down to about ±10°.
 *
 * Portable (no Node imports).
 */

/** The derived inputs: the unit gravity vector in the board's frame, rotated into the model's frame. */
export const GRAVITY_INPUTS = ['grav_x', 'grav_y', 'grav_z'] as const;
export type GravityInput = (typeof GRAVITY_INPUTS)[number];

/** 5° bins over (−180°, 180°]. */
export const AZIMUTH_BINS = 72;

export function isGravityInput(ch: string): ch is GravityInput {
  return (GRAVITY_INPUTS as readonly string[]).includes(ch);
}

/**
 * Gravity in the board's frame from the filter's pitch and roll (degrees), the same convention as
 * the accelerometer (x = −sin pitch, y = sin roll · cos pitch, z = cos roll · cos pitch); on the
 * recordings it agrees with the measured acceleration within a few degrees.
 */
export function gravityOf(pitchDeg: number, rollDeg: number, out: Float64Array | number[] = new Float64Array(3)): Float64Array | number[] {
  const p = (pitchDeg * Math.PI) / 180;
  const r = (rollDeg * Math.PI) / 180;
  const cp = Math.cos(p);
  out[0] = -Math.sin(p);
  out[1] = Math.sin(r) * cp;
  out[2] = Math.cos(r) * cp;
  return out;
}

/** Adds one frame's gravity to an azimuth histogram, weighted by its x–y length (an upright board has no azimuth). */
export function addAzimuth(hist: Float64Array, gx: number, gy: number): void {
  const w = Math.hypot(gx, gy);
  if (!(w > 0)) return;
  const a = Math.atan2(gy, gx); // (−π, π]
  const bin = Math.min(AZIMUTH_BINS - 1, Math.floor(((a + Math.PI) / (2 * Math.PI)) * AZIMUTH_BINS));
  hist[bin] += w;
}

/** Circular Gaussian smoothing (σ = 2 bins) and unit sum, so nearby azimuths overlap. */
function smoothed(hist: readonly number[]): Float64Array {
  const n = hist.length;
  const out = new Float64Array(n);
  const radius = 6;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = -radius; d <= radius; d++) s += hist[(i + d + n) % n]! * Math.exp(-0.5 * (d / 2) ** 2);
    out[i] = s;
  }
  const total = out.reduce((a, v) => a + v, 0);
  if (total > 0) for (let i = 0; i < n; i++) out[i]! /= total;
  return out;
}

/**
 * The rotation about z (degrees, in [0, 360)) that carries the reference's azimuths onto the
 * session's: the session's gravity is rotated by minus this to read in the model's frame.
 * An empty histogram on either side gives 0 (nothing to align).
 */
export function azimuthShift(reference: readonly number[], session: readonly number[]): number {
  if (reference.length !== AZIMUTH_BINS || session.length !== AZIMUTH_BINS) {
    throw new Error(`azimuth histograms need ${AZIMUTH_BINS} bins, got ${reference.length} and ${session.length}`);
  }
  const r = smoothed(reference);
  const s = smoothed(session);
  if (!(r.some((v) => v > 0) && s.some((v) => v > 0))) return 0;
  let best = 0;
  let bestScore = -Infinity;
  for (let k = 0; k < AZIMUTH_BINS; k++) {
    let score = 0;
    for (let i = 0; i < AZIMUTH_BINS; i++) score += r[i]! * s[(i + k) % AZIMUTH_BINS]!;
    if (score > bestScore + 1e-12) {
      bestScore = score;
      best = k;
    }
  }
  return (best * 360) / AZIMUTH_BINS;
}

/** A histogram rotated by `deg` (a multiple of the bin width): what the session looks like in the model's frame. */
export function rotateHistogram(hist: readonly number[], deg: number): number[] {
  const k = Math.round((deg / 360) * AZIMUTH_BINS);
  return Array.from({ length: AZIMUTH_BINS }, (_, i) => hist[(((i - k) % AZIMUTH_BINS) + AZIMUTH_BINS) % AZIMUTH_BINS]!);
}
