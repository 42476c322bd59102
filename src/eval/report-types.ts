/** What an evaluation report holds: shared by the report writer and its HTML page (one home, no cycle). */
import type { EvaluationResult } from './metrics.js';

export type ReportModelInfo = Record<string, string | number | boolean | null | undefined>;

/** What metrics.json holds (and `evaluate --json` prints): the metrics plus title and model facts. */
export interface EvaluationReportJson extends EvaluationResult {
  title: string;
  model?: ReportModelInfo;
}
