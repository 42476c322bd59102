import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FAULT_RULES, findEpisodeFaults, removeFaults, sessionFaultChannels } from '../../src/data/sensor-faults.js';

const CH = ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw'];

/** T frames; flex c follows f(c, t) (default: a healthy ~800 reading with ADC noise). */
function episode(T: number, flex: (c: number, t: number) => number = (c, t) => 800 + c * 10 + ((t * 7 + c * 3) % 5)): Float32Array {
  const d = new Float32Array(T * CH.length);
  for (let t = 0; t < T; t++) {
    for (let c = 0; c < 5; c++) d[t * 8 + c] = flex(c, t);
    d[t * 8 + 5] = 10;
    d[t * 8 + 6] = -170; // an angle may be anything in its range: never a fault
    d[t * 8 + 7] = 5;
  }
  return d;
}

test('a healthy episode has no fault', () => {
  const f = findEpisodeFaults(episode(80), 80, CH);
  assert.deepEqual(f.faults, []);
  assert.deepEqual(f.repairedFrames, [0, 0, 0, 0, 0, 0, 0, 0]);
});

test('dead, saturated, out-of-range and stuck flex channels are found and named', () => {
  const d = episode(80, (c, t) => (c === 1 ? 5 + (t % 2) : c === 2 ? 1023 : c === 3 ? 370 + (t % 30) : c === 4 ? 842 : 800 + (t % 4)));
  const f = findEpisodeFaults(d, 80, CH);
  const kinds = Object.fromEntries(f.faults.map((x) => [x.channel, x.kind]));
  assert.deepEqual(kinds, { flex2: 'dead', flex3: 'saturated', flex4: 'out-of-range', flex5: 'stuck' });
  assert.match(f.faults.find((x) => x.channel === 'flex2')!.detail, /median 5/);
});

test('a few invalid frames of a healthy channel are repaired with its median, the rest untouched', () => {
  const d = episode(80, (c, t) => (c === 0 && t < 3 ? 0 : 800 + c + (t % 3)));
  const f = findEpisodeFaults(d, 80, CH);
  assert.deepEqual(f.faults, []);
  assert.equal(f.repairedFrames[0], 3);
  const before = d.slice();
  removeFaults(d, 80, CH, f);
  assert.ok(d[0]! >= 800 && d[0]! <= 802, `repaired ${d[0]}`);
  assert.equal(d[10 * 8], before[10 * 8]);
  assert.equal(d[1], before[1]);
});

test('removeFaults makes a faulty channel, and a channel masked for the session, unknown (NaN) throughout', () => {
  const d = episode(40, (c, t) => (c === 1 ? 3 : 800 + c + (t % 3)));
  const f = findEpisodeFaults(d, 40, CH);
  removeFaults(d, 40, CH, f, ['flex4']);
  for (let t = 0; t < 40; t++) {
    assert.ok(Number.isNaN(d[t * 8 + 1]!));
    assert.ok(Number.isNaN(d[t * 8 + 3]!));
    assert.ok(!Number.isNaN(d[t * 8 + 0]!));
  }
});

test('a channel faulty in most of a session is masked for it; one faulty in a few episodes is not', () => {
  const bad = findEpisodeFaults(episode(50, (c, t) => (c === 3 ? 373 + (t % 9) : 800 + c + (t % 3))), 50, CH);
  const badFlex2 = findEpisodeFaults(episode(50, (c, t) => (c === 1 ? 4 : 800 + c + (t % 3))), 50, CH);
  const good = findEpisodeFaults(episode(50), 50, CH);
  const session = [bad, bad, bad, badFlex2, good];
  const masked = sessionFaultChannels(session, CH, DEFAULT_FAULT_RULES);
  assert.deepEqual(masked.map((m) => m.channel), ['flex4']);
  assert.equal(masked[0]!.episodes, 3);
});
