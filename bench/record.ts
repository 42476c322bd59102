/**
 * End to end without hardware (issue 14): a simulated glove worn another day (offsets, gains, a
 * dead flex4, yaw drift) is recorded through `signglove record` into a temporary folder (every
 * letter 3 times, quality gates on), a personal model is calibrated from it with
 * `signglove calibrate --shots 3`, and everyday words spelled by the same simulated wearing are read
 * live with the base model and with the personal one: word accuracy before and after.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { loadModel, type LoadedModel } from '../src/infer/index.js';
import { runSimulatedWords, SIMULATION_WORDS, type WordsResult } from '../src/stream/simulated-evaluation.js';
import { parseWearing } from '../src/stream/simulator/new-wearing.js';
import { useSimulatedWearing } from '../src/stream/simulator/wearing.js';

export interface RecordBenchRow {
  wearing: string;
  recordSeconds: number;
  kept: number;
  refused: number;
  knownFaults: string[];
  calibrateSeconds: number;
  /** Words read exactly, base model on the usual simulated wearing (reference). */
  usual: number;
  before: number;
  after: number;
  words: number;
}

const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`signglove ${args[0]} failed (${r.status}): ${r.stderr.trim().split('\n').pop()}`);
  return r.stdout;
}

function words(model: LoadedModel, wearing: string | undefined, seed: number): WordsResult {
  return runSimulatedWords(SIMULATION_WORDS, (w, n) => model.classifyWindow(w, n), {
    seed,
    simulate: wearing ? { wearing: parseWearing(wearing) } : {},
    recognizer: { channels: model.info.channels, classes: model.info.classes, maxWindow: Math.min(80, model.info.T) },
  });
}

export async function recordBench(opts: { wearings?: string[]; model?: string; log?: (s: string) => void } = {}): Promise<RecordBenchRow[]> {
  const log = opts.log ?? (() => {});
  const modelName = opts.model ?? 'extra_trees';
  const rows: RecordBenchRow[] = [];
  const base = await loadModel(modelName);
  useSimulatedWearing(base); // the base model reads the simulated glove as it is usually worn
  for (const [i, wearing] of (opts.wearings ?? ['new:1', 'new:2', 'new:3']).entries()) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sg-record-bench-'));
    try {
      const seed = 100 + i;
      let t = performance.now();
      const rec = JSON.parse(cli(['record', '--source', `sim:wearing=${wearing}`, '--out', dir, '--reps', '3', '--speed', '1000', '--seed', String(seed), '--model', 'none', '--json'])) as { kept: number; refused: number; knownFaults: string[]; complete: boolean };
      const recordSeconds = (performance.now() - t) / 1000;
      if (!rec.complete) throw new Error(`the recording of wearing ${wearing} did not complete`);
      t = performance.now();
      const personalFile = path.join(dir, 'personal.safetensors');
      cli(['calibrate', '--data', dir, '--model', modelName, '--shots', '3', '--out', personalFile, '--json']);
      const calibrateSeconds = (performance.now() - t) / 1000;
      const personal = await loadModel(personalFile);
      const row: RecordBenchRow = {
        wearing, recordSeconds, kept: rec.kept, refused: rec.refused, knownFaults: rec.knownFaults, calibrateSeconds,
        usual: words(base, undefined, seed).exact,
        before: words(base, wearing, seed).exact,
        after: words(personal, wearing, seed).exact,
        words: SIMULATION_WORDS.length,
      };
      await personal.close();
      rows.push(row);
      log(`wearing ${wearing}: ${row.before}/${row.words} words before → ${row.after}/${row.words} after (usual wearing ${row.usual}/${row.words}); recorded ${row.kept} holds (${row.refused} refused, broken: ${row.knownFaults.join(', ') || 'none'}) in ${recordSeconds.toFixed(1)} s, calibrated in ${calibrateSeconds.toFixed(1)} s`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  await base.close();
  return rows;
}
