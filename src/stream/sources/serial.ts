/**
 * Frames from the glove on a USB serial port (115200 baud). The port must open the first time
 * (otherwise the error names the ports that do exist); when the glove is unplugged later the
 * source says so, waits for the port to come back and carries on.
 */
import { readdirSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { AsyncQueue, drainUntilAbort, LineSplitter, sleep } from '../async-queue.js';
import { lineFrameSource } from '../line-source.js';
import { backoffMs } from './backoff.js';
import { SilenceWatch, silenceMessage } from './silence.js';
import type { FrameSource, SourceStats, StatusListener } from '../frame.js';

export const GLOVE_BAUD_RATE = 115200;

/** The part of a serialport port this source uses (real SerialPort and SerialPortMock both fit). */
export interface SerialPortLike {
  open(callback: (err: Error | null) => void): void;
  close(callback?: (err: Error | null) => void): void;
  readonly isOpen: boolean;
  write(data: string): boolean;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: (err?: Error & { disconnected?: boolean }) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
}

export interface SerialPortFactory {
  create(path: string, baudRate: number): SerialPortLike;
  /** Paths of the ports present now (for error messages). */
  list(): Promise<{ path: string; manufacturer?: string }[]>;
}

export const nodeSerialPorts: SerialPortFactory = {
  create: (path, baudRate) => new SerialPort({ path, baudRate, autoOpen: false }) as unknown as SerialPortLike,
  list: async () => {
    try {
      return await SerialPort.list();
    } catch (err) {
      // serialport lists Linux ports with udevadm, which minimal systems and containers lack
      const found = usbSerialDevices();
      if (found) return found;
      throw err;
    }
  },
};

/** USB serial devices in /dev (ttyACM*, ttyUSB*, cu.usb*), or undefined where there is no /dev to read. */
export function usbSerialDevices(devDir = '/dev'): { path: string }[] | undefined {
  try {
    return readdirSync(devDir)
      .filter((f) => /^(ttyACM\d+|ttyUSB\d+|cu\.usb\S+)$/.test(f))
      .sort()
      .map((f) => ({ path: `${devDir}/${f}` }));
  } catch {
    return undefined;
  }
}

export interface SerialSourceOptions {
  baudRate?: number;
  /** Wait for the glove to come back after it is unplugged (default true). */
  reconnect?: boolean;
  signal?: AbortSignal;
  onStatus?: StatusListener;
  /** Reopen the port when no data arrives for this long, in ms (0 or absent: wait forever). */
  silenceTimeoutMs?: number;
  /** Where ports come from (tests pass serialport's mock binding). */
  ports?: SerialPortFactory;
}

/** A glove the computer can talk back to: firmware commands (`recal`, `yawzero`, `interval,<ms>`, `header`) as text lines. */
export interface CommandableSource extends FrameSource {
  /** Sends one command line; false when the port is not open. */
  send(command: string): boolean;
}

export function isCommandable(s: FrameSource): s is CommandableSource {
  return typeof (s as Partial<CommandableSource>).send === 'function';
}

export function openSerialSource(path: string, opts: SerialSourceOptions = {}): CommandableSource {
  if (!path) throw new Error('serial: give the port path, e.g. serial:/dev/ttyACM0 (Linux), serial:/dev/cu.usbmodem1101 (macOS) or serial:COM3 (Windows)');
  const link: { port?: SerialPortLike } = {};
  const source = lineFrameSource({
    description: `serial ${path}`,
    lines: (signal, stats) => serialLines(path, opts, signal, stats, link),
    signal: opts.signal,
    onStatus: opts.onStatus,
  });
  return {
    description: source.description,
    stats: source.stats,
    close: () => source.close(),
    [Symbol.asyncIterator]: () => source[Symbol.asyncIterator](),
    send: (command) => {
      const port = link.port;
      if (!port?.isOpen) return false;
      return port.write(`${command}\n`), true;
    },
  };
}

function openPort(ports: SerialPortFactory, path: string, baudRate: number): Promise<SerialPortLike> {
  return new Promise((resolve, reject) => {
    const port = ports.create(path, baudRate);
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

async function* serialLines(path: string, opts: SerialSourceOptions, signal: AbortSignal, stats: SourceStats, link: { port?: SerialPortLike }): AsyncGenerator<string> {
  const ports = opts.ports ?? nodeSerialPorts;
  const baudRate = opts.baudRate ?? GLOVE_BAUD_RATE;
  let port: SerialPortLike;
  try {
    port = await openPort(ports, path, baudRate);
  } catch (err) {
    throw new Error(`cannot open the glove's serial port ${path}: ${(err as Error).message.replace(/^Error: /, '')}. ${await describePorts(ports)}`);
  }
  opts.onStatus?.(`glove connected on ${path}`);
  while (true) {
    link.port = port;
    const queue = new AsyncQueue<string>();
    const splitter = new LineSplitter();
    let unplugged = false;
    let silent = false;
    const current0 = port;
    const watch = new SilenceWatch(opts.silenceTimeoutMs, () => {
      silent = true;
      if (current0.isOpen) current0.close();
      queue.end();
    });
    watch.kick();
    port.on('data', (chunk) => {
      watch.kick();
      for (const line of splitter.push(chunk)) queue.push(line);
    });
    port.on('close', (err) => {
      unplugged = !!err?.disconnected;
      queue.end();
    });
    port.on('error', () => queue.end());
    const current = port;
    const close = (): void => {
      if (current.isOpen) current.close();
    };
    yield* drainUntilAbort(queue, signal, () => { close(); queue.end(); }, () => { watch.stop(); close(); });
    if (signal.aborted || opts.reconnect === false) return;
    const why = silent ? `: ${silenceMessage(opts.silenceTimeoutMs!)}` : unplugged ? ' (unplugged)' : '';
    opts.onStatus?.(`glove disconnected from ${path}${why}; waiting for it to come back…`);
    const back = await waitForPort(ports, path, baudRate, signal);
    if (!back) return;
    port = back;
    stats.reconnects++;
    opts.onStatus?.(`glove reconnected on ${path}`);
  }
}

/** Tries to reopen the port with backoff until it opens or the signal aborts. */
async function waitForPort(ports: SerialPortFactory, path: string, baudRate: number, signal: AbortSignal): Promise<SerialPortLike | undefined> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    await sleep(backoffMs(attempt, 100, 2000), signal);
    if (signal.aborted) break;
    try {
      const port = await openPort(ports, path, baudRate);
      if (!signal.aborted) return port;
      port.close();
    } catch {
      // not back yet
    }
  }
  return undefined;
}

async function describePorts(ports: SerialPortFactory): Promise<string> {
  try {
    const found = await ports.list();
    if (!found.length) return 'No serial ports found: is the glove plugged in (and its cable one that carries data)?';
    return `Ports found: ${found.map((p) => (p.manufacturer ? `${p.path} (${p.manufacturer})` : p.path)).join(', ')}`;
  } catch (err) {
    return `The serial ports could not be listed (${(err as Error).message}): is the glove plugged in?`;
  }
}
