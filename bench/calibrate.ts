/**
 * `signglove calibrate` (k = 3) on a real day (issue 19): the shipped default model as the base,
 * a recording day it was not trained on as the new wearing (its first 3 episodes per letter are
 * the shots, the rest measure before/after). Each run is a fresh process, timed from start to the
 * written personal model (what the wearer waits for), with its peak resident memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './cli-run.js';
import { summarize, type Summary } from './stats.js';

export interface CalibrateBench {
  data: string;
  model: string;
  method: string;
  shots: number;
  heldOut: number;
  /** Command start to personal model written (loading the base and the day included). */
  wallSeconds: Summary;
  /** The adaptation alone, as the command reports it. */
  adaptSeconds: Summary;
  peakMB: Summary;
  before: number;
  after: number;
}

export function calibrateBench(opts: { data: string; model: string; runs: number; shots?: number; log?: (s: string) => void }): CalibrateBench {
  const shots = opts.shots ?? 3;
  const wall: number[] = [];
  const adapt: number[] = [];
  const peak: number[] = [];
  let last: { method: string; shots: number; heldOut: number; before: number; after: number } | undefined;
  for (let i = 0; i < opts.runs; i++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sg-calibrate-bench-'));
    try {
      const r = runCli(['calibrate', '--data', opts.data, '--model', opts.model, '--shots', String(shots), '--out', path.join(dir, 'personal.safetensors'), '--json']);
      const j = JSON.parse(r.stdout) as { method: string; shots: number; heldOut: number; before: number; after: number; seconds: number };
      wall.push(r.seconds);
      adapt.push(j.seconds);
      peak.push(r.peakMB);
      last = j;
      opts.log?.(`calibrate run ${i + 1}: ${r.seconds.toFixed(2)} s (adapting ${j.seconds.toFixed(2)} s), peak ${r.peakMB.toFixed(0)} MB; held-out ${(100 * j.before).toFixed(1)}% → ${(100 * j.after).toFixed(1)}%`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    data: path.basename(opts.data), model: opts.model, method: last!.method, shots: last!.shots, heldOut: last!.heldOut,
    wallSeconds: summarize(wall), adaptSeconds: summarize(adapt), peakMB: summarize(peak), before: last!.before, after: last!.after,
  };
}
