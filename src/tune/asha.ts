/**
 * Asynchronous successive halving (ASHA) with epochs as the resource, in its stopping form (as
 * Optuna's SuccessiveHalvingPruner): a trial reports its objective at each rung epoch and goes on
 * only while it is in the top 1/η of every value reported at that rung so far, its own included.
 * Nothing waits for a full bracket, so parallel trials never idle; the first trial at a rung always
 * goes on. Portable: no Node imports.
 */

/** Rung epochs min·η^k below maxEpochs (maxEpochs itself is the end, not a rung). */
export function rungEpochs(minEpochs: number, maxEpochs: number, eta: number): number[] {
  if (!(eta >= 2)) throw new Error(`the reduction factor η must be ≥ 2, got ${eta}`);
  const rungs: number[] = [];
  for (let r = Math.max(1, minEpochs); r < maxEpochs; r = Math.round(r * eta)) rungs.push(r);
  return rungs;
}

/**
 * Whether `value` (higher is better) goes on: it is at least the k-th best of `competing` (which
 * includes it), k = ⌊n/η⌋, at least 1.
 */
export function promotable(value: number, competing: readonly number[], eta: number): boolean {
  const sorted = [...competing].sort((a, b) => b - a);
  const k = Math.max(1, Math.floor(sorted.length / eta));
  return value >= sorted[k - 1]!;
}

/**
 * The values reported at each rung, keyed by trial so a trial that is run again (a retried job,
 * a resumed search) replaces its earlier report instead of counting twice.
 */
export class Asha {
  private readonly rungs: Map<number, number>[] = [];

  constructor(readonly rungEpochs: readonly number[], readonly eta: number) {
    for (let i = 0; i < rungEpochs.length; i++) this.rungs.push(new Map());
  }

  /** Records trial `id`'s value at rung `rung` and says whether it goes on. */
  report(id: number, rung: number, value: number): boolean {
    const at = this.rungs[rung];
    if (!at) throw new Error(`no rung ${rung} (there are ${this.rungs.length})`);
    at.set(id, value);
    return promotable(value, [...at.values()], this.eta);
  }

  /** Values at one rung (for tests and the report). */
  values(rung: number): number[] {
    return [...(this.rungs[rung]?.values() ?? [])];
  }
}
