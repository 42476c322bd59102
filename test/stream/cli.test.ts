import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { liveCommand } from '../../src/cli/commands/live.js';
import { simulateCommand } from '../../src/cli/commands/simulate.js';
import { simulateText } from '../../src/stream/simulator/simulate.js';
import { frameChannelIndex } from '../../src/stream/frame.js';
import { spawnSync } from 'node:child_process';
import { PACKAGE_ROOT } from '../../src/paths.js';

/** Runs subcommands in this process (a child process per call costs seconds), capturing stdout. */
async function cli(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  liveCommand(program);
  simulateCommand(program);
  let out = '';
  const write = process.stdout.write;
  const tty = process.stdout.isTTY;
  process.stdout.isTTY = false as never; // the non-terminal output format
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'signglove', ...args]);
  } finally {
    process.stdout.write = write;
    process.stdout.isTTY = tty;
  }
  return out;
}

test('simulate writes a firmware CSV that live replays into letters and text (non-TTY output)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-cli-'));
  try {
    const file = path.join(dir, 'hangul.csv');
    await cli(['simulate', '--text', '한글', '--out', file, '--seed', '2']);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.match(lines[0]!, /^# signglove simulate text=한글/);
    assert.equal(lines[1], 'timestamp,pitch,roll,yaw,accel_x,accel_y,accel_z,flex1,flex2,flex3,flex4,flex5');
    assert.equal(lines[2]!.split(',').length, 12);
    const out = (await cli(['live', '--source', `replay:${file}`, '--speed', '1000', '--model', 'prototype'])).trim().split('\n');
    assert.deepEqual(out.slice(0, -1).map((l) => l.split(' ')[0]), [...'ㅎㅏㄴㄱㅡㄹ']);
    assert.equal(out[out.length - 1], '한글');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('live refuses a bad source with the accepted forms', async () => {
  await assert.rejects(cli(['live', '--source', 'bluetooth:glove', '--model', 'prototype']), /unknown kind 'bluetooth'.*serial:/);
});

test('live reads the JSON-lines firmware at 50 Hz from a recording, skipping malformed JSON', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-cli-'));
  try {
    // the simulated glove, rewritten as the JSON firmware sends it: 50 Hz, timestamp in seconds
    const sim = simulateText('한글', { seed: 2 });
    const at = (name: string) => frameChannelIndex(name);
    const names = ['yaw', 'pitch', 'roll', 'flex1', 'flex2', 'flex3', 'flex4', 'flex5'];
    const t0 = sim.frames[0]!.t;
    const end = sim.frames[sim.frames.length - 1]!.t;
    const lines: string[] = [];
    let j = 0;
    for (let t = t0; t <= end; t += 20) {
      while (sim.frames[j + 1]!.t < t) j++;
      const a = sim.frames[j]!;
      const b = sim.frames[j + 1] ?? a;
      const f = b.t === a.t ? 0 : (t - a.t) / (b.t - a.t);
      const rec: Record<string, number> = { timestamp: (t - t0) / 1000 };
      for (const n of names) rec[n] = Number((a.values[at(n)]! + f * (b.values[at(n)]! - a.values[at(n)]!)).toFixed(2));
      lines.push(JSON.stringify(rec));
      if (lines.length === 30) lines.push('{"timestamp": 0.6, "yaw": 12.5, "pitch"');
    }
    const file = path.join(dir, 'glove.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    // a child process: its stderr (the malformed count) is checked too
    const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'dist/src/cli/main.js'), 'live', '--source', `replay:${file}`, '--speed', '1000', '--model', 'prototype'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.trim().split('\n');
    assert.equal(out[out.length - 1], '한글');
    assert.match(r.stderr, /1 malformed line skipped \(last: malformed JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
