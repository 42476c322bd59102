/**
 * Values a glove can physically produce, per channel. A reading outside them is a broken file or
 * a broken sensor, not a sign: it is rejected like NaN (with file, row and reason) instead of
 * turning into Infinity in float32 and a NaN loss in every epoch.
 */

/** Largest finite float32: anything bigger becomes Infinity in the episode's Float32Array. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Plausible range per known channel. Flex sensors are read by a 10-bit (0–1023) or 12-bit
 * (0–4095) ADC, with a margin for firmware that subtracts a calibration offset; pitch, roll and
 * yaw are angles in degrees. Channels not listed only have to fit float32.
 */
export const CHANNEL_LIMITS: Readonly<Record<string, readonly [number, number]>> = {
  flex1: [-100, 4200],
  flex2: [-100, 4200],
  flex3: [-100, 4200],
  flex4: [-100, 4200],
  flex5: [-100, 4200],
  pitch: [-360, 360],
  roll: [-360, 360],
  yaw: [-360, 360],
};

/** Why `v` cannot be a reading of `channel`, or undefined when it can. */
export function valueProblem(v: number, channel: string): string | undefined {
  if (Number.isNaN(v)) return 'NaN value';
  if (!Number.isFinite(v) || Math.abs(v) > FLOAT32_MAX) return `value ${v} is too large (outside the float32 range)`;
  const lim = CHANNEL_LIMITS[channel];
  if (lim && (v < lim[0] || v > lim[1])) return `value ${v} is outside the plausible range ${lim[0]}…${lim[1]} for '${channel}'`;
  return undefined;
}

/** Low and high limits for each channel, in order, for tight loops. */
export function limitsOf(channels: readonly string[]): { lo: Float64Array; hi: Float64Array } {
  const lo = new Float64Array(channels.length).fill(-FLOAT32_MAX);
  const hi = new Float64Array(channels.length).fill(FLOAT32_MAX);
  channels.forEach((c, i) => {
    const l = CHANNEL_LIMITS[c];
    if (l) [lo[i], hi[i]] = l;
  });
  return { lo, hi };
}
