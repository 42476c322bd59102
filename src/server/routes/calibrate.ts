/**
 * POST /calibrate: the same calibration as `signglove calibrate`, on the server, for a page or a
 * client that would rather not adapt in its own CPU. Answers the personal bundle's bytes; the
 * before/after accuracy on the held-out holds comes in headers.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Episode } from '../../data/types.js';
import { startWorker } from '../../util/start-worker.js';
import { runCalibration, type CalibrateReply } from '../calibrate-worker.js';
import type { ModelCatalog } from '../catalog.js';
import { rowsToEpisode } from '../episode.js';
import { ApiError } from '../errors.js';
import { CalibrateRequest, ErrorResponse } from '../schemas.js';
import { validationHook, type AppEnv } from '../validation.js';

const calibrateRoute = createRoute({
  method: 'post',
  path: '/calibrate',
  summary: "Adapt a model to this wearing from a few labelled holds per letter (a personal model)",
  request: { body: { content: { 'application/json': { schema: CalibrateRequest } }, required: true } },
  responses: {
    200: {
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      description: 'The personal model as a .safetensors bundle; headers X-Accuracy-Before and X-Accuracy-After (held-out holds), X-Calibrate-Seconds',
    },
    400: { content: { 'application/json': { schema: ErrorResponse } }, description: 'Malformed body, an unknown letter or model, or a model that cannot be calibrated' },
  },
});

export function calibrateRoutes(catalog: ModelCatalog) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(calibrateRoute, async (c) => {
    const body = c.req.valid('json');
    const model = await catalog.get(body.model);
    const base = model.predictor;
    if (!base?.meta.preprocess.pipeline) throw new ApiError(400, 'not_calibratable', `model '${model.info.name}' cannot be calibrated on this server`);
    const episodes = (list: { jamo: string; rows: unknown[] }[], where: string): Episode[] =>
      list.map((e, i) => {
        const label = base.info.classes.indexOf(e.jamo.normalize('NFC'));
        if (label < 0) throw new ApiError(400, 'unknown_letter', `${where}[${i}].jamo: '${e.jamo}' is not one of the model's letters`);
        const ep = rowsToEpisode(e.rows as Parameters<typeof rowsToEpisode>[0], base.info.channels, body.channels, `${where}[${i}].rows`);
        return { ...ep, file: `${where}/${i}`, label, jamo: base.info.classes[label]!, session: '' };
      });
    const shots = episodes(body.shots, 'shots');
    const heldOut = episodes(body.held_out ?? [], 'held_out');
    const r = model.bundleBytes ? await calibrateOnWorker(await model.bundleBytes(), model.info.name, shots, heldOut) : await runCalibration(base, model.info.name, shots, heldOut);
    return c.body(r.bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/octet-stream',
      'x-accuracy-before': String(r.before),
      'x-accuracy-after': String(r.after),
      'x-calibrate-seconds': r.seconds.toFixed(2),
    });
  });
}

/** Runs one calibration on a fresh worker thread (calibrations are rare; seconds each). */
function calibrateOnWorker(bundle: Uint8Array, baseName: string, shots: Episode[], heldOut: Episode[]): Promise<Exclude<CalibrateReply, { error: string }>> {
  return new Promise((resolve, reject) => {
    // the worker module sits one folder up (src/server/), beside where this file's name points
    const besideWorker = import.meta.url.replace(/\/routes\/calibrate\.(ts|js)$/, '/calibrate.$1');
    const worker = startWorker(besideWorker, 'calibrate-worker', { calibrate: true, bundle, baseName, shots, heldOut });
    // the worker exits by itself once it has answered: terminate() while V8 still compiles on a
    // background thread can abort the whole process in Node 20 (node_platform.cc ForIsolate assertion)
    worker.once('message', (m: CalibrateReply) => {
      if ('error' in m) reject(new ApiError(400, 'calibration_failed', m.error));
      else resolve(m);
    });
    worker.once('error', reject);
  });
}
