// Evaluation: metrics, charts (Vega-Lite → SVG → PNG), reports.
export * from './metrics.js';
export {
  confusionMatrixSpec, perClassAccuracySpec, perClassConfidenceSpec, confidenceDistributionSpec, confidenceScatterSpec,
  trainingCurvesSpec, comparisonSpec, renderChart, type TrainingHistoryRow, type ComparisonRow, type RenderedChart,
} from './charts.js';
export {
  writeEvaluationReport, writeTrainingCharts, writeComparisonChart, evaluationCharts, evaluationReportJson,
  type EvaluationReportJson, type EvaluationReportOptions, type ReportModelInfo,
} from './report.js';
export { CHART_FONT_FILE, CHART_FONT_FAMILY } from './font.js';
