/** `signglove data inspect|split`: look at a dataset before training on it. */
import { Option, type Command } from 'commander';
import Table from 'cli-table3';
import { UserError } from '../errors.js';
import { createProgress } from '../progress.js';
import { parseChannelList } from '../../data/channels.js';
import { DatasetError, DEFAULT_MIN_LENGTH, loadDataset, type LoadedDataset } from '../../data/load.js';
import { inspectDataset, type InspectSummary, type Stats } from '../../data/inspect.js';
import { formatProblem } from '../../data/parse-episode.js';
import {
  DEFAULT_SPLIT_SEED,
  directorySplit,
  formatSplitCounts,
  kFoldSplits,
  leaveOnePostureOut,
  randomSplit,
  type Split,
} from '../../data/splits.js';
import { printOut, printErr } from '../output.js';

interface LoadFlags {
  channels?: string;
  minLength: string;
  strict?: boolean;
  json?: boolean;
}

export function dataCommand(program: Command): void {
  const data = program.command('data').description('inspect datasets and preview splits');

  data
    .command('inspect')
    .description('counts per class and session, lengths, sampling rate, channel statistics and anomalies')
    .argument('<inputs...>', 'dataset folder(s) (<root>/<jamo>/<session>/episode_*.csv) or CSV files')
    .option('--channels <list>', 'channels to read, e.g. default,accel_x..z', 'default')
    .option('--min-length <n>', 'episodes with fewer frames are reported and skipped', String(DEFAULT_MIN_LENGTH))
    .option('--strict', 'fail on any skipped file or ignored folder')
    .option('--json', 'print one JSON object instead of tables')
    .action(async (inputs: string[], flags: LoadFlags) => {
      const loaded = await loadForCli(inputs, flags, { echoProblems: false });
      const summary = inspectDataset(loaded);
      if (flags.json) printOut(JSON.stringify(summary, null, 2) + '\n');
      else printOut(renderInspect(summary) + '\n');
    });

  data
    .command('split')
    .description('preview a split: episodes per class in train/val/test')
    .argument('<inputs...>', 'dataset folder(s) or CSV files')
    // the same flag names as `train`; the first spellings stay as hidden aliases
    .addOption(new Option('--split <kind>', 'random, kfold, posture (leave one posture-variant folder out; alias loso) or dirs (another day)').choices(['random', 'kfold', 'posture', 'loso', 'dirs']).default('random'))
    .addOption(new Option('--kind <kind>').hideHelp().conflicts('split'))
    .option('--split-seed <n>', 'seed of the split', String(DEFAULT_SPLIT_SEED))
    .addOption(new Option('--seed <n>').hideHelp().conflicts('splitSeed'))
    .option('--ratios <a,b,c>', 'with --split random: train,val,test ratios', '0.6,0.2,0.2')
    .option('--folds <k>', 'with --split kfold: number of folds', '5')
    .addOption(new Option('--k <n>').hideHelp().conflicts('folds'))
    .option('--val-fraction <f>', 'validation share carved from training (posture, dirs)', '0.2')
    .option('--test-data <inputs...>', 'with --split dirs: folder(s) or files to test on (e.g. another recording day)')
    .addOption(new Option('--test <inputs...>').hideHelp().conflicts('testData'))
    .option('--channels <list>', 'channels to read', 'default')
    .option('--min-length <n>', 'episodes with fewer frames are reported and skipped', String(DEFAULT_MIN_LENGTH))
    .option('--strict', 'fail on any skipped file or ignored folder')
    .option('--json', 'print the splits as JSON (indices and counts)')
    .action(async (inputs: string[], flags: LoadFlags & SplitFlags) => {
      const loaded = await loadForCli(inputs, flags);
      const splits = await makeSplits(loaded, flags);
      if (flags.json) {
        // indices, counts and file names; never the episodes themselves (directorySplit carries them)
        const out = splits.map((s) => ({ name: s.name, counts: s.counts, train: s.train, val: s.val, test: s.test, files: fileNames(s, loaded) }));
        printOut(JSON.stringify(out, null, 2) + '\n');
      } else printOut(formatSplitCounts(splits) + '\n');
    });
}

interface SplitFlags {
  split: string;
  splitSeed: string;
  ratios: string;
  folds: string;
  valFraction: string;
  testData?: string[];
  /** Hidden aliases of split, splitSeed, folds and testData (the names `data split` had first). */
  kind?: string;
  seed?: string;
  k?: string;
  test?: string[];
}

