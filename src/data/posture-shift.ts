/**
 * How each letter's flex readings move between the recorder's posture variants (folders 1–5:
 * much extended … much bent, 3 the basic posture), learnt on the training days, so a calibration
 * from a few basic-posture holds can be spread over the postures the wearer will also sign in.
 *
 * Why: a posture variant moves the flex readings of one letter about as much as letters differ,
 * and differently per letter (not one offset for all), so shots of the basic posture alone do not
 * carry over to the others. The per-letter shift measured on the training days does, mostly.
 *
 * Portable (no Node imports).
 */

/** Per-letter mean shift of the flex inputs from the base posture to each other posture, in standardised units. */
export interface PostureShifts {
  base: string;
  /** The other postures, in the order of `shift`'s second index. */
  postures: string[];
  /** The flex inputs shifted, in the order of `shift`'s third index. */
  channels: string[];
  /** shift[class][posture][channel]; null where the training days had no such episodes. */
  shift: (number[] | null)[][];
}

/**
 * Learns the shifts from normalised episodes (length × inputs) with their class and posture
 * folder; null when the episodes do not come in posture folders including the base one.
 */
export function fitPostureShifts(
  inputs: readonly string[],
  episodes: readonly { data: Float32Array; length: number; label: number; session: string }[],
  classes: number,
  base = '3',
): PostureShifts | null {
  const channels = inputs.filter((c) => c.startsWith('flex'));
  const cols = channels.map((c) => inputs.indexOf(c));
  const postures = [...new Set(episodes.map((e) => e.session))].filter((p) => p !== base).sort();
  if (postures.length === 0 || !episodes.some((e) => e.session === base)) return null;
  const I = inputs.length;
  // sums[class][posture name] = [frames, Σ per channel]
  const sums = Array.from({ length: classes }, () => new Map<string, { n: number; s: Float64Array }>());
  for (const e of episodes) {
    const m = sums[e.label];
    if (!m) continue;
    const acc = m.get(e.session) ?? { n: 0, s: new Float64Array(cols.length) };
    for (let t = 0; t < e.length; t++) cols.forEach((c, k) => (acc.s[k] += e.data[t * I + c]!));
    acc.n += e.length;
    m.set(e.session, acc);
  }
  const mean = (a: { n: number; s: Float64Array } | undefined) => (a && a.n > 0 ? Array.from(a.s, (v) => v / a.n) : null);
  const shift = sums.map((m) => {
    const b = mean(m.get(base));
    return postures.map((p) => {
      const q = mean(m.get(p));
      return b && q ? q.map((v, k) => v - b[k]!) : null;
    });
  });
  return { base, postures, channels, shift };
}

/**
 * A letter's shift into each other posture (per `shifts.channels`), for the postures the training
 * days showed it in. A finger whose shift they could not learn (its sensor broken on all of them)
 * moves as its neighbours do on average: fingers bend together.
 */
export function letterShifts(shifts: PostureShifts, label: number, unlearnt: readonly string[] = []): { posture: string; shift: number[] }[] {
  const standIn = shifts.channels.map((c, k) => (unlearnt.includes(c) ? [k - 1, k + 1].filter((j) => j >= 0 && j < shifts.channels.length && !unlearnt.includes(shifts.channels[j]!)) : null));
  const out: { posture: string; shift: number[] }[] = [];
  (shifts.shift[label] ?? []).forEach((d0, q) => {
    if (!d0) return;
    const shift = d0.map((v, k) => {
      const n = standIn[k];
      return n && n.length ? n.reduce((a, j) => a + d0[j]!, 0) / n.length : v;
    });
    out.push({ posture: shifts.postures[q]!, shift });
  });
  return out;
}

/**
 * Copies of a normalised episode moved into each other posture by its letter's shifts (the
 * episode itself not included), each with the posture it stands for; none for a letter without
 * shifts.
 */
export function postureCopies(
  shifts: PostureShifts,
  inputs: readonly string[],
  e: { data: Float32Array; length: number; label: number },
  unlearnt: readonly string[] = [],
): { posture: string; data: Float32Array }[] {
  const I = inputs.length;
  const cols = shifts.channels.map((c) => inputs.indexOf(c));
  return letterShifts(shifts, e.label, unlearnt).map(({ posture, shift }) => {
    const copy = e.data.slice(0, e.length * I);
    for (let t = 0; t < e.length; t++) {
      cols.forEach((c, k) => {
        // a masked or unknown channel stays 0 (the value the pipeline writes for it)
        if (c >= 0 && copy[t * I + c] !== 0) copy[t * I + c]! += shift[k]!;
      });
    }
    return { posture, data: copy };
  });
}
