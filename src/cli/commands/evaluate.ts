/** `signglove evaluate`: a model's numbers on a dataset, with charts and a shareable HTML report. */
import { Option, type Command } from 'commander';
import path from 'node:path';
import Table from 'cli-table3';
import type { CommandModule } from '../command-module.js';
import { asUserError, UserError } from '../errors.js';
import { loadModel, DEFAULT_MODEL, MAX_FRAMES } from '../../infer/index.js';
import { DatasetError } from '../../data/load.js';
import { datasetName, loadWearings } from '../../train/pipeline.js';
import { evaluateModel, EvaluationError, fitUnknownWearings, historyOf, selectEpisodes, type EvaluationSplit } from '../../eval/run.js';
import { evaluationReportJson, writeEvaluationReport, type ReportModelInfo } from '../../eval/report.js';
import type { EvaluationResult } from '../../eval/metrics.js';
import { printOut, printErr } from '../output.js';
import { checkWritableDir } from '../../train/run-output.js';
import { findModelName } from '../../models/names.js';

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const ratio = (x: number | null) => (x === null ? '–' : x.toFixed(3));
/** No rule between rows: 24 classes stay on one screen. */
const COMPACT = { chars: { 'mid': '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' }, style: { head: [], border: [] } };

/** The terminal summary: headline numbers, classes below the overall accuracy, most confused pairs. */
export function renderEvaluationSummary(r: EvaluationResult, heading: string): string {
  const lines = [heading, ''];
  const head = new Table({ ...COMPACT });
  head.push(
    { 'Samples': String(r.n) },
    { 'Top-1 accuracy': pct(r.top1) },
    { [`Top-${r.topK} accuracy`]: pct(r.top5) },
    { 'Macro precision / recall / F1': `${ratio(r.macroPrecision)} / ${ratio(r.macroRecall)} / ${ratio(r.macroF1)}` },
    { 'Mean confidence (all / correct / wrong)': `${pct(r.meanConfidence.all)} / ${pct(r.meanConfidence.correct)} / ${pct(r.meanConfidence.wrong)}` },
    { 'Expected calibration error (15 bins)': ratio(r.ece) },
  );
  lines.push(head.toString(), '');

  const perClass = new Table({ head: ['jamo', 'n', 'acc', 'prec', 'F1', 'conf'], ...COMPACT, colAligns: ['center', 'right', 'right', 'right', 'right', 'right'] });
  for (const c of r.perClass) perClass.push([c.jamo, c.support, pct(c.accuracy), ratio(c.precision), ratio(c.f1), pct(c.meanConfidence)]);
  lines.push('Per class:', perClass.toString(), '');

  if (r.confusedPairs.length === 0) lines.push('No confusions.');
  else {
    const pairs = new Table({ head: ['true', '→ predicted', 'count', 'share of true'], ...COMPACT, colAligns: ['center', 'center', 'right', 'right'] });
    for (const p of r.confusedPairs) pairs.push([p.true, p.predicted, p.count, pct(p.rate)]);
    lines.push('Most confused pairs:', pairs.toString());
  }
  return lines.join('\n');
}

export const evaluateCommand: CommandModule = (program: Command) => {
  program
    .command('evaluate')
    .description("a model's accuracy, per-class metrics, calibration and confusions on a dataset, with charts and an HTML report")
    .option('-m, --model <bundle>', 'model bundle (.safetensors) or shipped model name', DEFAULT_MODEL)
    .requiredOption('-d, --data <dir...>', 'dataset root(s) in the unified layout (<root>/<jamo>/<variant>/episode_*.csv), each one wearing')
    .addOption(new Option('--split <split>', "test: only the episodes the model never saw (default on the dataset it was trained on); all: every episode").choices(['test', 'all']))
    .option('-o, --out <dir>', 'report folder (default: reports/<model>-<split>)')
    .option('--json', 'print the metrics as one JSON object (the same as metrics.json)')
    .option('--no-report', 'only compute and print; write no files')
    .addHelpText('after', `
Examples:
  signglove evaluate --data ../shared/datasets/signglove-2025-10-01 ../shared/datasets/signglove-2025-08-19   # the shipped model on its own test split
  signglove evaluate --model runs/gru/gru.safetensors --data DIR --split all --out reports/gru-all

Writes <out>/metrics.json, report.html (self-contained: open it in a browser or send it), and each chart
as .svg and .png: confusion_matrix, confusion_matrix_normalized, per_class_accuracy, per_class_confidence,
confidence_distribution, confidence_scatter, and training_curves when the bundle has a history.`)
    .action(async (o: { model: string; data: string[]; split?: EvaluationSplit; out?: string; json?: boolean; report: boolean }) => {
      if (o.report) asUserError(() => checkWritableDir(o.out ?? 'reports'));
      const model = await asUserError(() => loadModel(o.model));
      let loaded;
      try {
        loaded = await loadWearings(o.data, model.info.channels, { maxLength: MAX_FRAMES });
      } catch (err) {
        if (err instanceof DatasetError) throw new UserError(err.message);
        throw err;
      }
      let selection;
      let evaluation;
      try {
        selection = selectEpisodes(loaded.episodes, model.info, { split: o.split, dataName: datasetName(o.data) });
        selection.notes.push(...fitUnknownWearings(model, selection.episodes));
        evaluation = evaluateModel(model, selection.episodes);
      } catch (err) {
        if (err instanceof EvaluationError) throw new UserError(err.message);
        throw err;
      }
      const { result, excluded } = evaluation;
      const notes = [...selection.notes];
      if (loaded.problems.length > 0) notes.push(`${loaded.problems.length} file(s) skipped on load (see 'signglove data inspect')`);
      if (excluded.length > 0) notes.push(`${excluded.length} episode(s) left out: ${excluded[0].reason} (${excluded[0].file})`);

      const dataName = datasetName(o.data);
      const modelInfo: ReportModelInfo = {
        model: model.info.name,
        architecture: model.info.arch,
        parameters: model.info.params,
        bundle: model.path,
        'trained on': model.info.datasetName,
        'evaluated on': dataName,
        split: selection.split === 'test' ? `test (${result.n} episodes held out in training)` : `all (${result.n} episodes)`,
        notes: notes.join('; ') || undefined,
      };
      const archName = findModelName(model.info.arch) ?? model.info.arch;
      const title = archName === model.info.name ? `${model.info.name} on ${dataName}, ${selection.split} split` : `${model.info.name} (${archName}) on ${dataName}, ${selection.split} split`;
      for (const note of notes) printErr(`note: ${note}\n`);

      let files: string[] = [];
      if (o.report) {
        const outDir = o.out ?? path.join('reports', `${model.info.name}-${selection.split}`);
        files = (await writeEvaluationReport(result, { outDir, title, modelInfo, history: historyOf(model), bestEpoch: model.meta?.training?.bestEpoch })).files;
      }
      if (o.json) {
        printOut(`${JSON.stringify(evaluationReportJson(result, title, modelInfo), null, 2)}\n`);
        if (files.length > 0) printErr(`wrote ${files.length} files to ${path.dirname(files[0])}\n`);
      } else {
        printOut(`${renderEvaluationSummary(result, title)}\n`);
        if (files.length > 0) {
          printOut(`\nReport: ${files.find((f) => f.endsWith('report.html'))}\n(${files.length} files in ${path.dirname(files[0])})\n`);
        }
      }
    });
};
