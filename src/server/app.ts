import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { ModelCatalog } from './catalog.js';
import { ApiError, errorJson, notFound, onError } from './errors.js';
import { metaRoutes } from './routes/meta.js';
import { predictRoutes } from './routes/predict.js';
import { validationHook, type AppEnv } from './validation.js';

export interface AppOptions {
  catalog: ModelCatalog;
  /** Largest accepted request body in bytes (default 8 MiB: a 512-episode batch fits). */
  maxBodyBytes?: number;
  version?: string;
}

/**
 * The HTTP API as a Hono app, without a listening socket (tests call `app.request`).
 * The WebSocket and the web UI are mounted by `startServer`, which owns the Node server.
 */
export function createApp(opts: AppOptions): OpenAPIHono<AppEnv> {
  const maxSize = opts.maxBodyBytes ?? 8 * 1024 * 1024;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(onError);
  app.notFound(notFound);
  const limit = bodyLimit({
    maxSize,
    onError: (c) => errorJson(c, new ApiError(413, 'body_too_large', `request body is larger than ${maxSize} bytes`)),
  });
  app.use('/predict', limit);
  app.use('/predict/*', limit);
  app.route('/', metaRoutes(opts.catalog, opts.version ?? '0.0.0'));
  app.route('/', predictRoutes(opts.catalog));
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'signglove',
      version: opts.version ?? '0.0.0',
      description: 'Korean fingerspelling (지문자) recognition from a sensor glove. WebSocket GET /stream: see the description of the live protocol in the README.',
    },
  });
  return app;
}
