/**
 * POST /calibrate: the same calibration as `signglove calibrate`, on the server, for a page or a
 * client that would rather not adapt in its own CPU. Answers the personal bundle's bytes; the
 * before/after accuracy on the held-out holds comes in headers.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Episode } from '../../data/types.js';
import { calibrateModel } from '../../train/calibrate.js';
import { encodeBundle } from '../../bundle/encode.js';
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
    const cal = await calibrateModel(base, shots, { baseFile: model.info.name });
    const accuracy = (p: typeof base) => heldOut.length ? p.predictBatch(heldOut).filter((r, i) => r.index === heldOut[i]!.label).length / heldOut.length : NaN;
    const bytes = encodeBundle(cal.weights, cal.meta);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/octet-stream',
      'x-accuracy-before': String(accuracy(base)),
      'x-accuracy-after': String(accuracy(cal.predictor)),
      'x-calibrate-seconds': cal.seconds.toFixed(2),
    });
  });
}
