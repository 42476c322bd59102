// AssemblyScript (compiled by scripts/build-wasm.mjs; the .as extension keeps it out of tsc).
// gemm: C = alpha · op(A) · op(B) + beta · C, row-major, all pointers are byte addresses in the
// imported memory. op(A) is M×K, op(B) is K×N, C is M×N; lda/ldb/ldc are row strides in floats.
//
// Blocked like BLIS: for each (nc, kc) block op(B) is packed into 8-column panels (k-major); a 4×8
// SIMD micro-kernel keeps the 32 sums of C in 8 v128 registers. A transposed A is packed per mc
// block into 4-row panels (k-major); a plain A is read in place, four rows at a time.
// M = 1 (one episode at inference) skips packing: a dot or axpy sweep is cheaper than packing B.

// a·b + c, the inner step of every dot product here. The module is built twice (scripts/build-wasm.mjs):
// without relaxed SIMD it is mul then add (two roundings); with it, f32x4.relaxed_madd, which the
// engine makes one fused multiply-add (one rounding) where the CPU has FMA and mul + add where it
// has not. So results differ in the last bits between the builds and between FMA and non-FMA
// hosts; for one build on one host they are the same on every run and in every worker.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256; // Ap block (MC×KC) in L2, one Bp panel (KC×NR = 8 KB) in L1
const MC: i32 = 128;
const NC: i32 = 512;

/** Bytes of scratch gemm needs: tile + packed A block + packed B block + one gathered row. */
export function gemmScratchBytes(): i32 {
  return (MR * NR + MC * KC + KC * NC + 16 * 1024) << 2;
}

// Pack op(A)[i0..i0+mc, k0..k0+kc] = Aᵀ[…] into ceil(mc/4) panels: dst[p][k][r], rows past mc
// are 0. Only a transposed A is packed; a plain one is read in place by kernelDirect.
function packAT(A: usize, lda: i32, i0: i32, mc: i32, k0: i32, kc: i32, dst: usize): void {
  for (let p = 0; p < mc; p += MR) {
    const rows = min(MR, mc - p);
    const i = i0 + p;
    // op(A)(i, k) = A[k][i]: four consecutive floats per k
    let src = A + ((<usize>k0 * lda + i) << 2);
    if (rows == MR) {
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(src));
        dst += 16; src += <usize>lda << 2;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < MR; r++) store<f32>(dst + (r << 2), r < rows ? load<f32>(src + (r << 2)) : 0);
        dst += 16; src += <usize>lda << 2;
      }
    }
  }
}

// Four rows of four floats at s (row stride st bytes) → their transpose, as four rows of 32-byte
// stride at d: d[kk·8 + r] = s[r][kk].
@inline function transpose4(s: usize, st: usize, d: usize): void {
  const r0 = v128.load(s), r1 = v128.load(s + st), r2 = v128.load(s + 2 * st), r3 = v128.load(s + 3 * st);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(d, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 32);
  v128.store(d, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 64);
  v128.store(d, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 96);
}

// Pack op(B)[k0..k0+kc, j0..j0+nc] into ceil(nc/8) panels: dst[q][k][c], columns past nc are 0.
export function packB(transB: bool, B: usize, ldb: i32, j0: i32, nc: i32, k0: i32, kc: i32, dst: usize): void {
  for (let q = 0; q < nc; q += NR) {
    const cols = min(NR, nc - q);
    const j = j0 + q;
    if (!transB) {
      // op(B)(k, j) = B[k][j]: eight consecutive floats per k
      let src = B + ((<usize>k0 * ldb + j) << 2);
      const st = <usize>ldb << 2;
      if (cols == NR) {
        for (let k = 0; k < kc; k++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          dst += 32; src += st;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let c = 0; c < NR; c++) store<f32>(dst + (c << 2), c < cols ? load<f32>(src + (c << 2)) : 0);
          dst += 32; src += st;
        }
      }
    } else {
      // op(B)(k, j) = B[j][k]: full panels transpose 8 rows × 4 k at a time in registers
      // (W_hh of the recurrent step is packed this way at every time step, so it must be cheap)
      let k4 = 0;
      if (cols == NR) {
        const st = <usize>ldb << 2;
        const base = B + ((<usize>j * ldb + k0) << 2);
        for (; k4 + 4 <= kc; k4 += 4) {
          const s = base + (<usize>k4 << 2);
          const d = dst + (<usize>k4 << 5);
          transpose4(s, st, d);
          transpose4(s + 4 * st, st, d + 16);
        }
        if (k4 == kc) {
          dst += <usize>kc * NR * 4;
          continue;
        }
      } else memory.fill(dst, 0, <usize>kc * NR * 4);
      for (let c = 0; c < cols; c++) {
        const src = B + ((<usize>(j + c) * ldb + k0) << 2);
        let d = dst + (c << 2) + (<usize>k4 << 5);
        for (let k = k4; k < kc; k++) {
          store<f32>(d, load<f32>(src + (<usize>k << 2)));
          d += 32;
        }
      }
      dst += <usize>kc * NR * 4;
    }
  }
}

