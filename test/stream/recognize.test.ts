// recognize(source, { model }): the one-call live API, on a stream built from real held-out
// episodes (needs ../shared) and on the simulated glove; the CLI's loop, the server's session and
// recognize() give the same letters because they share one module and one set of defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../src/infer/index.js';
import { heldOutEpisodes } from '../../src/eval/live-benchmark.js';
import { buildEpisodeStream, EpisodePool } from '../../src/stream/episode-streams.js';
import { channelIndices, type Frame } from '../../src/stream/frame.js';
import { createLiveSession, recognize, recognizerFor, runLiveSession, type LiveEvent } from '../../src/stream/live-session.js';
import { openSimulatedSource } from '../../src/stream/sources/simulated.js';
import { simulateText } from '../../src/stream/simulator/simulate.js';
import { DATASET_1001, sharedSkip } from '../shared.js';

async function collect(events: AsyncIterable<LiveEvent>): Promise<LiveEvent[]> {
  const out: LiveEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

/** The letters the events leave standing (a letter that `replaces` takes the previous one's place). */
function lettersOf(events: LiveEvent[]): string[] {
  const letters: string[] = [];
  for (const e of events) {
    if (e.type !== 'letter') continue;
    if (e.replaces) letters.pop();
    letters.push(e.jamo);
  }
  return letters;
}

async function cliLetters(model: Parameters<typeof recognizerFor>[0], frames: Frame[]) {
  const result = await runLiveSession((async function* () { yield* frames; })(), recognizerFor(model));
  return result;
}

test('recognize() on a real-episode stream: the letters and text of the CLI loop and of the server session', { skip: sharedSkip }, async () => {
  const model = await loadModel();
  const pool = new EpisodePool(await heldOutEpisodes(model, DATASET_1001));
  const stream = buildEpisodeStream('안녕 하세요', pool, { seed: 7 });
  const events = await collect(recognize(stream.frames, { model }));
  const letters = lettersOf(events);
  assert.ok(letters.length > 0, 'letters were recognised');
  const texts = events.filter((e): e is Extract<LiveEvent, { type: 'text' }> => e.type === 'text');
  assert.equal(texts.length, events.filter((e) => e.type === 'letter').length, 'each letter updates the text');

  const cli = await cliLetters(model, stream.frames);
  assert.deepEqual(letters, cli.letters.map((l) => l.jamo));
  assert.equal(texts.at(-1)!.text, cli.text);

  // the server and the browser push frames in the model's channel order with their device time
  const session = createLiveSession(model);
  const pick = channelIndices(model.info.channels);
  const pushed = stream.frames.flatMap((f) => session.push(Float32Array.from(pick, (i) => f.values[i]!), f.t));
  assert.deepEqual(lettersOf([...pushed, ...session.finish()]), letters);
  await model.close();
});

test('recognize() reads a frame source as it comes (the simulated glove) and ends with the source', async () => {
  const model = await loadModel();
  const fromSource = await collect(recognize(openSimulatedSource('나무', { seed: 2, speed: Infinity }), { model }));
  const fromFrames = await collect(recognize(simulateText('나무', { seed: 2 }).frames, { model }));
  assert.deepEqual(fromSource, fromFrames);
  assert.ok(fromSource.some((e) => e.type === 'prediction'), 'predictions while a sign is held');
  await model.close();
});
