import type { Command } from 'commander';
import type { CommandModule } from '../command-module.js';
import { loadModel, resolveModelPath } from '../../infer/index.js';
import { loadDataset } from '../../data/index.js';
import { fitSessionStats } from '../../data/session-norm.js';
import { selfTrainModel, selfTrainedWeights, SELF_TRAIN_DEFAULTS } from '../../train/self-train.js';
import { heldOutAccuracy } from '../../train/personal-bundle.js';
import { saveBundle } from '../../bundle/file.js';
import { modelCard } from '../../bundle/card.js';
import { writeFileAtomic } from '../../eval/atomic-write.js';
import { asUserError, UserError } from '../errors.js';
import { percent } from '../output.js';
import { int } from '../options.js';


export const adaptCommand: CommandModule = (program: Command) => {
  program
    .command('adapt')
    .description("adapt a tree model to a new wearing from unlabelled recordings of it (self-training; no labels needed)")
    .requiredOption('-d, --data <paths...>', 'recordings of one wearing: CSV files or folders (letter folders are not needed and not read)')
    .option('-m, --model <bundle>', 'base tree model: bundle path or shipped name', 'extra_trees')
    .option('--rounds <n>', 'refits, each taking more holds per letter', int, SELF_TRAIN_DEFAULTS.rounds)
    .option('--per-letter <n>', 'confident holds per letter in the first round', int, SELF_TRAIN_DEFAULTS.perClass)
    .option('-o, --out <file>', 'where to write the adapted bundle (default <base>-adapted.safetensors here)')
    .option('--json', 'print the result as one JSON object')
    .addHelpText('after', `
What it does: reads the recordings with their own statistics (this wearing's sensor offsets and gains,
the board's turn on the hand), then refits the forest on its training features plus the holds it reads
most confidently, with the letters it gave them, a few rounds. Letters in the folder names are never
used to adapt; when present they measure the model before and after (on the same holds: a transductive
figure). With labelled holds of today, \`signglove calibrate\` does better.

Example:
  signglove adapt --data today/ --out extra_trees-today.safetensors`)
    .action(async (o) => {
      if (!(o.rounds >= 1)) throw new UserError(`--rounds needs at least 1, got ${o.rounds}`);
      if (!(o.perLetter >= 1)) throw new UserError(`--per-letter needs at least 1, got ${o.perLetter}`);
      const baseFile = asUserError(() => resolveModelPath(o.model));
      const base = await loadModel(baseFile);
      const c = base.classifier;
      if (c.kind !== 'trees' || !c.source || !base.meta.preprocess.pipeline) {
        await base.close();
        throw new UserError(`model '${base.info.name}' is not a tree model carrying its training features; adapt refits a forest (use extra_trees, or calibrate with labelled holds)`);
      }
      const loaded = await loadDataset(o.data, { channels: base.info.channels }).catch((e: Error) => {
        throw new UserError(e.message);
      });
      for (const p of loaded.problems) process.stderr.write(`skipped ${p.file}${p.row ? `:${p.row}` : ''}: ${p.reason}\n`);
      const holds = loaded.episodes;
      if (holds.length < base.info.classes.length) {
        throw new UserError(`${holds.length} recordings in ${o.data.join(', ')}: self-training needs at least one hold per letter on average (${base.info.classes.length})`);
      }
      const self = selfTrainModel(base, holds, { rounds: o.rounds, perClass: o.perLetter, files: holds.map((e) => e.file), baseFile: baseFile.split(/[\\/]/).pop() });
      // labelled holds measure it: the base read with the same statistics, then adapted
      const labelled = holds.filter((e) => e.label >= 0);
      let before: number | undefined;
      let after: number | undefined;
      if (labelled.length > 0) {
        base.useSession(fitSessionStats(base.meta.preprocess.pipeline, holds.map((e) => base.toFrames(e, e.file))));
        before = heldOutAccuracy(base, labelled);
        after = heldOutAccuracy(self.predictor, labelled);
      }
      const out = (o.out as string | undefined) ?? `${base.info.name}-adapted.safetensors`;
      saveBundle(out, selfTrainedWeights(self), self.meta);
      writeFileAtomic(out.replace(/\.safetensors$/, '.md'), modelCard(self.meta));
      const result = {
        model: out, base: base.info.name, method: 'self-train', holds: holds.length, pseudoLabelled: self.used, rounds: o.rounds,
        masked: self.session.masked, seconds: self.seconds, labelled: labelled.length, before, after,
      };
      if (o.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        process.stdout.write(
          `adapted ${base.info.name} to ${holds.length} unlabelled holds in ${self.seconds.toFixed(1)} s (self-training, ${o.rounds} rounds, ${self.used} holds pseudo-labelled)\n` +
            (self.session.masked.length ? `sensor fault: ${self.session.masked.join(', ')} read implausible values in most holds; the model ignores them this wearing\n` : '') +
            (before !== undefined ? `${labelled.length} holds carry a letter: ${percent(before)} with this wearing's statistics → ${percent(after!)} adapted (the same holds: transductive)\n` : '') +
            `adapted model → ${out}\n`,
        );
      }
      await base.close();
    });
};