// Writes one row of a 4×8 tile (cols valid) into C: C = alpha·acc + beta·src, where src is the
// row of C itself (beta·C) or a bias row (beta = 1); beta = 0 never reads src.
@inline function storeRow(c: usize, src: usize, lo: v128, hi: v128, cols: i32, alpha: f32, beta: f32, tile: usize): void {
  const va = f32x4.splat(alpha);
  let x0 = f32x4.mul(lo, va);
  let x1 = f32x4.mul(hi, va);
  if (cols == NR) {
    if (beta != 0) {
      const vb = f32x4.splat(beta);
      x0 = f32x4.add(x0, f32x4.mul(v128.load(src), vb));
      x1 = f32x4.add(x1, f32x4.mul(v128.load(src, 16), vb));
    }
    v128.store(c, x0);
    v128.store(c, x1, 16);
  } else {
    v128.store(tile, x0);
    v128.store(tile, x1, 16);
    for (let j = 0; j < cols; j++) {
      const o = <usize>j << 2;
      let v = load<f32>(tile + o);
      if (beta != 0) v += beta * load<f32>(src + o);
      store<f32>(c + o, v);
    }
  }
}

// The four rows of a tile; row r's beta term reads src + r·srcStride (srcStride 0: a bias row).
@inline function storeTile(
  c: usize, st: usize, src: usize, srcStride: usize, rows: i32, cols: i32, alpha: f32, beta: f32, tile: usize,
  c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
): void {
  storeRow(c, src, c00, c01, cols, alpha, beta, tile);
  if (rows > 1) storeRow(c + st, src + srcStride, c10, c11, cols, alpha, beta, tile);
  if (rows > 2) storeRow(c + 2 * st, src + 2 * srcStride, c20, c21, cols, alpha, beta, tile);
  if (rows > 3) storeRow(c + 3 * st, src + 3 * srcStride, c30, c31, cols, alpha, beta, tile);
}

// 4×8 micro-kernel over kc steps of packed panels ap (kc×4) and bp (kc×8).
function kernel(kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, src: usize, srcStride: usize, rows: i32, cols: i32, alpha: f32, beta: f32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    // broadcasting loads keep the shuffle units free for nothing else: ~3 % faster than shuffles
    let x = v128.load32_splat(ap);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(ap, 4);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(ap, 8);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(ap, 12);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    ap += 16; bp += 32;
  }
  storeTile(c, <usize>ldc << 2, src, srcStride, rows, cols, alpha, beta, tile, c00, c01, c10, c11, c20, c21, c30, c31);
}

// The same 4×8 micro-kernel reading a non-transposed A in place, rows a0..a3 (a row past M repeats
// the previous one; its sums are not stored): no packing, which for N ≤ 32 (the convolutions)
// cost as much as the arithmetic. Same summation order as `kernel`, so the same bits.
function kernelDirect(kc: i32, a0: usize, a1: usize, a2: usize, a3: usize, bp: usize, c: usize, ldc: i32, src: usize, srcStride: usize, rows: i32, cols: i32, alpha: f32, beta: f32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = a0 + (<usize>kc << 2);
  while (a0 < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(a0);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(a1);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(a2);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(a3);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    a0 += 4; a1 += 4; a2 += 4; a3 += 4; bp += 32;
  }
  storeTile(c, <usize>ldc << 2, src, srcStride, rows, cols, alpha, beta, tile, c00, c01, c10, c11, c20, c21, c30, c31);
}

// C = beta·C (beta = 0 writes zeros, dropping NaN).
function scaleC(M: i32, N: i32, beta: f32, C: usize, ldc: i32): void {
  for (let i = 0; i < M; i++) {
    const r = C + ((<usize>i * ldc) << 2);
    if (beta == 0) memory.fill(r, 0, <usize>N << 2);
    else for (let j = 0; j < N; j++) store<f32>(r + (<usize>j << 2), beta * load<f32>(r + (<usize>j << 2)));
  }
}

