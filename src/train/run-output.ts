/**
 * A training run's files (bundle, model card, per-epoch metrics, curves) always describe the same
 * run, whenever the process dies: the run writes into its own hidden staging folder inside --out,
 * and only a finished run is moved into place, the bundle last. Every file carries the run id.
 * Staging folders and temporary files of dead processes are removed when the next run starts.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync, accessSync, constants } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { InputError } from '../util/input-error.js';

const STAGING_PREFIX = '.staging-';

/** --out cannot be written: the user's to fix, reported in one line. */
export class OutputDirError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirError';
  }
}

/** A fresh run id: time first, so ids sort by start. */
export function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
}

/** Test hook: SIGNGLOVE_FAULT_AT=finalize:N kills the process with SIGKILL before step N of finalize (kill -9 tests). */
function faultPoint(step: number): void {
  if (process.env.SIGNGLOVE_FAULT_AT === `finalize:${step}`) process.kill(process.pid, 'SIGKILL');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what killed runs left in `outDir`: staging folders (`.staging-<pid>-…`) and temporary
 * files of atomic writes (`*.tmp-<pid>-…`, `.name.<pid>.….tmp`) whose process is gone.
 * Returns the names removed.
 */
export function removeStaleTemporaries(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(outDir)) {
    const m = /^\.staging-(\d+)-/.exec(name) ?? /\.tmp-(\d+)-\d+$/.exec(name) ?? /^\..+\.(\d+)\.[a-z0-9]+\.tmp$/.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    rmSync(path.join(outDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Checks before any long work that `outDir` can be created and written; throws OutputDirError
 * with a one-line reason otherwise.
 */
export function checkWritableDir(outDir: string): void {
  try {
    mkdirSync(outDir, { recursive: true });
    accessSync(outDir, constants.W_OK | constants.X_OK);
    const probe = path.join(outDir, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'ENOTDIR' || e.code === 'EEXIST' ? 'a file is in the way' : e.code === 'EROFS' ? 'read-only file system' : (e.message ?? String(err));
    throw new OutputDirError(`cannot write to the output folder ${outDir}: ${why}`);
  }
}

/** The model card with the run id it belongs to. */
export function cardWithRunId(card: string, runId: string): string {
  return `${card.trimEnd()}\n\nRun \`${runId}\` (the bundle's provenance.runId and every line of the metrics file carry it).\n`;
}

/** Where one run of one bundle writes, and how it is moved into place. */
export class RunOutput {
  readonly staging: string;

  constructor(readonly outDir: string, readonly name: string, readonly runId: string) {
    this.staging = path.join(outDir, `${STAGING_PREFIX}${process.pid}-${name}-${runId}`);
    mkdirSync(this.staging, { recursive: true });
  }

  /** Path of one of the run's files inside the staging folder. */
  file(base: string): string {
    return path.join(this.staging, base);
  }

  /**
   * Moves the finished run into `outDir`: the old bundle goes first (so no bundle ever sits beside
   * a newer card), then curves, metrics and card, and the new bundle last. Each step is a rename
   * within one folder, so each file is either the old one or the new one, never half.
   */
  finalize(): void {
    const target = (base: string): string => path.join(this.outDir, base);
    const bundle = `${this.name}.safetensors`;
    faultPoint(0);
    rmSync(target(bundle), { force: true });
    faultPoint(1);
    const curves = `${this.name}-curves`;
    if (existsSync(this.file(curves))) {
      rmSync(target(curves), { recursive: true, force: true });
      renameSync(this.file(curves), target(curves));
    }
    faultPoint(2);
    for (const base of [`${this.name}.metrics.jsonl`, `${this.name}.md`]) {
      if (existsSync(this.file(base))) renameSync(this.file(base), target(base));
      faultPoint(3);
    }
    renameSync(this.file(bundle), target(bundle));
    faultPoint(4);
    rmSync(this.staging, { recursive: true, force: true });
  }

  /** Drops the staging folder of a run that failed. */
  discard(): void {
    rmSync(this.staging, { recursive: true, force: true });
  }
}
