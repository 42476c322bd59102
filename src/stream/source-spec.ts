/**
 * Opens a source from a one-word description, as typed after `--source`:
 *   serial:/dev/ttyACM0 | tcp:HOST:PORT | udp:PORT | udp:HOST:PORT | stdin | replay:FILE | sim:TEXT
 * A simulated glove takes options after the text: sim:안녕,wearing=new:3 (the glove worn another
 * day: offsets, gains, a dead flex sensor, yaw drift; see simulator/new-wearing.ts).
 */
import type { FrameSource, StatusListener } from './frame.js';
import { openSerialSource, type SerialPortFactory } from './sources/serial.js';
import { openTcpSource } from './sources/tcp.js';
import { openUdpSource } from './sources/udp.js';
import { openStdinSource } from './sources/readable.js';
import { openReplaySource } from './sources/replay.js';
import { openSimulatedSource } from './sources/simulated.js';
import { parseWearing } from './simulator/new-wearing.js';
import { InputError } from '../util/input-error.js';

export const SOURCE_FORMS = 'serial:/dev/ttyACM0 | tcp:HOST:PORT | udp:PORT | stdin | replay:FILE | sim:TEXT[,wearing=new[:SEED]]';

export type SourceSpec =
  | { kind: 'serial'; path: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'udp'; host?: string; port: number }
  | { kind: 'stdin' }
  | { kind: 'replay'; file: string }
  | { kind: 'sim'; text: string; wearing?: string };

export class SourceSpecError extends InputError {
  constructor(spec: string, why: string) {
    super(`bad source '${spec}': ${why}. Use ${SOURCE_FORMS}`);
    this.name = 'SourceSpecError';
  }
}

/** `simText: 'optional'`: a bare `sim` (or `sim:wearing=…`) is accepted, for a glove that signs what it is prompted. */
export function parseSourceSpec(spec: string, opts: { simText?: 'required' | 'optional' } = {}): SourceSpec {
  const colon = spec.indexOf(':');
  const typed = colon < 0 ? spec : spec.slice(0, colon);
  const kind = typed.toLowerCase(); // SERIAL:… works too; messages keep what the user typed
  const rest = colon < 0 ? '' : spec.slice(colon + 1);
  switch (kind) {
    case 'stdin':
    case '-':
      return { kind: 'stdin' };
    case 'serial':
      if (!rest) throw new SourceSpecError(spec, 'give the port, e.g. serial:/dev/ttyACM0 or serial:COM3');
      return { kind: 'serial', path: rest };
    case 'tcp': {
      const { host, port } = hostAndPort(spec, rest, true);
      return { kind: 'tcp', host: host!, port };
    }
    case 'udp': {
      const { host, port } = hostAndPort(spec, rest, false);
      return host ? { kind: 'udp', host, port } : { kind: 'udp', port };
    }
    case 'replay':
      if (!rest) throw new SourceSpecError(spec, 'give the file, e.g. replay:recording.csv');
      return { kind: 'replay', file: rest };
    case 'sim': {
      const { text, options } = simOptions(spec, rest);
      if (!text && opts.simText !== 'optional') throw new SourceSpecError(spec, 'give the text to spell, e.g. sim:안녕');
      if (options.wearing !== undefined) {
        try {
          parseWearing(options.wearing);
        } catch (e) {
          throw new SourceSpecError(spec, (e as Error).message);
        }
        return { kind: 'sim', text, wearing: options.wearing };
      }
      return { kind: 'sim', text };
    }
    default:
      // a bare device path (/dev/ttyACM0, COM3) is a serial port without its kind
      if (/^(\/dev\/|com\d+$)/i.test(spec)) throw new SourceSpecError(spec, `a serial port is written serial:${spec}`);
      throw new SourceSpecError(spec, `unknown kind '${typed}'`);
  }
}

/** Trailing `,key=value` parts of a sim: source are options (only `wearing` so far); the rest is the text. */
function simOptions(spec: string, rest: string): { text: string; options: { wearing?: string } } {
  const parts = rest.split(',');
  const options: { wearing?: string } = {};
  while (parts.length && /^\s*[a-z]+=/i.test(parts[parts.length - 1]!)) {
    const [key, ...v] = parts.pop()!.split('=');
    const k = key!.trim().toLowerCase();
    if (k !== 'wearing') throw new SourceSpecError(spec, `unknown simulator option '${k}' (have: wearing=new[:SEED])`);
    options.wearing = v.join('=').trim();
  }
  return { text: parts.join(',').trim(), options };
}

/** HOST:PORT, [v6::addr]:PORT, or PORT alone when the host is optional. */
function hostAndPort(spec: string, rest: string, hostRequired: boolean): { host?: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(rest) ?? (hostRequired ? null : /^()()(\d+)$/.exec(rest));
  if (!m) throw new SourceSpecError(spec, hostRequired ? 'expected HOST:PORT, e.g. tcp:192.168.4.1:3333' : 'expected PORT or HOST:PORT, e.g. udp:3333');
  const host = m[1] || m[2] || undefined;
  if (hostRequired && !host) throw new SourceSpecError(spec, 'the host is missing');
  const port = Number(m[3]);
  if (!(port >= 1 && port <= 65535)) throw new SourceSpecError(spec, `port ${m[3]} is outside 1–65535`);
  return { host, port };
}

export interface OpenSourceOptions {
  /** Replay and simulation speed (1 = real time). */
  speed?: number;
  /** Simulation seed. */
  seed?: number;
  /** Reconnect serial/TCP links that drop (default true). */
  reconnect?: boolean;
  signal?: AbortSignal;
  onStatus?: StatusListener;
  /** Serial, TCP and UDP: report "no data for N s" and reconnect after this long without data, in ms (0/absent: never). */
  silenceTimeoutMs?: number;
  /** Serial ports come from here (tests). */
  serialPorts?: SerialPortFactory;
}

export function openSource(spec: string | SourceSpec, opts: OpenSourceOptions = {}): FrameSource {
  const s = typeof spec === 'string' ? parseSourceSpec(spec) : spec;
  const common = { signal: opts.signal, onStatus: opts.onStatus };
  switch (s.kind) {
    case 'serial':
      return openSerialSource(s.path, { ...common, reconnect: opts.reconnect, ports: opts.serialPorts, silenceTimeoutMs: opts.silenceTimeoutMs });
    case 'tcp':
      return openTcpSource(s.host, s.port, { ...common, reconnect: opts.reconnect, silenceTimeoutMs: opts.silenceTimeoutMs });
    case 'udp':
      return openUdpSource(s.port, { ...common, host: s.host, silenceTimeoutMs: opts.silenceTimeoutMs });
    case 'stdin':
      return openStdinSource(common);
    case 'replay':
      return openReplaySource(s.file, { ...common, speed: opts.speed });
    case 'sim':
      return openSimulatedSource(s.text, { signal: opts.signal, speed: opts.speed, seed: opts.seed, wearing: s.wearing ? parseWearing(s.wearing) : undefined });
  }
}
