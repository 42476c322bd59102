/**
 * The part of Node's EventEmitter the shared stream code uses (on/off/once/emit), so the live
 * recogniser runs unchanged in the browser. build-web.mjs maps `node:events` here.
 */
type Listener = (...args: unknown[]) => void;

export class EventEmitter {
  private readonly listeners = new Map<string | symbol, Listener[]>();

  on(event: string | symbol, f: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), f]);
    return this;
  }

  addListener(event: string | symbol, f: Listener): this {
    return this.on(event, f);
  }

  off(event: string | symbol, f: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((g) => g !== f && (g as { inner?: Listener }).inner !== f));
    return this;
  }

  removeListener(event: string | symbol, f: Listener): this {
    return this.off(event, f);
  }

  once(event: string | symbol, f: Listener): this {
    const wrap: Listener & { inner?: Listener } = (...args) => {
      this.off(event, wrap);
      f(...args);
    };
    wrap.inner = f;
    return this.on(event, wrap);
  }

  emit(event: string | symbol, ...args: unknown[]): boolean {
    const ls = this.listeners.get(event);
    if (!ls?.length) return false;
    for (const f of [...ls]) f(...args);
    return true;
  }

  removeAllListeners(event?: string | symbol): this {
    if (event === undefined) this.listeners.clear();
    else this.listeners.delete(event);
    return this;
  }

  listenerCount(event: string | symbol): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export default EventEmitter;
