import { InvalidArgumentError } from 'commander';
import { availableParallelism } from 'node:os';
import { findModelName, MODEL_NAMES, type ModelName } from '../models/names.js';

/** commander parser: a finite number. */
export function num(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`'${value}' is not a number`);
  return x;
}

/** commander parser: a non-negative integer. */
export function int(value: string): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < 0) throw new InvalidArgumentError(`'${value}' is not a non-negative integer`);
  return x;
}

/** cli-table3 style: plain text everywhere. */
export function tableStyle(): { head: string[]; border: string[] } | undefined {
  // No colours: tables are printed through escapeControls, which would show their codes.
  return { head: [], border: [] };
}

/** commander parser: a model to train, in any accepted spelling (cnn_gru, CNNGRU, …), as its snake_case name. */
export function modelName(value: string): ModelName {
  const name = findModelName(value);
  if (!name) throw new InvalidArgumentError(`unknown model '${value}'; use one of ${MODEL_NAMES.join(', ')}`);
  return name;
}

/** commander parser: a comma-separated list of models to train. */
export function modelNameList(value: string): ModelName[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError('give at least one model');
  return names.map(modelName);
}

/**
 * Threads network training uses unless told (`--workers`): both cores where there are two. Data-parallel
 * training splits each batch of 32 over the threads, which pays on 2 cores (~1.8×); beyond 2 the
 * slices get too thin to gain more. The count is recorded in the bundle, so a run is reproducible.
 */
export function defaultTrainWorkers(): number {
  return Math.min(2, availableParallelism());
}

/** What --help says about the default worker count. */
export const WORKERS_DEFAULT_HELP = 'min(2, cores)';