async function makeSplits(loaded: LoadedDataset, flags: LoadFlags & SplitFlags): Promise<Split[]> {
  const kind = flags.kind ?? flags.split;
  const seed = parseNumberFlag('--split-seed', flags.seed ?? flags.splitSeed, { integer: true });
  const testData = flags.test ?? flags.testData;
  const valFraction = parseNumberFlag('--val-fraction', flags.valFraction);
  try {
    switch (kind) {
      case 'random': {
        const ratios = flags.ratios.split(',').map((r) => parseNumberFlag('--ratios', r));
        if (ratios.length !== 3) throw new UserError(`--ratios needs three numbers, got '${flags.ratios}'`);
        return [randomSplit(loaded.episodes, { ratios: ratios as [number, number, number], seed })];
      }
      case 'kfold':
        return kFoldSplits(loaded.episodes, parseNumberFlag('--folds', flags.k ?? flags.folds, { integer: true }), seed);
      case 'posture':
      case 'loso':
        return leaveOnePostureOut(loaded.episodes, { seed, valFraction });
      case 'dirs': {
        if (!testData?.length) throw new UserError('--split dirs needs --test-data <folders…>');
        const test = await loadForCli(testData, flags);
        const split = directorySplit(loaded.episodes, test.episodes, { seed, valFraction });
        return [split];
      }
      default:
        throw new UserError(`unknown --split '${kind}'; use random, kfold, posture or dirs`);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError((err as Error).message);
  }
}

/** For --json: the episode files of each part (dirs splits index train then test episodes). */
function fileNames(s: Split, loaded: LoadedDataset): Record<string, string[]> {
  const eps = 'episodes' in s ? (s as Split & { episodes: LoadedDataset['episodes'] }).episodes : loaded.episodes;
  return { train: s.train.map((i) => eps[i]!.file), val: s.val.map((i) => eps[i]!.file), test: s.test.map((i) => eps[i]!.file) };
}

/** Load with a progress bar on a terminal; dataset errors become user errors. */
async function loadForCli(inputs: string[], flags: LoadFlags, opts = { echoProblems: true }): Promise<LoadedDataset> {
  let channels: string[];
  try {
    channels = parseChannelList(flags.channels ?? 'default');
  } catch (err) {
    throw new UserError(`--channels: ${(err as Error).message}`);
  }
  const minLength = parseNumberFlag('--min-length', flags.minLength, { integer: true });
  const progress = createProgress();
  let started = false;
  try {
    const loaded = await loadDataset(inputs.length === 1 ? inputs[0]! : inputs, {
      channels,
      minLength,
      strict: flags.strict ?? false,
      onProgress: (done, total) => {
        if (!started) progress.start(total, 'loading');
        started = true;
        progress.update(done);
      },
    });
    progress.stop();
    if (opts.echoProblems && !flags.json) {
      for (const p of loaded.problems) printErr(`skipped ${formatProblem(p)}\n`);
      for (const d of loaded.ignoredFolders) printErr(`ignored folder ${d}\n`);
    }
    if (loaded.episodes.length === 0) {
      // Say why: with one bad file the reason is the whole answer.
      const why = loaded.problems.slice(0, 3).map(formatProblem);
      if (loaded.problems.length > 3) why.push(`… and ${loaded.problems.length - 3} more`);
      throw new UserError(`no episodes loaded from ${inputs.join(', ')}${why.length ? `: ${why.join('; ')}` : ' (no CSV files found)'}`);
    }
    return loaded;
  } catch (err) {
    progress.stop();
    if (err instanceof DatasetError) throw new UserError(err.message);
    throw err;
  }
}

function parseNumberFlag(name: string, value: string, opts: { integer?: boolean } = {}): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || (opts.integer && !Number.isInteger(v))) {
    throw new UserError(`${name} needs ${opts.integer ? 'an integer' : 'a number'}, got '${value}'`);
  }
  return v;
}

// ── terminal rendering ───────────────────────────────────────────────────────

// No colours (printed through escapeControls); no separator lines between rows, so 24 classes fit on a screen.
const tableStyle = (): Record<string, unknown> => ({
  style: { head: [], border: [] },
  chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
});

const fmt = (v: number, digits = 1): string => (Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : '–');
const statsLine = (s: Stats, unit = ''): string =>
  `min ${fmt(s.min)}${unit}, median ${fmt(s.median)}${unit}, mean ${fmt(s.mean)}${unit}, max ${fmt(s.max)}${unit}`;

export function renderInspect(s: InspectSummary): string {
  const out: string[] = [];
  const classCount = Object.entries(s.classes).filter(([k, n]) => k !== '?' && n > 0).length;
  const sessionNames = Object.keys(s.sessions);
  out.push(
    `${s.root ?? 'files'}: ${s.episodes} episodes loaded, ${s.skipped.length} skipped, ` +
      `${classCount} classes × ${sessionNames.length} sessions; channels ${s.channels.join(', ')}`,
  );

  const perClass = new Table({ head: ['class', ...sessionNames, 'total'], ...tableStyle() });
  for (const [jamo, total] of Object.entries(s.classes)) {
    if (jamo === '?' && total === 0) continue;
    const row = s.classSessions[jamo] ?? {};
    perClass.push([jamo, ...sessionNames.map((x) => String(row[x] ?? 0)), String(total)]);
  }
  perClass.push(['total', ...sessionNames.map((x) => String(s.sessions[x])), String(s.episodes)]);
  out.push(perClass.toString());

  out.push(`length (frames): ${statsLine(s.length)}; ` + Object.entries(s.lengthCounts).map(([l, n]) => `${n}×${l}`).join(', '));
  out.push(s.samplingHz ? `sampling rate (Hz, ${s.samplingHz.episodes} episodes): ${statsLine(s.samplingHz)}` : 'sampling rate: no timestamps');

  const channels = new Table({ head: ['channel', 'min', 'p1', 'median', 'mean', 'std', 'p99', 'max'], ...tableStyle() });
  for (const c of s.channelStats) {
    channels.push([c.channel, fmt(c.min, 2), fmt(c.p1, 2), fmt(c.median, 2), fmt(c.mean, 2), fmt(c.std, 2), fmt(c.p99, 2), fmt(c.max, 2)]);
  }
  out.push(channels.toString());

  if (s.anomalies.length === 0) out.push('anomalies: none found');
  else {
    const anomalies = new Table({ head: ['anomaly', 'count', 'what', 'e.g.'], colWidths: [20, 7, 50, 60], wordWrap: true, ...tableStyle() });
    for (const a of s.anomalies) anomalies.push([a.kind, String(a.count), a.message, a.examples.slice(0, 3).join('\n')]);
    out.push(anomalies.toString());
  }
  if (s.skipped.length > 0) {
    out.push('skipped files:');
    for (const p of s.skipped) out.push(`  ${formatProblem(p)}`);
  }
  return out.join('\n');
}
