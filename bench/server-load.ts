/**
 * Load on `signglove serve` (issues 16 and 19), loopback only, bounded in clients and time:
 *  1. capacity: N WebSocket gloves each streaming real recorded episodes (../shared, one after
 *     another) at 33 Hz, one frame per message, plus a ping every 250 ms. The figure is frame →
 *     event: from sending frame k to receiving the prediction or letter the server computed on
 *     frame k (its events carry the frame number), which is what a wearer waits for. N steps up
 *     until that p99 ≥ 50 ms (or pings go unanswered) at two levels in a row, or the cap.
 *  2. flood: 10 such gloves while one client sends 1,000-frame messages as fast as it can.
 *  3. /health while four 512-episode /predict/batch requests run.
 * The server is a separate process (`signglove serve`, the shipped default model), the clients share the machine.
 *
 * usage: node dist/bench/server-load.js [--json] [--max-clients 400] [--step 50] [--seconds 6] [--data DIR]
 *   or   npm run bench -- --only server
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/paths.js';
import { loadDataset } from '../src/data/index.js';
import { DEFAULT_CHANNELS } from '../src/data/types.js';

interface WsLike {
  on(event: 'message', f: (data: Buffer) => void): void;
  on(event: 'open' | 'error' | 'close', f: (...a: unknown[]) => void): void;
  send(data: string, cb?: (err?: Error) => void): void;
  close(): void;
  terminate(): void;
  readyState: number;
  bufferedAmount: number;
}
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string) => WsLike;

export interface LoadLevel {
  clients: number;
  /** Frame → event latency (ms): sending frame k to receiving an event computed on frame k. */
  p50: number;
  p99: number;
  max: number;
  events: number;
  /** Ping → pong round trip (ms), which queues behind the glove's own frames. */
  pingP50: number;
  pingP99: number;
  pings: number;
  lost: number;
}

export interface ServerLoadResult {
  levels: LoadLevel[];
  /** Most gloves held with frame → event p99 < 50 ms and every ping answered. */
  heldClients: number;
  /** Where the gloves' frames came from. */
  frames: { data: string; episodes: number; frames: number };
  flood: { normalP50: number; normalP99: number; flooderClosed: boolean; flooderCloseReason: string; flooderFramesAccepted: number };
  health: { p50: number; p99: number; max: number; batches: number };
  machine: string;
}

const FRAME_MS = 30;
const PING_MS = 250;
/** Send times kept per connection: far more frames than any event can lag behind. */
const SENT = 4096;

/** Real recorded episodes, one after another in a shuffled order, as rows in the default models' channel order. */
async function recordedFrames(data: string): Promise<{ rows: number[][]; episodes: number }> {
  const { episodes } = await loadDataset(data, { channels: [...DEFAULT_CHANNELS] });
  if (episodes.length === 0) throw new Error(`no episodes in ${data}`);
  // a fixed shuffle (LCG), so consecutive episodes are different letters, as when spelling
  let seed = 19;
  const order = episodes.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const rows: number[][] = [];
  const C = DEFAULT_CHANNELS.length;
  for (const i of order) {
    const e = episodes[i]!;
    for (let t = 0; t < e.length; t++) rows.push(Array.from(e.data.subarray(t * C, (t + 1) * C), (v) => Math.round(v * 100) / 100));
  }
  return { rows, episodes: episodes.length };
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function startServe(): Promise<{ url: string; child: ChildProcess }> {
  const cli = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /live page\s+(http:\/\/\S+)\//.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening`)));
  });
  return { url, child };
}

/** A glove client: frames at 33 Hz, a timed ping every 250 ms. */
class Glove {
  readonly latencies: number[] = [];
  /** Frame → event latencies (ms). */
  readonly eventLatencies: number[] = [];
  private pending: number[] = [];
  /** Send time of this connection's frame k (1-based, as the server counts) at [k % SENT]. */
  private readonly sent = new Float64Array(SENT);
  private sentCount = 0;
  private ws: WsLike;
  private i: number;
  open: Promise<void>;
  lost = 0;
  closed = false;
  closeReason = '';

