/** `signglove demo`: the shipped model reads a simulated glove spelling a phrase; then how to go on. */
import type { Command } from 'commander';
import type { CommandModule } from '../command-module.js';
import { UserError } from '../errors.js';
import { int } from '../options.js';
import { openSimulatedSource } from '../../stream/sources/simulated.js';
import { useSimulatedWearing } from '../../stream/simulator/wearing.js';
import { recognizerFor, runLiveSession } from '../../stream/live-session.js';
import { spellText } from '../../stream/hangul.js';
import { formatLetter, loadLiveModel } from './live.js';
import { printOut } from '../output.js';

interface DemoFlags {
  text: string;
  model?: string;
  seed: number;
}

export const demoCommand: CommandModule = (program: Command) => {
  program
    .command('demo')
    .description('start here: the shipped model reads a simulated glove spelling a Korean phrase')
    .option('--text <hangul>', 'what the simulated glove spells; words separated by spaces are signed with a pause between them', '안녕하세요')
    .option('--model <name|path|prototype>', 'model to use (default: the shipped tree ensemble, extra_trees)')
    .option('--seed <n>', 'simulation seed', int, 7)
    .action(async (flags: DemoFlags) => {
      let letters: string[];
      try {
        letters = flags.text.trim().split(/\s+/).map((w) => spellText(w).join(' '));
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      const model = await loadLiveModel(flags.model);
      useSimulatedWearing(model);
      const source = openSimulatedSource(flags.text, { seed: flags.seed, speed: Infinity });
      const out = (s = ''): boolean => printOut(`${s}\n`);
      out(`A simulated glove spells '${flags.text}' (${letters.join(' / ')}); ${model.info.name} reads it:`);
      out();
      const recognizer = recognizerFor(model);
      recognizer.on('letter', (l) => out(`  ${formatLetter(l)}`));
      const t0 = performance.now();
      const result = await runLiveSession(source, recognizer);
      const seconds = result.frames / 33;
      out();
      // A pause between words (the simulated hand rests ~2.5 s) puts the space in the text.
      const expected = flags.text.trim().split(/\s+/).join(' ');
      const text = result.text.trim();
      out(`text: ${text}   ${text === expected ? '✓ as spelled' : `(spelled: ${expected})`}`);
      out(`(${result.frames} frames ≈ ${seconds.toFixed(1)} s of signing, recognised in ${((performance.now() - t0) / 1000).toFixed(2)} s)`);
      out();
      out('Next:');
      out('  a real glove (USB):        signglove live --source serial:/dev/ttyACM0     (COM3 on Windows)');
      out('  a WiFi glove:              signglove live --source tcp:192.168.4.1:3333   or  --source udp:3333');
      out('  watch a simulation live:   signglove live --source sim:한글');
      out('  a recorded dataset:        signglove data inspect <dataset>   then   signglove evaluate --data <dataset>');
    });
};
