import path from 'node:path';
import { runTrainJob } from '../../src/train/pipeline.js';
import { loadModel } from '../../src/infer/index.js';
import { loadDataset, type Episode } from '../../src/data/index.js';
import type { LoadedModel } from '../../src/infer/index.js';
import { copyLetters, DATASET_0819, DATASET_1001, SUBSET_LETTERS } from '../shared.js';

/**
 * A small forest trained on a few letters of 2025-10-01 (copied under dir), and the same letters
 * of 2025-08-19: a day it never saw, with flex4 broken there.
 */
export async function smallNewDay(dir: string, trees = 60): Promise<{ bundle: string; base: LoadedModel; day2: Episode[] }> {
  const day1 = copyLetters(DATASET_1001, dir);
  const r = await runTrainJob({ arch: 'ExtraTrees', data: day1, split: 'random', outDir: path.join(dir, 'out'), charts: false, trees: { trees }, log: () => {} });
  const bundle = r.folds[0]!.bundle;
  const base = await loadModel(bundle);
  const day2 = (await loadDataset(DATASET_0819, { channels: base.info.channels })).episodes.filter((e) => SUBSET_LETTERS.includes(e.jamo));
  return { bundle, base, day2 };
}
