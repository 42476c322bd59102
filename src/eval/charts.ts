/**
 * Vega-Lite specifications for every evaluation chart (pure functions of the metrics), and
 * `renderChart`, which turns a spec into SVG (Vega, headless) and PNG (resvg with the shipped font).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { EvaluationResult } from './metrics.js';
import { CHART_FONT_CSS, chartFontOptions } from './font.js';

/** One epoch of a training run. Values are null when the run did not measure them (e.g. no validation set). */
export interface TrainingHistoryRow {
  epoch: number;
  trainLoss: number | null;
  valLoss: number | null;
  trainAcc: number | null;
  valAcc: number | null;
}

/** One model in a `signglove compare` table. */
export interface ComparisonRow {
  model: string;
  testAccuracy: number;
  macroF1: number;
  params: number;
  trainSeconds: number;
  latencyMs: number;
}

const COLOR_CORRECT = '#4c78a8';
const COLOR_WRONG = '#e45756';
const OUTCOME_SCALE = { domain: ['correct', 'wrong'], range: [COLOR_CORRECT, COLOR_WRONG] };

/** Shared look: the shipped font everywhere, white background, readable sizes. */
function baseConfig() {
  return {
    font: CHART_FONT_CSS,
    background: 'white',
    padding: 12,
    title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: '#555', anchor: 'start' as const, offset: 10 },
    axis: { labelFontSize: 12, titleFontSize: 13, titlePadding: 8 },
    legend: { labelFontSize: 12, titleFontSize: 12 },
    view: { stroke: null },
  };
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Width of one category (one jamo) on class axes: wide enough for a Hangul label at 14 px. */
const CELL = 24;

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Confusion matrix heat map: rows = true jamo, columns = predicted jamo; counts or row-normalised. */
export function confusionMatrixSpec(result: EvaluationResult, opts: { normalized?: boolean } = {}): TopLevelSpec {
  const normalized = opts.normalized ?? false;
  const K = result.classes.length;
  const cells: { true: string; predicted: string; count: number; value: number | null; label: string }[] = [];
  for (let t = 0; t < K; t++) {
    const support = result.perClass[t].support;
    for (let p = 0; p < K; p++) {
      const count = result.confusion[t][p];
      const value = normalized ? (support > 0 ? count / support : null) : count;
      // Empty cells stay blank so the few errors stand out; normalised cells show whole percent.
      const label = count === 0 ? '' : normalized ? String(Math.round((value ?? 0) * 100)) : String(count);
      cells.push({ true: result.classes[t], predicted: result.classes[p], count, value, label });
    }
  }
  const maxValue = normalized ? 1 : Math.max(1, ...cells.map((c) => c.count));
  const side = K * CELL;
  return {
    $schema: SCHEMA,
    title: {
      text: normalized ? 'Confusion matrix, normalised by true class' : 'Confusion matrix (counts)',
      subtitle: normalized
        ? `cell = % of the true class's samples · n = ${result.n} · top-1 ${pct(result.top1)}`
        : `rows: true jamo, columns: predicted jamo · n = ${result.n} · top-1 ${pct(result.top1)}`,
    },
    data: { values: cells },
    width: side,
    height: side,
    encoding: {
      x: {
        field: 'predicted', type: 'ordinal', sort: result.classes, title: 'Predicted',
        axis: { orient: 'top', labelAngle: 0, labelFontSize: 14, domain: false, ticks: false },
      },
      y: {
        field: 'true', type: 'ordinal', sort: result.classes, title: 'True',
        axis: { labelFontSize: 14, domain: false, ticks: false },
      },
    },
    layer: [
      // White grid under everything, colour only where something was predicted: zeros stay blank.
      { mark: { type: 'rect', fill: 'white', stroke: '#e6e6e6', strokeWidth: 0.5 } },
      {
        transform: [{ filter: 'datum.count > 0' }],
        mark: { type: 'rect', stroke: '#e6e6e6', strokeWidth: 0.5 },
        encoding: {
          color: {
            field: 'value', type: 'quantitative',
            scale: { scheme: 'blues', domain: [0, maxValue] },
            title: normalized ? 'share of row' : 'count',
            legend: normalized ? { format: '.0%' } : { format: 'd', tickMinStep: 1 },
          },
          tooltip: [
            { field: 'true', title: 'true' },
            { field: 'predicted', title: 'predicted' },
            { field: 'count', title: 'count' },
          ],
        },
      },
      // Outline the diagonal (correct predictions) so it reads even where a class scored 0.
      {
        transform: [{ filter: 'datum.true === datum.predicted' }],
        mark: { type: 'rect', fill: null, stroke: '#666', strokeWidth: 1 },
      },
      {
        mark: { type: 'text', fontSize: 10, baseline: 'middle' },
        encoding: {
          text: { field: 'label' },
          color: {
            condition: { test: `datum.value > ${maxValue * (normalized ? 0.5 : 0.3)}`, value: 'white' },
            value: '#222',
          },
        },
      },
    ],
    config: baseConfig(),
  } as TopLevelSpec;
}

