/**
 * Which path answers: the same model run in this browser (the bundle fetched once, the same
 * engine code as the server), or the server. The page shows which one is in use.
 */
import { Predictor } from '../../src/infer/core.js';
import type { Prediction } from '../../src/infer/types.js';
import { fetchBundle, listModels, predictOnServer, type ModelListing } from './api.js';
import { PERSONAL_PREFIX, personalPredictor } from './personal-models.js';

export type Where = 'browser' | 'server';

/** Where predictions come from (this browser's Predictor, or the server), not another kind of model. */
export interface Engine {
  readonly where: Where;
  readonly model: string;
  readonly channels: string[];
  predict(episode: { channels: string[]; data: Float32Array; length: number }, topK: number): Promise<Prediction>;
  /** The in-browser predictor (live recognition runs it frame by frame); absent on the server path. */
  readonly predictor?: Predictor;
}

let listing: Promise<ModelListing> | undefined;
const predictors = new Map<string, Promise<Predictor>>();

export function models(): Promise<ModelListing> {
  listing ??= listModels();
  return listing;
}

async function browserPredictor(name: string): Promise<Predictor> {
  let p = predictors.get(name);
  if (!p) {
    p = fetchBundle(name).then((bytes) => Predictor.fromBytes(bytes, name));
    predictors.set(name, p);
    p.catch(() => predictors.delete(name));
  }
  return p;
}

/**
 * An engine for the wanted path. Asking for the browser when the model has no downloadable
 * bundle falls back to the server; `where` says what was actually chosen.
 */
export async function createEngine(want: Where, model?: string): Promise<Engine> {
  // a personal model (calibrated in this browser) runs only here
  if (model?.startsWith(PERSONAL_PREFIX)) {
    const predictor = await personalPredictor(model.slice(PERSONAL_PREFIX.length));
    return { where: 'browser', model, channels: predictor.info.channels, predictor, predict: async (ep, topK) => predictor.predict(ep, { topK }) };
  }
  const list = await models();
  const name = model && list.models.some((m) => m.name === model) ? model : list.default;
  const entry = list.models.find((m) => m.name === name);
  const channels = entry?.channels ?? ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw'];
  // A model the server has not loaded yet is not known to lack a bundle: try to fetch it.
  if (want === 'browser' && entry?.browser !== false) {
    const predictor = await browserPredictor(name);
    return {
      where: 'browser',
      model: name,
      channels: predictor.info.channels,
      predictor,
      predict: async (ep, topK) => predictor.predict(ep, { topK }),
    };
  }
  return {
    where: 'server',
    model: name,
    channels,
    predict: async (ep, topK) => {
      const C = ep.channels.length;
      const rows = Array.from({ length: ep.length }, (_, t) => Object.fromEntries(ep.channels.map((ch, c) => [ch, ep.data[t * C + c]!])));
      return predictOnServer(name, rows, topK);
    },
  };
}
