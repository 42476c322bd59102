/**
 * The plain TypeScript backend of `Kernels`, the reference every other backend is tested against:
 * all kernels in this one file. A register-blocked (4×4) gemm with k-blocking on operands packed
 * to rows contiguous over k, where arithmetic inside one dot product runs in float64 (JS numbers)
 * and is rounded to float32 once when stored; the fused GRU/LSTM cell steps; the whole-layer
 * recurrences as the per-step calls they stand for (gru/lstmSequence…Steps, which any backend may
 * use); and the element-wise passes in float32 steps, which a fast backend must
 * reproduce bit for bit.
 *
 * The element-wise loops avoid data-dependent branches: a 50/50 branch (ReLU on signed data,
 * MaxPool) mispredicts half the time and cost 3× a plain copy.
 */
import type { Kernels } from './kernels.js';

/** k-block length: keeps the A and B panels of one pass in L2. */
const KC = 256;

/**
 * C(i,j) += alpha · Σ_k A(i,k)·B(j,k): both operands as rows that are contiguous over k
 * (A row i at aOff + i·lda, B row j at bOff + j·ldb). A 4×4 block of C is summed in registers;
 * k is blocked so the panels stay in cache for long K (weight gradients over all time steps).
 */
function gemmNT(
  M: number, N: number, K: number, alpha: number,
  A: Float32Array, aOff: number, lda: number,
  B: Float32Array, bOff: number, ldb: number,
  C: Float32Array, cOff: number, ldc: number,
): void {
  const M4 = M - (M % 4);
  const N4 = N - (N % 4);
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kl = Math.min(K, k0 + KC) - k0;
    for (let i = 0; i < M4; i += 4) {
      const a0 = aOff + i * lda + k0;
      const a1 = a0 + lda;
      const a2 = a1 + lda;
      const a3 = a2 + lda;
      for (let j = 0; j < N4; j += 4) {
        const b0 = bOff + j * ldb + k0;
        const b1 = b0 + ldb;
        const b2 = b1 + ldb;
        const b3 = b2 + ldb;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let k = 0; k < kl; k++) {
          const x0 = A[a0 + k]!, x1 = A[a1 + k]!, x2 = A[a2 + k]!, x3 = A[a3 + k]!;
          const y0 = B[b0 + k]!, y1 = B[b1 + k]!, y2 = B[b2 + k]!, y3 = B[b3 + k]!;
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        let c = cOff + i * ldc + j;
        C[c] += alpha * c00; C[c + 1] += alpha * c01; C[c + 2] += alpha * c02; C[c + 3] += alpha * c03;
        c += ldc;
        C[c] += alpha * c10; C[c + 1] += alpha * c11; C[c + 2] += alpha * c12; C[c + 3] += alpha * c13;
        c += ldc;
        C[c] += alpha * c20; C[c + 1] += alpha * c21; C[c + 2] += alpha * c22; C[c + 3] += alpha * c23;
        c += ldc;
        C[c] += alpha * c30; C[c + 1] += alpha * c31; C[c + 2] += alpha * c32; C[c + 3] += alpha * c33;
      }
      // leftover columns of this row block
      for (let j = N4; j < N; j++) {
        const b0 = bOff + j * ldb + k0;
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (let k = 0; k < kl; k++) {
          const y = B[b0 + k]!;
          c0 += A[a0 + k]! * y; c1 += A[a1 + k]! * y; c2 += A[a2 + k]! * y; c3 += A[a3 + k]! * y;
        }
        const c = cOff + i * ldc + j;
        C[c] += alpha * c0; C[c + ldc] += alpha * c1; C[c + 2 * ldc] += alpha * c2; C[c + 3 * ldc] += alpha * c3;
      }
    }
    // leftover rows
    for (let i = M4; i < M; i++) {
      const a0 = aOff + i * lda + k0;
      for (let j = 0; j < N; j++) {
        const b0 = bOff + j * ldb + k0;
        let s = 0;
        for (let k = 0; k < kl; k++) s += A[a0 + k]! * B[b0 + k]!;
        C[cOff + i * ldc + j] += alpha * s;
      }
    }
  }
}

