/** A small synthetic dataset written by a test: a few classes that a tiny model separates in a few epochs. */
import { writeFile } from '../data/helpers.js';
import { EPISODE_COLUMNS } from '../../src/data/glove-format.js';

/** Writes `<root>/<jamo>/<session>/episode_<i>.csv` for `classes` × `sessions` × `perSession` episodes. */
export function writeTinyDataset(root: string, opts: { classes?: string[]; sessions?: number; perSession?: number; frames?: number } = {}): void {
  const classes = opts.classes ?? ['ㄱ', 'ㄴ', 'ㅏ'];
  const sessions = opts.sessions ?? 2;
  const per = opts.perSession ?? 4;
  const frames = opts.frames ?? 20;
  let n = 0;
  classes.forEach((jamo, k) => {
    for (let s = 1; s <= sessions; s++) {
      for (let i = 0; i < per; i++) {
        const lines = [EPISODE_COLUMNS.join(',')];
        for (let t = 0; t < frames; t++) {
          const flex = [0, 1, 2, 3, 4].map((c) => 600 + 80 * ((k + c) % 3) + ((t * 7 + i * 13 + c) % 11));
          const imu = [10 * k + (t % 3), -20 + i, 5 * s];
          lines.push([t * 30, 1759311298324 + t * 30, ...imu, ...flex, 33.3, 0.3, -0.66, 0.7].join(','));
        }
        writeFile(root, `${jamo}/${s}/episode_${n++}.csv`, lines.join('\n') + '\n');
      }
    }
  });
}
