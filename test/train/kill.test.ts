/**
 * kill -9 during `signglove train`, at many points (in training and inside each step of the save):
 * the output folder must always hold a bundle whose model card and metrics describe the same run,
 * or no bundle at all; the next run removes what the killed ones left (issue 16, item 6).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { readSafetensors } from '../../src/nn/safetensors-fs.js';
import { loadModel } from '../../src/infer/index.js';
import { writeTinyDataset } from './tiny-dataset.js';

const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stderr: string;
}

function trainRun(data: string, out: string, opts: { killAfterMs?: number; faultAt?: string } = {}): Promise<Run> {
  const args = [CLI, 'train', '--model', 'GRU', '--data', data, '--out', out, '--name', 'm', '--epochs', '4', '--batch-size', '4', '--hidden', '8', '--patience', '100'];
  const env = { ...process.env, ...(opts.faultAt ? { SIGNGLOVE_FAULT_AT: opts.faultAt } : {}) };
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = opts.killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs) : undefined;
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: performance.now() - t0, stderr });
    }),
  );
}

/** The folder's invariant; returns the run id of the bundle in place, or undefined without one. */
async function checkConsistent(out: string, where: string): Promise<string | undefined> {
  const bundle = path.join(out, 'm.safetensors');
  if (!existsSync(bundle)) return undefined;
  const meta = JSON.parse(readSafetensors(bundle).metadata['signglove']!) as { provenance: { runId: string } };
  const runId = meta.provenance.runId;
  assert.ok(runId, `${where}: bundle without a run id`);
  assert.ok(readFileSync(path.join(out, 'm.md'), 'utf8').includes(runId), `${where}: model card of another run beside the bundle`);
  const lines = readFileSync(path.join(out, 'm.metrics.jsonl'), 'utf8').trim().split('\n');
  assert.ok(lines.length > 0 && lines.every((l) => (JSON.parse(l) as { runId: string }).runId === runId), `${where}: metrics of another run beside the bundle`);
  assert.match(readSafetensors(bundle).metadata['signglove_checksum'] ?? '', /^sha256:[0-9a-f]{64}$/);
  const model = await loadModel(bundle); // whole and checksum-clean
  await model.close();
  return runId;
}

test('kill -9 at 16 points of a training run never leaves a bundle beside another run\'s card or metrics', { timeout: 120_000 }, async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'signglove-kill-'));
  try {
    const data = path.join(root, 'ds');
    const out = path.join(root, 'out');
    writeTinyDataset(data, { classes: ['ㄱ', 'ㄴ'], sessions: 2, perSession: 3 });
    const first = await trainRun(data, out);
    assert.equal(first.code, 0, first.stderr);
    const firstId = await checkConsistent(out, 'first run');
    assert.ok(firstId);

    const ids = new Set<string | undefined>([firstId]);
    // inside the save: before each step of moving the finished run into place
    for (let step = 0; step <= 4; step++) {
      const r = await trainRun(data, out, { faultAt: `finalize:${step}` });
      assert.equal(r.signal, 'SIGKILL', `finalize:${step} should have been killed: ${r.stderr}`);
      ids.add(await checkConsistent(out, `killed at finalize:${step}`));
    }
    // anywhere in the run: startup, loading, training, charts, saving
    for (let i = 1; i <= 11; i++) {
      await trainRun(data, out, { killAfterMs: (first.ms * i) / 12 });
      ids.add(await checkConsistent(out, `killed after ${((first.ms * i) / 12).toFixed(0)} ms`));
    }
    assert.ok(ids.size >= 2, 'some killed runs finished their save (the bundle in place changed)');

    const last = await trainRun(data, out);
    assert.equal(last.code, 0, last.stderr);
    assert.notEqual(await checkConsistent(out, 'last run'), firstId);
    const leftovers = readdirSync(out).filter((n) => n.startsWith('.') || n.includes('.tmp'));
    assert.deepEqual(leftovers, [], 'the last run removes the staging folders and temporaries of killed runs');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
