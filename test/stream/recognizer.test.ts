import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamingRecognizer, type WindowClassifier } from '../../src/stream/recognizer.js';
import { prototypeClassifier } from '../../src/stream/prototype-classifier.js';
import { simulateText, simulateLetters } from '../../src/stream/simulator/simulate.js';
import { evaluateHeldLetters, runSimulatedWords, SIMULATION_WORDS } from '../../src/stream/simulated-evaluation.js';
import { MotionDetector } from '../../src/stream/motion.js';
import { DEFAULT_CHANNELS } from '../../src/data/types.js';
import { JAMO } from '../../src/jamo.js';
import type { Frame } from '../../src/stream/frame.js';

const classify = prototypeClassifier();

function run(frames: Frame[], c: WindowClassifier = classify, opts = {}) {
  const rec = new StreamingRecognizer(c, opts);
  const texts: string[] = [];
  rec.on('text', (t) => texts.push(t));
  for (const f of frames) rec.push(f);
  rec.finish();
  return { letters: rec.letters.map((l) => l.jamo).join(''), text: rec.text, texts, rec };
}

test('one letter per held sign, repeated letters included (ㄴ ㄴ in 안녕)', () => {
  const r = run(simulateText('안녕', { seed: 11 }).frames);
  assert.equal(r.letters, 'ㅇㅏㄴㄴㅕㅇ');
  assert.equal(r.text, '안녕');
  assert.deepEqual(r.texts, ['ㅇ', '아', '안', '안ㄴ', '안녀', '안녕']);
});

test('a long hold still gives a single letter', () => {
  const s = simulateLetters(['ㄱ'], { seed: 3, holdFrames: [300, 300] });
  const r = run(s.frames);
  assert.equal(r.letters, 'ㄱ');
  assert.ok(r.rec.evaluations > 10, 'the hold was evaluated repeatedly');
});

test('nothing is emitted when the classifier is never confident enough', () => {
  // the same classifier with its probabilities flattened towards uniform (max well below 0.6)
  const unsure: WindowClassifier = (w, n) => {
    const p = classify(w, n).map((x) => x + 1);
    const sum = p.reduce((a, b) => a + b, 0);
    return p.map((x) => x / sum);
  };
  const r = run(simulateText('한글', { seed: 2 }).frames, unsure);
  assert.equal(r.letters, '');
  assert.equal(r.text, '');
});

test('a one-frame glitch on one flex sensor does not break a hold', () => {
  const frames = simulateLetters(['ㅁ'], { seed: 5, holdFrames: [160, 160] }).frames.map((f) => ({ t: f.t, values: f.values.slice() }));
  const seg = simulateLetters(['ㅁ'], { seed: 5, holdFrames: [160, 160] }).segments[0]!;
  for (const k of [seg.start + 60, seg.start + 61, seg.start + 100]) frames[k]!.values[1] = 3; // flex2 drops to ~0
  const r = run(frames);
  assert.equal(r.letters, 'ㅁ');
  const md = new MotionDetector(DEFAULT_CHANNELS);
  const still = frames.slice(seg.start, seg.end).map((f) => md.push(DEFAULT_CHANNELS.map((c, i) => f.values[i]!)).still);
  assert.ok(still.slice(20).every(Boolean));
});

test('prototype classifier: held letters and 20 simulated words', () => {
  const held = evaluateHeldLetters(classify, { perClass: 10, seed: 21 });
  assert.ok(held.accuracy >= 0.95, `held-letter accuracy ${held.accuracy}`);
  const words = runSimulatedWords(SIMULATION_WORDS, classify, { seed: 2 });
  assert.equal(words.total, 20);
  assert.ok(words.exact >= 18, words.details.filter((d) => !d.exact).map((d) => `${d.word}→${d.text}`).join(', '));
});

test('the classifier must return one probability per class', () => {
  const rec = new StreamingRecognizer(() => new Float32Array(3));
  assert.throws(() => {
    for (const f of simulateText('가', { seed: 1 }).frames) rec.push(f);
  }, /returned 3 probabilities for 24 classes/);
});

test('a hold that changes class without a visible move gives the new letter', () => {
  // classifier: class 0 (ㄱ) while flex1 < 500, class 1 (ㄴ) above; one finger moves slowly, so
  // the motion detector (which leaves out the channel that changed most) never sees a move
  const byFlex1: WindowClassifier = (w, n) => {
    const p = new Float32Array(24);
    p[w[(n - 1) * 8]! < 500 ? 0 : 1] = 1;
    return p;
  };
  const frames: Frame[] = [];
  const flex1 = (i: number) => (i < 60 ? 400 : i < 90 ? 400 + ((i - 60) * 200) / 30 : 600);
  for (let i = 0; i < 160; i++) {
    const values = new Float32Array(11).fill(NaN);
    values.set([flex1(i), 800, 800, 800, 800, 10, 20, 30]);
    frames.push({ t: i * 30, values });
  }
  assert.equal(run(frames, byFlex1).letters, 'ㄱㄴ');
  assert.equal(run(frames, byFlex1, { changeConfidence: 2 }).letters, 'ㄱ', 'motion alone merges the two signs');
});

