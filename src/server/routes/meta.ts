import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ModelCatalog } from '../catalog.js';
import { ApiError } from '../errors.js';
import { ErrorResponse, HealthResponse, ModelsResponse } from '../schemas.js';
import { validationHook, type AppEnv } from '../validation.js';

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Is the server up, and which model answers by default',
  responses: { 200: { content: { 'application/json': { schema: HealthResponse } }, description: 'Up' } },
});

const modelsRoute = createRoute({
  method: 'get',
  path: '/models',
  summary: 'Models this server can answer with',
  responses: { 200: { content: { 'application/json': { schema: ModelsResponse } }, description: 'The models' } },
});

const bundleRoute = createRoute({
  method: 'get',
  path: '/models/{name}/bundle',
  summary: 'The model bundle (.safetensors) so a browser can run the same model itself',
  request: { params: z.object({ name: z.string().min(1).openapi({ param: { name: 'name', in: 'path' } }) }) },
  responses: {
    200: { content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'safetensors bytes' },
    404: { content: { 'application/json': { schema: ErrorResponse } }, description: 'Unknown model, or it has no bundle' },
  },
});

export function metaRoutes(catalog: ModelCatalog, version: string, source?: string) {
  const started = Date.now();
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(healthRoute, (c) =>
      c.json({ status: 'ok' as const, version, model: catalog.defaultName, source: source ?? null, uptime_s: Math.round((Date.now() - started) / 1000) }, 200),
    )
    .openapi(modelsRoute, async (c) => {
      const entries = await catalog.list();
      const models = entries.map((e) => {
        const m = catalog.peek(e.name);
        return {
          name: e.name,
          arch: e.arch,
          ...(e.testAccuracy !== undefined ? { test_accuracy: e.testAccuracy } : {}),
          loaded: m !== undefined,
          default: e.name === catalog.defaultName,
          ...(m ? { classes: m.info.classes, channels: m.info.channels, T: m.info.T, browser: m.bundleBytes !== undefined } : {}),
        };
      });
      return c.json({ default: catalog.defaultName, models }, 200);
    })
    .openapi(bundleRoute, async (c) => {
      const { name } = c.req.valid('param');
      let model;
      try {
        model = await catalog.get(name);
      } catch (err) {
        if (err instanceof ApiError) throw new ApiError(404, err.code, err.message);
        throw err;
      }
      if (!model.bundleBytes) throw new ApiError(404, 'no_bundle', `model '${name}' has no bundle file to download`);
      const bytes = await model.bundleBytes();
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename="${name}.safetensors"`,
      });
    });
}
