/**
 * Personal models kept in this browser (IndexedDB, via idb-keyval): the bundle bytes a
 * calibration produced, with what it measured. The live page lists them next to the shipped
 * models; a bundle can be downloaded as a .safetensors file and uploaded again.
 */
import { createStore, del, entries, get, set } from 'idb-keyval';
import { Predictor } from '../../src/infer/core.js';

export interface PersonalModel {
  name: string;
  base: string;
  created: string;
  /** Accuracy on the held-out holds before and after calibration (absent for an uploaded bundle). */
  before?: number;
  after?: number;
  bytes: Uint8Array;
}

/** The id a personal model goes by in pickers and the live page's ?model= (shipped names never start with it). */
export const PERSONAL_PREFIX = 'personal:';

const store = createStore('signglove', 'personal-models');

export async function listPersonalModels(): Promise<PersonalModel[]> {
  const all = await entries<string, PersonalModel>(store);
  return all.map(([, m]) => m).sort((a, b) => b.created.localeCompare(a.created));
}

export function savePersonalModel(m: PersonalModel): Promise<void> {
  return set(m.name, m, store);
}

export function deletePersonalModel(name: string): Promise<void> {
  return del(name, store);
}

/** A personal model's predictor (the bundle is checked as any bundle is). */
export async function personalPredictor(name: string): Promise<Predictor> {
  const m = await get<PersonalModel>(name, store);
  if (!m) throw new Error(`no personal model '${name}' in this browser`);
  return Predictor.fromBytes(m.bytes, `${PERSONAL_PREFIX}${name}`);
}

/** Reads an uploaded .safetensors bundle; refuses what is not a loadable model. */
export async function importBundle(file: File): Promise<PersonalModel> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const p = Predictor.fromBytes(bytes, file.name); // throws a message naming the file
  const name = file.name.replace(/\.safetensors$/i, '');
  return { name, base: p.meta.calibration?.base ?? p.info.name, created: new Date().toISOString(), bytes };
}
