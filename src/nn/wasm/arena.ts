/**
 * First-fit allocator of byte ranges inside a fixed region of a WebAssembly.Memory.
 *
 * The memory is created at its final size and never grown: growing a non-shared memory detaches
 * its ArrayBuffer, which would silently turn every Float32Array view already handed out into a
 * zero-length array. Callers fall back to ordinary arrays when the arena is full.
 *
 * Blocks are 64-byte aligned (whole cache lines, any v128 access aligned). Bytes above the
 * high-water mark have never been handed out and are still zero, so only reused blocks are cleared.
 */
const ALIGN = 64;

interface Block {
  off: number;
  size: number;
}

export class Arena {
  private readonly free: Block[] = []; // sorted by offset, coalesced
  private top: number; // high-water mark: [top, end) is untouched and zero
  private inUse = 0;
  private peak = 0;

  constructor(private readonly bytes: Uint8Array, readonly start: number, readonly end: number) {
    this.top = align(start);
  }

  /** Byte offset of a zeroed block of at least `size` bytes, or -1 when the arena is full. */
  alloc(size: number): number {
    const n = Math.max(ALIGN, align(size));
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i]!;
      if (b.size < n) continue;
      const off = b.off;
      if (b.size === n) this.free.splice(i, 1);
      else {
        b.off += n;
        b.size -= n;
      }
      this.bytes.fill(0, off, off + n);
      this.used(n);
      return off;
    }
    if (this.top + n > this.end) return -1;
    const off = this.top;
    this.top += n;
    this.used(n);
    return off;
  }

  /** Returns a block from alloc (same size as asked for). */
  release(off: number, size: number): void {
    const n = Math.max(ALIGN, align(size));
    this.inUse -= n;
    if (off + n === this.top) {
      // giving back the topmost block lowers the high-water mark; its bytes must read as zero again
      this.bytes.fill(0, off, off + n);
      this.top = off;
      const last = this.free[this.free.length - 1];
      if (last && last.off + last.size === this.top) {
        this.free.pop();
        this.top = last.off;
        this.bytes.fill(0, last.off, last.off + last.size);
      }
      return;
    }
    // binary search for the insertion point, then merge with the neighbours
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.free[mid]!.off < off) lo = mid + 1;
      else hi = mid;
    }
    const prev = this.free[lo - 1];
    const next = this.free[lo];
    if (prev && prev.off + prev.size === off) {
      prev.size += n;
      if (next && prev.off + prev.size === next.off) {
        prev.size += next.size;
        this.free.splice(lo, 1);
      }
    } else if (next && off + n === next.off) {
      next.off = off;
      next.size += n;
    } else this.free.splice(lo, 0, { off, size: n });
  }

  /** Bytes handed out now, the most ever handed out at once, and the capacity. */
  stats(): { inUse: number; peak: number; capacity: number; highWater: number } {
    return { inUse: this.inUse, peak: this.peak, capacity: this.end - this.start, highWater: this.top - this.start };
  }

  private used(n: number): void {
    this.inUse += n;
    if (this.inUse > this.peak) this.peak = this.inUse;
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
