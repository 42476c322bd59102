/**
 * The WebAssembly SIMD backend of `Kernels`.
 *
 * One fixed-size WebAssembly.Memory holds: [0, 64 KiB) for the module itself, then gemm's packing
 * scratch, then an arena from which `alloc` hands out Float32Array views. Kernels run in place on
 * arrays that live in this memory; any other array (a "foreign" one, e.g. made with
 * `new Float32Array`) is copied into a temporary block and, for outputs, copied back, all by one
 * helper (`call`). When even that does not fit, the call goes to the TypeScript reference (or, for
 * the whole-layer GRU and LSTM kernels, to this backend's own per-step calls). Views are freed
 * when they are garbage-collected (FinalizationRegistry) or at once through `release`.
 *
 * Two builds of the module (scripts/build-wasm.mjs): plain SIMD, and relaxed SIMD whose gemm and
 * exp use fused multiply-add; the second is taken where the engine validates a relaxed-SIMD probe.
 *
 * This file knows nothing of the layers: each kernel is a wasm export, its operands and a fallback.
 */
import type { Kernels } from '../kernels.js';
import {
  gruSequenceBackwardSteps, gruSequenceForwardSteps, lstmSequenceBackwardSteps, lstmSequenceForwardSteps, tsKernels,
} from '../kernels-ts.js';
import { Arena } from './arena.js';
import { WASM_BASE64, WASM_RELAXED_BASE64 } from './binary.generated.js';
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
  lstmSequenceForward(T: number, B: number, H: number, gates: number, wHh: number, c0: number, c: number, y: number, scratch: number): void;
  lstmSequenceBackward(
    T: number, B: number, H: number, gates: number, wHh: number, c0: number, c: number,
    dy: number, dh: number, dc: number, dG: number, scratch: number,
  ): void;
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
  bnReluForward(N: number, C: number, x: number, mean: number, invStd: number, g: number, b: number, xhat: number, y: number): void;
  reluColSums2(N: number, C: number, y: number, dy: number, b: number, s1: number, s2: number): void;
  reluBnBackward(N: number, C: number, y: number, dy: number, xhat: number, k1: number, k2: number, k3: number, dx: number): void;
  copyRows(rows: number, w: number, src: number, srcStride: number, dst: number, dstStride: number): void;
  im2colTime(T: number, B: number, I: number, taps: number, x: number, col: number): void;
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
  /** Use the relaxed-SIMD build (fused multiply-add in gemm): default where the engine supports
   * it; true throws where it does not, false keeps the plain SIMD build. */
  relaxedSimd?: boolean;
}

export interface WasmKernels extends Kernels {
  /** Frees a buffer from `alloc` now instead of when it is garbage-collected. Do not use it after. */
  release(buf: Float32Array): void;
  /** Arena use in bytes, and how many calls had to copy foreign arrays or take their fallback. */
  stats(): { inUse: number; peak: number; capacity: number; highWater: number; copiedCalls: number; tsFallbacks: number };
}

const RESERVED = 64 * 1024;

const moduleCache = new Map<boolean, WasmModule>();

function api(): WasmApi {
  const wa = wasmApi();
  if (!wa) throw new Error('this JavaScript engine has no WebAssembly');
  return wa;
}

function decode(b64: string): Uint8Array {
  if (typeof Buffer !== 'undefined') return Buffer.from(b64, 'base64');
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

const wasmBytes = (relaxed: boolean): Uint8Array => decode(relaxed ? WASM_RELAXED_BASE64 : WASM_BASE64);

/** False where the engine lacks WebAssembly or its SIMD extension. */
export function wasmSupported(): boolean {
  try {
    return wasmApi()?.validate(wasmBytes(false)) ?? false;
  } catch {
    return false;
  }
}

/**
 * (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0))):
 * valid only where the engine has relaxed SIMD (Node 20 with --experimental-wasm-relaxed-simd,
 * V8 ≥ 11.4 / Chrome 114 by default).
 */
const RELAXED_PROBE = (() => {
  const zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)]; // v128.const 0
  const body = [0x00, ...zero, ...zero, ...zero, 0xfd, 0x85, 0x02, 0x0b]; // no locals; relaxed_madd = 0xfd 0x105
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () → v128
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x0a, body.length + 2, 0x01, body.length, ...body, // code section
  ]);
})();

