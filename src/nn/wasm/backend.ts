/**
 * The WebAssembly SIMD backend of `Kernels`.
 *
 * One fixed-size WebAssembly.Memory holds: [0, 64 KiB) for the module itself, then gemm's packing
 * scratch, then an arena from which `alloc` hands out Float32Array views. Kernels run in place on
 * arrays that live in this memory; any other array (a "foreign" one, e.g. made with
 * `new Float32Array`) is copied into a temporary block and, for outputs, copied back. When even
 * that does not fit, the call goes to the plain TypeScript kernels, so results never depend on
 * how full the memory is. Views are freed when they are garbage-collected (FinalizationRegistry)
 * or at once through `release`.
 */
import type { Kernels } from '../kernels.js';
import { tsKernels } from '../kernels-ts.js';
import * as ew from '../elementwise.js';
import { gruSequenceSteps } from '../gru.js';
import { Arena } from './arena.js';
import { WASM_BASE64 } from './binary.generated.js';
import { wasmApi, type WasmApi, type WasmModule } from './wasm-api.js';

interface Exports {
  gemm(
    transA: number, transB: number, M: number, N: number, K: number, alpha: number,
    A: number, lda: number, B: number, ldb: number, beta: number, C: number, ldc: number, scratch: number,
  ): void;
  gemmScratchBytes(): number;
  gruCellForward(B: number, H: number, gates: number, gh: number, hPrev: number, h: number): void;
  gruCellBackward(
    B: number, H: number, gates: number, gh: number, hPrev: number, dh: number, dGx: number, dGh: number, dhPrev: number,
  ): void;
  lstmCellForward(B: number, H: number, gates: number, cPrev: number, c: number, h: number): void;
  lstmCellBackward(B: number, H: number, gates: number, cPrev: number, c: number, dh: number, dc: number, dG: number): void;
  mul(n: number, a: number, b: number, y: number): void;
  add(n: number, a: number, b: number, y: number): void;
  gruSequenceBackward(
    T: number, B: number, H: number, gates: number, gh: number, wHh: number, h0: number, y: number,
    dy: number, dh: number, dGx: number, dGh: number, scratch: number,
  ): void;
  gruSequenceForward(
    T: number, B: number, H: number, gates: number, gh: number, wHh: number, bHh: number, h0: number, y: number, scratch: number,
  ): void;
  gemmBias(M: number, N: number, K: number, A: number, lda: number, W: number, ldw: number, bias: number, C: number, ldc: number, scratch: number): void;
  dropoutForward(n: number, u: number, thr: number, scale: number, x: number, mask: number, y: number): void;
  reluForward(n: number, x: number, y: number): void;
  reluBackward(n: number, y: number, dy: number, dx: number): void;
  colSums2(N: number, C: number, a: number, b: number, s1: number, s2: number): void;
  bnForward(N: number, C: number, x: number, mean: number, invStd: number, g: number, b: number, xhat: number, y: number): void;
  bnBackward(N: number, C: number, dy: number, xhat: number, k1: number, k2: number, k3: number, dx: number): void;
  maxPool2Forward(Tp: number, L: number, x: number, y: number): void;
  maxPool2Backward(T: number, Tp: number, L: number, x: number, dy: number, dx: number): void;
  fillRows(rows: number, cols: number, bias: number, y: number): void;
  convPostPool(
    Bc: number, T: number, S: number, C: number, outStep: number, y: number, bias: number, scale: number, shift: number, out: number,
  ): void;
}

export interface WasmKernelsOptions {
  /** Size of the WebAssembly memory in MiB, fixed for the backend's life (default 512). Pages are
   * only committed when touched, so a large value costs address space, not resident memory. */
  memoryMiB?: number;
}

export interface WasmKernels extends Kernels {
  /** Frees a buffer from `alloc` now instead of when it is garbage-collected. Do not use it after. */
  release(buf: Float32Array): void;
  /** Arena use in bytes, and how many calls had to copy foreign arrays or fall back to TypeScript. */
  stats(): { inUse: number; peak: number; capacity: number; highWater: number; copiedCalls: number; tsFallbacks: number };
}

const RESERVED = 64 * 1024;

let moduleCache: WasmModule | null = null;

function api(): WasmApi {
  const wa = wasmApi();
  if (!wa) throw new Error('this JavaScript engine has no WebAssembly');
  return wa;
}

function wasmBytes(): Uint8Array {
  if (typeof Buffer !== 'undefined') return Buffer.from(WASM_BASE64, 'base64');
  return Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
}

