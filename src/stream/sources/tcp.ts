/**
 * Frames from a WiFi glove serving its CSV lines over TCP. The first connection must succeed
 * (a wrong address fails fast with a clear message); after that a dropped link is retried
 * with backoff until the source is closed.
 */
import net from 'node:net';
import { AsyncQueue, drainUntilAbort, LineSplitter, sleep } from '../async-queue.js';
import { lineFrameSource } from '../line-source.js';
import { backoffMs } from './backoff.js';
import type { FrameSource, SourceStats, StatusListener } from '../frame.js';
import { SilenceWatch, silenceMessage } from './silence.js';

export interface NetSourceOptions {
  /** Reconnect after the link drops (default true). */
  reconnect?: boolean;
  signal?: AbortSignal;
  onStatus?: StatusListener;
  /** Reconnect when no data arrives for this long, in ms (0 or absent: wait forever). */
  silenceTimeoutMs?: number;
}

export function openTcpSource(host: string, port: number, opts: NetSourceOptions = {}): FrameSource {
  checkPort(port, 'tcp');
  const where = `tcp ${host}:${port}`;
  return lineFrameSource({
    description: where,
    lines: (signal, stats) => tcpLines(host, port, where, opts, signal, stats),
    signal: opts.signal,
    onStatus: opts.onStatus,
  });
}

async function* tcpLines(
  host: string,
  port: number,
  where: string,
  opts: NetSourceOptions,
  signal: AbortSignal,
  stats: SourceStats,
): AsyncGenerator<string> {
  let everConnected = false;
  let attempt = 0;
  while (!signal.aborted) {
    const queue = new AsyncQueue<string>();
    const splitter = new LineSplitter();
    let connected = false;
    let failure: NodeJS.ErrnoException | undefined;
    let silent = false;
    const socket = net.connect({ host, port });
    const watch = new SilenceWatch(opts.silenceTimeoutMs, () => {
      silent = true;
      socket.destroy();
    });
    socket.on('connect', () => {
      connected = true;
      watch.kick();
      attempt = 0;
      if (everConnected) {
        stats.reconnects++;
        opts.onStatus?.(`glove reconnected (${where})`);
      }
      everConnected = true;
    });
    socket.on('data', (chunk: Buffer) => {
      watch.kick();
      for (const line of splitter.push(chunk)) queue.push(line);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => (failure = err));
    socket.on('close', () => {
      for (const line of splitter.flush()) queue.push(line);
      queue.end();
    });
    yield* drainUntilAbort(queue, signal, () => void socket.destroy(), () => { watch.stop(); socket.destroy(); });
    if (signal.aborted) return;
    if (!everConnected) throw new Error(`cannot connect to the glove at ${where}: ${describeNetError(failure)}`);
    if (opts.reconnect === false) return;
    const why = silent ? silenceMessage(opts.silenceTimeoutMs!) : failure ? describeNetError(failure) : 'connection closed';
    if (connected) opts.onStatus?.(`glove disconnected (${where}): ${why}; reconnecting…`);
    await sleep(backoffMs(attempt++), signal);
  }
}

export function describeNetError(err: NodeJS.ErrnoException | undefined): string {
  if (!err) return 'connection closed';
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the glove on and serving on that port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host name';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host not reachable (same WiFi network?)';
    case 'EADDRINUSE':
      return 'that port is already in use by another program';
    case 'EACCES':
      return 'not allowed to use that port (ports below 1024 need privileges)';
    default:
      return err.message;
  }
}

export function checkPort(port: number, kind: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${kind}: port must be a whole number from 1 to 65535, got '${port}'`);
  }
}
