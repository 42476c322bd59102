/**
 * Class scores, the one home of argmax and top-k: every ranking of classes (predictions, the live
 * recogniser, metrics, evaluation) breaks ties the same way, the lower class index first. Portable.
 */

/** One candidate class. */
export interface ClassScore {
  jamo: string;
  index: number;
  confidence: number;
}

/** Index (within the row) of the largest of scores[start … start+K); the lowest index wins ties. */
export function argmax(scores: ArrayLike<number>, start = 0, K = scores.length - start): number {
  let best = 0;
  let bestValue = scores[start]!;
  for (let j = 1; j < K; j++) {
    const v = scores[start + j]!;
    if (v > bestValue) {
      best = j;
      bestValue = v;
    }
  }
  return best;
}

/** The k best classes of one row of scores, best first (at least one). */
export function topK(scores: ArrayLike<number>, classes: readonly string[], k: number): ClassScore[] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order.slice(0, Math.max(1, Math.min(k, scores.length))).map((i) => ({ jamo: classes[i]!, index: i, confidence: scores[i]! }));
}
