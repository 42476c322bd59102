/** Softmax and mean softmax cross-entropy over B rows of K logits (PyTorch F.cross_entropy). */

/** Row-wise softmax of B×K logits (max-subtracted for stability). */
export function softmax(logits: Float32Array, B: number, K: number): Float32Array {
  const p = new Float32Array(B * K);
  for (let b = 0; b < B; b++) {
    const o = b * K;
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, logits[o + k]!);
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(logits[o + k]! - m);
    for (let k = 0; k < K; k++) p[o + k] = Math.exp(logits[o + k]! - m) / s;
  }
  return p;
}

/**
 * loss = mean_b −log softmax(logits_b)[target_b]; dLogits = (probs − onehot) / B.
 * targets: B class indices in [0, K).
 */
export function softmaxCrossEntropy(
  logits: Float32Array, targets: ArrayLike<number>, B: number, K: number,
): { loss: number; dLogits: Float32Array; probs: Float32Array } {
  if (logits.length < B * K) throw new Error(`softmaxCrossEntropy: logits hold ${logits.length} values, need B·K = ${B * K}`);
  const probs = new Float32Array(B * K);
  const dLogits = new Float32Array(B * K);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const y = targets[b]!;
    if (!(Number.isInteger(y) && y >= 0 && y < K)) throw new Error(`softmaxCrossEntropy: target ${y} of row ${b} is not a class in 0..${K - 1}`);
    const o = b * K;
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, logits[o + k]!);
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(logits[o + k]! - m);
    const logZ = m + Math.log(s);
    loss += logZ - logits[o + y]!;
    for (let k = 0; k < K; k++) {
      const p = Math.exp(logits[o + k]! - logZ);
      probs[o + k] = p;
      dLogits[o + k] = (p - (k === y ? 1 : 0)) / B;
    }
  }
  return { loss: loss / B, dLogits, probs };
}
