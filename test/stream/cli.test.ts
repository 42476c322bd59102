import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { liveCommand } from '../../src/cli/commands/live.js';
import { simulateCommand } from '../../src/cli/commands/simulate.js';

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
