import { Option, type Command } from 'commander';
import path from 'node:path';
import type { CommandModule } from '../command-module.js';
import { MODEL_NAMES } from '../../models/index.js';
import { LENGTH_MODES, parseChannelList, type LengthMode } from '../../data/index.js';
import { GRAVITY_INPUTS } from '../../data/orientation.js';
import { runTrainJob, type InputMode, type SplitKind } from '../../train/pipeline.js';
import { nextStepsMessage, RunEta } from '../../train/run-summary.js';
import { printErr } from '../output.js';
import { createProgress } from '../progress.js';
import { BACKENDS, selectKernels, type BackendName } from '../../nn/select-kernels.js';
import { UserError } from '../errors.js';
import { num, int, modelName, defaultTrainWorkers, WORKERS_DEFAULT_HELP } from '../options.js';
import { DEFAULT_AUGMENT, scaleAugment, type AugmentConfig } from '../../train/augment.js';
import { dropoutOverrides } from '../../models/index.js';

export const trainCommand: CommandModule = (program: Command) => {
  program
    .command('train')
    .description('train a model on a dataset and save a self-describing bundle (weights, preprocessing, metrics)')
    .addOption(new Option('-m, --model <name>', `what to train: ${MODEL_NAMES.join(', ')} (extra_trees: the tree ensemble on per-episode summary features; the others are networks)`).argParser(modelName).default('gru'))
    .requiredOption('-d, --data <dir...>', 'dataset root(s) in the unified layout; each root is one wearing (a recording day)')
    .addOption(new Option('--split <kind>', 'how to hold out test episodes: random, posture (leave one posture-variant folder out; alias loso), kfold, dirs (another day)').choices(['random', 'posture', 'loso', 'kfold', 'dirs']).default('random'))
    .option('--test-data <dir...>', "with --split dirs: folders to test on (e.g. another recording day)")
    .option('--folds <k>', 'with --split kfold: number of folds', int, 5)
    .option('--ratios <a,b,c>', 'with --split random: train,val,test ratios', '0.6,0.2,0.2')
    .option('--split-seed <n>', 'seed of the split', int, 1337)
    .option('--epochs <n>', 'maximum epochs', int, 100)
    .option('--batch-size <n>', 'mini-batch size', int, 32)
    .option('--lr <x>', 'AdamW learning rate', num, 1e-3)
    .option('--weight-decay <x>', 'AdamW decoupled weight decay', num, 1e-3)
    .option('--patience <n>', 'early stopping: epochs without validation-loss improvement', int, 10)
    .option('--min-delta <x>', 'early stopping: smallest improvement that counts', num, 0.001)
    .option('--lr-patience <n>', 'ReduceLROnPlateau patience (epochs)', int, 5)
    .option('--clip <x>', 'gradient-norm clipping (0 = off)', num, 5)
    .option('--seed <n>', 'seed of initialisation, dropout and shuffling', int, 42)
    .option('--augment <sigma>', 'augmentation: "default" (wearing change: offset, gain, noise, channel dropout, time warp), "off", or a drift σ', 'default')
    .option('--augment-scale <k>', 'multiplies every strength of the default augmentation (1 = default, 0 = off); `signglove tune` searches it', num)
    .option('--workers <n>', `threads for data-parallel training: each batch is split over n model replicas (1 = one thread; 2 on a 2-core machine trains ~1.8× faster, BatchNorm uses per-slice statistics); default ${WORKERS_DEFAULT_HELP}, recorded in the bundle: the same seed and worker count give the same weights`, int, defaultTrainWorkers())
    .option('--hidden <n>', 'recurrent hidden size', int)
    .option('--layers <n>', 'recurrent layers', int)
    .option('--filters <n>', 'CNN filters per tower', int)
    .option('--dropout <x>', 'dropout of the head and between recurrent layers (CNN models: also after pooling)', num)
    .option('--use-mask', 'classify from the last real frame instead of the last (padded) step')
    .addOption(new Option('--input <mode>', 'session: faults removed, yaw dropped, every channel standardised per wearing; legacy: one scaler fitted on the training split (the reference)').choices(['session', 'legacy']).default('session'))
    .option('--inputs <list>', 'with --input session: the channels the network sees (grav_x..z: gravity from pitch and roll, turned into the model\'s frame per wearing)', 'flex1..5,grav_x..z')
    .option('--channels <list>', 'raw channels read (legacy: the network inputs)', 'flex1,flex2,flex3,flex4,flex5,pitch,roll,yaw')
    .option('--trees <n>', 'extra_trees: number of trees', int, 150)
    .option('--steps <T>', 'sequence length the network sees', int, 87)
    .addOption(new Option('--length-mode <mode>', 'how episodes become T steps').choices([...LENGTH_MODES]).default('pad'))
    .option('--no-windows', 'train on the first T frames of a hold longer than T only (default: several windows of T spread over it)')
    .option('--pad-value <x>', 'raw value of padded frames (the reference uses 1.0)', num, 1.0)
    .option('--name <name>', 'bundle name (default: the architecture, e.g. gru)')
    .option('-o, --out <dir>', 'output folder', path.join('runs', new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')))
    .option('--no-charts', 'do not render training-curve charts')
    .addOption(new Option('--backend <name>', 'numeric kernels: wasm (SIMD), ts (plain TypeScript reference), auto').choices([...BACKENDS]).default('auto'))
    .addHelpText('after', `
Examples:
  signglove train --model gru --data ../shared/datasets/signglove-2025-10-01 --out runs/gru
  signglove train --model gru --data DAY1 DAY2                        # both days, each normalised by its own statistics
  signglove train --model extra_trees --data DIR --split posture       # leave one posture-variant folder out
  signglove train --model cnn_gru --data DAY1 --split dirs --test-data DAY2  # train on one day, test on another (a new wearing)

Writes <out>/<name>.safetensors (the bundle), <name>.md (model card), <name>.metrics.jsonl
(one line per epoch, as it happens) and <name>-curves/ (loss and accuracy charts, the kept epoch marked),
then prints the command that evaluates the bundle into an HTML report.
Ctrl-C stops after the current batch and keeps the best model so far.`)
    .action(async (o) => {
      const ratios = String(o.ratios).split(',').map(Number);
      if (ratios.length !== 3 || ratios.some((r) => !(r >= 0))) throw new UserError(`--ratios needs three non-negative numbers, got '${o.ratios}'`);
      if (o.split === 'dirs' && !o.testData) throw new UserError('--split dirs needs --test-data DIR');
      if (o.workers < 1) throw new UserError(`--workers needs at least 1 (this thread), got ${o.workers}`);
      let augment: number | AugmentConfig | undefined = o.augment === 'default' ? undefined : o.augment === 'off' ? 0 : Number(o.augment);
      if (augment !== undefined && !(augment >= 0)) throw new UserError(`--augment takes default, off or a non-negative σ, got '${o.augment}'`);
      if (o.augmentScale !== undefined) {
        if (o.augment !== 'default') throw new UserError('--augment-scale scales the default augmentation: leave --augment out');
        if (!(o.augmentScale >= 0)) throw new UserError(`--augment-scale needs a number ≥ 0, got ${o.augmentScale}`);
        augment = scaleAugment(DEFAULT_AUGMENT, o.augmentScale);
      }
      if (o.dropout !== undefined && !(o.dropout >= 0 && o.dropout < 1)) throw new UserError(`--dropout needs a number in [0, 1), got ${o.dropout}`);
      const controller = new AbortController();
      // the bar's own ETA is for the epoch; the whole run's (an upper bound) is in the label
      const progress = createProgress(process.stderr, '{label} [{bar}] {value}/{total} | {info} | epoch ETA {eta_formatted}');
      let interrupts = 0;
      const onSigint = () => {
        interrupts++;
        if (interrupts > 1) process.exit(130);
        progress.log('interrupted: finishing the current batch and saving the best model so far (Ctrl-C again to quit now)');
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      const maxEpochs = o.epochs as number;
      try {
        const overrides: Record<string, unknown> = {};
        if (o.hidden) overrides.hidden = o.hidden;
        if (o.layers) overrides.layers = o.layers;
        if (o.filters) overrides.filters = o.filters;
        if (o.useMask) overrides.useMask = true;
        if (o.dropout !== undefined) Object.assign(overrides, dropoutOverrides(o.dropout));
        let epochLabel = 'epoch 1';
        let eta: RunEta | undefined;
        const result = await runTrainJob({
          arch: o.model,
          data: o.data,
          testData: o.testData,
          split: o.split as SplitKind,
          ratios: ratios as [number, number, number],
          folds: o.folds,
          splitSeed: o.splitSeed,
          channels: parseChannelList(o.channels),
          input: o.input as InputMode,
          inputs: parseChannelList(o.inputs, GRAVITY_INPUTS),
          trees: { trees: o.trees },
          T: o.steps,
          lengthMode: o.lengthMode as LengthMode,
          windows: o.windows,
          padValue: o.padValue,
          archOverrides: overrides,
          train: {
            epochs: maxEpochs, batchSize: o.batchSize, lr: o.lr, weightDecay: o.weightDecay, patience: o.patience,
            minDelta: o.minDelta, lrPatience: o.lrPatience, clipNorm: o.clip, seed: o.seed, ...(augment === undefined ? {} : { augment }), workers: o.workers,
          },
          outDir: o.out,
          name: o.name ?? o.model,
          command: `signglove ${process.argv.slice(2).join(' ')}`,
          charts: o.charts,
          kernels: selectKernels(o.backend as BackendName),
          signal: controller.signal,
          log: (l) => progress.log(l),
          onPlan: (folds) => (eta = new RunEta(folds, maxEpochs)),
          onBatch: (i, n, loss) => {
            if (i === 1) progress.start(n, epochLabel);
            progress.update(i, { loss: loss.toFixed(4) });
          },
          onEpoch: (fold, r, improved) => {
            eta?.epochDone(fold, r.epoch, r.seconds);
            const left = eta?.text() ?? '';
            epochLabel = `epoch ${r.epoch + 1}/${maxEpochs}${left ? ` · ${left}` : ''}`;
            progress.log(
              `${fold} epoch ${String(r.epoch).padStart(3)}  train loss ${r.trainLoss.toFixed(4)} acc ${(r.trainAcc * 100).toFixed(1)}%  ` +
                `val loss ${r.valLoss.toFixed(4)} acc ${(r.valAcc * 100).toFixed(1)}%  lr ${r.lr.toExponential(1)}  ${r.seconds.toFixed(1)} s${improved ? '  *best' : ''}` +
                (left ? `  · ${left}` : ''),
            );
          },
        });
        progress.stop();
        const next = nextStepsMessage({ bundles: result.folds.map((f) => f.bundle), data: o.data, testData: o.testData, outDir: o.out, interrupted: result.interrupted });
        if (next) printErr(`${next}\n`);
        if (result.interrupted) process.exitCode = 130;
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
      }
    });
};
