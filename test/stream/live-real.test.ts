// Live recognition on streams built from real held-out episodes (needs ../shared).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../src/infer/index.js';
import { heldOutEpisodes } from '../../src/eval/live-benchmark.js';
import { buildEpisodeStream, EpisodePool } from '../../src/stream/episode-streams.js';
import { StreamingRecognizer, type RecognizerOptions } from '../../src/stream/recognizer.js';
import { DATASET_1001, sharedSkip } from '../shared.js';

// neighbours that differ in few channels (바다, 치마, 미안해요), repeated letters (학교, 언니, 안녕)
const WORDS = ['바다', '치마', '미안해요', '하늘', '학교', '언니', '안녕', '남매', '사랑 해요'];

test('real-episode streams: class changes and repeated letters give their letters', { skip: sharedSkip }, async () => {
  const model = await loadModel();
  const pool = new EpisodePool(await heldOutEpisodes(model, DATASET_1001));
  const run = (opts: RecognizerOptions) =>
    WORDS.map((w, i) => {
      const s = buildEpisodeStream(w, pool, { seed: 1000 + i });
      const rec = new StreamingRecognizer((x, n) => model.classifyWindow(x, n), { channels: model.info.channels, classes: model.info.classes, ...opts });
      for (const f of s.frames) rec.push(f);
      rec.finish();
      return { word: w, text: rec.text, letters: rec.letters.length, expected: s.letters.length };
    });
  const full = run({});
  const exact = full.filter((r) => r.text === r.word);
  assert.ok(exact.length >= WORDS.length - 2, full.map((r) => `${r.word}→${r.text}`).join(' '));
  assert.ok(full.some((r) => r.word.includes(' ') && r.text === r.word), 'a rest between words gives a space');
  // motion alone (no class change, no bounce) loses letters on the same streams
  const motionOnly = run({ changeConfidence: 2, repeatBounce: false });
  const lost = motionOnly.reduce((n, r) => n + Math.max(0, r.expected - r.letters), 0);
  const lostFull = full.reduce((n, r) => n + Math.max(0, r.expected - r.letters), 0);
  assert.ok(lost > lostFull, `letters lost: motion only ${lost}, with class change and bounce ${lostFull}`);
});