  constructor(url: string, private readonly frames: string[], offset: number) {
    this.i = offset;
    this.ws = new WebSocket(`${url.replace('http', 'ws')}/stream`);
    this.ws.on('message', (d: Buffer) => {
      const now = performance.now();
      const s = d.toString();
      if (s.includes('"pong"')) {
        const t0 = this.pending.shift();
        if (t0 !== undefined && this.measuring) this.latencies.push(now - t0);
        return;
      }
      // predictions and letters say which frame they were computed on
      const m = /"frame":(\d+)/.exec(s);
      if (m && this.measuring) {
        const k = Number(m[1]);
        if (k <= this.sentCount && this.sentCount - k < SENT) this.eventLatencies.push(now - this.sent[k % SENT]!);
      }
    });
    this.ws.on('close', (_code: unknown, reason: unknown) => {
      this.closed = true;
      this.closeReason = String(reason ?? '');
    });
    this.open = new Promise((resolve, reject) => {
      this.ws.on('open', () => resolve());
      this.ws.on('error', (e) => reject(e as Error));
    });
  }

  measuring = false;

  frame(): void {
    if (this.ws.readyState !== 1) return;
    this.sentCount++;
    this.sent[this.sentCount % SENT] = performance.now();
    this.ws.send(this.frames[this.i++ % this.frames.length]!);
  }

  ping(): void {
    if (this.ws.readyState !== 1) return;
    if (this.pending.length > 20) {
      this.lost++;
      return; // the server is far behind; do not pile up more
    }
    this.pending.push(performance.now());
    this.ws.send('{"type":"ping"}');
  }

  stopMeasuring(): void {
    this.measuring = false;
    this.lost += this.pending.length;
    this.pending = [];
  }

  close(): void {
    this.ws.terminate();
  }
}

/**
 * Runs gloves for `seconds`. Real gloves are not in step: a 5 ms timer serves a sixth of them per
 * tick, so each sends every 30 ms and the sends are spread over the period.
 */
