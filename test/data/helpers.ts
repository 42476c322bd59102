import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EPISODE_COLUMNS } from '../../src/data/glove-format.js';
import type { Episode } from '../../src/data/types.js';

/** A fresh folder under the system temp dir; remove it with the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'signglove-data-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Write a file, creating its folders. */
export function writeFile(root: string, rel: string, text: string): string {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

/** A unified-layout episode CSV with `rows` frames; values depend on `seed` so files differ. */
export function episodeCsv(rows: number, seed = 0): string {
  const lines = [EPISODE_COLUMNS.join(',')];
  for (let t = 0; t < rows; t++) {
    const flex = [800, 780, 820, 860, 880].map((v, i) => v + ((t * 3 + i * 7 + seed * 11) % 17));
    const imu = [10 + t * 0.1 + seed, -40 - (t % 5) * 0.25, -17.5 + seed * 0.01];
    lines.push([t * 30, 1759311298324 + t * 30, ...imu, ...flex, 33.3, 0.3, -0.66, 0.7].join(','));
  }
  return lines.join('\n') + '\n';
}

/** A minimal episode for preprocessing and split tests. */
export function makeEpisode(rows: number[][], opts: Partial<Episode> = {}): Episode {
  const C = rows[0]?.length ?? 1;
  return {
    file: opts.file ?? 'x.csv',
    label: opts.label ?? 0,
    jamo: opts.jamo ?? 'ㄱ',
    session: opts.session ?? '1',
    channels: opts.channels ?? Array.from({ length: C }, (_, c) => `c${c}`),
    data: Float32Array.from(rows.flat()),
    length: rows.length,
  };
}
