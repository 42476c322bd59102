/**
 * The two live paths behind one interface: frames in (model channel order), events out.
 * In the browser the same LiveSession code as the server's runs on the in-browser predictor;
 * on the server path the frames go over WebSocket /stream.
 */
import type { Predictor } from '../../src/infer/core.js';
import { createLiveSession, type LiveEvent } from '../../src/stream/live-session.js';
import type { SessionStats } from '../../src/data/session-norm.js';
import type { WordDecoder } from '../../src/stream/word-decoder.js';

export interface LiveRecognizer {
  /** One frame in the model's channel order; `tMs` its device time when the glove sent one. */
  push(frame: Float32Array, tMs?: number): void;
  reset(): void;
  /** Takes the latest word's suggestion. */
  accept(): void;
  close(): void;
}

export type EventHandler = (e: LiveEvent) => void;

/** opts.session: the wearer's statistics for this stream (the simulated glove's; default the model's own); opts.decoder: word suggestions. */
export function browserRecognizer(predictor: Predictor, onEvent: EventHandler, opts: { session?: SessionStats; decoder?: WordDecoder; confidence?: number; adapt?: boolean } = {}): LiveRecognizer {
  const live = createLiveSession(predictor, opts);
  return {
    push: (f, t) => live.push(f, t).forEach(onEvent),
    reset: () => live.reset().forEach(onEvent),
    accept: () => live.accept().forEach(onEvent),
    close: () => undefined,
  };
}

/**
 * WebSocket /stream. Frames are sent in small batches (every 100 ms) to keep the message count
 * low; the server answers with the same events. `onState` reports open / closed / error.
 */
export function serverRecognizer(
  model: string,
  onEvent: EventHandler,
  onState: (state: 'connecting' | 'open' | 'closed' | 'error', detail?: string) => void,
  opts: { simulated?: boolean; adapt?: boolean; confidence?: number } = {},
): LiveRecognizer {
  // wearing=sim: the server reads the stream with the simulated glove's session statistics
  const query = new URLSearchParams({ model });
  if (opts.simulated) query.set('wearing', 'sim');
  // adapt=1: a real glove; the server learns its wearing while signing (see recognizerFor)
  else if (opts.adapt) query.set('adapt', '1');
  if (opts.confidence !== undefined) query.set('confidence', String(opts.confidence));
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/stream?${query}`;
  const ws = new WebSocket(url);
  let pending: number[][] = [];
  let times: number[] = [];
  let closed = false;
  onState('connecting');
  const flush = () => {
    if (pending.length && ws.readyState === WebSocket.OPEN) {
      // device times only when every frame has one
      const withTimes = times.length === pending.length ? { times } : {};
      ws.send(JSON.stringify({ type: 'frames', frames: pending, ...withTimes }));
      pending = [];
      times = [];
    }
  };
  const timer = setInterval(flush, 100);
  ws.addEventListener('open', () => {
    onState('open');
    flush();
  });
  ws.addEventListener('message', (m) => {
    const msg = JSON.parse(String(m.data)) as LiveEvent | { type: 'error'; error: string } | { type: 'ready' | 'pong' };
    if (msg.type === 'error') onState('error', msg.error);
    else if (msg.type === 'prediction' || msg.type === 'letter' || msg.type === 'text' || msg.type === 'words' || msg.type === 'health') onEvent(msg);
  });
  ws.addEventListener('close', () => {
    clearInterval(timer);
    if (!closed) onState('closed');
  });
  ws.addEventListener('error', () => onState('error', 'WebSocket /stream failed'));
  return {
    push: (f, t) => {
      pending.push(Array.from(f));
      if (t !== undefined) times.push(t);
      if (pending.length >= 500) flush();
    },
    reset: () => {
      flush();
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'reset' }));
    },
    accept: () => {
      flush();
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'accept' }));
    },
    close: () => {
      flush();
      closed = true;
      clearInterval(timer);
      ws.close();
    },
  };
}
