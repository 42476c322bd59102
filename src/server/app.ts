import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ModelCatalog } from './catalog.js';
import { ApiError, errorJson, notFound, onError } from './errors.js';
import { metaRoutes } from './routes/meta.js';
import { predictRoutes } from './routes/predict.js';
import { calibrateRoutes } from './routes/calibrate.js';
import { batchOffload } from './batch-offload.js';
import { validationHook, type AppEnv } from './validation.js';

/** OpenAPI cannot describe a WebSocket; the protocol of /stream is written out here instead. */
const STREAM_PROTOCOL = `Korean fingerspelling (지문자) recognition from a sensor glove.

**WebSocket \`GET /stream[?model=NAME][&confidence=P][&adapt=1][&wearing=sim]\`** — live recognition (\`confidence\`: the minimum probability for a letter, in (0, 1]; \`adapt=1\`: a real glove, its wearing's statistics learnt while signing on a model that is not calibrated; \`wearing=sim\`: frames from the simulator). JSON text messages.

Client → server:
- \`{"type":"frames","frames":[[flex1,…,yaw], …],"channels"?:[…],"times"?:[ms, …]}\` — up to 1000 frames per message, oldest first; rows may also be objects keyed by channel name; with \`times\` (device ms) frames at any rate are resampled to the model's ~33 Hz
- \`{"type":"lines","lines":["…", …]}\` — the glove's own text lines in any firmware format (9/12-field CSV, headers, JSON lines \`{"timestamp": s, "yaw": …, "flex1": …}\`); malformed lines are counted and reported in one \`error\`
- \`{"type":"accept"}\` — with a lexicon (\`serve\` loads one unless \`--no-lexicon\`), the latest word's suggestion replaces its letters
- \`{"type":"reset"}\` — clear the composed text; \`{"type":"ping"}\` → \`{"type":"pong"}\`

Server → client:
- \`{"type":"ready","model":{name,arch,channels,T}}\` once the model is loaded
- \`{"type":"prediction","jamo","confidence","top_k":[…],"frame"}\` while a sign is held
- \`{"type":"letter","jamo","confidence","frame","replaces"?:true}\` when a held sign becomes a letter (\`replaces\`: it takes the place of the previous letter, which was read from the move into this sign)
- \`{"type":"text","text"}\` the Hangul composed so far (raw letters), after each letter
- \`{"type":"words","text","raw","suggestion"?:{"word","raw"}}\` with a lexicon: the text with accepted suggestions, the raw letters, the latest word's suggestion
- \`{"type":"error","error"}\` for a bad message (the connection stays open); an unknown model closes it with 1008, a message over 1 MiB with 1009.

**WebSocket \`GET /stream/glove\`** — watch the glove the server itself reads (\`signglove serve --source …\`, see /health \`source\`):
\`{"type":"frame","values":[…]}\` for every frame plus the same prediction/letter/text events, \`{"type":"status","message"}\` and \`{"type":"end","message"}\`. Send \`{"type":"reset"}\` to clear the text.`;

export interface AppOptions {
  catalog: ModelCatalog;
  /** Largest accepted request body in bytes (default 8 MiB: a 512-episode batch fits). */
  maxBodyBytes?: number;
  version?: string;
  /** What the server's own glove reads (`serve --source`), shown by /health; absent without one. */
  source?: string;
  /** Run before every route (startServer's Host/Origin checks and security headers). */
  middleware?: MiddlewareHandler[];
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
  for (const m of opts.middleware ?? []) app.use('*', m);
  const limit = bodyLimit({
    maxSize,
    onError: (c) => errorJson(c, new ApiError(413, 'body_too_large', `request body is larger than ${maxSize} bytes`)),
  });
  app.use('/predict', limit);
  app.use('/predict/*', limit);
  app.use('/predict/batch', batchOffload(opts.catalog));
  app.route('/', metaRoutes(opts.catalog, opts.version ?? '0.0.0', opts.source));
  app.route('/', predictRoutes(opts.catalog));
  app.route('/', calibrateRoutes(opts.catalog));
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'signglove',
      version: opts.version ?? '0.0.0',
      description: STREAM_PROTOCOL,
    },
  });
  return app;
}
