/**
 * A forest as bundle tensors (`trees.*`, stored F32 like every tensor: node indices stay far below
 * 2^24, so they are exact), and back. The features the forest was fitted on travel with it
 * (`trees.source_x`, `trees.source_y`), so calibration can refit it anywhere, the browser included.
 */
import type { StateDict } from '../models/types.js';
import type { ForestArrays } from './extra-trees.js';

export function forestToTensors(forest: ForestArrays, source?: { x: Float32Array; y: Int32Array }): StateDict {
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
  }
  return sd;
}

export function forestFromTensors(sd: StateDict, F: number, file: string): { forest: ForestArrays; source?: { x: Float32Array; y: Int32Array } } {
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
  return sx && sy ? { forest, source: { x: sx.data, y: Int32Array.from(sy.data) } } : { forest };
}
