import type { Command } from 'commander';
import path from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import type { CommandModule } from './index.js';
import { loadModel, resolveModelPath } from '../../infer/index.js';
import { loadDataset, type Episode } from '../../data/index.js';
import { calibrateModel } from '../../train/calibrate.js';
import { saveBundle, modelCard } from '../../train/bundle.js';
import { writeFileAtomic } from '../../eval/atomic-write.js';
import { earlierRecordings, keepRecordings, newStamp, readProfile, writeProfile } from '../../train/profile.js';
import { selectKernels } from '../../nn/select-kernels.js';
import { UserError } from '../errors.js';
import { int } from '../options.js';

/** The first k episodes of every letter (file order: the recorder's order), and the rest. */
export function takeShots(episodes: readonly Episode[], k: number): { shots: Episode[]; rest: Episode[] } {
  const seen = new Map<number, number>();
  const shots: Episode[] = [];
  const rest: Episode[] = [];
  for (const e of episodes) {
    const n = seen.get(e.label) ?? 0;
    if (n < k) {
      shots.push(e);
      seen.set(e.label, n + 1);
    } else rest.push(e);
  }
  return { shots, rest };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export const calibrateCommand: CommandModule = (program: Command) => {
  program
    .command('calibrate')
    .description("adapt a model to today's wearing from a few labelled episodes per letter (a personal model)")
    .requiredOption('-d, --data <dir...>', 'calibration recordings of this wearing, in the layout <jamo>/<variant>/*.csv')
    .option('-m, --model <bundle>', 'base model: bundle path or shipped name', 'extra_trees')
    .option('-k, --shots <k>', 'episodes per letter used to calibrate (the rest, if any, measure before/after)', int, 3)
    .option('-p, --profile <dir>', "the wearer's profile folder: keeps every calibration's recordings and uses them all")
    .option('-o, --out <file>', 'where to write the personal bundle (default: in the profile, or <base>-personal.safetensors here)')
    .option('--json', 'print the result as one JSON object')
    .addHelpText('after', `
What it does: refits the session normalisation on your recordings (this wearing's sensor offsets and
gains), adapts the model (tree ensemble: refit with your episodes weighted; networks: fine-tune), and
fits a temperature so the confidence means what it says. Then use the personal model anywhere:
  signglove live --model <profile>/extra_trees-personal.safetensors --source serial:/dev/ttyACM0

Examples:
  signglove calibrate --data my-recordings --shots 3 --profile profiles/alice
  signglove calibrate --model gru --data today --out gru-today.safetensors`)
    .action(async (o) => {
      if (!(o.shots >= 1)) throw new UserError(`--shots needs at least 1 episode per letter, got ${o.shots}`);
      let baseFile: string;
      try {
        baseFile = resolveModelPath(o.model);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      const base = await loadModel(baseFile);
      if (!base.meta.preprocess.pipeline) {
        throw new UserError(`model '${base.info.name}' predates session normalisation and cannot be calibrated; use a model trained since (e.g. extra_trees, gru)`);
      }
      const loaded = await loadDataset(o.data, { channels: base.info.channels }).catch((e: Error) => {
        throw new UserError(e.message);
      });
      for (const p of loaded.problems) process.stderr.write(`skipped ${p.file}${p.row ? `:${p.row}` : ''}: ${p.reason}\n`);
      const labelled = loaded.episodes.filter((e) => e.label >= 0);
      if (labelled.length === 0) throw new UserError(`no labelled episodes in ${o.data.join(', ')} (expected <jamo>/<variant>/*.csv)`);
      const { shots, rest } = takeShots(labelled, o.shots);
      const letters = new Set(shots.map((e) => e.jamo)).size;
      if (letters < base.info.classes.length) {
        process.stderr.write(`note: calibrating with ${letters} of ${base.info.classes.length} letters; the others keep the base model's knowledge\n`);
      }

      const profile = o.profile as string | undefined;
      if (profile) mkdirSync(profile, { recursive: true });
      const stamp = profile ? newStamp(profile) : '';
      const earlier = profile ? await earlierRecordings(profile, stamp, base.info.channels) : [];
      const before = rest.length > 0 ? accuracy(base.predictBatch(rest), rest) : undefined;
      const cal = await calibrateModel(base, shots, {
        earlier: earlier.map((r) => r.episodes),
        files: shots.map((e) => e.file),
        baseFile: path.basename(baseFile),
        kernels: selectKernels('auto'),
      });
      const after = rest.length > 0 ? accuracy(cal.predictor.predictBatch(rest), rest) : undefined;

      const out = o.out ?? (profile ? path.join(profile, `${base.info.name}-personal.safetensors`) : `${base.info.name}-personal.safetensors`);
      if (existsSync(out) && !profile && !o.out) process.stderr.write(`replacing ${out}\n`);
      if (profile) keepRecordings(profile, stamp, shots);
      saveBundle(out, cal.weights, cal.meta);
      writeFileAtomic(out.replace(/\.safetensors$/, '.md'), modelCard(cal.meta));
      if (profile) {
        const p = readProfile(profile);
        p.calibrations.push({
          stamp, base: base.info.name, model: path.basename(out), method: cal.meta.calibration!.method, shotsPerClass: o.shots,
          episodes: shots.length, temperature: cal.temperature, before, after, heldOut: rest.length || undefined,
        });
        writeProfile(profile, p);
      }
      const result = {
        model: out, base: base.info.name, method: cal.meta.calibration!.method, shots: shots.length, shotsPerClass: o.shots,
        earlierCalibrations: earlier.length, masked: cal.session.masked, temperature: cal.temperature, seconds: cal.seconds,
        heldOut: rest.length, before, after,
      };
      if (o.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        process.stdout.write(
          `calibrated ${base.info.name} (${result.method}) on ${shots.length} episodes (${o.shots} per letter)` +
            `${earlier.length ? ` + ${earlier.length} earlier calibration(s)` : ''} in ${cal.seconds.toFixed(1)} s; temperature ${cal.temperature.toFixed(2)}\n` +
            (cal.session.masked.length ? `sensor fault: ${cal.session.masked.join(', ')} read implausible values in most episodes; the model ignores them this session\n` : '') +
            (before !== undefined ? `held-out ${rest.length} episodes: ${pct(before)} before → ${pct(after!)} after\n` : '') +
            `personal model → ${out}\n`,
        );
      }
      await base.close();
    });
};

function accuracy(preds: { index: number }[], eps: readonly Episode[]): number {
  return preds.filter((p, i) => p.index === eps[i]!.label).length / Math.max(1, eps.length);
}
