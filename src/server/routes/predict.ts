import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Prediction } from '../../infer/types.js';
import type { ModelCatalog } from '../catalog.js';
import { rowsToEpisode } from '../episode.js';
import { BatchRequest, BatchResponse, ErrorResponse, PredictRequest, PredictResponse } from '../schemas.js';
import type { AppEnv } from '../validation.js';
import { validationHook } from '../validation.js';
import { yieldToEventLoop } from '../stream-limits.js';

const errors = {
  400: { content: { 'application/json': { schema: ErrorResponse } }, description: 'Malformed JSON, wrong shape, NaN, or unknown model' },
  413: { content: { 'application/json': { schema: ErrorResponse } }, description: 'Body too large' },
  415: { content: { 'application/json': { schema: ErrorResponse } }, description: 'Body is not application/json' },
} as const;

const predictRoute = createRoute({
  method: 'post',
  path: '/predict',
  summary: 'Recognise one episode',
  request: { body: { content: { 'application/json': { schema: PredictRequest } }, required: true } },
  responses: { 200: { content: { 'application/json': { schema: PredictResponse } }, description: 'The prediction and top-k' }, ...errors },
});

const batchRoute = createRoute({
  method: 'post',
  path: '/predict/batch',
  summary: 'Recognise many episodes in one call',
  request: { body: { content: { 'application/json': { schema: BatchRequest } }, required: true } },
  responses: { 200: { content: { 'application/json': { schema: BatchResponse } }, description: 'One prediction per episode, in order' }, ...errors },
});

/** Batches at least this large are computed off the event loop (smaller ones take under a few ms). */
const OFF_LOOP_BATCH = 16;

export function toJson(p: Prediction, frames: number) {
  return {
    jamo: p.jamo,
    index: p.index,
    confidence: p.confidence,
    top_k: p.topK.map((s) => ({ jamo: s.jamo, index: s.index, confidence: s.confidence })),
    frames,
  };
}

export function predictRoutes(catalog: ModelCatalog) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(predictRoute, async (c) => {
      const body = c.req.valid('json');
      const model = await catalog.get(body.model);
      const episode = rowsToEpisode(body.rows, model.info.channels, body.channels);
      const p = model.predict(episode, { topK: body.top_k });
      return c.json({ model: model.info.name, ...toJson(p, episode.length) }, 200);
    })
    .openapi(batchRoute, async (c) => {
      const body = c.req.valid('json');
      // Parsing and validating a large body took a while: let waiting requests (/health) run first.
      await yieldToEventLoop();
      const model = await catalog.get(body.model);
      const episodes = body.episodes.map((e, i) => rowsToEpisode(e.rows, model.info.channels, body.channels, `episodes[${i}].rows`));
      // Large batches run on worker threads: /health and the live streams keep answering meanwhile.
      const preds =
        model.predictBatchAsync && episodes.length >= OFF_LOOP_BATCH
          ? await model.predictBatchAsync(episodes, { topK: body.top_k })
          : model.predictBatch(episodes, { topK: body.top_k });
      return c.json(
        {
          model: model.info.name,
          predictions: preds.map((p, i) => ({ ...(body.episodes[i]!.id !== undefined ? { id: body.episodes[i]!.id } : {}), ...toJson(p, episodes[i]!.length) })),
        },
        200,
      );
    });
}
