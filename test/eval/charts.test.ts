import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Resvg } from '@resvg/resvg-js';
import { JAMO } from '../../src/jamo.js';
import { computeMetrics } from '../../src/eval/metrics.js';
import { chartFontOptions } from '../../src/eval/font.js';
import { comparisonSpec, confidenceScatterSpec, confusionMatrixSpec, renderChart, trainingCurvesSpec } from '../../src/eval/charts.js';
import { syntheticPredictions } from './synthetic.js';
import { assertPng, assertSvg } from './image-checks.js';

/** RGBA pixels of `text` drawn with the chart font settings. */
function draw(text: string): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="40"><rect width="60" height="40" fill="white"/>`
    + `<text x="8" y="30" font-size="28" font-family="Pretendard, sans-serif">${text}</text></svg>`;
  return Buffer.from(new Resvg(svg, { font: chartFontOptions() }).render().pixels);
}

function ink(pixels: Buffer): number {
  let dark = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128) dark++;
  return dark;
}

test('the shipped font draws every jamo as itself, not as a missing-glyph box (no system fonts loaded)', () => {
  // resvg draws the font's .notdef box for a character the font lacks: two such characters look the same.
  const box = draw('\u{10FFFD}');
  assert.ok(box.equals(draw('\u{10FFFC}')), 'missing glyphs render as one identical box: the check can tell');
  assert.equal(ink(draw(' ')), 0);
  for (const text of [...JAMO, '한글']) {
    const pixels = draw(text);
    assert.ok(ink(pixels) > 20, `${text} rendered without ink`);
    assert.ok(!pixels.equals(box), `${text} rendered as a missing-glyph box`);
  }
});

test('confusion matrix spec holds K×K cells with counts and row shares', () => {
  const r = computeMetrics(syntheticPredictions({ perClass: 4 }));
  const cells = (spec: unknown) => (spec as { data: { values: { true: string; predicted: string; count: number; value: number | null }[] } }).data.values;
  const counts = cells(confusionMatrixSpec(r));
  assert.equal(counts.length, 24 * 24);
  assert.equal(counts.reduce((a, c) => a + c.count, 0), r.n);
  const norm = cells(confusionMatrixSpec(r, { normalized: true }));
  const rowSum = norm.filter((c) => c.true === 'ㄱ').reduce((a, c) => a + (c.value ?? 0), 0);
  assert.ok(Math.abs(rowSum - 1) < 1e-9, `row ㄱ sums to ${rowSum}`);
});

test('the per-sample scatter labels every jamo column (Vega would thin explicit ticks)', async () => {
  const r = computeMetrics(syntheticPredictions({ perClass: 3 }));
  const { svg } = await renderChart(confidenceScatterSpec(r));
  const missing = JAMO.filter((j) => !svg.includes(`>${j}</text>`));
  assert.deepEqual(missing, []);
});

test('training curves cover only the epochs the run reached', async () => {
  // A run stopped early at epoch 7 of a planned 50; epoch 8 is a placeholder row with no values.
  const history = [...Array.from({ length: 7 }, (_, i) => ({ epoch: i + 1, trainLoss: 2 / (i + 1), valLoss: 2.2 / (i + 1), trainAcc: i / 8, valAcc: i / 9 })),
    { epoch: 8, trainLoss: null, valLoss: null, trainAcc: null, valAcc: null }];
  const spec = trainingCurvesSpec(history) as unknown as { data: { values: { epoch: number }[] }; hconcat: { encoding: { x: { scale: { domain: number[] } } } }[] };
  assert.equal(Math.max(...spec.data.values.map((p) => p.epoch)), 7);
  assert.equal(spec.data.values.length, 28);
  assert.deepEqual(spec.hconcat[0].encoding.x.scale.domain, [1, 7]);
  const out = await renderChart(trainingCurvesSpec(history));
  assertSvg(out.svg, 'training curves');
  assertPng(out.png, 'training curves');
  assert.match(out.svg, /Epoch/);
});

test('model comparison renders every model name', async () => {
  const rows = [
    { model: 'GRU', testAccuracy: 0.95, macroF1: 0.94, params: 30000, trainSeconds: 120, latencyMs: 0.8 },
    { model: 'MSCSGRU', testAccuracy: 0.97, macroF1: 0.968, params: 120000, trainSeconds: 560, latencyMs: 2.4 },
  ];
  const out = await renderChart(comparisonSpec(rows));
  assertSvg(out.svg, 'comparison');
  const { width } = assertPng(out.png, 'comparison');
  assert.ok(width > 400);
  for (const r of rows) assert.ok(out.svg.includes(`>${r.model}<`), `${r.model} missing`);
});
