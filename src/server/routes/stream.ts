import { Hono } from 'hono';
import type { UpgradeWebSocket, WSContext } from 'hono/ws';
import { z } from '@hono/zod-openapi';
import type { ModelCatalog } from '../catalog.js';
import { rowsToEpisode } from '../episode.js';
import { ApiError, summarize, zodIssues } from '../errors.js';
import { simulatedWearingStats } from '../../stream/simulator/wearing.js';
import type { LiveEvent, LiveSession, LiveSessionFactory } from '../../stream/live-session.js';
import { DEFAULT_STREAM_LIMITS, FrameBudget, yieldToEventLoop, type StreamLimits } from '../stream-limits.js';
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
  if (ws.readyState !== 1) return; // closed for a limit: nothing more to say
  ws.send(JSON.stringify(msg));
}

/**
 * The common message, `{"type":"frames","frames":[[numbers…]…]}`, checked without zod (a third
 * of the per-message cost with many gloves); anything else goes through the schema. Accepts
 * exactly what StreamMessage accepts for this shape; a message with device `times` takes the
 * schema's path, so its times are kept.
 */
function plainFrames(raw: unknown): number[][] | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const r = raw as { type?: unknown; frames?: unknown; channels?: unknown };
  if (r.type !== 'frames' || r.channels !== undefined || (r as { times?: unknown }).times !== undefined || !Array.isArray(r.frames)) return undefined;
  const frames = r.frames as unknown[];
  if (frames.length === 0 || frames.length > MAX_FRAMES_PER_MESSAGE) return undefined;
  for (const row of frames) {
    if (!Array.isArray(row) || row.length === 0) return undefined;
    for (const v of row) if (typeof v !== 'number') return undefined;
  }
  return frames as number[][];
}

/** Bytes queued on the socket that the client has not taken yet (ws's bufferedAmount). */
function buffered(ws: WSContext): number {
  return (ws.raw as { bufferedAmount?: number } | undefined)?.bufferedAmount ?? 0;
}

/**
 * WebSocket /stream: glove frames in, predictions / held letters / composed text out.
 * A bad message gets an `error` message and the connection stays usable; only an unknown
 * model closes it (1008), because nothing useful can follow.
 */
export function streamRoutes(catalog: ModelCatalog, upgradeWebSocket: UpgradeWebSocket, createSession: LiveSessionFactory, limits: StreamLimits = DEFAULT_STREAM_LIMITS) {
  return new Hono().get(
    '/stream',
    upgradeWebSocket((c) => {
      const modelName = c.req.query('model') || undefined;
      // wearing=sim: the frames come from the simulator, a wearing with its own session statistics
      const simulated = c.req.query('wearing') === 'sim';
      // adapt=1: a real glove on a model that is not calibrated; its wearing's statistics are learnt while signing
      const adapt = !simulated && c.req.query('adapt') === '1';
      // confidence=p: the minimum probability for a letter (the page's threshold control, the CLI's --confidence)
      const confText = c.req.query('confidence');
      const confidence = confText === undefined ? undefined : Number(confText);
      const badConfidence = confidence !== undefined && !(confidence > 0 && confidence <= 1);
      let session: Promise<{ live: LiveSession; channels: string[]; parser: GloveLineParser; slots: number[] }> | undefined;
      // Messages are handled one after another even though loading the model is asynchronous.
      let queue: Promise<void> = Promise.resolve();
      let queued = 0;
      let closed = false;
      const budget = new FrameBudget(limits.framesPerSecond, limits.burstFrames);
      const closeFor = (ws: WSContext, reason: string): void => {
        if (closed) return;
        closed = true;
        send(ws, { type: 'error', error: reason });
        ws.close(1008, reason.slice(0, 120)); // a close reason is at most 123 bytes
      };

      /** A message as it arrived: parsed once, on arrival, so the frame budget is applied before any work. */
      type Arrived = { raw: unknown; ok: true } | { ok: false; error: string };
      const arrive = (data: unknown): Arrived => {
        if (typeof data !== 'string') return { ok: false, error: 'send JSON text messages, not binary' };
        try {
          return { ok: true, raw: JSON.parse(data) };
        } catch {
          return { ok: false, error: 'malformed JSON message' };
        }
      };

      const handle = async (ws: WSContext, msgIn: Arrived): Promise<void> => {
        if (!session) return;
        let s;
        try {
          s = await session;
        } catch {
          return; // already reported in onOpen
        }
        if (!msgIn.ok) return send(ws, { type: 'error', error: msgIn.error });
        const raw = msgIn.raw;
        const fast = plainFrames(raw);
        let msg: z.infer<typeof StreamMessage>;
        if (fast) msg = { type: 'frames', frames: fast };
        else {
          const parsed = StreamMessage.safeParse(raw);
          if (!parsed.success) return send(ws, { type: 'error', error: summarize(zodIssues(parsed.error.issues)) });
          msg = parsed.data;
        }
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
          // a long message is handled in slices so the other connections get their turns
          if (t > 0 && t % limits.framesPerSlice === 0) {
            await yieldToEventLoop();
            if (closed) return;
          }
          for (const e of s.live.push(ep.data.subarray(t * C, (t + 1) * C), msg.times?.[t])) send(ws, e);
          if (buffered(ws) > limits.maxBufferedBytes) return closeFor(ws, 'the client does not read its messages');
        }
      };

      return {
        onOpen(_evt, ws) {
          if (badConfidence) return closeFor(ws, `confidence must be a number in (0, 1], got '${confText!.slice(0, 20)}'`);
          session = catalog.get(modelName).then((model) => {
            send(ws, { type: 'ready', model: { name: model.info.name, arch: model.info.arch, channels: model.info.channels, T: model.info.T } });
            const stats = simulated && model.meta ? simulatedWearingStats(model.meta) : undefined;
            return { live: createSession(model, { ...(stats ? { session: stats } : {}), adapt, ...(confidence !== undefined ? { confidence } : {}) }), channels: model.info.channels, parser: new GloveLineParser(), slots: channelIndices(model.info.channels) };
          });
          session.catch((err: unknown) => {
            send(ws, { type: 'error', error: err instanceof Error ? err.message : String(err) });
            ws.close(1008, 'unknown model');
          });
        },
        onMessage(evt, ws) {
          if (closed) return;
          if (++queued > limits.maxQueuedMessages) return closeFor(ws, `too many messages waiting (over ${limits.maxQueuedMessages}); send fewer, larger messages`);
          // the frame budget is charged on arrival: a flooding client is stopped before its backlog is worked through
          const arrived = arrive(evt.data);
          const frames = arrived.ok ? (arrived.raw as { type?: unknown; frames?: unknown } | null) : null;
          if (frames?.type === 'frames' && Array.isArray(frames.frames) && !budget.take(frames.frames.length)) {
            return closeFor(ws, `too many frames: over ${limits.framesPerSecond} frames/s (a glove sends about 33)`);
          }
          queue = queue
            .then(() => (closed ? undefined : handle(ws, arrived)))
            .catch((err: unknown) => {
              console.error('signglove serve: stream error', err);
              send(ws, { type: 'error', error: 'internal error while recognising' });
            })
            .finally(() => queued--);
        },
        onClose() {
          closed = true;
        },
      };
    }),
  );
}