/** False where the engine lacks WebAssembly or its SIMD extension. */
export function wasmSupported(): boolean {
  try {
    return wasmApi()?.validate(wasmBytes()) ?? false;
  } catch {
    return false;
  }
}

/** Creates the backend synchronously (the module is ~10 KB, small enough for sync compilation). */
export function createWasmKernels(opts: WasmKernelsOptions = {}): WasmKernels {
  moduleCache ??= new (api().Module)(wasmBytes());
  return instantiate(moduleCache, opts);
}

/** Same as createWasmKernels, compiling off the main thread where the platform can. */
export async function createWasmKernelsAsync(opts: WasmKernelsOptions = {}): Promise<WasmKernels> {
  moduleCache ??= await api().compile(wasmBytes());
  return instantiate(moduleCache, opts);
}

/** One operand of a call: where it lives in wasm memory and, if copied, how to give it back. */
interface Temp {
  off: number;
  bytes: number;
  src: Float32Array;
  srcOff: number;
  len: number;
  out: boolean;
}

function instantiate(mod: WasmModule, opts: WasmKernelsOptions): WasmKernels {
  const pages = Math.ceil(((opts.memoryMiB ?? 512) * 1024 * 1024) / 65536);
  // maximum = initial: this memory must never grow (growth would detach every view handed out)
  const memory = new (api().Memory)({ initial: pages, maximum: pages });
  const ex = new (api().Instance)(mod, { env: { memory } }).exports as unknown as Exports;
  const buffer = memory.buffer;
  const f32 = new Float32Array(buffer);
  const scratch = RESERVED;
  const arenaStart = scratch + ex.gemmScratchBytes();
  const arena = new Arena(new Uint8Array(buffer), arenaStart, buffer.byteLength);
  const blocks = new WeakMap<Float32Array, { off: number; bytes: number }>();
  const registry = new FinalizationRegistry<{ off: number; bytes: number }>((b) => arena.release(b.off, b.bytes));
  let copiedCalls = 0;
  let tsFallbacks = 0;

  // Per-call temporaries for foreign operands; `failed` means some copy did not fit.
  const temps: Temp[] = [];
  let failed = false;

  /** Byte address of arr[off .. off+len) in wasm memory, copying it in when it lives elsewhere. */
  function use(arr: Float32Array, off: number, len: number, copyIn: boolean, out: boolean): number {
    if (arr.buffer === buffer) return arr.byteOffset + off * 4;
    const bytes = len * 4;
    const at = failed ? -1 : arena.alloc(bytes);
    if (at < 0) {
      failed = true;
      return 0;
    }
    if (copyIn) f32.set(arr.subarray(off, off + len), at >> 2);
    temps.push({ off: at, bytes, src: arr, srcOff: off, len, out });
    return at;
  }

  /** Copies outputs back (when the wasm kernel ran) and frees the temporaries. */
  function finish(ran: boolean): void {
    if (temps.length > 0) copiedCalls++;
    for (const t of temps) {
      if (ran && t.out) t.src.set(f32.subarray(t.off >> 2, (t.off >> 2) + t.len), t.srcOff);
      arena.release(t.off, t.bytes);
    }
    temps.length = 0;
    failed = false;
  }

  /** Floats spanned by a rows×cols matrix with row stride ld. */
  const span = (rows: number, cols: number, ld: number): number => (rows - 1) * ld + cols;

  const k: WasmKernels = {
    name: 'wasm-simd',

    alloc(n: number): Float32Array {
      const bytes = Math.max(4, n * 4);
      const off = arena.alloc(bytes);
      if (off < 0) return new Float32Array(n); // arena full: a foreign array still works, via copies
      const view = new Float32Array(buffer, off, n);
      const block = { off, bytes };
      blocks.set(view, block);
      registry.register(view, block, block);
      return view;
    },

    release(buf: Float32Array): void {
      const block = blocks.get(buf);
      if (!block) return;
      blocks.delete(buf);
      registry.unregister(block);
      arena.release(block.off, block.bytes);
    },

    stats() {
      return { ...arena.stats(), copiedCalls, tsFallbacks };
    },

    gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc) {
      if (M <= 0 || N <= 0) return;
      if (K <= 0 || alpha === 0) {
        tsKernels.gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
        return;
      }
      const pa = use(A, aOff, transA ? span(K, M, lda) : span(M, K, lda), true, false);
      const pb = use(B, bOff, transB ? span(N, K, ldb) : span(K, N, ldb), true, false);
      // a foreign C is copied in whole: the kernel reads it when beta ≠ 0 and gaps between rows must survive
      const pc = use(C, cOff, span(M, N, ldc), true, true);
      if (failed) {
        finish(false);
        tsFallbacks++;
        tsKernels.gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
        return;
      }
      ex.gemm(transA ? 1 : 0, transB ? 1 : 0, M, N, K, alpha, pa, lda, pb, ldb, beta, pc, ldc, scratch);
      finish(true);
    },

    gemmBias(M, N, K, A, aOff, lda, W, wOff, ldw, bias, C, cOff, ldc) {
      if (M <= 0 || N <= 0) return;
      const pa = use(A, aOff, span(M, K, lda), true, false);
      const pw = use(W, wOff, span(N, K, ldw), true, false);
      const pb = use(bias, 0, N, true, false);
      const pc = use(C, cOff, span(M, N, ldc), true, true);
      if (failed) { finish(false); tsFallbacks++; ew.gemmBias(tsKernels, M, N, K, A, aOff, lda, W, wOff, ldw, bias, C, cOff, ldc); return; }
      ex.gemmBias(M, N, K, pa, lda, pw, ldw, pb, pc, ldc, scratch);
      finish(true);
    },

    gruCellForward(B, H, gates, gOff, gh, ghOff, hPrev, hPrevOff, h, hOff) {
      const G = 3 * H;
      const pg = use(gates, gOff, B * G, true, true);
      const pq = use(gh, ghOff, B * G, true, false);
      const pp = use(hPrev, hPrevOff, B * H, true, false);
      const ph = use(h, hOff, B * H, false, true);
      if (failed) {
        finish(false);
        tsFallbacks++;
        tsKernels.gruCellForward(B, H, gates, gOff, gh, ghOff, hPrev, hPrevOff, h, hOff);
        return;
      }
      ex.gruCellForward(B, H, pg, pq, pp, ph);
      finish(true);
    },

    gruCellBackward(B, H, gates, gOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dGx, dGxOff, dGh, dGhOff, dhPrev, dhPrevOff) {
      const G = 3 * H;
      const pg = use(gates, gOff, B * G, true, false);
      const pq = use(gh, ghOff, B * G, true, false);
      const pp = use(hPrev, hPrevOff, B * H, true, false);
      const pd = use(dh, dhOff, B * H, true, false);
      const px = use(dGx, dGxOff, B * G, false, true);
      const pr = use(dGh, dGhOff, B * G, false, true);
      // dhPrev may alias dh: in wasm memory both are one address; foreign, dhPrev gets its own copy
      const pdp = use(dhPrev, dhPrevOff, B * H, false, true);
      if (failed) {
        finish(false);
        tsFallbacks++;
        tsKernels.gruCellBackward(B, H, gates, gOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dGx, dGxOff, dGh, dGhOff, dhPrev, dhPrevOff);
        return;
      }
      ex.gruCellBackward(B, H, pg, pq, pp, pd, px, pr, pdp);
      finish(true);
    },

    lstmCellForward(B, H, gates, gOff, cPrev, cPrevOff, c, cOff, h, hOff) {
      const G = 4 * H;
      const pg = use(gates, gOff, B * G, true, true);
      const pcp = use(cPrev, cPrevOff, B * H, true, false);
      const pc = use(c, cOff, B * H, false, true);
      const ph = use(h, hOff, B * H, false, true);
      if (failed) {
        finish(false);
        tsFallbacks++;
        tsKernels.lstmCellForward(B, H, gates, gOff, cPrev, cPrevOff, c, cOff, h, hOff);
        return;
      }
      ex.lstmCellForward(B, H, pg, pcp, pc, ph);
      finish(true);
    },

    lstmCellBackward(B, H, gates, gOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff, dG, dGOff) {
      const G = 4 * H;
      const pg = use(gates, gOff, B * G, true, false);
      const pcp = use(cPrev, cPrevOff, B * H, true, false);
      const pc = use(c, cOff, B * H, true, false);
      const pd = use(dh, dhOff, B * H, true, false);
      const pdc = use(dc, dcOff, B * H, true, true);
      const pG = use(dG, dGOff, B * G, false, true);
      if (failed) {
        finish(false);
        tsFallbacks++;
        tsKernels.lstmCellBackward(B, H, gates, gOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff, dG, dGOff);
        return;
      }
      ex.lstmCellBackward(B, H, pg, pcp, pc, pd, pdc, pG);
      finish(true);
    },

    gruSequenceForward(T, B, H, gates, gh, wHh, bHh, h0, y) {
      const G = 3 * H;
      const pg = use(gates, 0, T * B * G, true, true);
      const pq = use(gh, 0, T * B * G, false, true);
      const pw = use(wHh, 0, G * H, true, false);
      const pb = use(bHh, 0, G, true, false);
      const p0 = use(h0, 0, B * H, true, false);
      const py = use(y, 0, T * B * H, false, true);
      if (failed) {
        // step by step through this backend's own calls (which copy or fall back one at a time)
        finish(false);
        gruSequenceSteps(k, T, B, H, gates, gh, wHh, bHh, h0, y);
        return;
      }
      ex.gruSequenceForward(T, B, H, pg, pq, pw, pb, p0, py, scratch);
      finish(true);
    },

    gruSequenceBackward(T, B, H, gates, gh, wHh, h0, y, dy, dh, dGx, dGh) {
      const G = 3 * H;
      const pg = use(gates, 0, T * B * G, true, false);
      const pq = use(gh, 0, T * B * G, true, false);
      const pw = use(wHh, 0, G * H, true, false);
      const p0 = use(h0, 0, B * H, true, false);
      const py = use(y, 0, T * B * H, true, false);
      const pd = use(dy, 0, T * B * H, true, false);
      const pdh = use(dh, 0, B * H, true, true);
      const px = use(dGx, 0, T * B * G, false, true);
      const pr = use(dGh, 0, T * B * G, false, true);
      if (failed) {
        finish(false);
        for (let t = T - 1; t >= 0; t--) {
          ew.addInto(k, B * H, dh, dy.subarray(t * B * H, (t + 1) * B * H), dh);
          const hp = t === 0 ? h0 : y;
          const hpOff = t === 0 ? 0 : (t - 1) * B * H;
          k.gruCellBackward(B, H, gates, t * B * G, gh, t * B * G, hp, hpOff, dh, 0, dGx, t * B * G, dGh, t * B * G, dh, 0);
          if (t > 0) k.gemm(false, false, B, H, G, 1, dGh, t * B * G, G, wHh, 0, H, 1, dh, 0, H);
        }
        return;
      }
      ex.gruSequenceBackward(T, B, H, pg, pq, pw, p0, py, pd, pdh, px, pr, scratch);
      finish(true);
    },

    // ---- optional element-wise kernels; on a failed copy they run the TypeScript loops
    // (src/nn/elementwise.ts), which give the same bits

    add(n, a, b, y) {
      const pa = use(a, 0, n, true, false);
      const pb = use(b, 0, n, true, false);
      const py = use(y, 0, n, false, true);
      if (failed) { finish(false); tsFallbacks++; ew.addInto(tsKernels, n, a, b, y); return; }
      ex.add(n, pa, pb, py);
      finish(true);
    },

    mul(n, a, b, y) {
      const pa = use(a, 0, n, true, false);
      const pb = use(b, 0, n, true, false);
      const py = use(y, 0, n, false, true);
      if (failed) { finish(false); tsFallbacks++; for (let i = 0; i < n; i++) y[i] = a[i]! * b[i]!; return; }
      ex.mul(n, pa, pb, py);
      finish(true);
    },

    dropoutForward(n, u, thr, scale, x, mask, y) {
      const pu = use(u, 0, n, true, false);
      const px = use(x, 0, n, true, false);
      const pm = use(mask, 0, n, false, true);
      const py = use(y, 0, n, false, true);
      if (failed) { finish(false); tsFallbacks++; ew.dropoutForward(tsKernels, n, u, thr, scale, x, mask, y); return; }
      ex.dropoutForward(n, pu, thr | 0, scale, px, pm, py);
      finish(true);
    },

    reluForward(n, x, y) {
      const px = use(x, 0, n, true, false);
      const py = use(y, 0, n, false, true);
      if (failed) { finish(false); tsFallbacks++; tsRelu(n, x, y); return; }
      ex.reluForward(n, px, py);
      finish(true);
    },

    reluBackward(n, y, dy, dx) {
      const py = use(y, 0, n, true, false);
      const pd = use(dy, 0, n, true, false);
      const px = use(dx, 0, n, false, true);
      if (failed) { finish(false); tsFallbacks++; tsReluBack(n, y, dy, dx); return; }
      ex.reluBackward(n, py, pd, px);
      finish(true);
    },

    colSums2(N, C, a, b, s1, s2) {
      const pa = use(a, 0, N * C, true, false);
      const pb = use(b, 0, N * C, true, false);
      // the float64 sums go to a temporary block, then into the caller's Float64Arrays
      const at = failed ? -1 : arena.alloc(C * 16);
      if (failed || at < 0) { finish(false); tsFallbacks++; tsColSums2(N, C, a, b, s1, s2); return; }
      ex.colSums2(N, C, pa, pb, at, at + C * 8);
      const f64 = new Float64Array(buffer, at, 2 * C);
      s1.set(f64.subarray(0, C));
      s2.set(f64.subarray(C, 2 * C));
      arena.release(at, C * 16);
      finish(true);
    },

    bnForward(N, C, x, mean, invStd, g, b, xhat, y) {
      const px = use(x, 0, N * C, true, false);
      const pm = use(mean, 0, C, true, false);
      const ps = use(invStd, 0, C, true, false);
      const pg = use(g, 0, C, true, false);
      const pb = use(b, 0, C, true, false);
      const ph = use(xhat, 0, N * C, false, true);
      const py = use(y, 0, N * C, false, true);
      if (failed) { finish(false); tsFallbacks++; ew.bnForward(tsKernels, N, C, x, mean, invStd, g, b, xhat, y); return; }
      ex.bnForward(N, C, px, pm, ps, pg, pb, ph, py);
      finish(true);
    },

    bnBackward(N, C, dy, xhat, k1, k2, k3, dx) {
      const pd = use(dy, 0, N * C, true, false);
      const ph = use(xhat, 0, N * C, true, false);
      const p1 = use(k1, 0, C, true, false);
      const p2 = use(k2, 0, C, true, false);
      const p3 = use(k3, 0, C, true, false);
      const px = use(dx, 0, N * C, false, true);
      if (failed) { finish(false); tsFallbacks++; ew.bnBackward(tsKernels, N, C, dy, xhat, k1, k2, k3, dx); return; }
      ex.bnBackward(N, C, pd, ph, p1, p2, p3, px);
      finish(true);
    },

    maxPool2Forward(Tp, L, x, y) {
      const px = use(x, 0, 2 * Tp * L, true, false);
      const py = use(y, 0, Tp * L, false, true);
      if (failed) { finish(false); tsFallbacks++; ew.maxPool2Forward(tsKernels, Tp, L, x, y); return; }
      ex.maxPool2Forward(Tp, L, px, py);
      finish(true);
    },

    maxPool2Backward(T, Tp, L, x, dy, dx) {
      const px = use(x, 0, 2 * Tp * L, true, false);
      const pd = use(dy, 0, Tp * L, true, false);
      const pdx = use(dx, 0, T * L, false, true);
      if (failed) { finish(false); tsFallbacks++; ew.maxPool2Backward(tsKernels, T, Tp, L, x, dy, dx); return; }
      ex.maxPool2Backward(T, Tp, L, px, pd, pdx);
      finish(true);
    },

    fillRows(rows, cols, bias, y) {
      if (rows <= 0) return;
      const pb = use(bias, 0, cols, true, false);
      const py = use(y, 0, rows * cols, false, true);
      if (failed) { finish(false); tsFallbacks++; ew.fillRows(tsKernels, rows, cols, bias, y); return; }
      ex.fillRows(rows, cols, pb, py);
      finish(true);
    },

    convPostPool(Bc, T, S, C, outStep, y, bias, scale, shift, out) {
      const Tp = T >> 1;
      if (Bc <= 0 || Tp <= 0) return;
      const py = use(y, 0, ((Bc - 1) * S + 2 * Tp) * C, true, false);
      const pb = use(bias, 0, C, true, false);
      const ps = use(scale, 0, C, true, false);
      const ph = use(shift, 0, C, true, false);
      // a foreign out is copied in whole: the columns of the other episodes must survive
      const po = use(out, 0, (Tp - 1) * outStep + Bc * C, true, true);
      if (failed) { finish(false); tsFallbacks++; ew.convPostPool(tsKernels, Bc, T, S, C, outStep, y, bias, scale, shift, out); return; }
      ex.convPostPool(Bc, T, S, C, outStep, py, pb, ps, ph, po);
      finish(true);
    },
  };

  // the TypeScript loops, called with the plain backend (which has none of the optional kernels)
  const tsRelu = (n: number, x: Float32Array, y: Float32Array): void => ew.reluForward(tsKernels, n, x, y);
  const tsReluBack = (n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void => ew.reluBackward(tsKernels, n, y, dy, dx);
  const tsColSums2 = (N: number, C: number, a: Float32Array, b: Float32Array, s1: Float64Array, s2: Float64Array): void =>
    ew.colSums2(tsKernels, N, C, a, b, s1, s2);

  return k;
}
