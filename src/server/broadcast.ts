/**
 * The server's own glove (`serve --source serial:/dev/ttyACM0`, tcp:, udp:, replay:, sim:):
 * read once, recognised once, and fanned out to every watching browser — so a phone, which has
 * no Web Serial, can still watch a glove plugged into the server.
 */
import { simulatedWearingStats } from '../stream/simulator/wearing.js';
import type { FrameSource, StatusListener } from '../stream/frame.js';
import { channelIndices } from '../stream/frame.js';
import type { LiveEvent, LiveSessionFactory } from '../stream/live-session.js';
import type { ServedModel } from './types.js';

/** Everything a watcher receives: the frames (for plots), the recogniser's events, and link status. */
export type BroadcastMessage =
  | LiveEvent
  | { type: 'frame'; values: number[] }
  | { type: 'status'; message: string }
  | { type: 'end'; message: string };

export type Watcher = (msg: BroadcastMessage) => void;

export class GloveBroadcast {
  private readonly watchers = new Set<Watcher>();
  private readonly pick: number[];
  private readonly session;
  private readonly abort = new AbortController();
  private text = '';
  private lastStatus = '';
  private ended: string | undefined;
  private started: Promise<void> | undefined;

  constructor(
    readonly description: string,
    private readonly open: (signal: AbortSignal, onStatus: StatusListener) => FrameSource,
    model: ServedModel,
    createSession: LiveSessionFactory,
  ) {
    this.pick = channelIndices(model.info.channels);
    // a simulated glove (sim:TEXT) is a wearing of its own, read with its session statistics
    const stats = description.startsWith('sim:') && model.meta ? simulatedWearingStats(model.meta) : undefined;
    // a real glove on an uncalibrated model learns its wearing's statistics while signing
    this.session = createSession(model, stats ? { session: stats } : { adapt: true });
  }

  /**
   * Adds a watcher; it first gets the current status and text so a late joiner is up to date.
   * The source is opened by the first watcher, so a replay or simulation starts when someone looks.
   */
  watch(w: Watcher): () => void {
    this.started ??= this.run(this.open(this.abort.signal, (m) => this.send({ type: 'status', message: (this.lastStatus = m) })));
    if (this.lastStatus) w({ type: 'status', message: this.lastStatus });
    if (this.text) w({ type: 'text', text: this.text });
    if (this.ended !== undefined) w({ type: 'end', message: this.ended });
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  reset(): void {
    this.fanOut(this.session.reset());
  }

  close(): void {
    this.abort.abort();
  }

  private async run(source: FrameSource): Promise<void> {
    const v = new Float32Array(this.pick.length);
    try {
      for await (const frame of source) {
        for (let i = 0; i < this.pick.length; i++) v[i] = frame.values[this.pick[i]!]!;
        this.send({ type: 'frame', values: Array.from(v, (x) => Math.round(x * 100) / 100) });
        this.fanOut(this.session.push(v, frame.t));
      }
      this.finish(`${this.description} ended`);
    } catch (err) {
      this.finish(this.abort.signal.aborted ? 'server stopped' : `${this.description}: ${(err as Error).message}`);
    }
  }

  private finish(message: string): void {
    this.ended = message;
    this.send({ type: 'end', message });
  }

  private fanOut(events: LiveEvent[]): void {
    for (const e of events) {
      if (e.type === 'text') this.text = e.text;
      this.send(e);
    }
  }

  private send(msg: BroadcastMessage): void {
    for (const w of this.watchers) w(msg);
  }
}
