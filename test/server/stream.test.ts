import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ModelCatalog } from '../../src/server/catalog.js';
import { createLiveSession } from '../../src/stream/live-session.js';
import type { LiveEvent } from '../../src/stream/live-session.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import type { ServedModel } from '../../src/server/types.js';
import { channelIndices } from '../../src/stream/frame.js';
import { composeLetters } from '../../src/stream/hangul.js';
import { simulateText } from '../../src/stream/simulator/simulate.js';
import { sharedSkip } from '../shared.js';
import { centroidModel, sharedEpisodes } from './helpers.js';
import { prototypeClassifier } from '../../src/stream/prototype-classifier.js';
import { DEFAULT_CHANNELS } from '../../src/data/types.js';
import { JAMO } from '../../src/jamo.js';
import { connect } from './ws-client.js';

describe('WebSocket /stream', { skip: sharedSkip }, () => {
  let model: ServedModel;
  /** Reads the simulator's signs right, so a word comes out whole whatever the frame rate. */
  let reader: ServedModel;
  let server: RunningServer;
  let wsUrl: string;
  let frames: number[][];

  before(async () => {
    model = centroidModel(sharedEpisodes(3, ['1', '2']));
    const classify = prototypeClassifier();
    const unsupported = (): never => {
      throw new Error('whole episodes are not read in this test');
    };
    reader = {
      info: { name: 'prototype-test', arch: 'Prototype', classes: [...JAMO], channels: [...DEFAULT_CHANNELS], T: 80 },
      predict: unsupported,
      predictBatch: unsupported,
      classifyWindow: (w, n) => classify(w, n),
    };
    server = await startServer({ catalog: ModelCatalog.fromModels([model, reader]), port: 0, createSession: createLiveSession, maxMessageBytes: 200_000 });
    wsUrl = server.url.replace('http', 'ws') + '/stream';
    const pick = channelIndices(model.info.channels);
    frames = simulateText('안녕', { seed: 3 }).frames.map((f) => pick.map((i) => f.values[i]!));
  });
  after(() => server.close());

  it('takes the glove\'s own lines (JSON-lines firmware at 50 Hz), counting malformed ones', async () => {
    const ws = await connect(`${wsUrl}?model=prototype-test`);
    await ws.next((m) => m.type === 'ready');
    // the simulated 33 Hz stream, rewritten as 50 Hz JSON lines (linear interpolation of the rows)
    const lines: string[] = [];
    for (let k = 0; k * 20 <= (frames.length - 1) * 30; k++) {
      const pos = (k * 20) / 30;
      const i = Math.floor(pos);
      const f = pos - i;
      const a = frames[i]!;
      const b = frames[Math.min(i + 1, frames.length - 1)]!;
      const row = a.map((x, c) => x + f * (b[c]! - x));
      lines.push(JSON.stringify({ timestamp: k * 0.02, ...Object.fromEntries(reader.info.channels.map((ch, c) => [ch, row[c]!])) }));
    }
    lines.splice(10, 0, '{"timestamp": 0.2, "flex1": ');
    for (let i = 0; i < lines.length; i += 200) ws.send({ type: 'lines', lines: lines.slice(i, i + 200) });
    ws.send({ type: 'ping' });
    await ws.next((m) => m.type === 'pong');
    ws.close();
    const all = ws.all();
    const errors = all.filter((m) => m.type === 'error');
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]!.error), /1 malformed line skipped \(last: malformed JSON/);
    const texts = all.filter((m) => m.type === 'text');
    // the same word as from the 33 Hz frames: the word signed
    const local = createLiveSession(reader);
    const expected = frames.flatMap((f) => local.push(Float32Array.from(f))).filter((e) => e.type === 'text');
    assert.equal(expected.at(-1)?.type === 'text' ? expected.at(-1)!.text : undefined, '안녕');
    assert.equal(texts.at(-1)?.text, '안녕');
  });

  it('keeps the device times of frames (a 50 Hz glove sent as frames): the events are those of the same frames pushed with their times', async () => {
    const ws = await connect(`${wsUrl}?model=centroid-test`);
    await ws.next((m) => m.type === 'ready');
    // the 33 Hz stream stamped as if every frame came 20 ms apart: the server must resample by these times
    const times = frames.map((_, i) => i * 20);
    for (let i = 0; i < frames.length; i += 50) ws.send({ type: 'frames', frames: frames.slice(i, i + 50), times: times.slice(i, i + 50) });
    ws.send({ type: 'ping' });
    await ws.next((m) => m.type === 'pong');
    ws.close();
    const events = ws.all().filter((m) => m.type !== 'ready' && m.type !== 'pong');
    const timed = createLiveSession(model);
    const expected = frames.flatMap((f, i) => timed.push(Float32Array.from(f), times[i]));
    const untimed = createLiveSession(model);
    const withoutTimes = frames.flatMap((f) => untimed.push(Float32Array.from(f)));
    assert.notDeepEqual(JSON.parse(JSON.stringify(expected)), JSON.parse(JSON.stringify(withoutTimes)), 'the times change what is read');
    assert.deepEqual(JSON.parse(JSON.stringify(events)), JSON.parse(JSON.stringify(expected)));
  });

  it('says which model answers, then streams predictions, held letters and the composed text', async () => {
    const ws = await connect(wsUrl);
    const ready = await ws.next((m) => m.type === 'ready');
    assert.deepEqual((ready.model as { name: string }).name, 'centroid-test');
    for (let i = 0; i < frames.length; i += 50) ws.send({ type: 'frames', frames: frames.slice(i, i + 50) });
    ws.send({ type: 'ping' });
    await ws.next((m) => m.type === 'pong');
    ws.close();

    const events = ws.all().filter((m) => m.type !== 'ready' && m.type !== 'pong') as LiveEvent[];
    // The server runs the same session code a client would run locally: identical events.
    const local = createLiveSession(model);
    const expected = frames.flatMap((f) => local.push(Float32Array.from(f)));
    assert.deepEqual(JSON.parse(JSON.stringify(events)), JSON.parse(JSON.stringify(expected)));

    const predictions = events.filter((e) => e.type === 'prediction');
    const letters = events.filter((e) => e.type === 'letter');
    const texts = events.filter((e) => e.type === 'text');
    assert.ok(predictions.length > 0, 'no predictions');
    assert.ok(letters.length > 0, 'no held letters');
    for (const p of predictions) assert.equal(p.top_k.length, 5);
    // Each letter is followed by the text composed from all letters so far.
    assert.equal(texts.length, letters.length);
    assert.equal(texts.at(-1)!.text, composeLetters(letters.map((l) => l.jamo)));
  });

  it('accepts frames as objects keyed by channel, and reset clears the text', async () => {
    const ws = await connect(wsUrl);
    await ws.next((m) => m.type === 'ready');
    const rows = frames.map((f) => Object.fromEntries(model.info.channels.map((ch, c) => [ch, f[c]!])));
    ws.send({ type: 'frames', frames: rows.slice(0, 400) });
    await ws.next((m) => m.type === 'letter');
    ws.send({ type: 'reset' });
    const t = await ws.next((m) => m.type === 'text' && m.text === '');
    assert.equal(t.text, '');
    ws.close();
  });

  it('bad messages get an error message and the connection stays usable', async () => {
    const ws = await connect(wsUrl);
    await ws.next((m) => m.type === 'ready');
    const cases: [string | Buffer, RegExp][] = [
      ['{not json', /malformed JSON/],
      [JSON.stringify({ type: 'dance' }), /type/],
      [JSON.stringify({ type: 'frames', frames: [[1, 2, 3]] }), /frames\[0\] has 3 values; expected 8/],
      [JSON.stringify({ type: 'frames', frames: [[1, 2, 3, 4, 5, 6, 7, null]] }), /frames\[0\]\[7\].*NaN/],
      [JSON.stringify({ type: 'frames', frames: [{ flex1: 1 }] }), /missing channels/],
      [JSON.stringify({ type: 'frames', frames: [] }), /frames/],
      [JSON.stringify({ type: 'frames', frames: Array.from({ length: 1001 }, () => [1, 2, 3, 4, 5, 6, 7, 8]) }), /frames/],
      [Buffer.from([1, 2, 3]), /JSON text/],
    ];
    for (const [msg, re] of cases) {
      ws.sendRaw(msg);
      const e = await ws.next((m) => m.type === 'error');
      assert.match(String(e.error), re);
    }
    ws.send({ type: 'ping' });
    await ws.next((m) => m.type === 'pong');
    ws.close();
  });

  it('a message over the size limit closes only that connection (1009)', async () => {
    const ws = await connect(wsUrl);
    await ws.next((m) => m.type === 'ready');
    ws.sendRaw('x'.repeat(300_000));
    const { code } = await ws.closed;
    assert.equal(code, 1009);
    const again = await connect(wsUrl);
    await again.next((m) => m.type === 'ready');
    again.close();
  });

  it('an unknown model is reported and the socket closed with 1008', async () => {
    const ws = await connect(`${wsUrl}?model=nope`);
    const e = await ws.next((m) => m.type === 'error');
    assert.match(String(e.error), /unknown model 'nope'; available: centroid-test/);
    const { code } = await ws.closed;
    assert.equal(code, 1008);
  });

  it('?confidence= sets the letter threshold as the local session does; a bad one closes with 1008', async () => {
    const ws = await connect(`${wsUrl}?confidence=0.99`);
    await ws.next((m) => m.type === 'ready');
    for (let i = 0; i < frames.length; i += 200) ws.send({ type: 'frames', frames: frames.slice(i, i + 200) });
    ws.send({ type: 'ping' });
    await ws.next((m) => m.type === 'pong');
    ws.close();
    const letters = ws.all().filter((m) => m.type === 'letter');
    const local = createLiveSession(model, { confidence: 0.99 });
    const expected = frames.flatMap((f) => local.push(Float32Array.from(f))).filter((e) => e.type === 'letter');
    assert.deepEqual(JSON.parse(JSON.stringify(letters)), JSON.parse(JSON.stringify(expected)));
    // the threshold matters: at the default the same stream gives other letters, or the same ones at other moments
    const loose = createLiveSession(model);
    const looseLetters = frames.flatMap((f) => loose.push(Float32Array.from(f))).filter((e) => e.type === 'letter');
    assert.notDeepEqual(JSON.parse(JSON.stringify(looseLetters)), JSON.parse(JSON.stringify(letters)));
    for (const bad of ['0', '1.5', 'high']) {
      const b = await connect(`${wsUrl}?confidence=${bad}`);
      const e = await b.next((m) => m.type === 'error');
      assert.match(String(e.error), new RegExp(`confidence must be a number in \\(0, 1\\], got '${bad}'`));
      assert.equal((await b.closed).code, 1008);
    }
  });

  it('the same port serves the API', async () => {
    const res = await fetch(`${server.url}/health`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { source: unknown }).source, null);
  });

  it('/stream/glove without a server glove says how to start one and closes (1008)', async () => {
    const ws = await connect(wsUrl.replace('/stream', '/stream/glove'));
    const e = await ws.next((m) => m.type === 'error');
    assert.match(String(e.error), /--source serial:/);
    assert.equal((await ws.closed).code, 1008);
  });
});

