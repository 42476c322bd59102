import { serve, type ServerType } from '@hono/node-server';
import { createNodeWebSocket } from '@hono/node-ws';
import { createApp, type AppOptions } from './app.js';
import { GloveBroadcast } from './broadcast.js';
import { gloveRoutes } from './routes/glove.js';
import { openSource } from '../stream/source-spec.js';
import type { LiveSessionFactory } from '../stream/live-session.js';
import { streamRoutes } from './routes/stream.js';
import { webRoutes } from './routes/web.js';
import { accessGuard, securityHeaders } from './guard.js';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './stream-limits.js';

export interface ServerOptions extends Omit<AppOptions, 'source'> {
  /** The server's own glove, as `--source` takes it (serial:/dev/ttyACM0, tcp:HOST:PORT, udp:PORT, replay:FILE, sim:TEXT). */
  source?: string;
  /** Replay/simulation speed of `source` (default 1, real time). */
  sourceSpeed?: number;
  /** A serial/TCP/UDP `source` silent this long (ms) is reported and reconnected (default 5000; 0: never). */
  sourceSilenceTimeoutMs?: number;
  /** Simulation seed of a `sim:` source (which simulated signer). */
  sourceSeed?: number;
  port?: number;
  /** Defaults to 127.0.0.1: the glove's data stays on this machine unless asked otherwise. */
  host?: string;
  createSession: LiveSessionFactory;
  /** Folder of the built web UI (default dist/web). */
  webDir?: string;
  /** Folder of sample episodes for the try page (default assets/samples). */
  samplesDir?: string;
  /** Origins (scheme://host[:port]) whose pages may use the API and WebSockets besides the server's own. */
  allowOrigins?: string[];
  /** Per-connection limits of /stream (defaults: DEFAULT_STREAM_LIMITS). */
  streamLimits?: Partial<StreamLimits>;
  /** Words the browser's own recogniser suggests from (GET /lexicon/words.txt); absent: 404, no suggestions in the browser. */
  lexiconWords?: readonly string[];
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
  let glove: GloveBroadcast | undefined;
  if (opts.source) {
    const spec = opts.source;
    glove = new GloveBroadcast(
      spec,
      (signal, onStatus) => openSource(spec, { signal, onStatus, speed: opts.sourceSpeed ?? 1, silenceTimeoutMs: opts.sourceSilenceTimeoutMs ?? 5000, ...(opts.sourceSeed !== undefined ? { seed: opts.sourceSeed } : {}) }),
      await opts.catalog.get(),
      opts.createSession,
    );
  }
  const app = createApp({ ...opts, source: glove?.description, middleware: [securityHeaders(), accessGuard({ allowOrigins: opts.allowOrigins ?? [] })] });
  const nodeWs = createNodeWebSocket({ app });
  // ws reads this when it accepts each connection; a huge message is refused by ws itself.
  (nodeWs.wss.options as { maxPayload?: number }).maxPayload = opts.maxMessageBytes ?? 1024 * 1024;
  app.route('/', streamRoutes(opts.catalog, nodeWs.upgradeWebSocket, opts.createSession, { ...DEFAULT_STREAM_LIMITS, ...opts.streamLimits }));
  app.route('/', gloveRoutes(nodeWs.upgradeWebSocket, glove));
  app.route('/', webRoutes(opts.webDir, opts.samplesDir, opts.lexiconWords));

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
        glove?.close();
        for (const client of nodeWs.wss.clients) client.terminate();
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
