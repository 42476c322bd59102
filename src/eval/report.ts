/**
 * Writes an evaluation to a folder: metrics.json, every chart as .svg + .png, and report.html.
 * Also the chart writers that `train` (training curves) and `compare` (model comparison) call.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { TopLevelSpec } from 'vega-lite';
import type { EvaluationResult } from './metrics.js';
import {
  comparisonSpec, confidenceDistributionSpec, confidenceScatterSpec, confusionMatrixSpec, perClassAccuracySpec,
  perClassConfidenceSpec, renderChart, trainingCurvesSpec, type ComparisonRow, type TrainingCurvesOptions, type TrainingHistoryRow,
} from './charts.js';
import { writeFileAtomic } from './atomic-write.js';
import { buildReportHtml, type HtmlChart } from './report-html.js';
import type { EvaluationReportJson, ReportModelInfo } from './report-types.js';
import { CHART_FONT_FAMILY, chartFontFile } from './font.js';

/** Free-form facts about the model and data shown in the report (name, arch, bundle, dataset, split…). */
export type { EvaluationReportJson, ReportModelInfo } from './report-types.js';

export interface EvaluationReportOptions {
  outDir: string;
  title: string;
  modelInfo?: ReportModelInfo;
  /** Training history of the evaluated model, when known: adds the training-curve chart. */
  history?: readonly TrainingHistoryRow[];
  /** The epoch whose weights the model kept: marked on the training-curve chart. */
  bestEpoch?: number;
}

/** Every chart of an evaluation: file stem, caption and spec. */
export function evaluationCharts(result: EvaluationResult, history?: readonly TrainingHistoryRow[], curves: TrainingCurvesOptions = {}): { name: string; title: string; spec: TopLevelSpec }[] {
  const charts = [
    { name: 'confusion_matrix', title: 'Confusion matrix (counts)', spec: confusionMatrixSpec(result) },
    { name: 'confusion_matrix_normalized', title: 'Confusion matrix, normalised by true class', spec: confusionMatrixSpec(result, { normalized: true }) },
    { name: 'per_class_accuracy', title: 'Per-class accuracy', spec: perClassAccuracySpec(result) },
    { name: 'per_class_confidence', title: 'Per-class mean confidence', spec: perClassConfidenceSpec(result) },
    { name: 'confidence_distribution', title: 'Confidence distribution: correct vs wrong', spec: confidenceDistributionSpec(result) },
    { name: 'confidence_scatter', title: 'Confidence of every sample', spec: confidenceScatterSpec(result) },
  ];
  if (history && history.length > 0) {
    charts.push({ name: 'training_curves', title: 'Training curves', spec: trainingCurvesSpec(history, curves) });
  }
  return charts;
}

/** The object written as metrics.json (key order: headline numbers first). */
export function evaluationReportJson(result: EvaluationResult, title: string, modelInfo?: ReportModelInfo): EvaluationReportJson {
  return { title, ...(modelInfo ? { model: modelInfo } : {}), ...result };
}

async function writeChart(outDir: string, name: string, spec: TopLevelSpec): Promise<{ svg: string; files: string[] }> {
  const { svg, png } = await renderChart(spec);
  const svgFile = path.join(outDir, `${name}.svg`);
  const pngFile = path.join(outDir, `${name}.png`);
  writeFileAtomic(svgFile, svg);
  writeFileAtomic(pngFile, png);
  return { svg, files: [svgFile, pngFile] };
}

/** Writes metrics.json, each chart as SVG and PNG, and a self-contained report.html; returns the paths written. */
export async function writeEvaluationReport(result: EvaluationResult, opts: EvaluationReportOptions): Promise<{ files: string[]; json: EvaluationReportJson }> {
  const json = evaluationReportJson(result, opts.title, opts.modelInfo);
  const files: string[] = [];
  const jsonFile = path.join(opts.outDir, 'metrics.json');
  writeFileAtomic(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
  files.push(jsonFile);

  const htmlCharts: HtmlChart[] = [];
  for (const chart of evaluationCharts(result, opts.history, { bestEpoch: opts.bestEpoch })) {
    const written = await writeChart(opts.outDir, chart.name, chart.spec);
    files.push(...written.files);
    htmlCharts.push({ name: chart.name, title: chart.title, svg: written.svg });
  }

  const ttfBase64 = readFileSync(chartFontFile()).toString('base64');
  const htmlFile = path.join(opts.outDir, 'report.html');
  writeFileAtomic(htmlFile, buildReportHtml(json, htmlCharts, { family: CHART_FONT_FAMILY, ttfBase64 }));
  files.push(htmlFile);
  return { files, json };
}

/** training_curves.svg/.png from a run's history (only the epochs it reached). */
export async function writeTrainingCharts(history: readonly TrainingHistoryRow[], outDir: string, opts: TrainingCurvesOptions = {}): Promise<{ files: string[] }> {
  if (history.length === 0) return { files: [] };
  return { files: (await writeChart(outDir, 'training_curves', trainingCurvesSpec(history, opts))).files };
}

/** model_comparison.svg/.png from the rows of `signglove compare`. */
export async function writeComparisonChart(rows: readonly ComparisonRow[], outDir: string): Promise<{ files: string[] }> {
  if (rows.length === 0) return { files: [] };
  return { files: (await writeChart(outDir, 'model_comparison', comparisonSpec(rows))).files };
}
