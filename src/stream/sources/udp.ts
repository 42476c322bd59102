/**
 * Frames from a WiFi glove sending its CSV lines as UDP datagrams to this machine. Each datagram
 * holds one or more whole lines. Runs until closed (UDP has no end of stream).
 */
import dgram from 'node:dgram';
import { AsyncQueue } from '../async-queue.js';
import { lineFrameSource } from '../line-source.js';
import { checkPort, describeNetError } from './tcp.js';
import type { FrameSource, StatusListener } from '../frame.js';
import { SilenceWatch, silenceMessage } from './silence.js';

export interface UdpSourceOptions {
  /** Address to listen on (default all IPv4 interfaces). */
  host?: string;
  signal?: AbortSignal;
  onStatus?: StatusListener;
  /** Called once the socket is bound, with the actual port (useful with port 0 in tests). */
  onListening?: (port: number) => void;
  /** Say so and listen afresh when no datagram arrives for this long, in ms (0 or absent: never). */
  silenceTimeoutMs?: number;
}

export function openUdpSource(port: number, opts: UdpSourceOptions = {}): FrameSource {
  if (port !== 0) checkPort(port, 'udp');
  const host = opts.host ?? '0.0.0.0';
  const where = `udp ${host}:${port}`;
  return lineFrameSource({
    description: where,
    lines: (signal) => udpLinesWatched(port, host, where, opts, signal),
    signal: opts.signal,
    onStatus: opts.onStatus,
  });
}

/**
 * UDP has no connection to lose, so silence is the only sign of a lost glove: report it and bind
 * a fresh socket (a glove that re-joined the network may need it), until closed.
 */
async function* udpLinesWatched(port: number, host: string, where: string, opts: UdpSourceOptions, signal: AbortSignal): AsyncGenerator<string> {
  let bound = port;
  while (!signal.aborted) {
    let silent = false;
    yield* udpLines(bound, host, where, { ...opts, onListening: (p) => ((bound = p), opts.onListening?.(p)) }, signal, () => (silent = true));
    if (!silent || signal.aborted) return;
    opts.onStatus?.(`glove silent (${where}): ${silenceMessage(opts.silenceTimeoutMs!)}; listening again…`);
  }
}

async function* udpLines(port: number, host: string, where: string, opts: UdpSourceOptions, signal: AbortSignal, onSilent: () => void): AsyncGenerator<string> {
  const queue = new AsyncQueue<string>();
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const watch = new SilenceWatch(opts.silenceTimeoutMs, () => {
    onSilent();
    queue.end();
  });
  socket.on('message', (msg: Buffer) => {
    watch.kick();
    for (const line of msg.toString('utf8').split('\n')) if (line.trim()) queue.push(line);
  });
  socket.on('error', (err: NodeJS.ErrnoException) => queue.end(new Error(`cannot listen for the glove on ${where}: ${describeNetError(err)}`)));
  socket.on('listening', () => {
    watch.kick();
    opts.onListening?.(socket.address().port);
  });
  socket.on('close', () => queue.end());
  const onAbort = (): void => {
    socket.close();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  socket.bind(port, host);
  try {
    yield* queue;
  } finally {
    watch.stop();
    signal.removeEventListener('abort', onAbort);
    try {
      socket.close();
    } catch {
      // already closed
    }
  }
}
