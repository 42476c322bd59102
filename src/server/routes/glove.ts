import { Hono } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import type { GloveBroadcast } from '../broadcast.js';

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
          unwatch = glove.watch((msg) => ws.send(JSON.stringify(msg)));
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
