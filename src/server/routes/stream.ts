import { Hono } from 'hono';
import type { UpgradeWebSocket, WSContext } from 'hono/ws';
import { z } from '@hono/zod-openapi';
import type { ModelCatalog } from '../catalog.js';
import { rowsToEpisode } from '../episode.js';
import { ApiError, summarize, zodIssues } from '../errors.js';
import type { LiveEvent, LiveSession, LiveSessionFactory } from '../live.js';
import { GloveLineParser } from '../../stream/line-parser.js';
import { channelIndices, selectChannels } from '../../stream/frame.js';

/** Frames per message: a client batching a few hundred milliseconds stays far below this. */
export const MAX_FRAMES_PER_MESSAGE = 1000;

const Value = z.number();
const Frame = z.union([z.array(Value).min(1), z.record(z.string(), Value)]);

/** Client → server messages on /stream. */
export const StreamMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('frames'),
    frames: z.array(Frame).min(1).max(MAX_FRAMES_PER_MESSAGE),
    channels: z.array(z.string().min(1)).min(1).optional(),
    /** Device time of each frame in ms (frames at any rate are resampled to the model's). */
    times: z.array(Value).optional(),
  }),
  // the glove's own text lines, any firmware: 9/12-field CSV, header lines, JSON lines
  z.object({ type: z.literal('lines'), lines: z.array(z.string()).min(1).max(MAX_FRAMES_PER_MESSAGE) }),
  z.object({ type: z.literal('reset') }),
  z.object({ type: z.literal('accept') }),
  z.object({ type: z.literal('ping') }),
]);

type Outgoing = LiveEvent | { type: 'ready'; model: { name: string; arch: string; channels: string[]; T: number } } | { type: 'error'; error: string } | { type: 'pong' };

function send(ws: WSContext, msg: Outgoing): void {
  ws.send(JSON.stringify(msg));
}

/**
 * WebSocket /stream: glove frames in, predictions / held letters / composed text out.
 * A bad message gets an `error` message and the connection stays usable; only an unknown
 * model closes it (1008), because nothing useful can follow.
 */
export function streamRoutes(catalog: ModelCatalog, upgradeWebSocket: UpgradeWebSocket, createSession: LiveSessionFactory) {
  return new Hono().get(
    '/stream',
    upgradeWebSocket((c) => {
      const modelName = c.req.query('model') || undefined;
      let session: Promise<{ live: LiveSession; channels: string[]; parser: GloveLineParser; slots: number[] }> | undefined;
      // Messages are handled one after another even though loading the model is asynchronous.
      let queue: Promise<void> = Promise.resolve();

      const handle = async (ws: WSContext, data: unknown): Promise<void> => {
        if (!session) return;
        let s;
        try {
          s = await session;
        } catch {
          return; // already reported in onOpen
        }
        if (typeof data !== 'string') return send(ws, { type: 'error', error: 'send JSON text messages, not binary' });
        let raw: unknown;
        try {
          raw = JSON.parse(data);
        } catch {
          return send(ws, { type: 'error', error: 'malformed JSON message' });
        }
        const parsed = StreamMessage.safeParse(raw);
        if (!parsed.success) return send(ws, { type: 'error', error: summarize(zodIssues(parsed.error.issues)) });
        const msg = parsed.data;
        if (msg.type === 'ping') return send(ws, { type: 'pong' });
        if (msg.type === 'reset') {
          for (const e of s.live.reset()) send(ws, e);
          return;
        }
        if (msg.type === 'accept') {
          for (const e of s.live.accept()) send(ws, e);
          return;
        }
        if (msg.type === 'lines') {
          let malformed = 0;
          let last = '';
          const C = s.channels.length;
          const v = new Float32Array(C);
          for (const line of msg.lines) {
            const p = s.parser.parse(line);
            if (p.kind === 'malformed') {
              malformed++;
              last = p.reason;
            } else if (p.kind === 'frame') {
              selectChannels(p.frame, s.slots, v);
              for (const e of s.live.push(v, p.frame.t)) send(ws, e);
            }
          }
          if (malformed) send(ws, { type: 'error', error: `${malformed} malformed line${malformed === 1 ? '' : 's'} skipped (last: ${last})` });
          return;
        }
        if (msg.times && msg.times.length !== msg.frames.length) {
          return send(ws, { type: 'error', error: `times has ${msg.times.length} entries for ${msg.frames.length} frames` });
        }
        let ep;
        try {
          ep = rowsToEpisode(msg.frames, s.channels, msg.channels, 'frames');
        } catch (err) {
          if (err instanceof ApiError) return send(ws, { type: 'error', error: err.message });
          throw err;
        }
        const C = s.channels.length;
        for (let t = 0; t < ep.length; t++) {
          for (const e of s.live.push(ep.data.subarray(t * C, (t + 1) * C), msg.times?.[t])) send(ws, e);
        }
      };

      return {
        onOpen(_evt, ws) {
          session = catalog.get(modelName).then((model) => {
            send(ws, { type: 'ready', model: { name: model.info.name, arch: model.info.arch, channels: model.info.channels, T: model.info.T } });
            return { live: createSession(model), channels: model.info.channels, parser: new GloveLineParser(), slots: channelIndices(model.info.channels) };
          });
          session.catch((err: unknown) => {
            send(ws, { type: 'error', error: err instanceof Error ? err.message : String(err) });
            ws.close(1008, 'unknown model');
          });
        },
        onMessage(evt, ws) {
          queue = queue.then(() => handle(ws, evt.data)).catch((err: unknown) => {
            console.error('signglove serve: stream error', err);
            send(ws, { type: 'error', error: 'internal error while recognising' });
          });
        },
      };
    }),
  );
}
