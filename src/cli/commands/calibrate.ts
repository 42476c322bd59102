import type { Command } from 'commander';
import path from 'node:path';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import type { CommandModule } from '../command-module.js';
import { loadModel, resolveModelPath } from '../../infer/index.js';
import { loadDataset, type Episode } from '../../data/index.js';
import { calibrateModel } from '../../train/calibrate.js';
import { heldOutAccuracy } from '../../train/personal-bundle.js';
import { saveBundle } from '../../bundle/file.js';
import { modelCard } from '../../bundle/card.js';
import { writeFileAtomic } from '../../eval/atomic-write.js';
import { earlierRecordings, keepRecordings, newStamp, readProfile, writeProfile } from '../../train/profile.js';
import { selectKernels } from '../../nn/select-kernels.js';
import { asUserError, UserError } from '../errors.js';
import { percent } from '../output.js';
import { int, num } from '../options.js';
import { parseLetters } from '../../record/plan.js';
import { runRecordSession } from '../record-session.js';

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


export const calibrateCommand: CommandModule = (program: Command) => {
  program
    .command('calibrate')
    .description("adapt a model to today's wearing from a few labelled episodes per letter (a personal model)")
    .option('-d, --data <dir...>', 'calibration recordings of this wearing, in the layout <jamo>/<variant>/*.csv')
    .option('--source <source>', 'record them now from this glove (as `signglove record`): k holds per letter plus one held out to measure before/after')
    .option('--record-to <dir>', "--source: where the recording goes (default <profile>/pending-recording, or ./calibration-recording); the same folder again resumes")
    .option('--letters <letters>', '--source: all, or the letters to record', 'all')
    .option('--seed <n>', '--source: prompt order (and simulated glove)', int, 1)
    .option('--countdown <s>', '--source: seconds to form each letter', num, 3)
    .option('--speed <n>', '--source sim: N× faster than real time', num, 1)
    .option('--faulty <channels>', '--source: flex channels known to be broken (e.g. flex4)', (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean), [] as string[])
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
  signglove calibrate --source serial:/dev/ttyACM0 --profile profiles/alice
  signglove calibrate --data my-recordings --shots 3 --profile profiles/alice
  signglove calibrate --model gru --data today --out gru-today.safetensors`)
    .action(async (o) => {
      if (!(o.shots >= 1)) throw new UserError(`--shots needs at least 1 episode per letter, got ${o.shots}`);
      if (!o.data === !o.source) throw new UserError('give the recordings (--data DIR) or a glove to record them from now (--source …), one of the two');
      const baseFile = asUserError(() => resolveModelPath(o.model));
      const base = await loadModel(baseFile);
      if (!base.meta.preprocess.pipeline) {
        throw new UserError(`model '${base.info.name}' predates session normalisation and cannot be calibrated; use a model trained since (e.g. extra_trees, gru)`);
      }
      let recordedTo: string | undefined;
      if (o.source) {
        let letters;
        try {
          letters = parseLetters(o.letters);
        } catch (e) {
          throw new UserError((e as Error).message);
        }
        recordedTo = (o.recordTo as string | undefined) ?? (o.profile ? path.join(o.profile, 'pending-recording') : 'calibration-recording');
        process.stderr.write(`recording ${o.shots} holds per letter + 1 held out (${letters.length} letters) → ${recordedTo}\n`);
        const r = await runRecordSession({
          source: o.source, out: recordedTo, letters, reps: o.shots + 1, variants: false, seed: o.seed, model: o.model,
          speed: o.speed, countdownS: o.countdown, faulty: o.faulty, attempts: 3, progressToStderr: !!o.json,
        });
        if (!r.complete) throw new UserError(`the recording stopped before the end (${r.manifest.episodes} episodes in ${recordedTo}); run the same command again to resume it`);
        o.data = [recordedTo];
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
      const before = rest.length > 0 ? heldOutAccuracy(base, rest) : undefined;
      const cal = await calibrateModel(base, shots, {
        earlier: earlier.map((r) => r.episodes),
        files: shots.map((e) => e.file),
        baseFile: path.basename(baseFile),
        kernels: selectKernels('auto'),
      });
      const after = rest.length > 0 ? heldOutAccuracy(cal.predictor, rest) : undefined;

      const out = o.out ?? (profile ? path.join(profile, `${base.info.name}-personal.safetensors`) : `${base.info.name}-personal.safetensors`);
      if (existsSync(out) && !profile && !o.out) process.stderr.write(`replacing ${out}\n`);
      if (profile) keepRecordings(profile, stamp, shots);
      // the shots now live in the profile; a finished pending recording is not resumed again
      if (recordedTo && profile && !o.recordTo) rmSync(recordedTo, { recursive: true, force: true });
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
            (before !== undefined ? `held-out ${rest.length} episodes: ${percent(before)} before → ${percent(after!)} after\n` : '') +
            `personal model → ${out}\n`,
        );
      }
      await base.close();
    });
};
