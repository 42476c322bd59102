/**
 * A push-to-pull bridge: event-style producers (sockets, serial ports) push items, one consumer
 * reads them with `for await`. Ends when `end()` is called; `end(error)` makes the reader throw.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private failWaiting: ((e: unknown) => void) | undefined;
  private ended = false;
  private error: unknown;

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = undefined;
      resolve({ value: item, done: false });
    } else this.items.push(item);
  }

  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    if (this.waiting) {
      const resolve = this.waiting;
      const reject = this.failWaiting!;
      this.waiting = this.failWaiting = undefined;
      if (error !== undefined) reject(error);
      else resolve({ value: undefined, done: true });
    }
  }

  get isEnded(): boolean {
    return this.ended;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.ended) return this.error !== undefined ? Promise.reject(this.error) : Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.next(), return: async () => { this.end(); return { value: undefined, done: true }; } };
  }
}

/** Splits a byte/text stream into lines ('\n' or '\r\n'), keeping a partial last line until more arrives. */
export class LineSplitter {
  private rest = '';
  private readonly decoder = new TextDecoder();

  /** Lines completed by this chunk. */
  push(chunk: Uint8Array | string): string[] {
    const text = this.rest + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    const parts = text.split('\n');
    this.rest = parts.pop()!;
    // Runaway input without newlines (wrong baud rate, binary noise) must not grow memory without bound.
    if (this.rest.length > 4096) this.rest = '';
    return parts;
  }

  /** The unterminated last line, if any (at end of stream). */
  flush(): string[] {
    const r = this.rest;
    this.rest = '';
    return r.trim() ? [r] : [];
  }

  /** Drops a partial line (the link dropped mid-line). */
  reset(): void {
    this.rest = '';
  }
}

/** Resolves after `ms`, or early (without error) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** An AbortController that also aborts when `parent` does. */
export function linkedController(parent?: AbortSignal): AbortController {
  const c = new AbortController();
  if (parent) {
    if (parent.aborted) c.abort();
    else parent.addEventListener('abort', () => c.abort(), { once: true });
  }
  return c;
}

/**
 * Yields a queue's items until it ends. While it runs, `signal` aborting calls `onAbort` (which
 * should end the queue); `cleanup` runs however it ends (the device or socket closed, the reader gone).
 */
export async function* drainUntilAbort<T>(queue: AsyncIterable<T>, signal: AbortSignal, onAbort: () => void, cleanup: () => void): AsyncGenerator<T> {
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    yield* queue;
  } finally {
    signal.removeEventListener('abort', onAbort);
    cleanup();
  }
}
