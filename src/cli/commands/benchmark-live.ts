/** `signglove benchmark live`: the live recogniser on streams of real held-out episodes (figures, not tests). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FIRMWARE_HEADER, formatFirmwareLine } from '../../stream/firmware-csv.js';
import type { EpisodeStream } from '../../stream/episode-streams.js';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { loadModel, DEFAULT_MODEL } from '../../infer/index.js';
import { PACKAGE_ROOT } from '../../paths.js';
import { formatLiveFigures, liveFigures } from '../../eval/live-benchmark.js';
import { liveBenchmarkSpec, renderChart } from '../../eval/charts.js';
import { writeFileAtomic } from '../../eval/atomic-write.js';
import { loadLexicon } from '../../stream/lexicon-files.js';
import { WordDecoder } from '../../stream/word-decoder.js';

interface Flags {
  model: string;
  data?: string;
  seeds: string;
  words?: string;
  dictionary: boolean;
  json?: boolean;
  chart?: string;
  saveStreams?: string;
}

/** `signglove benchmark live` (a subcommand of benchmark.ts). */
export function addLiveBenchmark(bench: Command): void {
  bench
    .command('live')
    .description("live recognition on phrases spelled with a bundle's held-out episodes: words exact (raw, with the lexicon), letter error rate, delay")
    .option('-m, --model <bundle>', 'model bundle (.safetensors) or shipped model name', DEFAULT_MODEL)
    .option('-d, --data <dir>', "dataset root the bundle's test episodes are in (default ../shared/datasets/<the bundle's first day>)")
    .option('--seeds <list>', 'comma-separated seeds (each gives every phrase a different stream)', '1,2,3,4,5,6,7,8,9')
    .option('--words <file>', "the user's own word list for the lexicon (one word per line)")
    .option('--no-dictionary', 'leave out the Korean dictionary (only --words)')
    .option('--chart <dir>', 'also write live-benchmark.svg and .png there')
    .option('--save-streams <dir>', 'also write every stream as a firmware CSV (replay one with `signglove live --source replay:FILE`)')
    .option('--json', 'print the figures as JSON')
    .action(async (flags: Flags) => {
      const seeds = flags.seeds.split(',').map(Number);
      if (!seeds.length || seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new UserError(`--seeds must be non-negative integers, got '${flags.seeds}'`);
      let model;
      try {
        model = await loadModel(flags.model);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      // a bundle of several days ('day1+day2') streams one wearing: its first day by default
      const firstDay = (model.info.datasetName ?? '').split('+')[0]!;
      const data = flags.data ?? path.resolve(PACKAGE_ROOT, '..', 'shared', 'datasets', firstDay);
      const status = (s: string) => process.stderr.write(`${s}\n`);
      try {
        const decoder = new WordDecoder(loadLexicon({ dictionary: flags.dictionary, userFile: flags.words }));
        const save = flags.saveStreams;
        if (save) mkdirSync(save, { recursive: true });
        const onStream = save
          ? (st: EpisodeStream, seed: number, i: number) => {
              const name = `seed${seed}-${String(i).padStart(2, '0')}-${st.phrase.replace(/\s+/g, '_')}.csv`;
              writeFileSync(path.join(save, name), [FIRMWARE_HEADER, ...st.frames.map(formatFirmwareLine)].join('\n') + '\n');
            }
          : undefined;
        const f = await liveFigures(model, { data, decoder, seeds, onStatus: flags.json ? undefined : status, onStream });
        process.stdout.write(flags.json ? `${JSON.stringify(f, null, 2)}\n` : `${formatLiveFigures(f)}\n`);
        if (flags.chart) {
          const { svg, png } = await renderChart(liveBenchmarkSpec(f));
          writeFileAtomic(path.join(flags.chart, 'live-benchmark.svg'), svg);
          writeFileAtomic(path.join(flags.chart, 'live-benchmark.png'), png);
        }
      } catch (e) {
        throw new UserError((e as Error).message);
      } finally {
        await model.close();
      }
    });
}
