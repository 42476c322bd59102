/** Angle channels wrap at ±180°: statistics and motion must use unwrapped values. */
export function isAngleChannel(name: string): boolean {
  return name === 'pitch' || name === 'roll' || name === 'yaw';
}

/** Unwraps channel c of a row-major T×C series in place (removes ±360° jumps). */
export function unwrapAngles(x: Float64Array | Float32Array, C: number, c: number): void {
  let offset = 0;
  for (let i = c + C; i < x.length; i += C) {
    const raw = x[i]! + offset;
    const d = raw - x[i - C]!;
    if (d > 180) offset -= 360;
    else if (d < -180) offset += 360;
    x[i] = x[i]! + offset;
  }
}

/** The same angle in (-180, 180]. */
export function wrapAngle(deg: number): number {
  let a = ((deg + 180) % 360 + 360) % 360 - 180;
  if (a === -180) a = 180;
  return a;
}

/** Smallest signed difference a - b between two angles. */
export function angleDifference(a: number, b: number): number {
  return wrapAngle(a - b);
}
