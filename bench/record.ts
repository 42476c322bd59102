/**
 * End to end without hardware (issue 14): a simulated glove worn another day (offsets, gains, a
 * dead flex4, yaw drift) is recorded through `signglove record` into a temporary folder (every
 * letter 3 times, quality gates on), a personal model is calibrated from it with
 * `signglove calibrate --shots 3`, and everyday words spelled by the same simulated wearing are read
 * live with the base model and with the personal one: word accuracy before and after.
 * Record → model (issue 19) is the time from the end of the recording to a usable personal model:
 * the calibrate command from start to written bundle, then loading it and reading a first window.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModel, type LoadedModel } from '../src/infer/index.js';
import { runSimulatedWords, SIMULATION_WORDS, type WordsResult } from '../src/stream/simulated-evaluation.js';
import { parseWearing } from '../src/stream/simulator/new-wearing.js';
import { useSimulatedWearing } from '../src/stream/simulator/wearing.js';
import { runCli } from './cli-run.js';

export interface RecordBenchRow {
  wearing: string;
  recordSeconds: number;
  kept: number;
  refused: number;
  knownFaults: string[];
  calibrateSeconds: number;
  /** End of the recording → the personal model loaded and answering (calibrate command + load + first window). */
  recordToModelSeconds: number;
  /** Peak resident memory of the calibrate command. */
  calibratePeakMB: number;
  /** Words read exactly, base model on the usual simulated wearing (reference). */
  usual: number;
  before: number;
  after: number;
  words: number;
}

function cli(args: string[]): string {
  return runCli(args).stdout;
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
      const cal = runCli(['calibrate', '--data', dir, '--model', modelName, '--shots', '3', '--out', personalFile, '--json']);
      const personal = await loadModel(personalFile);
      personal.classifyWindow(new Float32Array(personal.info.T * personal.info.channels.length), personal.info.T);
      const recordToModelSeconds = (performance.now() - t) / 1000;
      const row: RecordBenchRow = {
        wearing, recordSeconds, kept: rec.kept, refused: rec.refused, knownFaults: rec.knownFaults,
        calibrateSeconds: cal.seconds, recordToModelSeconds, calibratePeakMB: cal.peakMB,
        usual: words(base, undefined, seed).exact,
        before: words(base, wearing, seed).exact,
        after: words(personal, wearing, seed).exact,
        words: SIMULATION_WORDS.length,
      };
      await personal.close();
      rows.push(row);
      log(`wearing ${wearing}: ${row.before}/${row.words} words before → ${row.after}/${row.words} after (usual wearing ${row.usual}/${row.words}); recorded ${row.kept} holds (${row.refused} refused, broken: ${row.knownFaults.join(', ') || 'none'}) in ${recordSeconds.toFixed(1)} s; record → model ${recordToModelSeconds.toFixed(1)} s (calibrate command ${row.calibrateSeconds.toFixed(1)} s, peak ${row.calibratePeakMB.toFixed(0)} MB)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  await base.close();
  return rows;
}