let relaxed: boolean | null = null;

/** Whether the engine validates relaxed SIMD right now (not cached: a Node flag can turn it on). */
export function relaxedSimdProbe(): boolean {
  try {
    return wasmApi()?.validate(RELAXED_PROBE) ?? false;
  } catch {
    return false;
  }
}

/** Whether this engine runs relaxed SIMD (checked once, so every backend of a thread takes the same build). */
export function relaxedSimdSupported(): boolean {
  relaxed ??= relaxedSimdProbe();
  return relaxed;
}

/** Whether relaxedSimdSupported has already answered in this thread. */
export function relaxedSimdChecked(): boolean {
  return relaxed !== null;
}

function useRelaxed(opts: WasmKernelsOptions): boolean {
  if (opts.relaxedSimd === true && !relaxedSimdSupported()) throw new Error('this JavaScript engine has no relaxed SIMD');
  return opts.relaxedSimd ?? relaxedSimdSupported();
}

/** Creates the backend synchronously (the module is ~19 KB, small enough for sync compilation). */
export function createWasmKernels(opts: WasmKernelsOptions = {}): WasmKernels {
  const r = useRelaxed(opts);
  let mod = moduleCache.get(r);
  if (!mod) moduleCache.set(r, (mod = new (api().Module)(wasmBytes(r))));
  return instantiate(mod, r, opts);
}

/** Same as createWasmKernels, compiling off the main thread where the platform can. */
export async function createWasmKernelsAsync(opts: WasmKernelsOptions = {}): Promise<WasmKernels> {
  const r = useRelaxed(opts);
  let mod = moduleCache.get(r);
  if (!mod) moduleCache.set(r, (mod = await api().compile(wasmBytes(r))));
  return instantiate(mod, r, opts);
}

/** How a kernel uses an operand: read, written, or both (copy in and back when foreign). */
const IN = 1;
const OUT = 2;
const INOUT = 3;
type Mode = typeof IN | typeof OUT | typeof INOUT;

/** One operand: elements [off, off + len) of arr (float32, or float64 for colSums2's sums). */
type Operand = readonly [arr: Float32Array | Float64Array, off: number, len: number, mode: Mode];

/** A temporary block holding a foreign operand during one call. */
interface Temp {
  at: number;
  bytes: number;
  op: Operand;
}

