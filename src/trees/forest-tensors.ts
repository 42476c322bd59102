/**
 * A forest as bundle tensors (`trees.*`, stored F32 like every tensor: node indices stay far below
 * 2^24, so they are exact), and back. The features the forest was fitted on travel with it
 * (`trees.source_x`, `trees.source_y`), so calibration can refit it anywhere, the browser included.
 */
import type { StateDict } from '../models/types.js';
import type { ForestArrays } from './extra-trees.js';

/**
 * The features a forest was fitted on, and the same episodes' features with one more flex channel
 * masked (`without[channel]`): a session whose sensor is broken gets a forest refitted without
 * it, never one that reads the dead channel's 0 as a cue.
 */
export interface TreeSource {
  x: Float32Array;
  y: Int32Array;
  without?: Record<string, Float32Array>;
}
const WITHOUT_PREFIX = 'trees.source_x_without_';

export function forestToTensors(forest: ForestArrays, source?: TreeSource): StateDict {
  const sd: StateDict = new Map();
  const nodes = forest.feature.length;
  sd.set('trees.roots', { shape: [forest.roots.length], data: Float32Array.from(forest.roots) });
  sd.set('trees.feature', { shape: [nodes], data: Float32Array.from(forest.feature) });
  sd.set('trees.threshold', { shape: [nodes], data: forest.threshold });
  sd.set('trees.left', { shape: [nodes], data: Float32Array.from(forest.left) });
  sd.set('trees.right', { shape: [nodes], data: Float32Array.from(forest.right) });
  sd.set('trees.value', { shape: [nodes, forest.K], data: forest.value });
  if (source) {
    sd.set('trees.source_x', { shape: [source.y.length, forest.F], data: source.x });
    sd.set('trees.source_y', { shape: [source.y.length], data: Float32Array.from(source.y) });
    for (const [ch, x] of Object.entries(source.without ?? {})) sd.set(`${WITHOUT_PREFIX}${ch}`, { shape: [source.y.length, forest.F], data: x });
  }
  return sd;
}

export function forestFromTensors(sd: StateDict, F: number, file: string): { forest: ForestArrays; source?: TreeSource } {
  const get = (name: string) => {
    const t = sd.get(name);
    if (!t) throw new Error(`${file}: tree bundle has no tensor '${name}'`);
    return t;
  };
  const value = get('trees.value');
  const [nodes, K] = value.shape as [number, number];
  const feature = Int32Array.from(get('trees.feature').data);
  const roots = Int32Array.from(get('trees.roots').data);
  const left = Int32Array.from(get('trees.left').data);
  const right = Int32Array.from(get('trees.right').data);
  const threshold = get('trees.threshold').data;
  for (const [n, a] of [['feature', feature], ['left', left], ['right', right], ['threshold', threshold]] as const) {
    if (a.length !== nodes) throw new Error(`${file}: trees.${n} has ${a.length} entries for ${nodes} nodes`);
  }
  for (const i of [...roots, ...left, ...right]) {
    if (i >= nodes || i < -1) throw new Error(`${file}: tree bundle links to node ${i} of ${nodes}`);
  }
  const sx = sd.get('trees.source_x');
  const sy = sd.get('trees.source_y');
  if (sx && sx.shape[1] !== F) throw new Error(`${file}: trees.source_x has ${sx.shape[1]} features, the bundle says ${F}`);
  for (const f of feature) if (f >= F) throw new Error(`${file}: a tree splits on feature ${f} of ${F}`);
  const forest: ForestArrays = { K, F, roots, feature, threshold, left, right, value: value.data };
  if (!(sx && sy)) return { forest };
  const without: Record<string, Float32Array> = {};
  for (const [name, t] of sd) {
    if (!name.startsWith(WITHOUT_PREFIX)) continue;
    if (t.shape[0] !== sx.shape[0] || t.shape[1] !== F) throw new Error(`${file}: ${name} has shape ${t.shape.join('×')}, expected ${sx.shape[0]}×${F}`);
    without[name.slice(WITHOUT_PREFIX.length)] = t.data;
  }
  return { forest, source: { x: sx.data, y: Int32Array.from(sy.data), ...(Object.keys(without).length ? { without } : {}) } };
}

/**
 * The source features to refit on for a session: when it masks a flex channel that some training
 * wearing had working, the variant fitted without that channel (the first such channel, if several);
 * otherwise the features as fitted. `channel` says which variant was taken.
 */
export function sourceForSession(source: TreeSource, sessionMasked: readonly string[], trainingMasked: readonly (readonly string[])[]): { x: Float32Array; channel?: string } {
  const fresh = sessionMasked.find((ch) => source.without?.[ch] && !trainingMasked.every((m) => m.includes(ch)));
  return fresh ? { x: source.without![fresh]!, channel: fresh } : { x: source.x };
}

/**
 * The source features with extra rows stacked after them, each row weighted `weight` against one
 * source episode (the source's weight): what calibration (the wearer's shots) and self-training
 * (the confidently read holds) refit a forest on. The extra rows are the last ones of X, y and w.
 */
export function sourcePlusRows(
  x: Float32Array, y: Int32Array, rows: readonly { x: Float32Array; label: number }[], weight: number, F: number,
): { X: Float32Array; y: Int32Array; w: Float32Array } {
  const S = y.length;
  const N = S + rows.length;
  const X = new Float32Array(N * F);
  const ya = new Int32Array(N);
  const w = new Float32Array(N).fill(1);
  X.set(x.subarray(0, S * F));
  ya.set(y);
  rows.forEach((r, j) => {
    X.set(r.x, (S + j) * F);
    ya[S + j] = r.label;
    w[S + j] = weight;
  });
  return { X, y: ya, w };
}