/** Per-class rows for the bar charts; classes without samples are kept on the axis but have no bar. */
function perClassRows(result: EvaluationResult) {
  return result.perClass.map((c) => ({
    jamo: c.jamo,
    support: c.support,
    accuracy: c.accuracy,
    meanConfidence: c.meanConfidence,
    accuracyLabel: c.accuracy === null ? 'no samples' : `${Math.round(c.accuracy * 100)}%`,
    confidenceLabel: c.meanConfidence === null ? 'no samples' : `${Math.round(c.meanConfidence * 100)}%`,
  }));
}

function perClassBarSpec(
  result: EvaluationResult,
  field: 'accuracy' | 'meanConfidence',
  title: string,
  subtitle: string,
  yTitle: string,
  referenceValue: number,
  referenceLabel: string,
): TopLevelSpec {
  const labelField = field === 'accuracy' ? 'accuracyLabel' : 'confidenceLabel';
  // Accuracies all in the 90s get an axis that shows their differences; bars are clipped at its floor.
  const floor = field === 'accuracy' ? accuracyAxisFloor(result.perClass.map((c) => c.accuracy)) : 0;
  // Every layer carries the same y scale and axis so the merged axis keeps this title and format.
  const yScaleAxis = { type: 'quantitative' as const, scale: { domain: [floor, 1] }, title: yTitle, axis: { format: '.0%', values: accuracyTicks(floor) } };
  const inside = floor + 0.08 * (1 - floor);
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle },
    width: result.classes.length * (CELL + 10),
    height: 300,
    layer: [
      // Reference line first, so bars and their labels sit on top of it.
      {
        data: { values: [{ y: referenceValue, label: referenceLabel }] },
        layer: [
          { mark: { type: 'rule', strokeDash: [5, 4], color: '#888' }, encoding: { y: { field: 'y', ...yScaleAxis } } },
          {
            // Label sits right of the plot so it never covers a bar.
            mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 10, color: '#555', x: 'width' },
            encoding: { y: { field: 'y', ...yScaleAxis }, text: { field: 'label' } },
          },
        ],
      },
      {
        data: { values: perClassRows(result) },
        encoding: {
          x: { field: 'jamo', type: 'ordinal', sort: result.classes, title: 'Jamo', axis: { labelAngle: 0, labelFontSize: 14 } },
          y: { field, ...yScaleAxis },
        },
        layer: [
          {
            mark: { type: 'bar', color: field === 'accuracy' ? COLOR_CORRECT : '#72b7b2', width: { band: 0.8 }, clip: true },
            encoding: { tooltip: [{ field: 'jamo' }, { field: labelField, title: yTitle }, { field: 'support' }] },
          },
          // Values inside the bar top (the reference line runs behind the bars, so it never crosses them);
          // bars too short to hold a label get it above.
          {
            transform: [{ filter: `datum.${field} !== null && datum.${field} >= ${inside}` }],
            mark: { type: 'text', baseline: 'top', dy: 4, fontSize: 9, color: 'white' },
            encoding: { text: { field: labelField } },
          },
          {
            transform: [{ filter: `datum.${field} !== null && datum.${field} < ${inside}` }],
            mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 9, color: '#333' },
            encoding: { text: { field: labelField } },
          },
        ],
      },
    ],
    config: baseConfig(),
  } as TopLevelSpec;
}

/** Accuracy (= recall) of each jamo, with the overall top-1 as a reference line. */
export function perClassAccuracySpec(result: EvaluationResult): TopLevelSpec {
  return perClassBarSpec(
    result, 'accuracy', 'Per-class accuracy',
    `share of each jamo's samples recognised correctly · n = ${result.n}`,
    'Accuracy', result.top1, `overall ${pct(result.top1)}`,
  );
}

