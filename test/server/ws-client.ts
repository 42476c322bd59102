import { createRequire } from 'node:module';

/** The bit of the `ws` client the tests use (ws ships with @hono/node-ws; it has no bundled types). */
interface WsSocket {
  on(event: 'message', f: (data: Buffer) => void): void;
  on(event: 'close', f: (code: number, reason: Buffer) => void): void;
  on(event: 'open' | 'error', f: (arg?: unknown) => void): void;
  send(data: string | Buffer): void;
  close(): void;
  readyState: number;
}
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string, opts?: { headers?: Record<string, string> }) => WsSocket;

export interface TestSocket {
  send(msg: unknown): void;
  sendRaw(data: string | Buffer): void;
  /** Next message satisfying `pred` (earlier ones are kept for later calls). */
  next(pred?: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  all(): Record<string, unknown>[];
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Opens a socket and collects every JSON message it receives. */
export async function connect(url: string, headers?: Record<string, string>): Promise<TestSocket> {
  const ws = new WebSocket(url, headers ? { headers } : undefined);
  const got: Record<string, unknown>[] = [];
  let seen = 0;
  const waiters: (() => void)[] = [];
  ws.on('message', (d: Buffer) => {
    got.push(JSON.parse(d.toString('utf8')) as Record<string, unknown>);
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code: number, reason: Buffer) => {
      resolve({ code, reason: reason.toString() });
      waiters.splice(0).forEach((w) => w());
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', (e) => reject(e as Error));
  });
  let done = false;
  void closed.then(() => (done = true));
  return {
    send: (m) => ws.send(JSON.stringify(m)),
    sendRaw: (d) => ws.send(d),
    all: () => got,
    closed,
    close: () => ws.close(),
    async next(pred = () => true) {
      for (;;) {
        for (; seen < got.length; seen++) {
          if (pred(got[seen]!)) return got[seen++]!;
        }
        if (done) throw new Error(`socket closed before the expected message; got ${JSON.stringify(got.slice(-3))}`);
        await new Promise<void>((r) => waiters.push(r));
      }
    },
  };
}
