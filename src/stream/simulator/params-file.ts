/** Simulator parameter files on disk (Node): the shipped one's path, or another estimated file. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ASSETS_DIR } from '../../paths.js';
import { shippedSimulatorParams, validateParams, type SimulatorParams } from './params.js';

export const SIMULATOR_PARAMS_FILE = path.join(ASSETS_DIR, 'simulator', 'params.json');

/** Reads a parameter file (default: the shipped one) and checks it fits this version. */
export function loadSimulatorParams(file?: string): SimulatorParams {
  if (!file) return shippedSimulatorParams();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read simulator parameters '${file}': ${(err as Error).message}`);
  }
  return validateParams(raw, file);
}
