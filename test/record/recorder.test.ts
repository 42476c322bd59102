import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recordEpisodes, type RecorderEvent } from '../../src/record/recorder.js';
import { RecordingFolder } from '../../src/record/folder.js';
import { promptOrder } from '../../src/record/plan.js';
import { openPromptedSimSource, type PromptableSource } from '../../src/stream/sources/prompted-sim.js';
import { newWearing } from '../../src/stream/simulator/new-wearing.js';
import { loadDataset } from '../../src/data/load.js';
import { DEFAULT_CHANNELS } from '../../src/data/types.js';
import { EPISODE_COLUMNS } from '../../src/record/episode-csv.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'sg-record-'));

test('recorded files are in the layout with the 14 columns, and the data loader reads back exactly the captured values', async () => {
  const dir = tmp();
  try {
    const events: RecorderEvent[] = [];
    const order = promptOrder({ letters: ['ㄱ', 'ㅏ', 'ㅂ'], reps: 2, seed: 5 });
    const r = await recordEpisodes(openPromptedSimSource({ seed: 5, speed: Infinity }), { order, capture: { countdownMs: 1000 } }, new RecordingFolder(dir), (e) => events.push(e));
    assert.equal(r.complete, true);
    assert.equal(r.kept, 6);
    const kept = events.filter((e): e is Extract<RecorderEvent, { kind: 'kept' }> => e.kind === 'kept');
    assert.deepEqual(kept.map((k) => k.prompt.jamo), order.map((p) => p.jamo));
    for (const k of kept) assert.match(k.file, new RegExp(`^${k.prompt.jamo}/3/episode_\\d{8}_\\d{6}_${k.prompt.jamo}_3\\.csv$`));
    const first = readFileSync(path.join(dir, kept[0]!.file), 'utf8').split('\n');
    assert.equal(first[0], EPISODE_COLUMNS.join(','));
    assert.equal(first[1]!.split(',')[0], '0', 'timestamps start at 0 like the recorded datasets');

    const loaded = await loadDataset(dir, { strict: true });
    assert.equal(loaded.episodes.length, 6);
    for (const k of kept) {
      const e = loaded.episodes.find((x) => x.file === k.file)!;
      assert.equal(e.jamo, k.prompt.jamo);
      assert.equal(e.session, '3');
      assert.equal(e.length, 80);
      DEFAULT_CHANNELS.forEach((ch, c) => {
        const captured = k.channels.find((s) => s.channel === ch)!.values;
        for (let t = 0; t < 80; t++) assert.equal(e.data[t * DEFAULT_CHANNELS.length + c], captured[t], `${k.file} ${ch} frame ${t}`);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a 50 Hz glove (JSON firmware) is resampled to the training rate and kept; a dead sensor is refused until it is known broken', async () => {
  const dir = tmp();
  try {
    // the prompted glove with its clock running at 20 ms per frame: the 50 Hz firmware
    const sim = openPromptedSimSource({ seed: 2, speed: Infinity, wearing: newWearing(4) });
    const fast: PromptableSource = {
      ...sim,
      [Symbol.asyncIterator]: async function* () {
        for await (const f of sim) yield { t: (f.t * 2) / 3, values: f.values };
      },
    };
    const events: RecorderEvent[] = [];
    const r = await recordEpisodes(fast, { order: promptOrder({ letters: ['ㄴ', 'ㅗ'], reps: 2, seed: 1 }), capture: { countdownMs: 1000 } }, new RecordingFolder(dir), (e) => events.push(e));
    assert.equal(r.resampled, true);
    assert.ok(Math.abs(r.sourceRateHz! - 50) < 3, `rate ${r.sourceRateHz}`);
    assert.equal(r.kept, 4);
    const refusals = events.filter((e): e is Extract<RecorderEvent, { kind: 'refused' }> => e.kind === 'refused');
    assert.deepEqual(refusals.map((e) => e.refusal.kind), ['channel', 'channel']);
    assert.match(refusals[0]!.refusal.reason, /^flex4 is dead or loose/);
    assert.deepEqual(r.knownFaults, ['flex4']);
    const loaded = await loadDataset(dir, { strict: true });
    for (const e of loaded.episodes) {
      const gaps = e.timestampsMs!.slice(1).map((t, i) => t - e.timestampsMs![i]!);
      assert.ok(gaps.every((g) => g === 30), 'resampled onto the 30 ms grid');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keys: r re-records the last kept episode (its file goes), p pauses, q stops and a new run resumes', async () => {
  const dir = tmp();
  try {
    const order = promptOrder({ letters: ['ㄷ', 'ㅣ'], reps: 2, seed: 3 });
    const keys: string[] = [];
    const events: RecorderEvent[] = [];
    const r1 = await recordEpisodes(openPromptedSimSource({ seed: 3, speed: Infinity }), { order, capture: { countdownMs: 500 } }, new RecordingFolder(dir), (e) => {
      events.push(e);
      const kept = events.filter((x) => x.kind === 'kept').length;
      if (e.kind === 'kept' && kept === 1) keys.push('r');
      if (e.kind === 'kept' && kept === 2) keys.push('p', 'p');
      if (e.kind === 'kept' && kept === 3) keys.push('q');
    }, { take: () => keys.shift() });
    assert.equal(r1.stopped, true);
    const discarded = events.find((e): e is Extract<RecorderEvent, { kind: 'discarded' }> => e.kind === 'discarded')!;
    assert.ok(discarded, 'r discarded the first');
    assert.ok(events.some((e) => e.kind === 'paused') && events.some((e) => e.kind === 'resumed'));
    const files = () => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.csv')).sort();
    // three kept, one of them discarded (its letter recorded again right after, possibly under the freed name)
    assert.equal(events.filter((e) => e.kind === 'kept').length, 3);
    assert.equal(files().length, 2);
    const again = events.filter((e): e is Extract<RecorderEvent, { kind: 'kept' }> => e.kind === 'kept')[1]!;
    assert.equal(again.prompt.jamo, discarded.prompt.jamo);
    const r2 = await recordEpisodes(openPromptedSimSource({ seed: 4, speed: Infinity }), { order, capture: { countdownMs: 500 } }, new RecordingFolder(dir), () => {});
    assert.equal(r2.kept, 2);
    assert.equal(r2.complete, true);
    const per = new Map<string, number>();
    for (const f of files()) per.set(f.split(path.sep)[0]!, (per.get(f.split(path.sep)[0]!) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(per), { ㄷ: 2, ㅣ: 2 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
