import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { computeMetrics } from '../../src/eval/metrics.js';
import { writeComparisonChart, writeEvaluationReport, writeTrainingCharts, type EvaluationReportJson } from '../../src/eval/report.js';
import { formatPercent, formatRatio } from '../../src/eval/report-html.js';
import { syntheticPredictions } from './synthetic.js';
import { assertPng, assertSvg } from './image-checks.js';

const CHARTS = [
  'confusion_matrix', 'confusion_matrix_normalized', 'per_class_accuracy', 'per_class_confidence',
  'confidence_distribution', 'confidence_scatter', 'training_curves',
];

/** Reads `<td ... data-key="K" data-value="V">TEXT</td>` cells of the summary table. */
function summaryCells(html: string): Map<string, { value: string; text: string }> {
  const cells = new Map<string, { value: string; text: string }>();
  for (const m of html.matchAll(/data-key="([^"]+)" data-value="([^"]*)">([^<]*)<\/td>/g)) cells.set(m[1], { value: m[2], text: m[3] });
  return cells;
}

function getPath(obj: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj);
}

test('writeEvaluationReport writes metrics.json, every chart as valid SVG + PNG, and a report whose numbers equal the JSON', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'signglove-eval-'));
  try {
    const input = syntheticPredictions({ perClass: 10, errorRate: 0.1 });
    const result = computeMetrics(input);
    const history = Array.from({ length: 5 }, (_, i) => ({ epoch: i + 1, trainLoss: 1 / (i + 1), valLoss: 1.1 / (i + 1), trainAcc: 0.5 + i / 10, valAcc: 0.45 + i / 10 }));
    const { files, json } = await writeEvaluationReport(result, {
      outDir: dir, title: 'GRU on <test> split', modelInfo: { name: 'gru-test', arch: 'GRU', dataset: 'synthetic' }, history,
    });

    const names = readdirSync(dir).sort();
    const expected = ['metrics.json', 'report.html', ...CHARTS.flatMap((c) => [`${c}.png`, `${c}.svg`])].sort();
    assert.deepEqual(names, expected, 'exactly the expected files, no temporary leftovers');
    assert.deepEqual([...files].map((f) => path.basename(f)).sort(), expected);
    for (const c of CHARTS) {
      assertSvg(readFileSync(path.join(dir, `${c}.svg`), 'utf8'), c);
      assertPng(readFileSync(path.join(dir, `${c}.png`)), c);
    }
    assert.match(readFileSync(path.join(dir, 'confusion_matrix.svg'), 'utf8'), />ㅎ</, 'jamo are the axis labels');

    const metrics = JSON.parse(readFileSync(path.join(dir, 'metrics.json'), 'utf8')) as EvaluationReportJson;
    assert.deepEqual(metrics, JSON.parse(JSON.stringify(json)));
    for (const key of ['n', 'top1', 'top5', 'macroF1', 'perClass', 'confusedPairs'] as const) assert.ok(key in metrics, key);
    assert.equal(metrics.n, 240);
    assert.ok(metrics.macroF1 > 0 && metrics.macroF1 < 1);

    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    assert.ok(html.includes('GRU on &lt;test&gt; split'), 'title escaped');
    assert.ok(!html.includes('<test>'), 'no raw markup from data');
    // Summary: exact value and displayed text both come from metrics.json.
    const cells = summaryCells(html);
    for (const key of ['n', 'top1', 'top5', 'macroPrecision', 'macroRecall', 'macroF1', 'meanConfidence.all', 'meanConfidence.correct', 'meanConfidence.wrong', 'ece']) {
      const cell = cells.get(key);
      assert.ok(cell, `summary lacks ${key}`);
      const value = getPath(metrics, key) as number;
      assert.equal(Number(cell.value), value, `${key} value`);
      const shown = key === 'n' ? String(value) : ['macroPrecision', 'macroRecall', 'macroF1', 'ece'].includes(key) ? formatRatio(value) : formatPercent(value);
      assert.equal(cell.text, shown, `${key} text`);
    }
    // Per-class rows: one per jamo, support and accuracy as in the JSON.
    for (const c of metrics.perClass) {
      const row = html.match(new RegExp(`<tr data-jamo="${c.jamo}"><td class="jamo">${c.jamo}</td><td class="num" data-value="(\\d+)">\\d+</td><td class="num" data-value="(\\d+)">\\d+</td><td class="num" data-value="([^"]+)">([^<]+)</td>`));
      assert.ok(row, `no per-class row for ${c.jamo}`);
      assert.deepEqual([Number(row[1]), Number(row[2]), Number(row[3]), row[4]], [c.support, c.correct, c.accuracy, formatPercent(c.accuracy)]);
    }
    for (const p of metrics.confusedPairs) assert.ok(html.includes(`<td class="jamo">${p.true}</td><td class="jamo">${p.predicted}</td><td class="num" data-value="${p.count}">`));
    // Embedded JSON equals the file; charts inline; the font travels with the report.
    const embedded = html.match(/<script type="application\/json" id="metrics-json">(.*?)<\/script>/s);
    assert.ok(embedded);
    assert.deepEqual(JSON.parse(embedded[1]), metrics);
    assert.equal((html.match(/<figure id="chart-/g) ?? []).length, CHARTS.length);
    assert.match(html, /@font-face \{ font-family: 'Pretendard'; src: url\(data:font\/ttf;base64,AAEAAA/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('training and comparison charts are written as SVG + PNG', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'signglove-eval-'));
  try {
    const t = await writeTrainingCharts([{ epoch: 1, trainLoss: 1, valLoss: null, trainAcc: 0.4, valAcc: null }, { epoch: 2, trainLoss: 0.6, valLoss: null, trainAcc: 0.7, valAcc: null }], dir);
    const c = await writeComparisonChart([{ model: 'GRU', testAccuracy: 0.9, macroF1: 0.88, params: 1000, trainSeconds: 3, latencyMs: 0.5 }], dir);
    assert.deepEqual([...t.files, ...c.files].map((f) => path.basename(f)), ['training_curves.svg', 'training_curves.png', 'model_comparison.svg', 'model_comparison.png']);
    assertPng(readFileSync(path.join(dir, 'training_curves.png')), 'training curves');
    assertSvg(readFileSync(path.join(dir, 'model_comparison.svg'), 'utf8'), 'comparison');
    assert.deepEqual((await writeTrainingCharts([], dir)).files, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
