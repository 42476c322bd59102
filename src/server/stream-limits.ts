/**
 * Limits that keep one /stream client from slowing the others: a frame-rate budget (a token
 * bucket: a real glove sends ~33 frames/s, replays a few times that), a cap on messages waiting
 * to be handled, and a cap on replies the client has not read. A client over a limit is closed
 * with 1008 and a reason that says which limit.
 */

export interface StreamLimits {
  /** Sustained frames per second per connection. */
  framesPerSecond: number;
  /** Frames a connection may send at once above the sustained rate (a replay sending an episode). */
  burstFrames: number;
  /** Messages received but not yet handled. */
  maxQueuedMessages: number;
  /** Bytes of replies not yet taken by the client's socket. */
  maxBufferedBytes: number;
  /** Frames handled before giving other connections a turn on the event loop. */
  framesPerSlice: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  framesPerSecond: 300,
  burstFrames: 3000,
  maxQueuedMessages: 64,
  maxBufferedBytes: 4 * 1024 * 1024,
  framesPerSlice: 32,
};

/** Token bucket over frames; `take` says whether `n` more frames fit the budget now. */
export class FrameBudget {
  private tokens: number;
  private last: number;

  constructor(private readonly perSecond: number, private readonly burst: number, private readonly now: () => number = () => performance.now()) {
    this.tokens = burst;
    this.last = now();
  }

  take(n: number): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (n > this.tokens) return false;
    this.tokens -= n;
    return true;
  }
}

/** Lets other connections' messages and /health run between slices of a long message. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
