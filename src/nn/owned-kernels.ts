/**
 * Kernels that remember every buffer they hand out, so a model can give them all back at once.
 *
 * A WebAssembly backend allocates from a fixed arena and frees a buffer only when the garbage
 * collector happens to collect its (tiny) view. A process that builds model after model (leave-one-
 * session-out, k-fold, `compare --train`, a server with several models) would fill the arena long
 * before the collector runs, and every kernel would fall back to slow copies. Disposing a model
 * releases its buffers deterministically instead.
 */
import type { Kernels } from './kernels.js';

interface Releasing extends Kernels {
  release(buf: Float32Array): void;
}

export function ownedKernels(base: Kernels): { kernels: Kernels; releaseAll(): void } {
  const release = (base as Partial<Releasing>).release;
  // Plain TypeScript buffers are ordinary arrays: the collector handles them.
  if (typeof release !== 'function') return { kernels: base, releaseAll() {} };
  const owned: Float32Array[] = [];
  const kernels: Kernels = Object.create(base) as Kernels;
  kernels.alloc = (n: number): Float32Array => {
    const buf = base.alloc(n);
    owned.push(buf);
    return buf;
  };
  return {
    kernels,
    releaseAll() {
      for (const buf of owned) release.call(base, buf);
      owned.length = 0;
    },
  };
}