// Scratch panels for transposing an operand into rows contiguous over k (grow only).
let packA = new Float32Array(0);
let packB = new Float32Array(0);
let colAcc = new Float64Array(0);

/** out (cols×rows) = transpose of the rows×cols matrix at X[off] with row stride ld. */
function transposeInto(X: Float32Array, off: number, ld: number, rows: number, cols: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const src = off + r * ld;
    for (let c = 0; c < cols; c++) out[c * rows + r] = X[src + c]!;
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Kernels.lstmSequenceForward as the 2·T calls it stands for, on any backend `k`:
 * gates[t] += h[t−1]·W_hhᵀ (nothing at t = 0, h0 = 0), then the fused cell.
 */
export function lstmSequenceForwardSteps(
  k: Kernels, T: number, B: number, H: number, gates: Float32Array, wHh: Float32Array,
  c0: Float32Array, c: Float32Array, y: Float32Array,
): void {
  const G = 4 * H;
  for (let t = 0; t < T; t++) {
    const pOff = t === 0 ? 0 : (t - 1) * B * H;
    if (t > 0) k.gemm(false, true, B, G, H, 1, y, pOff, H, wHh, 0, H, 1, gates, t * B * G, G);
    k.lstmCellForward(B, H, gates, t * B * G, t === 0 ? c0 : c, pOff, c, t * B * H, y, t * B * H);
  }
}

/**
 * Kernels.lstmSequenceBackward as the per-step calls it stands for, on any backend `k`:
 * dh += dy[t]; the cell's backward (dc becomes dL/dcPrev); t > 0: dh = dG[t]·W_hh.
 */
export function lstmSequenceBackwardSteps(
  k: Kernels, T: number, B: number, H: number, gates: Float32Array, wHh: Float32Array, c0: Float32Array,
  c: Float32Array, dy: Float32Array, dh: Float32Array, dc: Float32Array, dG: Float32Array,
): void {
  const G = 4 * H;
  for (let t = T - 1; t >= 0; t--) {
    const o = t * B * H;
    k.add(B * H, dh, dy.subarray(o, o + B * H), dh);
    const pOff = t === 0 ? 0 : (t - 1) * B * H;
    k.lstmCellBackward(B, H, gates, t * B * G, t === 0 ? c0 : c, pOff, c, o, dh, 0, dc, 0, dG, t * B * G);
    // dL/dhPrev comes only through the h-projection
    if (t > 0) k.gemm(false, false, B, H, G, 1, dG, t * B * G, G, wHh, 0, H, 0, dh, 0, H);
  }
}

/** The same memory as 32-bit integers: the sign-bit tricks of ReLU and dropout's unsigned compare. */
const i32 = (a: Float32Array): Int32Array => new Int32Array(a.buffer, a.byteOffset, a.length);

/** ReLU keeping a NaN (any sign) as NaN, as PyTorch; −0 → +0. */
const reluKeepNaN = (x: number): number => (x > 0 || x !== x ? x : 0);

/**
 * Kernels.gruSequenceForward as the 2·T calls it stands for, on any backend `k`:
 * gh[t] = b_hh + h[t−1]·W_hhᵀ (b_hh alone at t = 0), then the fused cell.
 */
export function gruSequenceForwardSteps(
  k: Kernels, T: number, B: number, H: number, gates: Float32Array, gh: Float32Array,
  wHh: Float32Array, bHh: Float32Array, h0: Float32Array, y: Float32Array,
): void {
  const G = 3 * H;
  for (let t = 0; t < T; t++) {
    const hpOff = t === 0 ? 0 : (t - 1) * B * H;
    if (t > 0) k.gemmBias(B, G, H, y, hpOff, H, wHh, 0, H, bHh, gh, t * B * G, G);
    else k.fillRows(B, G, bHh, gh);
    k.gruCellForward(B, H, gates, t * B * G, gh, t * B * G, t === 0 ? h0 : y, hpOff, y, t * B * H);
  }
}

/**
 * Kernels.gruSequenceBackward as the per-step calls it stands for, on any backend `k`:
 * dh += dy[t]; the cell's backward (dh becomes the direct part dh·z); t > 0: dh += dGh[t]·W_hh.
 */
export function gruSequenceBackwardSteps(
  k: Kernels, T: number, B: number, H: number, gates: Float32Array, gh: Float32Array, wHh: Float32Array,
  h0: Float32Array, y: Float32Array, dy: Float32Array, dh: Float32Array, dGx: Float32Array, dGh: Float32Array,
): void {
  const G = 3 * H;
  for (let t = T - 1; t >= 0; t--) {
    const o = t * B * H;
    k.add(B * H, dh, dy.subarray(o, o + B * H), dh);
    const hp = t === 0 ? h0 : y;
    const hpOff = t === 0 ? 0 : (t - 1) * B * H;
    k.gruCellBackward(B, H, gates, t * B * G, gh, t * B * G, hp, hpOff, dh, 0, dGx, t * B * G, dGh, t * B * G, dh, 0);
    if (t > 0) k.gemm(false, false, B, H, G, 1, dGh, t * B * G, G, wHh, 0, H, 1, dh, 0, H);
  }
}

export const tsKernels: Kernels = {
  name: 'ts',

  alloc(n: number): Float32Array {
    return new Float32Array(n);
  },

  gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc) {
    // scale C by beta first (beta = 0 overwrites, so NaN in C is dropped)
    if (beta !== 1) {
      for (let i = 0; i < M; i++) {
        const r = cOff + i * ldc;
        if (beta === 0) C.fill(0, r, r + N);
        else for (let j = 0; j < N; j++) C[r + j] *= beta;
      }
    }
    if (K === 0 || alpha === 0) return;
    if (M === 1 && transA && !transB) {
      // a weighted sum of B's rows (bias gradients): row axpys in float64, no transpose
      if (colAcc.length < N) colAcc = new Float64Array(N);
      colAcc.fill(0, 0, N);
      for (let q = 0; q < K; q++) {
        const a = A[aOff + q * lda]!;
        const r = bOff + q * ldb;
        for (let j = 0; j < N; j++) colAcc[j] += a * B[r + j]!;
      }
      for (let j = 0; j < N; j++) C[cOff + j] += alpha * colAcc[j]!;
      return;
    }
    // bring both operands to rows contiguous over k (a transpose costs O(size), the product O(M·N·K))
    let a = A, ao = aOff, la = lda;
    if (transA) {
      if (packA.length < M * K) packA = new Float32Array(M * K);
      transposeInto(A, aOff, lda, K, M, packA);
      a = packA; ao = 0; la = K;
    }
    let b = B, bo = bOff, lb = ldb;
    if (!transB) {
      if (packB.length < N * K) packB = new Float32Array(N * K);
      transposeInto(B, bOff, ldb, K, N, packB);
      b = packB; bo = 0; lb = K;
    }
    gemmNT(M, N, K, alpha, a, ao, la, b, bo, lb, C, cOff, ldc);
  },

  gemmBias(M, N, K, A, aOff, lda, W, wOff, ldw, bias, C, cOff, ldc) {
    if (M <= 0 || N <= 0) return;
    for (let i = 0; i < M; i++) C.set(bias.subarray(0, N), cOff + i * ldc);
    tsKernels.gemm(false, true, M, N, K, 1, A, aOff, lda, W, wOff, ldw, 1, C, cOff, ldc);
  },

  fillRows(rows, cols, bias, y) {
    if (rows <= 0) return;
    // row 0, then doubling block copies
    for (let j = 0; j < cols; j++) y[j] = bias[j]!;
    const n = rows * cols;
    for (let have = cols; have < n; have *= 2) y.copyWithin(have, 0, Math.min(have, n - have));
  },

  // ---- recurrent cells, in float64 inside a step, float32 when stored

  gruCellForward(B, H, gates, gOff, gh, ghOff, hPrev, hPrevOff, h, hOff) {
    const G = 3 * H;
    for (let b = 0; b < B; b++) {
      const g = gOff + b * G;
      const q = ghOff + b * G;
      const hp = hPrevOff + b * H;
      const ho = hOff + b * H;
      for (let j = 0; j < H; j++) {
        const r = sigmoid(gates[g + j]! + gh[q + j]!);
        const z = sigmoid(gates[g + H + j]! + gh[q + H + j]!);
        const n = Math.tanh(gates[g + 2 * H + j]! + r * gh[q + 2 * H + j]!);
        gates[g + j] = r;
        gates[g + H + j] = z;
        gates[g + 2 * H + j] = n;
        h[ho + j] = (1 - z) * n + z * hPrev[hp + j]!;
      }
    }
  },

  gruCellBackward(B, H, gates, gOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dGx, dGxOff, dGh, dGhOff, dhPrev, dhPrevOff) {
    const G = 3 * H;
    for (let b = 0; b < B; b++) {
      const g = gOff + b * G;
      const q = ghOff + b * G;
      const hp = hPrevOff + b * H;
      const d = dhOff + b * H;
      const dx = dGxOff + b * G;
      const dq = dGhOff + b * G;
      const dp = dhPrevOff + b * H;
      for (let j = 0; j < H; j++) {
        const r = gates[g + j]!;
        const z = gates[g + H + j]!;
        const n = gates[g + 2 * H + j]!;
        const dhj = dh[d + j]!;
        const dnPre = dhj * (1 - z) * (1 - n * n);
        const dzPre = dhj * (hPrev[hp + j]! - n) * z * (1 - z);
        const drPre = dnPre * gh[q + 2 * H + j]! * r * (1 - r);
        dGx[dx + j] = drPre;
        dGx[dx + H + j] = dzPre;
        dGx[dx + 2 * H + j] = dnPre;
        dGh[dq + j] = drPre;
        dGh[dq + H + j] = dzPre;
        dGh[dq + 2 * H + j] = dnPre * r;
        dhPrev[dp + j] = dhj * z;
      }
    }
  },

  gruSequenceForward(T, B, H, gates, gh, wHh, bHh, h0, y) {
    gruSequenceForwardSteps(tsKernels, T, B, H, gates, gh, wHh, bHh, h0, y);
  },

  gruSequenceBackward(T, B, H, gates, gh, wHh, h0, y, dy, dh, dGx, dGh) {
    gruSequenceBackwardSteps(tsKernels, T, B, H, gates, gh, wHh, h0, y, dy, dh, dGx, dGh);
  },

  lstmCellForward(B, H, gates, gOff, cPrev, cPrevOff, c, cOff, h, hOff) {
    const G = 4 * H;
    for (let b = 0; b < B; b++) {
      const g = gOff + b * G;
      const cp = cPrevOff + b * H;
      const co = cOff + b * H;
      const ho = hOff + b * H;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(gates[g + j]!);
        const f = sigmoid(gates[g + H + j]!);
        const gg = Math.tanh(gates[g + 2 * H + j]!);
        const o = sigmoid(gates[g + 3 * H + j]!);
        gates[g + j] = i;
        gates[g + H + j] = f;
        gates[g + 2 * H + j] = gg;
        gates[g + 3 * H + j] = o;
        // keep c in float32 exactly as stored so backward sees the same value
        const cv = Math.fround(f * cPrev[cp + j]! + i * gg);
        c[co + j] = cv;
        h[ho + j] = o * Math.tanh(cv);
      }
    }
  },

  lstmCellBackward(B, H, gates, gOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff, dG, dGOff) {
    const G = 4 * H;
    for (let b = 0; b < B; b++) {
      const g = gOff + b * G;
      const cp = cPrevOff + b * H;
      const co = cOff + b * H;
      const d = dhOff + b * H;
      const dcb = dcOff + b * H;
      const o4 = dGOff + b * G;
      for (let j = 0; j < H; j++) {
        const i = gates[g + j]!;
        const f = gates[g + H + j]!;
        const gg = gates[g + 2 * H + j]!;
        const o = gates[g + 3 * H + j]!;
        const tc = Math.tanh(c[co + j]!);
        const dhj = dh[d + j]!;
        const dct = dc[dcb + j]! + dhj * o * (1 - tc * tc);
        dG[o4 + j] = dct * gg * i * (1 - i);
        dG[o4 + H + j] = dct * cPrev[cp + j]! * f * (1 - f);
        dG[o4 + 2 * H + j] = dct * i * (1 - gg * gg);
        dG[o4 + 3 * H + j] = dhj * tc * o * (1 - o);
        dc[dcb + j] = dct * f;
      }
    }
  },
  lstmSequenceForward(T, B, H, gates, wHh, c0, c, y) {
    lstmSequenceForwardSteps(tsKernels, T, B, H, gates, wHh, c0, c, y);
  },

  lstmSequenceBackward(T, B, H, gates, wHh, c0, c, dy, dh, dc, dG) {
    lstmSequenceBackwardSteps(tsKernels, T, B, H, gates, wHh, c0, c, dy, dh, dc, dG);
  },

  // ---- element-wise passes: float32 steps, the bits every backend must reproduce

  add(n, a, b, y) {
    for (let i = 0; i < n; i++) y[i] = a[i]! + b[i]!;
  },

  mul(n, a, b, y) {
    for (let i = 0; i < n; i++) y[i] = a[i]! * b[i]!;
  },

  dropoutForward(n, u, thr, scale, x, mask, y) {
    // u ≥ thr unsigned ⇔ (u − 2³¹) ≥ (thr − 2³¹) signed; int32 reads stay small integers, no branch
    const ui = i32(u);
    const tb = (thr - 2147483648) | 0;
    const s = Math.fround(scale); // the float32 mask value, so y = x·mask in float32
    for (let i = 0; i < n; i++) {
      const m = s * +((ui[i]! ^ -2147483648) >= tb);
      mask[i] = m;
      y[i] = x[i]! * m;
    }
  },

  reluForward(n, x, y) {
    const xi = i32(x), yi = i32(y);
    // x >> 31 is all ones exactly when the sign bit is set
    for (let i = 0; i < n; i++) { const v = xi[i]!; yi[i] = v & ~(v >> 31); }
  },

  reluBackward(n, y, dy, dx) {
    const yi = i32(y), di = i32(dy), xi = i32(dx);
    // (−y) >> 31 is all ones for y > 0, zero for y = +0
    for (let i = 0; i < n; i++) xi[i] = di[i]! & (-yi[i]! >> 31);
  },

  colSums2(N, C, a, b, s1, s2) {
    s1.fill(0, 0, C);
    s2.fill(0, 0, C);
    for (let r = 0; r < N; r++) {
      const o = r * C;
      for (let c = 0; c < C; c++) { const v = a[o + c]!; s1[c] += v; s2[c] += v * b[o + c]!; }
    }
  },

  bnForward(N, C, x, mean, invStd, g, b, xhat, y) {
    const f = Math.fround;
    for (let r = 0; r < N; r++) {
      const o = r * C;
      for (let c = 0; c < C; c++) {
        const h = f(f(x[o + c]! - mean[c]!) * invStd[c]!);
        xhat[o + c] = h;
        y[o + c] = f(h * g[c]!) + b[c]!;
      }
    }
  },

  bnReluForward(N, C, x, mean, invStd, g, b, xhat, y) {
    tsKernels.bnForward(N, C, x, mean, invStd, g, b, xhat, y);
    tsKernels.reluForward(N * C, y, y);
  },

  reluColSums2(N, C, y, dy, b, s1, s2) {
    const yi = i32(y), di = i32(dy);
    const d = new Float32Array(1), dI = i32(d);
    s1.fill(0, 0, C);
    s2.fill(0, 0, C);
    for (let r = 0; r < N; r++) {
      const o = r * C;
      for (let c = 0; c < C; c++) {
        dI[0] = di[o + c]! & (-yi[o + c]! >> 31);
        const v = d[0]!;
        s1[c] += v;
        s2[c] += v * b[o + c]!;
      }
    }
  },

  reluBnBackward(N, C, y, dy, xhat, k1, k2, k3, dx) {
    tsKernels.reluBackward(N * C, y, dy, dx);
    tsKernels.bnBackward(N, C, dx, xhat, k1, k2, k3, dx);
  },

  im2colTime(T, B, I, taps, x, col) {
    const p = (taps - 1) / 2;
    let o = 0;
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        for (let tap = 0; tap < taps; tap++, o += I) {
          const u = t + tap - p;
          if (u < 0 || u >= T) col.fill(0, o, o + I);
          else col.set(x.subarray((u * B + b) * I, (u * B + b + 1) * I), o);
        }
      }
    }
  },

  copyRows(rows, w, src, srcOff, srcStride, dst, dstOff, dstStride) {
    for (let r = 0; r < rows; r++) {
      const from = srcOff + r * srcStride;
      dst.set(src.subarray(from, from + w), dstOff + r * dstStride);
    }
  },

  bnBackward(N, C, dy, xhat, k1, k2, k3, dx) {
    const f = Math.fround;
    for (let r = 0; r < N; r++) {
      const o = r * C;
      for (let c = 0; c < C; c++) {
        dx[o + c] = k1[c]! * f(f(dy[o + c]! - k2[c]!) - f(xhat[o + c]! * k3[c]!));
      }
    }
  },

  maxPool2Forward(Tp, L, x, y) {
    for (let t = 0; t < Tp; t++) {
      const a = 2 * t * L, b = a + L, o = t * L;
      for (let i = 0; i < L; i++) {
        const u = x[a + i]!, v = x[b + i]!;
        y[o + i] = v > u || v !== v ? v : u;
      }
    }
  },

  maxPool2Backward(T, Tp, L, x, dy, dx) {
    for (let t = 0; t < Tp; t++) {
      const a = 2 * t * L, b = a + L, o = t * L;
      for (let i = 0; i < L; i++) {
        const u = x[a + i]!, v = x[b + i]!;
        const later = v > u || v !== v;
        const d = dy[o + i]!;
        dx[a + i] = later ? 0 : d;
        dx[b + i] = later ? d : 0;
      }
    }
    dx.fill(0, 2 * Tp * L, T * L);
  },

  convPostPool(Bc, T, S, C, outStep, y, bias, scale, shift, out) {
    const f = Math.fround;
    const Tp = T >> 1;
    for (let b = 0; b < Bc; b++) {
      for (let t = 0; t < Tp; t++) {
        const r0 = (b * S + 2 * t) * C;
        const r1 = r0 + C;
        const o = t * outStep + b * C;
        for (let c = 0; c < C; c++) {
          const bi = bias[c]!, s = scale[c]!, h = shift[c]!;
          const u = reluKeepNaN(f(f(reluKeepNaN(f(y[r0 + c]! + bi)) * s) + h));
          const v = reluKeepNaN(f(f(reluKeepNaN(f(y[r1 + c]! + bi)) * s) + h));
          out[o + c] = v > u || v !== v ? v : u;
        }
      }
    }
  },
};

/** The default backend. */
export function defaultKernels(): Kernels {
  return tsKernels;
}
