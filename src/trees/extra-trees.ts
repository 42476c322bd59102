/**
 * Extremely randomised trees (Geurts, Ernst & Wehenkel 2006) for classification: every split
 * draws √F candidate features and one uniform threshold each, and keeps the best by weighted
 * Gini impurity. Leaves hold class distributions; the forest averages them (soft votes).
 *
 * Written here rather than taken from npm: ml-random-forest (the maintained JS forest) needed
 * 282 s to fit 100 trees on the 1,443 episodes of one recording day, and calibration must refit in
 * seconds. Random thresholds make a split O(n) per feature instead of a sort.
 *
 * Portable (no Node imports); deterministic for a seed; sample weights (calibration shots weigh more).
 */
import { Rng } from '../util/rng.js';

export interface ExtraTreesOptions {
  trees: number;
  /** Candidate features per split (default ⌈√F⌉). */
  maxFeatures?: number;
  /** Nodes with fewer samples become leaves. */
  minSamplesSplit: number;
  maxDepth: number;
  seed: number;
}

export const DEFAULT_EXTRA_TREES: ExtraTreesOptions = { trees: 150, minSamplesSplit: 2, maxDepth: 40, seed: 42 };

/**
 * A fitted forest as flat arrays (one row per node, all trees concatenated), so it is stored as
 * tensors in a bundle and read back in the browser as is. A leaf has feature −1 and its class
 * distribution at `value[node·K …]`.
 */
export interface ForestArrays {
  K: number;
  F: number;
  /** Index of each tree's root node. */
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  /** nodes × K leaf class distributions (0 for inner nodes). */
  value: Float32Array;
}

/**
 * Fits a forest. X: N×F row-major, y: N class indices in [0, K), w: N sample weights (default 1).
 */
export function fitExtraTrees(X: Float32Array, y: Int32Array, K: number, F: number, opts: Partial<ExtraTreesOptions> = {}, w?: Float32Array): ForestArrays {
  const o = { ...DEFAULT_EXTRA_TREES, ...opts };
  const N = y.length;
  if (X.length !== N * F) throw new Error(`fitExtraTrees: X holds ${X.length} values, expected ${N} × ${F}`);
  if (N === 0) throw new Error('fitExtraTrees: no samples');
  const weights = w ?? new Float32Array(N).fill(1);
  const mtry = Math.max(1, Math.min(F, o.maxFeatures ?? Math.ceil(Math.sqrt(F))));
  const rng = new Rng(o.seed);
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  // leaf distributions: nodes × K floats, the bulk of a forest; a growing Float32Array, not number[]
  let value = new Float32Array(1024 * K);
  const roots: number[] = [];
  const idx = new Int32Array(N);
  const hist = new Float64Array(K);
  const histL = new Float64Array(K);
  const feats = Array.from({ length: F }, (_, f) => f);

  const newNode = (): number => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    if (feature.length * K > value.length) {
      const grown = new Float32Array(value.length * 2);
      grown.set(value);
      value = grown;
    }
    return feature.length - 1;
  };
  const gini = (h: Float64Array, tot: number): number => {
    if (tot <= 0) return 0;
    let s = 0;
    for (let k = 0; k < K; k++) s += h[k]! * h[k]!;
    return tot - s / tot; // weighted impurity: tot · (1 − Σp²)
  };

  // explicit stack: [node, from, to, depth]
  for (let t = 0; t < o.trees; t++) {
    for (let i = 0; i < N; i++) idx[i] = i;
    const root = newNode();
    roots.push(root);
    const stack: [number, number, number, number][] = [[root, 0, N, 0]];
    while (stack.length > 0) {
      const [node, from, to, depth] = stack.pop()!;
      hist.fill(0);
      let tot = 0;
      for (let i = from; i < to; i++) {
        const s = idx[i]!;
        hist[y[s]!] += weights[s]!;
        tot += weights[s]!;
      }
      let pure = 0;
      for (let k = 0; k < K; k++) if (hist[k]! > 0) pure++;
      const makeLeaf = (): void => {
        for (let k = 0; k < K; k++) value[node * K + k] = tot > 0 ? hist[k]! / tot : 1 / K;
      };
      if (pure <= 1 || to - from < o.minSamplesSplit || depth >= o.maxDepth) {
        makeLeaf();
        continue;
      }
      const parent = gini(hist, tot);
      let bestGain = 1e-12;
      let bestF = -1;
      let bestThr = 0;
      // partial Fisher–Yates: the first mtry entries of feats are this node's candidates
      for (let j = 0; j < mtry; j++) {
        const r = j + rng.int(F - j);
        const tmp = feats[j]!;
        feats[j] = feats[r]!;
        feats[r] = tmp;
      }
      for (let j = 0; j < mtry; j++) {
        const f = feats[j]!;
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = from; i < to; i++) {
          const v = X[idx[i]! * F + f]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        if (!(hi > lo)) continue;
        const thr = lo + rng.next() * (hi - lo);
        histL.fill(0);
        let totL = 0;
        for (let i = from; i < to; i++) {
          const s = idx[i]!;
          if (X[s * F + f]! <= thr) {
            histL[y[s]!] += weights[s]!;
            totL += weights[s]!;
          }
        }
        let g = parent - gini(histL, totL);
        for (let k = 0; k < K; k++) histL[k] = hist[k]! - histL[k]!;
        g -= gini(histL, tot - totL);
        if (g > bestGain) {
          bestGain = g;
          bestF = f;
          bestThr = thr;
        }
      }
      if (bestF < 0) {
        makeLeaf();
        continue;
      }
      // partition idx[from, to) around the threshold
      let a = from;
      let b = to - 1;
      while (a <= b) {
        if (X[idx[a]! * F + bestF]! <= bestThr) a++;
        else {
          const tmp = idx[a]!;
          idx[a] = idx[b]!;
          idx[b] = tmp;
          b--;
        }
      }
      const l = newNode();
      const r = newNode();
      feature[node] = bestF;
      threshold[node] = bestThr;
      left[node] = l;
      right[node] = r;
      stack.push([r, a, to, depth + 1], [l, from, a, depth + 1]);
    }
  }
  return {
    K,
    F,
    roots: Int32Array.from(roots),
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: value.slice(0, feature.length * K),
  };
}

