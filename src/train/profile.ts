/**
 * A wearer's profile: one folder that keeps every calibration's recordings and the personal
 * models made from them, so each new calibration also learns from all earlier ones.
 *
 *   <profile>/profile.json                       history: one entry per calibration
 *   <profile>/recordings/<stamp>/<jamo>/<variant>/*.csv   each calibration's episodes (one wearing)
 *   <profile>/<base>-personal.safetensors (+ .md)  the newest personal model per base model
 *
 * Node-only (files). Every file is written atomically; the recordings are copied before the model
 * is saved, and profile.json is written last, so an interrupted calibration leaves the profile as
 * it was plus, at most, a recordings folder that the next calibration simply uses too.
 */
import path from 'node:path';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { loadDataset, type Episode } from '../data/index.js';
import { writeFileAtomic } from '../eval/atomic-write.js';

export interface ProfileEntry {
  stamp: string;
  base: string;
  model: string;
  method: string;
  shotsPerClass: number;
  episodes: number;
  temperature: number;
  before?: number;
  after?: number;
  heldOut?: number;
}

export interface ProfileFile {
  format: 'signglove-profile';
  version: 1;
  calibrations: ProfileEntry[];
}

export function readProfile(dir: string): ProfileFile {
  const f = path.join(dir, 'profile.json');
  if (!existsSync(f)) return { format: 'signglove-profile', version: 1, calibrations: [] };
  let p: ProfileFile;
  try {
    p = JSON.parse(readFileSync(f, 'utf8')) as ProfileFile;
  } catch (e) {
    throw new Error(`${f}: not valid JSON (${(e as Error).message})`);
  }
  if (p.format !== 'signglove-profile' || !Array.isArray(p.calibrations)) throw new Error(`${f} is not a signglove profile`);
  return p;
}

/** A new recordings folder name: sortable, unique within the profile. */
export function newStamp(dir: string, now = new Date()): string {
  const base = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  let stamp = base;
  for (let i = 2; existsSync(path.join(dir, 'recordings', stamp)); i++) stamp = `${base}-${i}`;
  return stamp;
}

/** Copies calibration episodes into <profile>/recordings/<stamp>/<jamo>/<variant>/ (the dataset layout). */
export function keepRecordings(dir: string, stamp: string, episodes: readonly Episode[]): string {
  const root = path.join(dir, 'recordings', stamp);
  for (const e of episodes) {
    if (!e.path) throw new Error(`${e.file}: calibration episodes must come from files`);
    const target = path.join(root, e.jamo, e.session || '3', path.basename(e.path));
    writeFileAtomic(target, readFileSync(e.path));
  }
  return root;
}

/** Earlier calibrations' recordings (each one wearing), oldest first, excluding `except`. */
export async function earlierRecordings(dir: string, except: string, channels: readonly string[]): Promise<{ stamp: string; episodes: Episode[] }[]> {
  const rec = path.join(dir, 'recordings');
  if (!existsSync(rec)) return [];
  const stamps = readdirSync(rec).filter((s) => s !== except && statSync(path.join(rec, s)).isDirectory()).sort();
  const out = [];
  for (const stamp of stamps) {
    const loaded = await loadDataset(path.join(rec, stamp), { channels });
    if (loaded.episodes.length > 0) out.push({ stamp, episodes: loaded.episodes.map((e) => ({ ...e, wearing: stamp })) });
  }
  return out;
}

export function writeProfile(dir: string, p: ProfileFile): void {
  writeFileAtomic(path.join(dir, 'profile.json'), `${JSON.stringify(p, null, 2)}\n`);
}
