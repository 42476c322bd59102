/** `signglove simulate --text 안녕하세요 --out file.csv`: a realistic glove stream for any Hangul text. */
import { createWriteStream, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CommandModule } from '../command-module.js';
import { UserError } from '../errors.js';
import { int, num } from '../options.js';
import { simulateText } from '../../stream/simulator/simulate.js';
import { parseWearing, type Wearing } from '../../stream/simulator/new-wearing.js';
import { FIRMWARE_HEADER, formatFirmwareLine } from '../../stream/firmware-csv.js';
import { paced } from '../../stream/sources/pacing.js';
import { printErr } from '../output.js';
import { describeFsError } from '../../data/safe-read.js';

interface SimulateFlags {
  text: string;
  out?: string;
  seed: number;
  session?: string;
  speed?: number;
  wearing?: string;
}

export const simulateCommand: CommandModule = (program: Command) => {
  program
    .command('simulate')
    .description('write a simulated glove stream (firmware CSV lines) spelling a Hangul text')
    .requiredOption('--text <hangul>', 'the text to fingerspell, e.g. 안녕하세요')
    .option('--out <file>', 'write here instead of standard output')
    .option('--seed <n>', 'random seed (same seed, same stream)', int, 1)
    .option('--session <s>', 'imitate this recording session of the 2025-10-01 data (default: picked by the seed)')
    .option('--wearing <new[:seed]>', 'the glove worn another day: per-channel offsets and gains, a dead flex4, yaw drift (sized after how the recorded days differ)')
    .option('--speed <n>', 'write in real time (1) or N× faster instead of all at once (for piping into `live --source stdin`)', num)
    .action(async (flags: SimulateFlags) => {
      let stream;
      let wearing: Wearing | undefined;
      try {
        wearing = flags.wearing === undefined ? undefined : parseWearing(flags.wearing);
        stream = simulateText(flags.text, { seed: flags.seed, session: flags.session, wearing });
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      if (flags.speed !== undefined && !(flags.speed > 0)) throw new UserError(`--speed must be positive, got ${flags.speed}`);
      if (flags.out) {
        // an unwritable --out is the user's to fix: one line, before any work
        try {
          writeFileSync(flags.out, '');
        } catch (e) {
          throw new UserError(`cannot write ${flags.out}: ${describeFsError(e)}`);
        }
      }
      const out = flags.out ? createWriteStream(flags.out) : process.stdout;
      const write = (line: string): Promise<void> =>
        new Promise((resolve, reject) => (out.write(`${line}\n`, (err) => (err ? reject(err) : resolve()))));
      await write(`# signglove simulate text=${flags.text} letters=${stream.letters.join('')} seed=${flags.seed} session=${stream.session}${wearing ? ` wearing=${wearing.name}` : ''}`);
      await write(FIRMWARE_HEADER);
      const frames = flags.speed ? paced(stream.frames, flags.speed) : stream.frames;
      for await (const f of frames) await write(formatFirmwareLine(f));
      if (flags.out) {
        await new Promise<void>((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end((err?: Error | null) => (err ? reject(err) : resolve())));
        printErr(`${stream.frames.length} frames (${stream.letters.length} letters, session ${stream.session}) → ${flags.out}\n`);
      }
    });
};
