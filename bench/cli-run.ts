/**
 * Runs a `signglove` command in a fresh process, as a user would, and measures what they wait
 * for: wall-clock seconds from start to exit and the process's peak resident memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../src/paths.js';

export interface CliRun {
  stdout: string;
  seconds: number;
  peakMB: number;
}

const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rss-probe.js');

export function runCli(args: string[]): CliRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sg-cli-run-'));
  const rssFile = path.join(dir, 'rss.json');
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(PROBE).href, CLI, ...args], {
      encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, SIGNGLOVE_RSS_OUT: rssFile },
    });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`signglove ${args[0]} failed (${r.status}): ${r.stderr.trim().split('\n').pop()}`);
    const peakMB = (JSON.parse(readFileSync(rssFile, 'utf8')) as { maxrss_mb: number }).maxrss_mb;
    return { stdout: r.stdout, seconds, peakMB };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
