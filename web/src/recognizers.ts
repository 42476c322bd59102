/**
 * The two live paths behind one interface: frames in (model channel order), events out.
 * In the browser the same LiveSession code as the server's runs on the in-browser predictor;
 * on the server path the frames go over WebSocket /stream.
 */
import type { Predictor } from '../../src/infer/core.js';
import type { LiveEvent } from '../../src/server/live.js';
import { createLiveSession } from '../../src/server/live-session.js';
import type { SessionStats } from '../../src/data/session-norm.js';

export interface LiveRecognizer {
  push(frame: Float32Array): void;
  reset(): void;
  close(): void;
}

export type EventHandler = (e: LiveEvent) => void;

/** `session`: the wearer's statistics for this stream (the simulated glove's; default the model's own). */
export function browserRecognizer(predictor: Predictor, onEvent: EventHandler, session?: SessionStats): LiveRecognizer {
  const live = createLiveSession(predictor, { session });
  return {
    push: (f) => live.push(f).forEach(onEvent),
    reset: () => live.reset().forEach(onEvent),
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
  simulated = false,
): LiveRecognizer {
  // wearing=sim: the server reads the stream with the simulated glove's session statistics
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/stream?model=${encodeURIComponent(model)}${simulated ? '&wearing=sim' : ''}`;
  const ws = new WebSocket(url);
  let pending: number[][] = [];
  let closed = false;
  onState('connecting');
  const flush = () => {
    if (pending.length && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ type: 'frames', frames: pending }));
      pending = [];
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
    else if (msg.type === 'prediction' || msg.type === 'letter' || msg.type === 'text') onEvent(msg);
  });
  ws.addEventListener('close', () => {
    clearInterval(timer);
    if (!closed) onState('closed');
  });
  ws.addEventListener('error', () => onState('error', 'WebSocket /stream failed'));
  return {
    push: (f) => {
      pending.push(Array.from(f));
      if (pending.length >= 500) flush();
    },
    reset: () => {
      flush();
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'reset' }));
    },
    close: () => {
      flush();
      closed = true;
      clearInterval(timer);
      ws.close();
    },
  };
}