describe('WebSocket /stream/glove: watching the server\'s own glove', { skip: sharedSkip }, () => {
  let server: RunningServer;
  before(async () => {
    const model = centroidModel(sharedEpisodes(3, ['1', '2']));
    // A simulated glove at 40× speed stands in for serial:/dev/ttyACM0.
    server = await startServer({ catalog: ModelCatalog.fromModels([model]), port: 0, createSession: createLiveSession, source: 'sim:안녕', sourceSpeed: 40 });
  });
  after(() => server.close());

  it('/health names the source; watchers get its frames, letters, text and the end', async () => {
    const health = (await (await fetch(`${server.url}/health`)).json()) as { source: string };
    assert.equal(health.source, 'sim:안녕');
    const ws = await connect(server.url.replace('http', 'ws') + '/stream/glove');
    const ready = await ws.next((m) => m.type === 'ready');
    assert.equal(ready.source, 'sim:안녕');
    const end = await ws.next((m) => m.type === 'end');
    assert.match(String(end.message), /ended/);
    const msgs = ws.all();
    const frames = msgs.filter((m) => m.type === 'frame') as { values: number[] }[];
    assert.ok(frames.length > 100, `only ${frames.length} frames`);
    for (const f of frames) assert.equal(f.values.length, 8);
    const letters = msgs.filter((m) => m.type === 'letter').map((m) => String(m.jamo));
    const texts = msgs.filter((m) => m.type === 'text').map((m) => String(m.text));
    assert.ok(letters.length > 0, 'no letters');
    assert.equal(texts.at(-1), composeLetters(letters));
    // A watcher may clear the shared text; others are told.
    ws.send({ type: 'reset' });
    const cleared = await ws.next((m) => m.type === 'text' && m.text === '');
    assert.equal(cleared.text, '');
    ws.send({ type: 'frames', frames: [[1]] });
    assert.match(String((await ws.next((m) => m.type === 'error')).error), /only send/);
    ws.close();
  });
});