function instantiate(mod: WasmModule, relaxedSimd: boolean, opts: WasmKernelsOptions): WasmKernels {
  const pages = Math.ceil(((opts.memoryMiB ?? 512) * 1024 * 1024) / 65536);
  // maximum = initial: this memory must never grow (growth would detach every view handed out)
  const memory = new (api().Memory)({ initial: pages, maximum: pages });
  const ex = new (api().Instance)(mod, { env: { memory } }).exports as unknown as Exports;
  const buffer = memory.buffer;
  const u8 = new Uint8Array(buffer);
  const scratch = RESERVED;
  const arenaStart = scratch + ex.gemmScratchBytes();
  const arena = new Arena(u8, arenaStart, buffer.byteLength);
  const blocks = new WeakMap<Float32Array, { off: number; bytes: number }>();
  const registry = new FinalizationRegistry<{ off: number; bytes: number }>((b) => arena.release(b.off, b.bytes));
  let copiedCalls = 0;
  let tsFallbacks = 0;
  const temps: Temp[] = [];
  const addrs: number[] = [];

  const bytesOf = (op: Operand): Uint8Array =>
    new Uint8Array(op[0].buffer, op[0].byteOffset + op[1] * op[0].BYTES_PER_ELEMENT, op[2] * op[0].BYTES_PER_ELEMENT);

  /**
   * Copy into the arena, call, copy out: runs `kernel` with the byte address of every operand in
   * wasm memory. An operand already there is passed in place; a foreign one is copied into a
   * temporary block (unless OUT only) and, unless IN only, copied back after the call. When a
   * copy does not fit in the arena, `fallback` runs instead on the caller's arrays.
   */
  function call(ops: readonly Operand[], kernel: (...addr: number[]) => void, fallback: () => void): void {
    // the usual case first: every operand already in wasm memory, nothing to copy
    let n = 0;
    for (; n < ops.length; n++) {
      const arr = ops[n]![0];
      if (arr.buffer !== buffer) break;
      addrs[n] = arr.byteOffset + ops[n]![1] * arr.BYTES_PER_ELEMENT;
    }
    if (n === ops.length) {
      const a = addrs;
      // the count spelled out for the short lists: cheaper than a spread call
      if (n === 2) kernel(a[0]!, a[1]!);
      else if (n === 3) kernel(a[0]!, a[1]!, a[2]!);
      else if (n === 4) kernel(a[0]!, a[1]!, a[2]!, a[3]!);
      else { addrs.length = n; kernel(...addrs); }
      return;
    }
    let fits = true;
    for (; n < ops.length; n++) {
      const op = ops[n]!;
      const [arr, off, len] = op;
      if (arr.buffer === buffer) { addrs[n] = arr.byteOffset + off * arr.BYTES_PER_ELEMENT; continue; }
      const bytes = len * arr.BYTES_PER_ELEMENT;
      const at = arena.alloc(bytes);
      if (at < 0) { fits = false; break; }
      if (op[3] & IN) u8.set(bytesOf(op), at);
      temps.push({ at, bytes, op });
      addrs[n] = at;
    }
    addrs.length = ops.length;
    if (temps.length > 0) copiedCalls++;
    if (!fits) {
      // free the blocks first: the fallback may itself call kernels of this backend
      finish(false);
      tsFallbacks++;
      fallback();
      return;
    }
    try {
      kernel(...addrs);
    } finally {
      finish(true);
    }
  }

  /** Copies the foreign outputs back (when the kernel ran) and frees the temporary blocks. */
  function finish(ran: boolean): void {
    for (const t of temps) {
      if (ran && t.op[3] & OUT) bytesOf(t.op).set(u8.subarray(t.at, t.at + t.bytes));
      arena.release(t.at, t.bytes);
    }
    temps.length = 0;
  }

  /** Floats spanned by a rows×cols matrix with row stride ld. */
  const span = (rows: number, cols: number, ld: number): number => (rows - 1) * ld + cols;
  const ref = tsKernels;

  const k: WasmKernels = {
    // the name says which build runs: their gemm results differ in the last bits
    name: relaxedSimd ? 'wasm-relaxed-simd' : 'wasm-simd',

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

    // ---- matrix products

    gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc) {
      if (M <= 0 || N <= 0) return;
      if (K <= 0 || alpha === 0) {
        ref.gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
        return;
      }
      call(
        [
          [A, aOff, transA ? span(K, M, lda) : span(M, K, lda), IN],
          [B, bOff, transB ? span(N, K, ldb) : span(K, N, ldb), IN],
          // a foreign C is copied in whole: the kernel reads it when beta ≠ 0 and gaps between rows must survive
          [C, cOff, span(M, N, ldc), INOUT],
        ],
        (pa, pb, pc) => ex.gemm(transA ? 1 : 0, transB ? 1 : 0, M, N, K, alpha, pa!, lda, pb!, ldb, beta, pc!, ldc, scratch),
        () => ref.gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc),
      );
    },

    gemmBias(M, N, K, A, aOff, lda, W, wOff, ldw, bias, C, cOff, ldc) {
      if (M <= 0 || N <= 0) return;
      call(
        [[A, aOff, span(M, K, lda), IN], [W, wOff, span(N, K, ldw), IN], [bias, 0, N, IN], [C, cOff, span(M, N, ldc), INOUT]],
        (pa, pw, pb, pc) => ex.gemmBias(M, N, K, pa!, lda, pw!, ldw, pb!, pc!, ldc, scratch),
        () => ref.gemmBias(M, N, K, A, aOff, lda, W, wOff, ldw, bias, C, cOff, ldc),
      );
    },

    fillRows(rows, cols, bias, y) {
      if (rows <= 0) return;
      call(
        [[bias, 0, cols, IN], [y, 0, rows * cols, OUT]],
        (pb, py) => ex.fillRows(rows, cols, pb!, py!),
        () => ref.fillRows(rows, cols, bias, y),
      );
    },

    // ---- recurrent cells and whole GRU layers

    gruCellForward(B, H, gates, gOff, gh, ghOff, hPrev, hPrevOff, h, hOff) {
      const G = 3 * H;
      call(
        [[gates, gOff, B * G, INOUT], [gh, ghOff, B * G, IN], [hPrev, hPrevOff, B * H, IN], [h, hOff, B * H, OUT]],
        (pg, pq, pp, ph) => ex.gruCellForward(B, H, pg!, pq!, pp!, ph!),
        () => ref.gruCellForward(B, H, gates, gOff, gh, ghOff, hPrev, hPrevOff, h, hOff),
      );
    },

    gruCellBackward(B, H, gates, gOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dGx, dGxOff, dGh, dGhOff, dhPrev, dhPrevOff) {
      const G = 3 * H;
      call(
        [
          [gates, gOff, B * G, IN], [gh, ghOff, B * G, IN], [hPrev, hPrevOff, B * H, IN], [dh, dhOff, B * H, IN],
          [dGx, dGxOff, B * G, OUT], [dGh, dGhOff, B * G, OUT],
          // dhPrev may alias dh: in wasm memory both are one address; foreign, dhPrev gets its own copy
          [dhPrev, dhPrevOff, B * H, OUT],
        ],
        (pg, pq, pp, pd, px, pr, pdp) => ex.gruCellBackward(B, H, pg!, pq!, pp!, pd!, px!, pr!, pdp!),
        () => ref.gruCellBackward(B, H, gates, gOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dGx, dGxOff, dGh, dGhOff, dhPrev, dhPrevOff),
      );
    },

    gruSequenceForward(T, B, H, gates, gh, wHh, bHh, h0, y) {
      const G = 3 * H;
      call(
        [[gates, 0, T * B * G, INOUT], [gh, 0, T * B * G, OUT], [wHh, 0, G * H, IN], [bHh, 0, G, IN], [h0, 0, B * H, IN], [y, 0, T * B * H, OUT]],
        (pg, pq, pw, pb, p0, py) => ex.gruSequenceForward(T, B, H, pg!, pq!, pw!, pb!, p0!, py!, scratch),
        // step by step through this backend's own calls (which copy or fall back one at a time)
        () => gruSequenceForwardSteps(k, T, B, H, gates, gh, wHh, bHh, h0, y),
      );
    },

    gruSequenceBackward(T, B, H, gates, gh, wHh, h0, y, dy, dh, dGx, dGh) {
      const G = 3 * H;
      call(
        [
          [gates, 0, T * B * G, IN], [gh, 0, T * B * G, IN], [wHh, 0, G * H, IN], [h0, 0, B * H, IN], [y, 0, T * B * H, IN],
          [dy, 0, T * B * H, IN], [dh, 0, B * H, INOUT], [dGx, 0, T * B * G, OUT], [dGh, 0, T * B * G, OUT],
        ],
        (pg, pq, pw, p0, py, pd, pdh, px, pr) => ex.gruSequenceBackward(T, B, H, pg!, pq!, pw!, p0!, py!, pd!, pdh!, px!, pr!, scratch),
        () => gruSequenceBackwardSteps(k, T, B, H, gates, gh, wHh, h0, y, dy, dh, dGx, dGh),
      );
    },

    lstmCellForward(B, H, gates, gOff, cPrev, cPrevOff, c, cOff, h, hOff) {
      const G = 4 * H;
      call(
        [[gates, gOff, B * G, INOUT], [cPrev, cPrevOff, B * H, IN], [c, cOff, B * H, OUT], [h, hOff, B * H, OUT]],
        (pg, pcp, pc, ph) => ex.lstmCellForward(B, H, pg!, pcp!, pc!, ph!),
        () => ref.lstmCellForward(B, H, gates, gOff, cPrev, cPrevOff, c, cOff, h, hOff),
      );
    },

    lstmCellBackward(B, H, gates, gOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff, dG, dGOff) {
      const G = 4 * H;
      call(
        [
          [gates, gOff, B * G, IN], [cPrev, cPrevOff, B * H, IN], [c, cOff, B * H, IN], [dh, dhOff, B * H, IN],
          [dc, dcOff, B * H, INOUT], [dG, dGOff, B * G, OUT],
        ],
        (pg, pcp, pc, pd, pdc, pG) => ex.lstmCellBackward(B, H, pg!, pcp!, pc!, pd!, pdc!, pG!),
        () => ref.lstmCellBackward(B, H, gates, gOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff, dG, dGOff),
      );
    },

    lstmSequenceForward(T, B, H, gates, wHh, c0, c, y) {
      const G = 4 * H;
      call(
        [[gates, 0, T * B * G, INOUT], [wHh, 0, G * H, IN], [c0, 0, B * H, IN], [c, 0, T * B * H, OUT], [y, 0, T * B * H, OUT]],
        (pg, pw, p0, pc, py) => ex.lstmSequenceForward(T, B, H, pg!, pw!, p0!, pc!, py!, scratch),
        () => lstmSequenceForwardSteps(k, T, B, H, gates, wHh, c0, c, y),
      );
    },

    lstmSequenceBackward(T, B, H, gates, wHh, c0, c, dy, dh, dc, dG) {
      const G = 4 * H;
      call(
        [
          [gates, 0, T * B * G, IN], [wHh, 0, G * H, IN], [c0, 0, B * H, IN], [c, 0, T * B * H, IN], [dy, 0, T * B * H, IN],
          [dh, 0, B * H, INOUT], [dc, 0, B * H, INOUT], [dG, 0, T * B * G, OUT],
        ],
        (pg, pw, p0, pc, pd, pdh, pdc, pG) => ex.lstmSequenceBackward(T, B, H, pg!, pw!, p0!, pc!, pd!, pdh!, pdc!, pG!, scratch),
        () => lstmSequenceBackwardSteps(k, T, B, H, gates, wHh, c0, c, dy, dh, dc, dG),
      );
    },

    // ---- element-wise passes (the reference's exact bits, so a fallback changes nothing)

    add(n, a, b, y) {
      call([[a, 0, n, IN], [b, 0, n, IN], [y, 0, n, OUT]], (pa, pb, py) => ex.add(n, pa!, pb!, py!), () => ref.add(n, a, b, y));
    },

    mul(n, a, b, y) {
      call([[a, 0, n, IN], [b, 0, n, IN], [y, 0, n, OUT]], (pa, pb, py) => ex.mul(n, pa!, pb!, py!), () => ref.mul(n, a, b, y));
    },

    dropoutForward(n, u, thr, scale, x, mask, y) {
      call(
        [[u, 0, n, IN], [x, 0, n, IN], [mask, 0, n, OUT], [y, 0, n, OUT]],
        (pu, px, pm, py) => ex.dropoutForward(n, pu!, thr | 0, scale, px!, pm!, py!),
        () => ref.dropoutForward(n, u, thr, scale, x, mask, y),
      );
    },

    reluForward(n, x, y) {
      call([[x, 0, n, IN], [y, 0, n, OUT]], (px, py) => ex.reluForward(n, px!, py!), () => ref.reluForward(n, x, y));
    },

    reluBackward(n, y, dy, dx) {
      call(
        [[y, 0, n, IN], [dy, 0, n, IN], [dx, 0, n, OUT]],
        (py, pd, px) => ex.reluBackward(n, py!, pd!, px!),
        () => ref.reluBackward(n, y, dy, dx),
      );
    },

    colSums2(N, C, a, b, s1, s2) {
      call(
        [[a, 0, N * C, IN], [b, 0, N * C, IN], [s1, 0, C, OUT], [s2, 0, C, OUT]],
        (pa, pb, p1, p2) => ex.colSums2(N, C, pa!, pb!, p1!, p2!),
        () => ref.colSums2(N, C, a, b, s1, s2),
      );
    },

    bnForward(N, C, x, mean, invStd, g, b, xhat, y) {
      call(
        [[x, 0, N * C, IN], [mean, 0, C, IN], [invStd, 0, C, IN], [g, 0, C, IN], [b, 0, C, IN], [xhat, 0, N * C, OUT], [y, 0, N * C, OUT]],
        (px, pm, ps, pg, pb, ph, py) => ex.bnForward(N, C, px!, pm!, ps!, pg!, pb!, ph!, py!),
        () => ref.bnForward(N, C, x, mean, invStd, g, b, xhat, y),
      );
    },

    bnBackward(N, C, dy, xhat, k1, k2, k3, dx) {
      call(
        [[dy, 0, N * C, IN], [xhat, 0, N * C, IN], [k1, 0, C, IN], [k2, 0, C, IN], [k3, 0, C, IN], [dx, 0, N * C, OUT]],
        (pd, ph, p1, p2, p3, px) => ex.bnBackward(N, C, pd!, ph!, p1!, p2!, p3!, px!),
        () => ref.bnBackward(N, C, dy, xhat, k1, k2, k3, dx),
      );
    },

    bnReluForward(N, C, x, mean, invStd, g, b, xhat, y) {
      call(
        [[x, 0, N * C, IN], [mean, 0, C, IN], [invStd, 0, C, IN], [g, 0, C, IN], [b, 0, C, IN], [xhat, 0, N * C, OUT], [y, 0, N * C, OUT]],
        (px, pm, ps, pg, pb, ph, py) => ex.bnReluForward(N, C, px!, pm!, ps!, pg!, pb!, ph!, py!),
        () => ref.bnReluForward(N, C, x, mean, invStd, g, b, xhat, y),
      );
    },

    reluColSums2(N, C, y, dy, b, s1, s2) {
      call(
        [[y, 0, N * C, IN], [dy, 0, N * C, IN], [b, 0, N * C, IN], [s1, 0, C, OUT], [s2, 0, C, OUT]],
        (py, pd, pb, p1, p2) => ex.reluColSums2(N, C, py!, pd!, pb!, p1!, p2!),
        () => ref.reluColSums2(N, C, y, dy, b, s1, s2),
      );
    },

    reluBnBackward(N, C, y, dy, xhat, k1, k2, k3, dx) {
      call(
        [[y, 0, N * C, IN], [dy, 0, N * C, IN], [xhat, 0, N * C, IN], [k1, 0, C, IN], [k2, 0, C, IN], [k3, 0, C, IN], [dx, 0, N * C, OUT]],
        (py, pd, ph, p1, p2, p3, px) => ex.reluBnBackward(N, C, py!, pd!, ph!, p1!, p2!, p3!, px!),
        () => ref.reluBnBackward(N, C, y, dy, xhat, k1, k2, k3, dx),
      );
    },

    im2colTime(T, B, I, taps, x, col) {
      call(
        [[x, 0, T * B * I, IN], [col, 0, T * B * taps * I, OUT]],
        (px, pc) => ex.im2colTime(T, B, I, taps, px!, pc!),
        () => ref.im2colTime(T, B, I, taps, x, col),
      );
    },

    copyRows(rows, w, src, srcOff, srcStride, dst, dstOff, dstStride) {
      if (rows <= 0) return;
      const span = (stride: number): number => (rows - 1) * stride + w;
      call(
        [[src, srcOff, span(srcStride), IN], [dst, dstOff, span(dstStride), INOUT]],
        (ps, pd) => ex.copyRows(rows, w, ps!, srcStride, pd!, dstStride),
        () => ref.copyRows(rows, w, src, srcOff, srcStride, dst, dstOff, dstStride),
      );
    },

    maxPool2Forward(Tp, L, x, y) {
      call(
        [[x, 0, 2 * Tp * L, IN], [y, 0, Tp * L, OUT]],
        (px, py) => ex.maxPool2Forward(Tp, L, px!, py!),
        () => ref.maxPool2Forward(Tp, L, x, y),
      );
    },

    maxPool2Backward(T, Tp, L, x, dy, dx) {
      call(
        [[x, 0, 2 * Tp * L, IN], [dy, 0, Tp * L, IN], [dx, 0, T * L, OUT]],
        (px, pd, pdx) => ex.maxPool2Backward(T, Tp, L, px!, pd!, pdx!),
        () => ref.maxPool2Backward(T, Tp, L, x, dy, dx),
      );
    },

    convPostPool(Bc, T, S, C, outStep, y, bias, scale, shift, out) {
      const Tp = T >> 1;
      if (Bc <= 0 || Tp <= 0) return;
      call(
        [
          [y, 0, ((Bc - 1) * S + 2 * Tp) * C, IN], [bias, 0, C, IN], [scale, 0, C, IN], [shift, 0, C, IN],
          // a foreign out is copied in whole: the columns of the other episodes must survive
          [out, 0, (Tp - 1) * outStep + Bc * C, INOUT],
        ],
        (py, pb, ps, ph, po) => ex.convPostPool(Bc, T, S, C, outStep, py!, pb!, ps!, ph!, po!),
        () => ref.convPostPool(Bc, T, S, C, outStep, y, bias, scale, shift, out),
      );
    },
  };

  return k;
}
