import { serve, type ServerType } from '@hono/node-server';
import { createNodeWebSocket } from '@hono/node-ws';
import { createApp, type AppOptions } from './app.js';
import type { LiveSessionFactory } from './live.js';
import { streamRoutes } from './routes/stream.js';
import { webRoutes } from './routes/web.js';

export interface ServerOptions extends AppOptions {
  port?: number;
  /** Defaults to 127.0.0.1: the glove's data stays on this machine unless asked otherwise. */
  host?: string;
  createSession: LiveSessionFactory;
  /** Folder of the built web UI (default dist/web). */
  webDir?: string;
  /** Folder of sample episodes for the try page (default assets/samples). */
  samplesDir?: string;
  /** Largest WebSocket message in bytes (default 1 MiB). */
  maxMessageBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** API + WebSocket + web UI on one port. Port 0 picks a free one (tests). */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const app = createApp(opts);
  const nodeWs = createNodeWebSocket({ app });
  // ws reads this when it accepts each connection; a huge message is refused by ws itself.
  (nodeWs.wss.options as { maxPayload?: number }).maxPayload = opts.maxMessageBytes ?? 1024 * 1024;
  app.route('/', streamRoutes(opts.catalog, nodeWs.upgradeWebSocket, opts.createSession));
  app.route('/', webRoutes(opts.webDir, opts.samplesDir));

  const host = opts.host ?? '127.0.0.1';
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 8000, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  nodeWs.injectWebSocket(server);
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 8000);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of nodeWs.wss.clients) client.terminate();
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