// M = 1: c = alpha · a · op(B) + beta · c, a contiguous (K floats).
function gemv(transB: bool, N: i32, K: i32, alpha: f32, a: usize, B: usize, ldb: i32, beta: f32, c: usize): void {
  if (transB) {
    // c[j] = dot(a, B[j][:]): four rows of B at a time, four k per step
    const K4 = K & ~3;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const r0 = B + ((<usize>j * ldb) << 2);
      const st = <usize>ldb << 2;
      const r1 = r0 + st, r2 = r1 + st, r3 = r2 + st;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        const x = v128.load(a + o);
        s0 = madd(x, v128.load(r0 + o), s0);
        s1 = madd(x, v128.load(r1 + o), s1);
        s2 = madd(x, v128.load(r2 + o), s2);
        s3 = madd(x, v128.load(r3 + o), s3);
      }
      // transpose-and-add: lane r of the result is the sum of s_r
      const t0 = f32x4.add(v128.shuffle<f32>(s0, s1, 0, 4, 1, 5), v128.shuffle<f32>(s0, s1, 2, 6, 3, 7));
      const t1 = f32x4.add(v128.shuffle<f32>(s2, s3, 0, 4, 1, 5), v128.shuffle<f32>(s2, s3, 2, 6, 3, 7));
      let s = f32x4.add(v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
      for (let k = K4; k < K; k++) {
        const o = <usize>k << 2;
        const x = f32x4.splat(load<f32>(a + o));
        const y = f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(load<f32>(r0 + o)), 1, load<f32>(r1 + o)), 2, load<f32>(r2 + o)), 3, load<f32>(r3 + o));
        s = madd(x, y, s);
      }
      s = f32x4.mul(s, f32x4.splat(alpha));
      const cp = c + (<usize>j << 2);
      if (beta != 0) s = f32x4.add(s, f32x4.mul(v128.load(cp), f32x4.splat(beta)));
      v128.store(cp, s);
    }
    for (; j < N; j++) {
      const r0 = B + ((<usize>j * ldb) << 2);
      let s: f32 = 0;
      for (let k = 0; k < K; k++) s += load<f32>(a + (<usize>k << 2)) * load<f32>(r0 + (<usize>k << 2));
      const cp = c + (<usize>j << 2);
      store<f32>(cp, alpha * s + (beta != 0 ? beta * load<f32>(cp) : 0));
    }
  } else {
    // c[j..j+16] = Σ_k a[k] · B[k][j..j+16]: sixteen sums in registers, rows of B streamed
    const st = <usize>ldb << 2;
    let j = 0;
    for (; j + 16 <= N; j += 16) {
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let r = B + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        const x = f32x4.splat(load<f32>(a + (<usize>k << 2)));
        s0 = madd(x, v128.load(r), s0);
        s1 = madd(x, v128.load(r, 16), s1);
        s2 = madd(x, v128.load(r, 32), s2);
        s3 = madd(x, v128.load(r, 48), s3);
        r += st;
      }
      const va = f32x4.splat(alpha);
      const cp = c + (<usize>j << 2);
      s0 = f32x4.mul(s0, va); s1 = f32x4.mul(s1, va); s2 = f32x4.mul(s2, va); s3 = f32x4.mul(s3, va);
      if (beta != 0) {
        const vb = f32x4.splat(beta);
        s0 = f32x4.add(s0, f32x4.mul(v128.load(cp), vb));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(cp, 16), vb));
        s2 = f32x4.add(s2, f32x4.mul(v128.load(cp, 32), vb));
        s3 = f32x4.add(s3, f32x4.mul(v128.load(cp, 48), vb));
      }
      v128.store(cp, s0); v128.store(cp, s1, 16); v128.store(cp, s2, 32); v128.store(cp, s3, 48);
    }
    for (; j < N; j++) {
      let s: f32 = 0;
      for (let k = 0; k < K; k++) s += load<f32>(a + (<usize>k << 2)) * load<f32>(B + ((<usize>k * ldb + j) << 2));
      const cp = c + (<usize>j << 2);
      store<f32>(cp, alpha * s + (beta != 0 ? beta * load<f32>(cp) : 0));
    }
  }
}

export function gemm(
  transA: bool, transB: bool, M: i32, N: i32, K: i32, alpha: f32,
  A: usize, lda: i32, B: usize, ldb: i32, beta: f32, C: usize, ldc: i32, scratch: usize,
): void {
  gemmCore(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, scratch, 0);
}

// C = A·Bᵀ + bias (bias: N floats added to every row): a linear layer's forward. The same bits
// as filling C's rows with the bias and then gemm with beta = 1, without writing C twice.
export function gemmBias(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, bias: usize, C: usize, ldc: i32, scratch: usize): void {
  gemmCore(false, true, M, N, K, 1, A, lda, B, ldb, 1, C, ldc, scratch, bias);
}