/** Mean top-1 confidence over the samples of each true jamo. */
export function perClassConfidenceSpec(result: EvaluationResult): TopLevelSpec {
  return perClassBarSpec(
    result, 'meanConfidence', 'Per-class mean confidence',
    "mean probability of the predicted class over each true jamo's samples",
    'Mean confidence', result.meanConfidence.all, `overall ${pct(result.meanConfidence.all)}`,
  );
}

function sampleRows(result: EvaluationResult) {
  return result.samples.map((s, i) => ({
    index: i,
    confidence: s.confidence,
    outcome: s.correct ? 'correct' : 'wrong',
    true: result.classes[s.label],
    predicted: result.classes[s.predicted],
    file: s.file ?? '',
  }));
}

/** Histograms of top-1 confidence for correct and for wrong predictions (own y scales: wrong ones are few). */
export function confidenceDistributionSpec(result: EvaluationResult): TopLevelSpec {
  const m = result.meanConfidence;
  const fmt = (x: number | null) => (x === null ? '–' : pct(x));
  const nCorrect = result.samples.filter((s) => s.correct).length;
  const nWrong = result.n - nCorrect;
  const panel = (outcome: 'correct' | 'wrong', count: number, meanConf: number | null) => ({
    title: {
      text: count === 0
        ? `${outcome === 'correct' ? 'Correct' : 'Wrong'} predictions: none`
        : `${outcome === 'correct' ? 'Correct' : 'Wrong'} predictions (${count}, mean confidence ${fmt(meanConf)})`,
      fontSize: 13,
    },
    width: 560,
    height: 140,
    transform: [{ filter: `datum.outcome === '${outcome}'` }],
    mark: { type: 'bar' as const, binSpacing: 1, color: outcome === 'correct' ? COLOR_CORRECT : COLOR_WRONG },
    encoding: {
      x: {
        field: 'confidence', type: 'quantitative' as const, bin: { extent: [0, 1], step: 0.05 },
        scale: { domain: [0, 1] }, title: 'Confidence of the predicted class', axis: { format: '.0%', values: [0, 0.2, 0.4, 0.6, 0.8, 1] },
      },
      y: { aggregate: 'count' as const, type: 'quantitative' as const, title: 'Samples', axis: { tickMinStep: 1, format: 'd' } },
    },
  });
  return {
    $schema: SCHEMA,
    title: {
      text: 'Confidence distribution: correct vs wrong',
      subtitle: `confidence = probability of the predicted class · n = ${result.n} · ECE ${result.ece.toFixed(3)} (15 bins)`,
    },
    data: { values: sampleRows(result) },
    vconcat: [panel('correct', nCorrect, m.correct), panel('wrong', nWrong, m.wrong)],
    config: baseConfig(),
  } as TopLevelSpec;
}

/**
 * Confidence of every sample, in a column per true jamo (spread evenly inside the column, in evaluation
 * order, so the picture is the same on every run); wrong predictions drawn on top in red.
 */
export function confidenceScatterSpec(result: EvaluationResult): TopLevelSpec {
  const K = result.classes.length;
  const seenInClass = new Array<number>(K).fill(0);
  const rows = sampleRows(result).map((row, i) => {
    const label = result.samples[i].label;
    const support = result.perClass[label].support;
    const x = label + 0.15 + (0.7 * (seenInClass[label]++ + 0.5)) / support;
    return { ...row, x };
  });
  const classList = JSON.stringify(result.classes);
  return {
    $schema: SCHEMA,
    title: { text: 'Confidence of every sample', subtitle: `${result.n} samples, one column per true jamo · wrong predictions in red` },
    width: K * (CELL + 6),
    height: 300,
    layer: [
      {
        // Thin separators between the jamo columns.
        data: { values: Array.from({ length: K - 1 }, (_, k) => ({ x: k + 1 })) },
        mark: { type: 'rule', color: '#eeeeee' },
        encoding: { x: { field: 'x', type: 'quantitative' } },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 26 },
        encoding: {
          x: {
            field: 'x', type: 'quantitative', title: 'True jamo', scale: { domain: [0, K], nice: false, zero: false },
            axis: {
              values: result.classes.map((_, k) => k + 0.5), labelExpr: `${classList}[floor(datum.value)]`,
              // Vega thins explicit tick values down to tickCount (default width/40): ask for all K.
              tickCount: K, labelFontSize: 14, labelOverlap: false, grid: false, ticks: false,
            },
          },
          y: { field: 'confidence', type: 'quantitative', title: 'Confidence of the predicted class', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          color: { field: 'outcome', type: 'nominal', scale: OUTCOME_SCALE, title: 'Prediction' },
          shape: { field: 'outcome', type: 'nominal', scale: { domain: ['correct', 'wrong'], range: ['circle', 'triangle-up'] }, title: 'Prediction' },
          opacity: { condition: { test: "datum.outcome === 'wrong'", value: 0.95 }, value: 0.55 },
          order: { field: 'outcome', sort: 'ascending' },
          tooltip: [{ field: 'file' }, { field: 'true' }, { field: 'predicted' }, { field: 'confidence', format: '.3f' }],
        },
      },
    ],
    config: baseConfig(),
  } as TopLevelSpec;
}

