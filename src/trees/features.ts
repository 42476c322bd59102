/**
 * Per-episode summary features for the tree ensemble, computed from session-normalised frames
 * (src/data/session-norm.ts): for every input channel, and for every flex channel relative to
 * the hand's common flex (which posture variants and a new wearing shift together), the mean,
 * standard deviation and the 10/25/50/75/90th percentiles. A held sign is nearly static, so
 * these carry what the sequence models use, and they do not depend on how long the sign is held.
 *
 * Portable (no Node imports).
 */

export const FEATURE_STATS = ['mean', 'std', 'p10', 'p25', 'p50', 'p75', 'p90'] as const;

/** Names of the derived series, in feature order: inputs, flex-minus-common for each flex input, the common flex. */
export function featureSeries(inputs: readonly string[]): string[] {
  const flex = inputs.filter((c) => c.startsWith('flex'));
  return [...inputs, ...flex.map((c) => `${c}-common`), ...(flex.length > 1 ? ['flex-common'] : [])];
}

/** Feature names, e.g. `flex2.p90`, for model cards and importance tables. */
export function featureNames(inputs: readonly string[]): string[] {
  return featureSeries(inputs).flatMap((s) => FEATURE_STATS.map((st) => `${s}.${st}`));
}

/**
 * Features of N episodes. frames[i]: length_i × I normalised values (the pipeline's inputs);
 * `unknown` lists inputs that are masked (read 0) for the session: they are left out of the common flex.
 * Returns N × F row-major.
 */
export function summaryFeatures(inputs: readonly string[], frames: readonly { data: Float32Array; length: number }[], unknown: readonly string[] = []): Float32Array {
  const I = inputs.length;
  const flexIdx = inputs.map((c, i) => (c.startsWith('flex') ? i : -1)).filter((i) => i >= 0);
  const liveFlex = flexIdx.filter((i) => !unknown.includes(inputs[i]!));
  const S = featureSeries(inputs).length;
  const F = S * FEATURE_STATS.length;
  const out = new Float32Array(frames.length * F);
  frames.forEach((f, n) => {
    const L = f.length;
    if (L < 1) throw new Error(`episode ${n} has no frames`);
    const series: Float32Array[] = [];
    for (let c = 0; c < I; c++) {
      const col = new Float32Array(L);
      // an unknown input reads 0, as the pipeline writes a masked channel (so a variant that masks one more channel matches)
      if (!unknown.includes(inputs[c]!)) for (let t = 0; t < L; t++) col[t] = f.data[t * I + c]!;
      series.push(col);
    }
    if (flexIdx.length > 1) {
      const common = new Float32Array(L);
      if (liveFlex.length > 0) {
        for (let t = 0; t < L; t++) {
          let s = 0;
          for (const i of liveFlex) s += f.data[t * I + i]!;
          common[t] = s / liveFlex.length;
        }
      }
      for (const i of flexIdx) {
        const rel = new Float32Array(L);
        if (!unknown.includes(inputs[i]!)) for (let t = 0; t < L; t++) rel[t] = series[i]![t]! - common[t]!;
        series.push(rel);
      }
      series.push(common);
    } else {
      if (flexIdx.length === 1) series.push(new Float32Array(L)); // flex-minus-common of a lone flex: 0, keeps F fixed
    }
    let o = n * F;
    for (const col of series) {
      let sum = 0;
      for (let t = 0; t < L; t++) sum += col[t]!;
      const mean = sum / L;
      let sq = 0;
      for (let t = 0; t < L; t++) sq += (col[t]! - mean) ** 2;
      const sorted = Float32Array.from(col).sort();
      const q = (p: number) => sorted[Math.min(L - 1, Math.floor(L * p))]!;
      out[o++] = mean;
      out[o++] = Math.sqrt(sq / L);
      out[o++] = q(0.1);
      out[o++] = q(0.25);
      out[o++] = q(0.5);
      out[o++] = q(0.75);
      out[o++] = q(0.9);
    }
  });
  return out;
}

/**
 * Features of an episode whose every frame moved by a constant per input (`shift[i]`, 0 for inputs
 * that do not move), computed from its own features `x` (F values) instead of its frames: a mean
 * and every percentile move by the constant, a standard deviation does not; the flex-minus-common
 * series move by their input's shift minus the mean shift of the known flex inputs, the common flex
 * by that mean. `unknown` as in summaryFeatures (those inputs must not move). The same values as
 * summaryFeatures of the moved frames, up to rounding, where no frame of a moved input reads
 * exactly 0 (postureCopies leaves those in place).
 */
export function shiftedFeatures(inputs: readonly string[], x: Float32Array, shift: readonly number[], unknown: readonly string[] = []): Float32Array {
  const flexIdx = inputs.map((c, i) => (c.startsWith('flex') ? i : -1)).filter((i) => i >= 0);
  const liveFlex = flexIdx.filter((i) => !unknown.includes(inputs[i]!));
  const common = flexIdx.length > 1 && liveFlex.length > 0 ? liveFlex.reduce((a, i) => a + shift[i]!, 0) / liveFlex.length : 0;
  const perSeries = [
    ...inputs.map((c, i) => (unknown.includes(c) ? 0 : shift[i]!)),
    ...(flexIdx.length > 1 ? [...flexIdx.map((i) => (unknown.includes(inputs[i]!) ? 0 : shift[i]! - common)), common] : flexIdx.length === 1 ? [0] : []),
  ];
  const K = FEATURE_STATS.length;
  if (x.length !== perSeries.length * K) throw new Error(`shiftedFeatures: ${x.length} features, expected ${perSeries.length * K}`);
  const out = Float32Array.from(x);
  perSeries.forEach((d, s) => {
    FEATURE_STATS.forEach((st, j) => {
      if (st !== 'std') out[s * K + j]! += d;
    });
  });
  return out;
}