/** Class probabilities, N×K: the mean of the trees' leaf distributions. X: N×F. */
export function predictExtraTrees(forest: ForestArrays, X: Float32Array, N: number): Float32Array {
  const { K, F, roots, feature, threshold, left, right, value } = forest;
  if (X.length !== N * F) throw new Error(`predictExtraTrees: X holds ${X.length} values, expected ${N} × ${F}`);
  const out = new Float32Array(N * K);
  const inv = 1 / roots.length;
  for (let n = 0; n < N; n++) {
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t]!;
      while (feature[node]! >= 0) node = X[n * F + feature[node]!]! <= threshold[node]! ? left[node]! : right[node]!;
      for (let k = 0; k < K; k++) out[n * K + k] += value[node * K + k]! * inv;
    }
  }
  return out;
}

/**
 * One forest holding the trees of both: its probabilities are the mean over all trees, so two
 * forests of equal size average with equal weight.
 */
export function concatForests(a: ForestArrays, b: ForestArrays): ForestArrays {
  if (a.K !== b.K || a.F !== b.F) throw new Error(`concatForests: ${a.K} classes × ${a.F} features against ${b.K} × ${b.F}`);
  const offset = a.feature.length;
  const link = (v: number) => (v >= 0 ? v + offset : v);
  const join = <T extends Int32Array | Float32Array>(x: T, y: T, make: (n: number) => T): T => {
    const out = make(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  const ints = (n: number) => new Int32Array(n);
  return {
    K: a.K,
    F: a.F,
    roots: join(a.roots, b.roots.map(link), ints),
    feature: join(a.feature, b.feature, ints),
    threshold: join(a.threshold, b.threshold, (n) => new Float32Array(n)),
    left: join(a.left, b.left.map(link), ints),
    right: join(a.right, b.right.map(link), ints),
    value: join(a.value, b.value, (n) => new Float32Array(n)),
  };
}
