/**
 * PyTorch's figures for the same measurements: run bench/torch_bench.py with python3 when torch
 * is importable, or read figures saved earlier (`--pytorch-figures FILE`, the script's JSON output).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

export interface TorchFigures {
  machine: Record<string, unknown>;
  /** name (as in bench/run.ts) → values of the individual runs */
  results: { name: string; values: number[]; unit: string }[];
}

const PYTHON = process.env.SIGNGLOVE_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

export function torchAvailable(): boolean {
  const r = spawnSync(PYTHON, ['-c', 'import torch, pandas, sklearn'], { stdio: 'ignore' });
  return r.status === 0;
}

/** PyTorch's figures for `models`; `epochOnly`: only the training epoch (at both thread settings). */
export function runTorch(data: string, runs: number, models: string[], epochOnly = false): TorchFigures {
  const script = path.join(PACKAGE_ROOT, 'bench', 'torch_bench.py');
  const r = spawnSync(PYTHON, [script, '--data', data, '--runs', String(runs), '--models', models.join(','), ...(epochOnly ? ['--epoch-only'] : [])], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`torch_bench.py failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return parseFigures(r.stdout);
}

export function readFigures(file: string): TorchFigures {
  return parseFigures(readFileSync(file, 'utf8'));
}

function parseFigures(text: string): TorchFigures {
  const line = text.trim().split('\n').pop() ?? '';
  const j = JSON.parse(line) as TorchFigures;
  if (!Array.isArray(j.results)) throw new Error('PyTorch figures: no "results" array');
  return j;
}