test('a repeated letter needs only a small bounce; a glitch or one drifting sensor is not one', () => {
  const always0: WindowClassifier = () => {
    const p = new Float32Array(24);
    p[0] = 1;
    return p;
  };
  // 2 s of ㄱ, then (a) a 0.3 s bounce of the whole hand: every finger 20 units, the wrist 2°,
  // too small for the motion detector; (b) flex2 glitching for 2 frames while flex5 drifts 60 units
  const stream = (kind: 'bounce' | 'glitch'): Frame[] =>
    Array.from({ length: 140 }, (_, i) => {
      const values = new Float32Array(11).fill(NaN);
      values.set([800, 800, 800, 800, 800, 10, 20, 30]);
      const k = i - 66;
      if (kind === 'bounce' && k >= 0 && k < 10) {
        const s = Math.sin((Math.PI * (k + 1)) / 11);
        for (let c = 0; c < 5; c++) values[c] = 800 + 20 * s;
        for (let c = 5; c < 8; c++) values[c] = values[c]! + 2 * s;
      }
      if (kind === 'glitch') {
        if (k === 0 || k === 1) values[1] = 690;
        if (i > 50) values[4] = 800 + Math.min(60, (i - 50) * 3);
      }
      for (let c = 0; c < 8; c++) values[c] = values[c]! + ((i * 7 + c * 3) % 5) - 2; // sensor noise
      return { t: i * 30, values };
    });
  const bounce = run(stream('bounce'), always0);
  assert.equal(bounce.letters, 'ㄱㄱ');
  assert.ok(!bounce.rec.letters.some((l) => l.jamo === ' '));
  assert.equal(run(stream('glitch'), always0).letters, 'ㄱ');
  assert.equal(run(stream('bounce'), always0, { repeatBounce: false }).letters, 'ㄱ', 'without the bounce detector the motion detector merges them');
});

test('a letter read from the way into a sign, never confirmed, is replaced by the sign held', () => {
  // class ㅍ (index 12) while flex1 < 500, ㅏ (index 14) above: judged on the window's last frame
  const byLast: WindowClassifier = (w, n) => {
    const p = new Float32Array(24);
    p[w[(n - 1) * 8]! < 500 ? 12 : 14] = 1;
    return p;
  };
  const frames = (switchAt: number): Frame[] =>
    Array.from({ length: 120 }, (_, i) => {
      const values = new Float32Array(11).fill(NaN);
      values.set([i < switchAt ? 450 : 600, 800, 800, 800, 800, 10, 20, 30]);
      return { t: i * 30, values };
    });
  // where ㅍ is given when it is held throughout
  const held = run(frames(1000), byLast);
  assert.equal(held.letters, 'ㅍ');
  const given = Math.round(held.rec.letters[0]!.atMs / 30);
  // the posture changes right after: ㅏ replaces ㅍ
  const r = run(frames(given + 1), byLast);
  assert.equal(r.letters, 'ㅏ');
  assert.equal(r.rec.letters[0]!.replaces, true);
  assert.deepEqual(r.texts, ['ㅍ', 'ㅏ']);
  // held a little longer (a fresh look agreed), it is a sign of its own and both letters stay
  assert.equal(run(frames(given + 30), byLast).letters, 'ㅍㅏ');
});

test('a hold torn between two letters gives the better one with both in its top-k, and is no rest', () => {
  // every window the prototype reads as ㅁ comes out about half ㅁ, half ㅍ (as real ㅁ holds do for the trees)
  const M = 'ㅁ';
  const classes = [...JAMO];
  const m = classes.indexOf(M);
  const p = classes.indexOf('ㅍ');
  const torn: WindowClassifier = (w, n) => {
    const probs = classify(w, n);
    if (probs.indexOf(Math.max(...probs)) !== m) return probs;
    const out = new Float32Array(probs.length).fill(0.03 / (probs.length - 2));
    out[m] = 0.55;
    out[p] = 0.42;
    return out;
  };
  // the ㅁ hold (3 s) lasts well past the rest time: it must not read as a rest between words
  const s = simulateLetters(['ㄱ', M, 'ㅏ'], { seed: 4, holdFrames: [100, 100] });
  const r = run(s.frames, torn);
  assert.equal(r.letters, 'ㄱㅁㅏ');
  const letter = r.rec.letters[1]!;
  assert.deepEqual(letter.topK.slice(0, 2).map((c) => c.jamo), [M, 'ㅍ']);
  assert.ok(letter.confidence < 0.85, 'given below the confidence a clear sign needs');
  // without the torn-hold rule the same stream loses its ㅁ and the long unsure hold reads as a rest
  assert.equal(run(s.frames, torn, { tornEvaluations: 0 }).letters, 'ㄱ ㅏ');
});
