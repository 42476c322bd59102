/**
 * What `signglove tune` searches: one space per architecture over the settings `signglove train`
 * exposes, sampled quasi-randomly (a Halton sequence, Cranley–Patterson shifted by the seed) so a
 * few dozen trials cover the space evenly and the same seed gives the same trials everywhere.
 * Portable: no Node imports.
 */
import { ARCHS, canonicalArch, defaultConfig, isCnnArch, type ArchName } from '../models/config.js';
import { modelArch, modelNameOf, TREES_ARCH } from '../models/names.js';
import { Rng } from '../util/rng.js';

export type ParamValue = number | string | boolean;

/** One searched setting and the `signglove train` flag that sets it. */
export type ParamSpec =
  | { name: string; flag: string; kind: 'log'; min: number; max: number; digits: number }
  | { name: string; flag: string; kind: 'linear'; min: number; max: number; digits: number }
  | { name: string; flag: string; kind: 'choice'; values: readonly ParamValue[] };

/** A trial's settings: arch and every searched parameter (a missing one keeps the architecture's default). */
export interface TrialParams {
  arch: ArchName;
  [name: string]: ParamValue;
}

const COMMON: readonly ParamSpec[] = [
  { name: 'hidden', flag: '--hidden', kind: 'choice', values: [32, 48, 64, 96, 128] },
  { name: 'layers', flag: '--layers', kind: 'choice', values: [1, 2, 3] },
  { name: 'dropout', flag: '--dropout', kind: 'linear', min: 0, max: 0.5, digits: 2 },
  { name: 'lr', flag: '--lr', kind: 'log', min: 3e-4, max: 1e-2, digits: 2 },
  { name: 'weightDecay', flag: '--weight-decay', kind: 'log', min: 1e-5, max: 1e-1, digits: 2 },
  { name: 'batchSize', flag: '--batch-size', kind: 'choice', values: [16, 32, 64] },
  { name: 'augmentScale', flag: '--augment-scale', kind: 'linear', min: 0, max: 2, digits: 2 },
  { name: 'useMask', flag: '--use-mask', kind: 'choice', values: [false, true] },
];
const CNN_ONLY: readonly ParamSpec[] = [{ name: 'filters', flag: '--filters', kind: 'choice', values: [16, 32, 48, 64] }];

/** The space of one architecture, or of several (then 'arch' is searched too). */
export function searchSpace(archs: readonly string[]): ParamSpec[] {
  const names = archs.map(canonicalArch);
  const space: ParamSpec[] = names.length > 1 ? [{ name: 'arch', flag: '--model', kind: 'choice', values: names }] : [];
  space.push(...COMMON);
  if (names.some(isCnnArch)) space.push(...CNN_ONLY);
  return space;
}

/** `--model all` → every network architecture; names as everywhere else (gru, cnn_gru; old spellings accepted). */
export function archList(model: string): ArchName[] {
  if (model === 'all') return [...ARCHS];
  return model.split(',').map((m) => {
    const arch = modelArch(m.trim());
    if (arch === TREES_ARCH) throw new Error(`tune searches the networks' settings; ${m.trim()} has none to search`);
    return canonicalArch(arch);
  });
}

/** The first primes: one Halton base per dimension. */
const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47];

/** The radical inverse of i in base b: the i-th point of the van der Corput sequence. */
function radicalInverse(i: number, b: number): number {
  let f = 1;
  let r = 0;
  while (i > 0) {
    f /= b;
    r += f * (i % b);
    i = Math.floor(i / b);
  }
  return r;
}

/**
 * Point `index` (≥ 1) of a `dims`-dimensional Halton sequence shifted modulo 1 by a seeded random
 * vector: deterministic for a seed, even coverage, and different seeds give different designs.
 */
export function haltonPoint(index: number, dims: number, seed: number): number[] {
  if (dims > PRIMES.length) throw new Error(`Halton sampling supports up to ${PRIMES.length} dimensions, got ${dims}`);
  const rng = new Rng(seed ^ 0x7a11);
  const out: number[] = [];
  for (let d = 0; d < dims; d++) out.push((radicalInverse(index, PRIMES[d]!) + rng.next()) % 1);
  return out;
}

function roundTo(x: number, digits: number): number {
  return Number(x.toPrecision(digits));
}

/** Maps u ∈ [0, 1) to a value of the parameter. */
export function valueAt(p: ParamSpec, u: number): ParamValue {
  switch (p.kind) {
    case 'choice':
      return p.values[Math.min(p.values.length - 1, Math.floor(u * p.values.length))]!;
    case 'log':
      return roundTo(Math.exp(Math.log(p.min) + u * (Math.log(p.max) - Math.log(p.min))), p.digits);
    case 'linear':
      return Number((p.min + u * (p.max - p.min)).toFixed(p.digits));
  }
}

/** The architecture's own defaults in the terms of the space (trial 0 of every search). */
export function defaultParams(arch: string): TrialParams {
  const a = canonicalArch(arch);
  const c = defaultConfig(a);
  const p: TrialParams = { arch: a, hidden: c.hidden, layers: c.layers, lr: 1e-3, weightDecay: 1e-3, batchSize: 32, augmentScale: 1, useMask: false };
  if (isCnnArch(a)) p.filters = c.filters;
  // no 'dropout': the architecture's own per-layer dropouts (e.g. GRU: 0.2 in the head only)
  return p;
}

/**
 * The settings of trial `id` of a search: trial 0 is the (first) architecture's default, so every
 * search measures the default on its own objective; trial i ≥ 1 is Halton point i of the space.
 */
export function trialParams(space: readonly ParamSpec[], archs: readonly string[], id: number, seed: number): TrialParams {
  if (id === 0) return defaultParams(archs[0]!);
  const u = haltonPoint(id, space.length, seed);
  const p: Record<string, ParamValue> = { arch: canonicalArch(archs[0]!) };
  space.forEach((s, d) => (p[s.name] = valueAt(s, u[d]!)));
  const arch = p.arch as ArchName;
  // a CNN-only setting means nothing to a recurrent model: leave it out rather than show a dead value
  if (!isCnnArch(arch)) delete p.filters;
  return p as TrialParams;
}

/** `signglove train` flags for these settings (a ready command). */
export function trainFlags(space: readonly ParamSpec[], params: TrialParams): string[] {
  const flags = ['--model', modelNameOf(String(params.arch))];
  for (const s of space) {
    if (s.name === 'arch' || !(s.name in params)) continue;
    const v = params[s.name]!;
    if (typeof v === 'boolean') {
      if (v) flags.push(s.flag);
    } else flags.push(s.flag, String(v));
  }
  return flags;
}

/** Short text of a parameter value for tables ('–' for a setting the architecture does not have). */
export function formatValue(v: ParamValue | undefined, name?: string, arch?: string): string {
  if (name === 'filters' && arch !== undefined && !isCnnArch(canonicalArch(arch))) return '–';
  if (v === undefined) return 'default';
  if (typeof v === 'number') return Math.abs(v) !== 0 && (Math.abs(v) < 0.01 || Math.abs(v) >= 1e4) ? v.toExponential(1) : String(v);
  return String(v);
}