async function runGloves(gloves: Glove[], seconds: number): Promise<void> {
  const started = performance.now();
  const SLOTS = FRAME_MS / 5;
  const pingEvery = Math.round(PING_MS / FRAME_MS);
  let tick = 0;
  gloves.forEach((g) => (g.measuring = true));
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const slot = tick % SLOTS;
      const round = Math.floor(tick / SLOTS);
      tick++;
      for (let k = slot; k < gloves.length; k += SLOTS) {
        gloves[k]!.frame();
        if ((round + k) % pingEvery === 0) gloves[k]!.ping();
      }
      if (performance.now() - started > seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  await new Promise((r) => setTimeout(r, 300)); // the last pongs
  gloves.forEach((g) => g.stopMeasuring());
}

async function connectGloves(url: string, frames: string[], n: number, from = 0): Promise<Glove[]> {
  const gloves = Array.from({ length: n }, (_, k) => new Glove(url, frames, (from + k) * 37));
  await Promise.all(gloves.map((g) => g.open));
  return gloves;
}

export async function runServerLoad(opts: { maxClients?: number; step?: number; seconds?: number; data?: string; log?: (s: string) => void } = {}): Promise<ServerLoadResult> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const maxClients = opts.maxClients ?? 400;
  const step = opts.step ?? 50;
  const seconds = opts.seconds ?? 6;
  const data = opts.data ?? path.resolve(PACKAGE_ROOT, '..', 'shared', 'datasets', 'signglove-2025-10-01');
  const recorded = await recordedFrames(data);
  const frames = recorded.rows;
  // one message per frame, serialised once: the clients share the machine with the server
  const messages = frames.map((f) => JSON.stringify({ type: 'frames', frames: [f] }));
  const machine = `${os.cpus()[0]?.model ?? 'CPU'}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(2)} at start`;
  log(`server load: ${machine}; gloves stream ${recorded.episodes} recorded episodes (${frames.length} frames) from ${path.basename(data)}`);

  // 1. gloves, stepping up
  let server = await startServe();
  const levels: LoadLevel[] = [];
  const all: Glove[] = [];
  try {
    // warm-up (JIT, first model evaluations), not measured
    const warm = await connectGloves(server.url, messages, step);
    await runGloves(warm, 2);
    warm.forEach((g) => g.close());
    for (let n = step; n <= maxClients; n += step) {
      all.push(...(await connectGloves(server.url, messages, n - all.length, all.length)));
      all.forEach((g) => {
        g.latencies.length = 0;
        g.eventLatencies.length = 0;
      });
      await runGloves(all, seconds);
      const lat = all.flatMap((g) => g.eventLatencies);
      const pings = all.flatMap((g) => g.latencies);
      const level: LoadLevel = {
        clients: n, p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat.reduce((m, x) => Math.max(m, x), 0), events: lat.length,
        pingP50: percentile(pings, 50), pingP99: percentile(pings, 99), pings: pings.length, lost: all.reduce((s, g) => s + g.lost, 0),
      };
      all.forEach((g) => (g.lost = 0));
      levels.push(level);
      log(`  ${String(n).padStart(4)} gloves at 33 Hz: frame → event p50 ${level.p50.toFixed(1)} ms, p99 ${level.p99.toFixed(1)} ms, max ${level.max.toFixed(0)} ms (${level.events} events); ` +
        `ping p99 ${level.pingP99.toFixed(1)} ms (${level.pings} pings, ${level.lost} unanswered)`);
      // one level over the line may be a spike from something else on the machine: stop after two in a row
      const over = (l: LoadLevel): boolean => !(l.p99 < 50) || l.lost > 0;
      if (over(level) && levels.length >= 2 && over(levels[levels.length - 2]!)) break;
    }
  } finally {
    all.forEach((g) => g.close());
    server.child.kill();
  }
  const held = levels.filter((l) => l.p99 < 50 && l.lost === 0).reduce((m, l) => Math.max(m, l.clients), 0);

  // 2. one flooding client among ten gloves (a fresh server)
  server = await startServe();
  let flood: ServerLoadResult['flood'];
  try {
    const normal = await connectGloves(server.url, messages, 10);
    const flooder = new Glove(server.url, messages, 0);
    await flooder.open;
    const big = JSON.stringify({ type: 'frames', frames: Array.from({ length: 1000 }, (_, k) => frames[k % frames.length]) });
    let accepted = 0;
    const fws = (flooder as unknown as { ws: WsLike }).ws;
    const pump = setInterval(() => {
      // as fast as the socket takes it, without buffering gigabytes on this side
      while (fws.readyState === 1 && fws.bufferedAmount < 4 * 1024 * 1024) {
        fws.send(big);
        accepted += 1000;
      }
    }, 5);
    await runGloves(normal, seconds);
    clearInterval(pump);
    const lat = normal.flatMap((g) => g.latencies);
    flood = { normalP50: percentile(lat, 50), normalP99: percentile(lat, 99), flooderClosed: flooder.closed, flooderCloseReason: flooder.closeReason, flooderFramesAccepted: accepted };
    log(`  flood: 10 gloves' ping p50 ${flood.normalP50.toFixed(1)} ms, p99 ${flood.normalP99.toFixed(1)} ms while one client sent 1000-frame messages; ` +
      `flooder ${flood.flooderClosed ? `closed by the server ("${flood.flooderCloseReason}")` : 'not closed'}`);
    normal.forEach((g) => g.close());
    flooder.close();

    // 3. /health while large batches run
    const episodes = Array.from({ length: 512 }, (_, k) => ({ rows: frames.slice((k * 13) % 200, ((k * 13) % 200) + 80) }));
    const body = JSON.stringify({ episodes });
    const healthLat: number[] = [];
    let batches = 0;
    const stopAt = performance.now() + seconds * 1000;
    const batchLoop = async (): Promise<void> => {
      while (performance.now() < stopAt) {
        const r = await fetch(`${server.url}/predict/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await r.arrayBuffer();
        batches++;
      }
    };
    const healthLoop = async (): Promise<void> => {
      while (performance.now() < stopAt) {
        const t0 = performance.now();
        await (await fetch(`${server.url}/health`)).arrayBuffer();
        healthLat.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await Promise.all([batchLoop(), batchLoop(), batchLoop(), batchLoop(), healthLoop()]);
    const health = { p50: percentile(healthLat, 50), p99: percentile(healthLat, 99), max: Math.max(...healthLat), batches };
    log(`  /health during four concurrent 512-episode /predict/batch streams (${batches} batches): p50 ${health.p50.toFixed(1)} ms, p99 ${health.p99.toFixed(1)} ms, max ${health.max.toFixed(0)} ms`);
    return { levels, heldClients: held, frames: { data: path.basename(data), episodes: recorded.episodes, frames: frames.length }, flood, health, machine };
  } finally {
    server.child.kill();
  }
}

// Run directly: node dist/bench/server-load.js
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, 'max-clients': { type: 'string' }, step: { type: 'string' }, seconds: { type: 'string' }, data: { type: 'string' } } });
  const r = await runServerLoad({
    maxClients: values['max-clients'] ? Number(values['max-clients']) : undefined,
    step: values.step ? Number(values.step) : undefined,
    seconds: values.seconds ? Number(values.seconds) : undefined,
    data: values.data,
    log: values.json ? (s) => process.stderr.write(`${s}\n`) : undefined,
  });
  if (values.json) console.log(JSON.stringify(r, null, 2));
  else console.log(`\ngloves held at frame → event p99 < 50 ms: ${r.heldClients}; normal clients' p99 during a flood: ${r.flood.normalP99.toFixed(1)} ms; /health p99 during batches: ${r.health.p99.toFixed(1)} ms`);
}
