/**
 * Element-wise passes of the layers (dropout, ReLU, BatchNorm, MaxPool, the fused CNN eval tail,
 * bias rows) and the bias-adding gemm: each helper calls the backend's optional kernel when it has
 * one, else the TypeScript loop here. The element-wise ones give the same bits either way (float32
 * math in the same order; float64 only for the column sums; a NaN's sign bit aside in the CNN tail).
 *
 * The loops avoid data-dependent branches: on this CPU a 50/50 branch (ReLU on signed data,
 * MaxPool) mispredicts half the time and cost 3× a plain copy.
 */
import type { Kernels } from './kernels.js';

const i32 = (a: Float32Array): Int32Array => new Int32Array(a.buffer, a.byteOffset, a.length);

/** y[i] = a[i] + b[i], i < n. */
export function addInto(k: Kernels, n: number, a: Float32Array, b: Float32Array, y: Float32Array): void {
  if (k.add) { k.add(n, a, b, y); return; }
  for (let i = 0; i < n; i++) y[i] = a[i]! + b[i]!;
}

/** y[i] = a[i]·b[i], i < n. */
export function mulInto(k: Kernels, n: number, a: Float32Array, b: Float32Array, y: Float32Array): void {
  if (k.mul) { k.mul(n, a, b, y); return; }
  for (let i = 0; i < n; i++) y[i] = a[i]! * b[i]!;
}

/** mask = u ≥ thr (uint32 bits of u) ? scale : 0, y = x·mask (see Kernels.dropoutForward). */
export function dropoutForward(
  k: Kernels, n: number, u: Float32Array, thr: number, scale: number, x: Float32Array, mask: Float32Array, y: Float32Array,
): void {
  if (k.dropoutForward) { k.dropoutForward(n, u, thr, scale, x, mask, y); return; }
  // u ≥ thr unsigned ⇔ (u − 2³¹) ≥ (thr − 2³¹) signed; int32 reads stay small integers, no branch
  const ui = i32(u);
  const tb = (thr - 2147483648) | 0;
  const s = Math.fround(scale); // the float32 mask value, so y = x·mask in float32
  for (let i = 0; i < n; i++) {
    const m = s * +((ui[i]! ^ -2147483648) >= tb);
    mask[i] = m;
    y[i] = x[i]! * m;
  }
}

/** y = x with the sign-bit-set values made +0 (ReLU; −0 → +0, a NaN keeps its bits unless negative). */
export function reluForward(k: Kernels, n: number, x: Float32Array, y: Float32Array): void {
  if (k.reluForward) { k.reluForward(n, x, y); return; }
  const xi = i32(x), yi = i32(y);
  // x >> 31 is all ones exactly when the sign bit is set
  for (let i = 0; i < n; i++) { const v = xi[i]!; yi[i] = v & ~(v >> 31); }
}

/** dx = dy where y > +0 (as bits: y from reluForward is never negative), else +0. */
export function reluBackward(k: Kernels, n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  if (k.reluBackward) { k.reluBackward(n, y, dy, dx); return; }
  const yi = i32(y), di = i32(dy), xi = i32(dx);
  // (−y) >> 31 is all ones for y > 0, zero for y = +0
  for (let i = 0; i < n; i++) xi[i] = di[i]! & (-yi[i]! >> 31);
}

/** s1[c] = Σ_r a[r,c], s2[c] = Σ_r a[r,c]·b[r,c] over N rows of C, in float64, rows in order. */
export function colSums2(
  k: Kernels, N: number, C: number, a: Float32Array, b: Float32Array, s1: Float64Array, s2: Float64Array,
): void {
  if (k.colSums2) { k.colSums2(N, C, a, b, s1, s2); return; }
  s1.fill(0, 0, C);
  s2.fill(0, 0, C);
  for (let r = 0; r < N; r++) {
    const o = r * C;
    for (let c = 0; c < C; c++) { const v = a[o + c]!; s1[c] += v; s2[c] += v * b[o + c]!; }
  }
}

