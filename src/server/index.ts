/** `signglove/server`: the HTTP and WebSocket server (Hono) around loaded models. */
import '../nn/wasm/node-relaxed-simd.js'; // first: see that file
export { createApp, type AppOptions } from './app.js';
export { startServer, type ServerOptions, type RunningServer } from './server.js';
export { ModelCatalog } from './catalog.js';
export type { ServedModel, ModelSource, ModelEntry } from './types.js';