/**
 * The lower end of an accuracy axis: 0, unless every value is high, then a round 10% step at
 * least 5 points below the lowest value (92% and 100% should not look alike, but the axis is
 * not zoomed onto the values either). The upper end is always 100%.
 */
export function accuracyAxisFloor(values: readonly (number | null)[]): number {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return 0;
  const floor = Math.floor((Math.min(...finite) - 0.05) * 10) / 10;
  return floor >= 0.5 ? Math.min(floor, 0.9) : 0;
}

/** Accuracy axis ticks from `floor` to 100%: every 20% from 0, every 5% on a short axis, else every 10%. */
function accuracyTicks(floor: number): number[] {
  const step = floor === 0 ? 0.2 : 1 - floor <= 0.2 + 1e-9 ? 0.05 : 0.1;
  const ticks: number[] = [];
  for (let v = floor; v <= 1 + 1e-9; v += step) ticks.push(Math.round(v * 100) / 100);
  return ticks;
}

export interface TrainingCurvesOptions {
  /** The epoch whose weights were kept (the best validation loss): marked on both panels. */
  bestEpoch?: number;
}

/** Train/val loss and accuracy per epoch, only for the epochs the run reached (rows with a value). */
export function trainingCurvesSpec(history: readonly TrainingHistoryRow[], opts: TrainingCurvesOptions = {}): TopLevelSpec {
  const rows = [...history].sort((a, b) => a.epoch - b.epoch);
  const points: { epoch: number; metric: string; split: string; value: number }[] = [];
  for (const h of rows) {
    const add = (metric: string, split: string, v: number | null) => {
      if (v !== null && Number.isFinite(v)) points.push({ epoch: h.epoch, metric, split, value: v });
    };
    add('loss', 'train', h.trainLoss);
    add('loss', 'val', h.valLoss);
    add('accuracy', 'train', h.trainAcc);
    add('accuracy', 'val', h.valAcc);
  }
  const epochs = points.map((p) => p.epoch);
  const first = epochs.length ? Math.min(...epochs) : 1;
  const last = epochs.length ? Math.max(...epochs) : 1;
  const xEnc = {
    field: 'epoch', type: 'quantitative' as const, title: 'Epoch',
    scale: { domain: [first, Math.max(last, first + 1)], nice: false },
    axis: { format: 'd', tickMinStep: 1 },
  };
  const color = { field: 'split', type: 'nominal' as const, scale: { domain: ['train', 'val'], range: [COLOR_CORRECT, '#f58518'] }, title: null };
  const accFloor = accuracyAxisFloor(points.filter((p) => p.metric === 'accuracy').map((p) => p.value));
  const best = opts.bestEpoch !== undefined && opts.bestEpoch >= first && opts.bestEpoch <= last ? opts.bestEpoch : undefined;
  const bestRow = best === undefined ? undefined : rows.find((r) => r.epoch === best);
  // No panel titles: the y-axis titles name each panel, and panel titles drift apart vertically.
  const panel = (metric: 'loss' | 'accuracy') => {
    const y = {
      field: 'value', type: 'quantitative' as const, title: metric === 'loss' ? 'Loss' : 'Accuracy',
      ...(metric === 'accuracy' ? { scale: { domain: [accFloor, 1] }, axis: { format: '.0%', values: accuracyTicks(accFloor) } } : { scale: { zero: false } }),
    };
    const curves = {
      transform: [{ filter: `datum.metric === '${metric}'` }],
      mark: { type: 'line' as const, point: last - first < 40, strokeWidth: 2 },
      encoding: { x: xEnc, y, color, tooltip: [{ field: 'epoch' }, { field: 'split' }, { field: 'value', format: '.4f' }] },
    };
    if (best === undefined) return { width: 340, height: 240, ...curves };
    const kept = bestRow?.valAcc !== null && bestRow?.valAcc !== undefined ? ` (val ${pct(bestRow.valAcc)})` : '';
    // The kept epoch: a dashed rule behind the curves, labelled at the top of the panel.
    const mark = {
      data: { values: [{ epoch: best, label: `kept: epoch ${best}${metric === 'accuracy' ? kept : ''}` }] },
      layer: [
        { mark: { type: 'rule' as const, strokeDash: [5, 4], color: '#555' }, encoding: { x: xEnc } },
        {
          mark: { type: 'text' as const, align: (best - first > (last - first) * 0.6 ? 'right' : 'left') as 'right' | 'left', dx: best - first > (last - first) * 0.6 ? -4 : 4, y: 8, fontSize: 10, color: '#333' },
          encoding: { x: xEnc, text: { field: 'label' } },
        },
      ],
    };
    return { width: 340, height: 240, layer: [mark, curves] };
  };
  return {
    $schema: SCHEMA,
    title: { text: 'Training curves', subtitle: `epochs ${first}–${last} (as far as the run went)${best === undefined ? '' : `; the weights of epoch ${best} (best validation loss) were kept`}` },
    data: { values: points },
    hconcat: [panel('loss'), panel('accuracy')],
    config: baseConfig(),
  } as TopLevelSpec;
}

