/**
 * `signglove train` uses both cores by default (--workers min(2, cores)) and records the count:
 * the same seed and worker count give bit-identical weights, with dropout and BatchNorm (issue 19).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { decodeBundle } from '../../src/bundle/read.js';
import { defaultTrainWorkers } from '../../src/cli/options.js';
import { DATASET_1001, sharedSkip } from '../shared.js';

const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

test('train with the default worker count: recorded, and the same seed gives bit-identical weights', { skip: sharedSkip }, () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'signglove-train-workers-'));
  try {
    // a tiny real subset: four letters of one recording day, linked, not copied
    const data = path.join(root, 'day');
    mkdirSync(data);
    for (const j of ['ㄱ', 'ㅏ', 'ㅗ', 'ㅣ']) symlinkSync(path.join(DATASET_1001, j), path.join(data, j));
    const run = (out: string) => {
      // MSStackedGRU, small: dropout, BatchNorm and the convolutions are all on the data-parallel path
      const r = spawnSync(process.execPath, [CLI, 'train', '--model', 'ms_stacked_gru', '--data', data, '--out', out, '--name', 'w',
        '--epochs', '2', '--hidden', '8', '--filters', '4', '--seed', '7', '--no-charts'], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, r.stderr);
      return { bundle: decodeBundle(new Uint8Array(readFileSync(path.join(out, 'w.safetensors')))), dir: out };
    };
    const a = run(path.join(root, 'a'));
    const b = run(path.join(root, 'b'));
    const workers = defaultTrainWorkers();
    assert.equal(a.bundle.meta.training!.workers, workers);
    assert.match(readFileSync(path.join(a.dir, 'w.md'), 'utf8'), new RegExp(`--workers ${workers}`));
    const lines = readFileSync(path.join(a.dir, 'w.metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { workers: number });
    assert.ok(lines.length === 2 && lines.every((l) => l.workers === workers));
    assert.deepEqual([...a.bundle.tensors.keys()], [...b.bundle.tensors.keys()]);
    for (const [name, t] of a.bundle.tensors) {
      const u = b.bundle.tensors.get(name)!;
      assert.ok(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).equals(Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength)), `${name} differs`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
