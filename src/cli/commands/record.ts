/** `signglove record --source … --out DIR`: guided recording of your own signing, one prompted letter at a time. */
import type { Command } from 'commander';
import type { CommandModule } from '../command-module.js';
import { UserError } from '../errors.js';
import { int, num } from '../options.js';
import { printOut } from '../output.js';
import { parseLetters } from '../../record/plan.js';
import { runRecordSession } from '../record-session.js';

export const recordCommand: CommandModule = (program: Command) => {
  program
    .command('record')
    .description('record your own signing: prompted letters in a shuffled order, holds captured when the hand is still, checked and saved in the dataset layout')
    .requiredOption('--source <source>', "serial:/dev/ttyACM0 | tcp:HOST:PORT | udp:PORT | stdin | sim (a simulated glove signing each prompt; sim:wearing=new[:SEED] worn another day)")
    .requiredOption('-o, --out <dir>', 'where the episodes go (<dir>/<jamo>/<variant>/episode_*.csv, and recording.json); the same folder again resumes')
    .option('--letters <letters>', 'all, or the letters to record, e.g. ㄱㄴㄷㅏ', 'all')
    .option('--reps <n>', 'episodes per letter (per variant with --variants)', int, 3)
    .option('--variants', 'each letter in the five postures of the datasets: 1 much extended … 3 basic … 5 much bent')
    .option('--model <name|path|none>', "model that reads each kept episode (top-3), or 'none'", 'extra_trees')
    .option('--seed <n>', 'order of the prompts (and the simulated glove)', int, 1)
    .option('--countdown <s>', 'seconds to form the letter before the capture', num, 3)
    .option('--faulty <channels>', 'flex channels known to be broken on this glove, accepted (e.g. flex4)', (v) => v.split(',').map((s) => s.trim()).filter(Boolean), [] as string[])
    .option('--attempts <n>', 'without a terminal: attempts per letter before moving on', int, 3)
    .option('--speed <n>', 'sim: run N× faster than real time', num, 1)
    .option('--json', 'print the outcome as one JSON object')
    .addHelpText('after', `
Keys (on a terminal): r re-records the last kept episode, p pauses and resumes, q stops.
Each hold is kept only when it is long enough (80 frames), at the glove's rate (~33 Hz; the 50 Hz
JSON firmware is resampled to it), still, and every flex sensor reads like a live one; a refusal
says why in one line. A sensor faulty in 3 holds in a row is taken as broken (see --faulty).

Examples:
  signglove record --source serial:/dev/ttyACM0 --out my-recordings --reps 3
  signglove record --source sim --out /tmp/rec --letters ㄱㄴㄷ --reps 2 --speed 20`)
    .action(async (o) => {
      let letters;
      try {
        letters = parseLetters(o.letters);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      if (!(o.reps >= 1)) throw new UserError(`--reps must be at least 1, got ${o.reps}`);
      if (!(o.countdown >= 0)) throw new UserError(`--countdown must be 0 or more seconds, got ${o.countdown}`);
      if (!(o.speed > 0)) throw new UserError(`--speed must be positive, got ${o.speed}`);
      if (!(o.attempts >= 1)) throw new UserError(`--attempts must be at least 1, got ${o.attempts}`);
      const r = await runRecordSession({
        source: o.source, out: o.out, letters, reps: o.reps, variants: !!o.variants, seed: o.seed, model: o.model,
        speed: o.speed, countdownS: o.countdown, faulty: o.faulty, attempts: o.attempts, progressToStderr: !!o.json,
      });
      const summary = { out: o.out, kept: r.kept, refused: r.refused, skipped: r.skipped, episodes: r.manifest.episodes, complete: r.complete, stopped: r.stopped, knownFaults: r.knownFaults };
      if (o.json) printOut(`${JSON.stringify(summary)}\n`);
      else {
        printOut(
          `${r.complete ? 'recording complete' : 'recording stopped'}: ${r.kept} kept this run, ${r.manifest.episodes} in ${o.out}` +
            `${r.refused ? `, ${r.refused} refused` : ''}${r.knownFaults.length ? `; broken sensor(s): ${r.knownFaults.join(', ')}` : ''}` +
            `${r.complete ? '' : ' (run the same command again to resume)'}\n`,
        );
      }
    });
};