/** Side-by-side comparison of trained models: accuracy and macro-F1, latency, training time, size. */
export function comparisonSpec(rows: readonly ComparisonRow[]): TopLevelSpec {
  const models = rows.map((r) => r.model);
  const scoreRows = rows.flatMap((r) => [
    { model: r.model, measure: 'test accuracy', value: r.testAccuracy },
    { model: r.model, measure: 'macro-F1', value: r.macroF1 },
  ]);
  const height = Math.max(60, rows.length * 34);
  const scoreFloor = accuracyAxisFloor(scoreRows.map((r) => r.value));
  const y = { field: 'model', type: 'nominal' as const, sort: models, title: null, axis: { labelLimit: 220 } };
  const single = (field: keyof ComparisonRow, title: string, format: string, axisFormat: string, color: string) => ({
    title,
    width: 260,
    height,
    data: { values: rows.map((r) => ({ model: r.model, value: r[field] })) },
    layer: [
      { mark: { type: 'bar' as const, color }, encoding: { y, x: { field: 'value', type: 'quantitative' as const, title: null, axis: { format: axisFormat, tickCount: 3 } } } },
      {
        mark: { type: 'text' as const, align: 'left' as const, dx: 3, fontSize: 11 },
        encoding: { y, x: { field: 'value', type: 'quantitative' as const }, text: { field: 'value', type: 'quantitative' as const, format } },
      },
    ],
  });
  return {
    $schema: SCHEMA,
    title: { text: 'Model comparison', subtitle: `${rows.length} models on the same test split` },
    columns: 2,
    concat: [
      {
        title: `Test accuracy and macro-F1${scoreFloor > 0 ? ` (axis from ${Math.round(scoreFloor * 100)}%)` : ''}`,
        width: 260,
        height,
        data: { values: scoreRows },
        encoding: {
          y,
          yOffset: { field: 'measure', type: 'nominal', sort: ['test accuracy', 'macro-F1'] },
          x: { field: 'value', type: 'quantitative', scale: { domain: [scoreFloor, 1] }, title: null, axis: { format: '.0%', values: accuracyTicks(scoreFloor) } },
        },
        layer: [
          { mark: { type: 'bar', clip: true }, encoding: { color: { field: 'measure', type: 'nominal', sort: ['test accuracy', 'macro-F1'], title: null, legend: { orient: 'bottom' } } } },
          { mark: { type: 'text', align: 'right', dx: -3, fontSize: 10, color: 'white' }, encoding: { text: { field: 'value', type: 'quantitative', format: '.1%' } } },
        ],
      },
      single('latencyMs', 'Latency per episode (ms)', '.2f', '~g', '#72b7b2'),
      single('trainSeconds', 'Training time (s)', ',.0f', ',d', '#b279a2'),
      single('params', 'Parameters', ',d', ',d', '#9d755d'),
    ],
    resolve: { scale: { color: 'independent' } },
    config: baseConfig(),
  } as TopLevelSpec;
}