/** xhat = (x − mean)·invStd, y = xhat·g + b per channel, N×C, in float32 steps. */
export function bnForward(
  k: Kernels, N: number, C: number, x: Float32Array, mean: Float32Array, invStd: Float32Array,
  g: Float32Array, b: Float32Array, xhat: Float32Array, y: Float32Array,
): void {
  if (k.bnForward) { k.bnForward(N, C, x, mean, invStd, g, b, xhat, y); return; }
  const f = Math.fround;
  for (let r = 0; r < N; r++) {
    const o = r * C;
    for (let c = 0; c < C; c++) {
      const h = f(f(x[o + c]! - mean[c]!) * invStd[c]!);
      xhat[o + c] = h;
      y[o + c] = f(h * g[c]!) + b[c]!;
    }
  }
}

/** dx = k1·(dy − k2 − xhat·k3) per channel, N×C, in float32 steps. */
export function bnBackward(
  k: Kernels, N: number, C: number, dy: Float32Array, xhat: Float32Array,
  k1: Float32Array, k2: Float32Array, k3: Float32Array, dx: Float32Array,
): void {
  if (k.bnBackward) { k.bnBackward(N, C, dy, xhat, k1, k2, k3, dx); return; }
  const f = Math.fround;
  for (let r = 0; r < N; r++) {
    const o = r * C;
    for (let c = 0; c < C; c++) {
      dx[o + c] = k1[c]! * f(f(dy[o + c]! - k2[c]!) - f(xhat[o + c]! * k3[c]!));
    }
  }
}

/** y[t] = max(x[2t], x[2t+1]) over rows of L floats, t < Tp; ties to the earlier step, NaN later wins. */
export function maxPool2Forward(k: Kernels, Tp: number, L: number, x: Float32Array, y: Float32Array): void {
  if (k.maxPool2Forward) { k.maxPool2Forward(Tp, L, x, y); return; }
  for (let t = 0; t < Tp; t++) {
    const a = 2 * t * L, b = a + L, o = t * L;
    for (let i = 0; i < L; i++) {
      const u = x[a + i]!, v = x[b + i]!;
      y[o + i] = v > u || v !== v ? v : u;
    }
  }
}

/** dx (T×L) = dy at the step maxPool2Forward picked, zero elsewhere (and on an odd last step). */
export function maxPool2Backward(
  k: Kernels, T: number, Tp: number, L: number, x: Float32Array, dy: Float32Array, dx: Float32Array,
): void {
  if (k.maxPool2Backward) { k.maxPool2Backward(T, Tp, L, x, dy, dx); return; }
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
}

/** C = A·Wᵀ + bias (see Kernels.gemmBias): the backend's fused kernel, or fillRows then gemm. */
export function gemmBias(
  k: Kernels, M: number, N: number, K: number, A: Float32Array, aOff: number, lda: number,
  W: Float32Array, wOff: number, ldw: number, bias: Float32Array, C: Float32Array, cOff: number, ldc: number,
): void {
  if (M <= 0 || N <= 0) return;
  if (k.gemmBias) { k.gemmBias(M, N, K, A, aOff, lda, W, wOff, ldw, bias, C, cOff, ldc); return; }
  for (let i = 0; i < M; i++) C.set(bias.subarray(0, N), cOff + i * ldc);
  k.gemm(false, true, M, N, K, 1, A, aOff, lda, W, wOff, ldw, 1, C, cOff, ldc);
}

/** y[r] = bias for r < rows (see Kernels.fillRows): row 0, then doubling block copies. */
export function fillRows(k: Kernels, rows: number, cols: number, bias: Float32Array, y: Float32Array): void {
  if (rows <= 0) return;
  if (k.fillRows) { k.fillRows(rows, cols, bias, y); return; }
  for (let j = 0; j < cols; j++) y[j] = bias[j]!;
  const n = rows * cols;
  for (let have = cols; have < n; have *= 2) y.copyWithin(have, 0, Math.min(have, n - have));
}

/** ReLU keeping a NaN (any sign) as NaN, as PyTorch; −0 → +0. */
const reluKeepNaN = (x: number): number => (x > 0 || x !== x ? x : 0);

/** The fused eval tail of a CNN front: relu, affine, relu, MaxPool1d(2) (see Kernels.convPostPool). */
export function convPostPool(
  k: Kernels, Bc: number, T: number, S: number, C: number, outStep: number, y: Float32Array,
  bias: Float32Array, scale: Float32Array, shift: Float32Array, out: Float32Array,
): void {
  if (k.convPostPool) { k.convPostPool(Bc, T, S, C, outStep, y, bias, scale, shift, out); return; }
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
}
