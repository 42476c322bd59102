/**
 * A recording on disk: episodes in the unified layout `<out>/<jamo>/<variant>/episode_*.csv`, each
 * written atomically (a killed recorder leaves whole files or none), counted on start so a
 * recording resumes where it stopped, and the session manifest `recording.json` beside them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../eval/atomic-write.js';
import { JAMO } from '../jamo.js';
import { episodeFileName } from './episode-csv.js';
import { promptKey, type Prompt } from './plan.js';
import type { RecorderStore } from './recorder.js';

export const MANIFEST_FILE = 'recording.json';

export interface RecordingManifest {
  format: 'signglove-recording';
  version: 1;
  /** The source as given (serial:/dev/ttyACM0, sim,wearing=new:3 …) and what it said it is. */
  source: string;
  glove: string;
  firmware: { format: string; rateHz?: number; resampledToMs?: number; accel?: boolean };
  letters: string[];
  reps: number;
  variants: boolean;
  seed: number;
  model?: string;
  /** Channels accepted as broken on this glove. */
  knownFaults: string[];
  startedAt: string;
  updatedAt: string;
  episodes: number;
  complete: boolean;
  /** Every run that added to this recording (a resumed recording has several). */
  runs: { startedAt: string; endedAt: string; kept: number; refused: number; stopped: boolean }[];
}

const EPISODE = /^episode_.*\.csv$/;

export class RecordingFolder implements RecorderStore {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
    this.removeStaleTemporaries();
  }

  kept(): Map<string, number> {
    const out = new Map<string, number>();
    for (const jamo of JAMO) {
      const dir = path.join(this.root, jamo);
      if (!existsSync(dir)) continue;
      for (const variant of readdirSync(dir)) {
        const vdir = path.join(dir, variant);
        let n = 0;
        try {
          n = readdirSync(vdir).filter((f) => EPISODE.test(f)).length;
        } catch {
          continue; // not a folder
        }
        if (n) out.set(promptKey({ jamo, variant }), n);
      }
    }
    return out;
  }

  /** Named by the time it is kept; a name already taken moves on by a second, so names stay in recording order. */
  save(prompt: Prompt, csv: string): string {
    const dir = path.join(this.root, prompt.jamo, prompt.variant);
    mkdirSync(dir, { recursive: true });
    let when = Date.now();
    let name = episodeFileName(new Date(when), prompt.jamo, prompt.variant);
    while (existsSync(path.join(dir, name)) || this.later(dir, name)) {
      when += 1000;
      name = episodeFileName(new Date(when), prompt.jamo, prompt.variant);
    }
    writeFileAtomic(path.join(dir, name), csv);
    return `${prompt.jamo}/${prompt.variant}/${name}`;
  }

  remove(file: string): void {
    rmSync(path.join(this.root, file), { force: true });
  }

  readManifest(): RecordingManifest | undefined {
    const file = path.join(this.root, MANIFEST_FILE);
    if (!existsSync(file)) return undefined;
    try {
      const m = JSON.parse(readFileSync(file, 'utf8')) as RecordingManifest;
      return m.format === 'signglove-recording' ? m : undefined;
    } catch {
      return undefined;
    }
  }

  writeManifest(m: RecordingManifest): void {
    writeFileAtomic(path.join(this.root, MANIFEST_FILE), `${JSON.stringify(m, null, 2)}\n`);
  }

  /** A file of the same letter already named later than `name` (the clock went back, or a fast glove). */
  private later(dir: string, name: string): boolean {
    return readdirSync(dir).some((f) => EPISODE.test(f) && f > name);
  }

  /** Temporary files of a write that was killed half-way (writeFileAtomic's `.name.pid.rand.tmp`). */
  private removeStaleTemporaries(): void {
    for (const jamo of JAMO) {
      const dir = path.join(this.root, jamo);
      if (!existsSync(dir)) continue;
      for (const variant of readdirSync(dir)) {
        const vdir = path.join(dir, variant);
        try {
          for (const f of readdirSync(vdir)) if (f.startsWith('.episode_') && f.endsWith('.tmp')) rmSync(path.join(vdir, f), { force: true });
        } catch {
          // not a folder
        }
      }
    }
  }
}