export interface RenderedChart {
  svg: string;
  png: Buffer;
}

/** Renders a Vega-Lite spec to SVG (headless Vega, no canvas) and to PNG at 2× scale with the shipped font. */
export async function renderChart(spec: TopLevelSpec, opts: { scale?: number } = {}): Promise<RenderedChart> {
  // Loaded on first use: the chart stack takes ~1 s to import, and most commands never draw.
  const [vega, { compile }, { Resvg }] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]);
  const runtime = vega.parse(compile(spec).spec);
  const view = new vega.View(runtime, { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const resvg = new Resvg(svg, {
      font: chartFontOptions(),
      fitTo: { mode: 'zoom', value: opts.scale ?? 2 },
      background: 'white',
    });
    return { svg, png: resvg.render().asPng() };
  } finally {
    view.finalize();
  }
}

/** The live benchmark's figures (src/eval/live-benchmark.ts): rates as bars, the delay beside them. */
export interface LiveChartFigures {
  model: string;
  streams: number;
  wordsExact: number;
  wordsExactLexicon: number;
  wordsExactLexiconInjected: number;
  letterErrorRate: number;
  simulatedExact: number;
  simulatedTotal: number;
  delayMedianMs: number;
  delayP90Ms: number;
}

export function liveBenchmarkSpec(f: LiveChartFigures): TopLevelSpec {
  const rates = [
    { measure: 'words exact (raw letters)', value: f.wordsExact, kind: 'words' },
    { measure: 'words exact (lexicon)', value: f.wordsExactLexicon, kind: 'words' },
    { measure: 'words exact (+ errors)', value: f.wordsExactLexiconInjected, kind: 'words' },
    { measure: 'simulated words exact', value: f.simulatedExact / Math.max(1, f.simulatedTotal), kind: 'words' },
    { measure: 'letter error rate', value: f.letterErrorRate, kind: 'errors' },
  ];
  const delays = [
    { measure: 'median', value: f.delayMedianMs },
    { measure: '90th percentile', value: f.delayP90Ms },
  ];
  const y = { field: 'measure', type: 'nominal' as const, sort: null, title: null, axis: { labelLimit: 260 } };
  return {
    $schema: SCHEMA,
    title: { text: 'Live recognition on real held-out episodes', subtitle: `${f.model}, ${f.streams} streams; target: words exact ≥ 95% raw, ≥ 98% with the lexicon; delay ≤ 0.8 s` },
    hconcat: [
      {
        title: 'Rates',
        width: 280,
        height: rates.length * 28,
        data: { values: rates },
        encoding: { y, x: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] }, title: null, axis: { format: '.0%' } } },
        layer: [
          { mark: { type: 'bar' }, encoding: { color: { field: 'kind', type: 'nominal', scale: { domain: ['words', 'errors'], range: [COLOR_CORRECT, COLOR_WRONG] }, legend: null } } },
          { mark: { type: 'text', align: 'left', dx: 3, fontSize: 11 }, encoding: { text: { field: 'value', type: 'quantitative', format: '.1%' } } },
        ],
      },
      {
        title: 'Delay from hold start to letter (ms)',
        width: 200,
        height: delays.length * 28,
        data: { values: delays },
        layer: [
          { mark: { type: 'bar', color: '#72b7b2' }, encoding: { y, x: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1000] } } } },
          // the target, across the whole panel
          { mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3] }, encoding: { x: { datum: 800, type: 'quantitative' } } },
          { mark: { type: 'text', align: 'left', dx: 3, fontSize: 11 }, encoding: { y, x: { field: 'value', type: 'quantitative' }, text: { field: 'value', type: 'quantitative', format: '.0f' } } },
        ],
      },
    ],
    config: baseConfig(),
  } as TopLevelSpec;
}
