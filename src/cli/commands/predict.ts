import type { Command } from 'commander';
import Table from 'cli-table3';
import type { CommandModule } from '../command-module.js';
import { loadModel, MAX_FRAMES } from '../../infer/index.js';
import { loadWearings } from '../../train/pipeline.js';
import { formatProblem } from '../../data/parse-episode.js';
import { UserError } from '../errors.js';
import { int, tableStyle } from '../options.js';
import { printOut, printErr } from '../output.js';

export const predictCommand: CommandModule = (program: Command) => {
  program
    .command('predict')
    .description('predict the letter of episode CSV files (a file, several, or a dataset folder)')
    .argument('<paths...>', 'episode CSV file(s) or folder(s)')
    .option('-m, --model <bundle>', 'model bundle path, shipped name or profile folder (default: the shipped tree ensemble, extra_trees)')
    .option('-k, --top-k <k>', 'how many candidates to show', int, 5)
    .option('--json', 'print one JSON array')
    .action(async (paths: string[], o) => {
      const model = await loadModel(o.model).catch((e: Error) => {
        throw new UserError(e.message);
      });
      // tagged with their recording day: a day the model was trained on is read with its own statistics
      const ds = await loadWearings(paths, model.info.channels, { minLength: 1, maxLength: MAX_FRAMES }).catch((e: Error) => {
        throw new UserError(e.message);
      });
      if (ds.episodes.length === 0) {
        const why = ds.problems.slice(0, 3).map(formatProblem);
        if (ds.problems.length > 3) why.push(`… and ${ds.problems.length - 3} more`);
        throw new UserError(`no episode could be read from ${paths.join(', ')}${why.length ? `: ${why.join('; ')}` : ''}`);
      }
      for (const p of ds.problems) printErr(`skipped ${formatProblem(p)}\n`);
      const preds = model.predictBatch(ds.episodes, { topK: o.topK });
      const rows = ds.episodes.map((e, i) => ({
        file: e.file,
        truth: e.jamo || null,
        ...preds[i]!,
        correct: e.label >= 0 ? preds[i]!.index === e.label : null,
      }));
      if (o.json) {
        printOut(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const table = new Table({ head: ['file', 'truth', 'predicted', 'confidence', `top-${o.topK}`], style: tableStyle() });
      for (const r of rows) {
        table.push([
          r.file,
          r.truth ?? '',
          r.correct === false ? `${r.jamo} ✗` : r.jamo,
          `${(r.confidence * 100).toFixed(1)}%`,
          r.topK.map((c) => `${c.jamo} ${(c.confidence * 100).toFixed(0)}%`).join('  '),
        ]);
      }
      printOut(`${table.toString()}\n`);
      const labelled = rows.filter((r) => r.correct !== null);
      if (labelled.length > 1) {
        const ok = labelled.filter((r) => r.correct).length;
        printOut(`${ok}/${labelled.length} correct (${((ok / labelled.length) * 100).toFixed(2)}%) with model ${model.info.name}\n`);
      }
    });
};
