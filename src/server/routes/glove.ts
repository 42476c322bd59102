import { Hono } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import type { GloveBroadcast } from '../broadcast.js';
import { DEFAULT_STREAM_LIMITS } from '../stream-limits.js';

/**
 * WebSocket /stream/glove: watch the server's own glove (frames, predictions, letters, text).
 * Watchers may send {"type":"reset"} to clear the shared text. Without `serve --source` the
 * socket says how to start one and closes (1008).
 */
export function gloveRoutes(upgradeWebSocket: UpgradeWebSocket, glove: GloveBroadcast | undefined) {
  return new Hono().get(
    '/stream/glove',
    upgradeWebSocket(() => {
      let unwatch: (() => void) | undefined;
      return {
        onOpen(_evt, ws) {
          if (!glove) {
            ws.send(JSON.stringify({ type: 'error', error: 'this server reads no glove; start it with e.g. `signglove serve --source serial:/dev/ttyACM0`' }));
            ws.close(1008, 'no glove source');
            return;
          }
          ws.send(JSON.stringify({ type: 'ready', source: glove.description }));
          unwatch = glove.watch((msg) => {
            // a watcher that does not read its messages would grow the server's memory without bound
            if (((ws.raw as { bufferedAmount?: number } | undefined)?.bufferedAmount ?? 0) > DEFAULT_STREAM_LIMITS.maxBufferedBytes) {
              unwatch?.();
              ws.close(1008, 'the client does not read its messages');
              return;
            }
            ws.send(JSON.stringify(msg));
          });
        },
        onMessage(evt, ws) {
          let msg: { type?: unknown } | undefined;
          try {
            msg = JSON.parse(String(evt.data)) as { type?: unknown };
          } catch {
            msg = undefined;
          }
          if (msg?.type === 'reset') glove?.reset();
          else ws.send(JSON.stringify({ type: 'error', error: 'watchers may only send {"type":"reset"}' }));
        },
        onClose() {
          unwatch?.();
        },
      };
    }),
  );
}
