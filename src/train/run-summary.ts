/**
 * What `signglove train` says around the numbers: how long the whole run may still take, and when
 * it ends, what to run next (evaluate the bundle into a report, try it live) and where its files are.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Time left for the whole run, as an upper bound: the epochs this fold may still run plus every
 * fold still to come, at the mean epoch time so far (early stopping usually ends sooner).
 */
export class RunEta {
  private seconds = 0;
  private epochs = 0;
  private foldIndex = -1;
  private foldName: string | undefined;
  private epochInFold = 0;

  constructor(
    private readonly folds: number,
    private readonly maxEpochs: number,
  ) {}

  /** One epoch of `fold` ended after `seconds`. */
  epochDone(fold: string, epoch: number, seconds: number): void {
    if (fold !== this.foldName) {
      this.foldName = fold;
      this.foldIndex++;
    }
    this.epochInFold = epoch;
    this.seconds += seconds;
    this.epochs++;
  }

  /** Epochs that may still run, this fold and the folds after it. */
  epochsLeft(): number {
    const foldsAfter = Math.max(0, this.folds - this.foldIndex - 1);
    return Math.max(0, this.maxEpochs - this.epochInFold) + foldsAfter * this.maxEpochs;
  }

  /** Seconds the run may still take (upper bound); undefined before the first epoch. */
  secondsLeft(): number | undefined {
    if (this.epochs === 0) return undefined;
    return (this.seconds / this.epochs) * this.epochsLeft();
  }

  /** "run ≤ 12 min left (at most 95 epochs)", or '' before the first epoch. */
  text(): string {
    const s = this.secondsLeft();
    if (s === undefined) return '';
    const n = this.epochsLeft();
    if (n === 0) return 'run: last epoch done';
    return `run ≤ ${formatDuration(s)} left (at most ${n} epoch${n === 1 ? '' : 's'}${this.folds > 1 ? ` over ${this.folds - this.foldIndex} fold${this.folds - this.foldIndex === 1 ? '' : 's'}` : ''})`;
  }
}

/** 45 s, 12 min, 1 h 05 min. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A path or word as typed in a POSIX shell: quoted only when it needs to be. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/u.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface NextStepsInput {
  /** The bundles written, one per fold. */
  bundles: readonly string[];
  /** The folders the model was trained on, and for a 'dirs' split the ones it was tested on. */
  data: readonly string[];
  testData?: readonly string[];
  outDir: string;
  interrupted?: boolean;
}

/** The lines that end a training run: how to evaluate the bundle (and where the report goes), try it, and its files. */
export function nextStepsMessage(r: NextStepsInput): string {
  if (r.bundles.length === 0) return '';
  const bundle = r.bundles[0]!;
  const stem = path.basename(bundle, '.safetensors');
  const dir = path.dirname(bundle);
  const report = path.join(r.outDir, `${stem}-report`);
  const evalData = (r.testData?.length ? r.testData : r.data).map(shellWord).join(' ');
  const lines = [''];
  if (r.interrupted) lines.push('Stopped early: the bundle holds the best weights reached so far.');
  if (r.bundles.length > 1) lines.push(`${r.bundles.length} bundles, one per fold (${r.bundles.map((b) => path.basename(b)).join(', ')}); the commands below use the first.`);
  lines.push(
    'Next:',
    `  evaluate it (charts and an HTML report, ${path.join(report, 'report.html')}):`,
    `    signglove evaluate --model ${shellWord(bundle)} --data ${evalData} --out ${shellWord(report)}`,
    '  try it on a simulated glove:',
    `    signglove live --model ${shellWord(bundle)} --source sim:한글`,
    `  model card: ${path.join(dir, `${stem}.md`)}`,
  );
  const metrics = path.join(dir, `${stem}.metrics.jsonl`);
  if (existsSync(metrics)) lines.push(`  metrics of every epoch: ${metrics}`);
  const curves = path.join(dir, `${stem}-curves`, 'training_curves.png');
  if (existsSync(curves)) lines.push(`  training curves (the kept epoch marked): ${curves}`);
  return lines.join('\n');
}