function gemmCore(
  transA: bool, transB: bool, M: i32, N: i32, K: i32, alpha: f32,
  A: usize, lda: i32, B: usize, ldb: i32, beta: f32, C: usize, ldc: i32, scratch: usize, bias: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (bias != 0 && (K <= 0 || alpha == 0 || M == 1)) {
    // trivial or single-row cases: write the bias rows, then accumulate onto them
    const rb = <usize>N << 2;
    for (let i = 0; i < M; i++) memory.copy(C + ((<usize>i * ldc) << 2), bias, rb);
    bias = 0;
    beta = 1;
  }
  if (K <= 0 || alpha == 0) {
    if (beta != 1) scaleC(M, N, beta, C, ldc);
    return;
  }
  const tile = scratch;
  const ap = tile + (MR * NR << 2);
  const bp = ap + (MC * KC << 2);
  const row = bp + (KC * NC << 2);
  if (M == 1 && K <= 16 * 1024) {
    let a = A;
    if (transA) {
      // gather the strided column into one contiguous row
      for (let k = 0; k < K; k++) store<f32>(row + (<usize>k << 2), load<f32>(A + ((<usize>k * lda) << 2)));
      a = row;
    }
    gemv(transB, N, K, alpha, a, B, ldb, beta, C);
    return;
  }
  for (let j0 = 0; j0 < N; j0 += NC) {
    const nc = min(NC, N - j0);
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = min(KC, K - k0);
      const b = k0 == 0 ? beta : <f32>1; // later k blocks accumulate onto the first
      const fromBias = k0 == 0 && bias != 0; // the first k block adds the bias row instead of C
      packB(transB, B, ldb, j0, nc, k0, kc, bp);
      for (let i0 = 0; i0 < M; i0 += MC) {
        const mc = min(MC, M - i0);
        if (transA) packAT(A, lda, i0, mc, k0, kc, ap);
        for (let q = 0; q < nc; q += NR) {
          const cols = min(NR, nc - q);
          const bq = bp + ((<usize>q * kc) << 2);
          for (let p = 0; p < mc; p += MR) {
            const rows = min(MR, mc - p);
            const c = C + ((<usize>(i0 + p) * ldc + j0 + q) << 2);
            const src = fromBias ? bias + (<usize>(j0 + q) << 2) : c;
            const srcStride: usize = fromBias ? 0 : <usize>ldc << 2;
            if (transA) kernel(kc, ap + ((<usize>p * kc) << 2), bq, c, ldc, src, srcStride, rows, cols, alpha, b, tile);
            else {
              const st = <usize>lda << 2;
              const a0 = A + ((<usize>(i0 + p) * lda + k0) << 2);
              const a1 = rows > 1 ? a0 + st : a0, a2 = rows > 2 ? a1 + st : a1, a3 = rows > 3 ? a2 + st : a2;
              kernelDirect(kc, a0, a1, a2, a3, bq, c, ldc, src, srcStride, rows, cols, alpha, b, tile);
            }
          }
        }
      }
    }
  }
}

// Whether op(B) (K×N) fits one packed block, so gemmPacked can reuse it.
export function fitsOnePack(N: i32, K: i32): bool {
  return N <= NC && K <= KC;
}

// Where gemmPacked expects op(B) packed (packB(transB, B, ldb, 0, N, 0, K, packedB(scratch))):
// gemm's own B block, so do not call gemm in between.
export function packedB(scratch: usize): usize {
  return scratch + ((MR * NR + MC * KC) << 2);
}

// gemm(false, ·, M, N, K, alpha, A, lda, op(B) packed at packedB(scratch), beta, C, ldc), or
// gemmBias when bias != 0 (then beta = 1): the same bits as gemmCore for M > 1 and a fitsOnePack
// op(B), without packing it again. The recurrences pack W_hh once per layer call instead of per step.
export function gemmPacked(M: i32, N: i32, K: i32, alpha: f32, A: usize, lda: i32, beta: f32, C: usize, ldc: i32, bias: usize, scratch: usize): void {
  const tile = scratch;
  const bp = packedB(scratch);
  const st = <usize>lda << 2;
  const srcStride: usize = bias != 0 ? 0 : <usize>ldc << 2;
  for (let i0 = 0; i0 < M; i0 += MC) {
    const mc = min(MC, M - i0);
    for (let q = 0; q < N; q += NR) {
      const cols = min(NR, N - q);
      const bq = bp + ((<usize>q * K) << 2);
      for (let p = 0; p < mc; p += MR) {
        const rows = min(MR, mc - p);
        const c = C + ((<usize>(i0 + p) * ldc + q) << 2);
        const src = bias != 0 ? bias + (<usize>q << 2) : c;
        const a0 = A + ((<usize>(i0 + p) * lda) << 2);
        const a1 = rows > 1 ? a0 + st : a0, a2 = rows > 2 ? a1 + st : a1, a3 = rows > 3 ? a2 + st : a2;
        kernelDirect(K, a0, a1, a2, a3, bq, c, ldc, src, srcStride, rows, cols, alpha, bias != 0 ? 1 : beta, tile);
      }
    }
  }
}
