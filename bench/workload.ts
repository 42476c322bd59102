/**
 * The benchmark's data: the 2025-10-01 dataset, seeded stratified 60/20/20 split (866 training,
 * 289 test episodes), standardised with a scaler fitted on the training part, padded to 87 steps.
 */
import { loadDataset, makeBatch, randomSplit, Scaler, type Batch } from '../src/data/index.js';

export interface Workload {
  train: Batch;
  test: Batch;
  scaler: Scaler;
}

export async function loadWorkload(root: string): Promise<Workload> {
  const { episodes } = await loadDataset(root);
  const split = randomSplit(episodes, { seed: 1337 });
  const pick = (idx: number[]) => idx.map((i) => episodes[i]!);
  const trainEps = pick(split.train);
  const scaler = Scaler.fit(trainEps);
  return { train: makeBatch(trainEps, { scaler }), test: makeBatch(pick(split.test), { scaler }), scaler };
}
