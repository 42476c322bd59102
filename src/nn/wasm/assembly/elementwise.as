// AssemblyScript (compiled by scripts/build-wasm.mjs). The optional element-wise kernels of
// src/nn/kernels.ts (dropout mask, ReLU, BatchNorm passes, MaxPool1d(2)), bit-for-bit the same
// as the TypeScript loops in src/nn/elementwise.ts: float32 steps in the same order, no FMA,
// float64 column sums in row order. Pointers are byte addresses. Tails (n % 4) run the same
// vector code one lane at a time.

@inline function ldv(p: usize, lanes: i32): v128 {
  return lanes == 4 ? v128.load(p) : f32x4.splat(load<f32>(p));
}
@inline function stv(p: usize, v: v128, lanes: i32): void {
  if (lanes == 4) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

// y = a + b, n floats
export function add(n: i32, a: usize, b: usize, y: usize): void {
  for (let i = 0; i < n; ) {
    const lanes = n - i >= 4 ? 4 : 1;
    const o = <usize>i << 2;
    stv(y + o, f32x4.add(ldv(a + o, lanes), ldv(b + o, lanes)), lanes);
    i += lanes;
  }
}

// y = a · b, n floats
export function mul(n: i32, a: usize, b: usize, y: usize): void {
  for (let i = 0; i < n; ) {
    const lanes = n - i >= 4 ? 4 : 1;
    const o = <usize>i << 2;
    stv(y + o, f32x4.mul(ldv(a + o, lanes), ldv(b + o, lanes)), lanes);
    i += lanes;
  }
}

// mask = u ≥ thr (unsigned) ? scale : 0, y = x · mask
export function dropoutForward(n: i32, u: usize, thr: u32, scale: f32, x: usize, mask: usize, y: usize): void {
  const vt = i32x4.splat(<i32>thr);
  const vs = f32x4.splat(scale);
  for (let i = 0; i < n; ) {
    const lanes = n - i >= 4 ? 4 : 1;
    const o = <usize>i << 2;
    const m = v128.and(vs, i32x4.ge_u(ldv(u + o, lanes), vt));
    stv(mask + o, m, lanes);
    stv(y + o, f32x4.mul(ldv(x + o, lanes), m), lanes);
    i += lanes;
  }
}

// y = x with sign-bit-set values made +0: x & ~(x >> 31)
export function reluForward(n: i32, x: usize, y: usize): void {
  for (let i = 0; i < n; ) {
    const lanes = n - i >= 4 ? 4 : 1;
    const o = <usize>i << 2;
    const v = ldv(x + o, lanes);
    stv(y + o, v128.andnot(v, i32x4.shr_s(v, 31)), lanes);
    i += lanes;
  }
}

// dx = dy & ((−y) >> 31): dy where y > +0
export function reluBackward(n: i32, y: usize, dy: usize, dx: usize): void {
  for (let i = 0; i < n; ) {
    const lanes = n - i >= 4 ? 4 : 1;
    const o = <usize>i << 2;
    const m = i32x4.shr_s(i32x4.neg(ldv(y + o, lanes)), 31);
    stv(dx + o, v128.and(ldv(dy + o, lanes), m), lanes);
    i += lanes;
  }
}

// two floats of a at p (masked: where the reluForward output at q is > +0, else +0)
@inline function ld2(p: usize, q: usize, masked: bool): v128 {
  const v = v128.load64_zero(p);
  return masked ? v128.and(v, i32x4.shr_s(i32x4.neg(v128.load64_zero(q)), 31)) : v;
}
@inline function ld1(p: usize, q: usize, masked: bool): f32 {
  return masked ? reinterpret<f32>(load<i32>(p) & ((-load<i32>(q)) >> 31)) : load<f32>(p);
}

// s1[c] = Σ_r a[r,c], s2[c] = Σ_r a[r,c]·b[r,c] (float64 accumulators at s1, s2; C doubles each);
// masked: a[r,c] is first made +0 where y[r,c] is not > +0 (reluBackward of a, fused)
@inline function colSums2Impl(N: i32, C: i32, a: usize, b: usize, s1: usize, s2: usize, y: usize, masked: bool): void {
  memory.fill(s1, 0, <usize>C << 3);
  memory.fill(s2, 0, <usize>C << 3);
  const C2 = C & ~1;
  const rs = <usize>C << 2; // row stride in bytes
  // four rows per pass: the accumulators are loaded and stored once per four rows, and the
  // rows are still added one after the other, so the sums are those of the row-order loop
  const N4 = N & ~3;
  let r = 0;
  for (; r < N4; r += 4) {
    const ro = <usize>(r * C) << 2;
    for (let c = 0; c < C2; c += 2) {
      const o = ro + (<usize>c << 2);
      const p1 = s1 + (<usize>c << 3);
      const p2 = s2 + (<usize>c << 3);
      let acc1 = v128.load(p1), acc2 = v128.load(p2);
      for (let q: usize = 0; q < 4; q++) {
        const va = f64x2.promote_low_f32x4(ld2(a + o + q * rs, y + o + q * rs, masked));
        const vb = f64x2.promote_low_f32x4(v128.load64_zero(b + o + q * rs));
        acc1 = f64x2.add(acc1, va);
        acc2 = f64x2.add(acc2, f64x2.mul(va, vb));
      }
      v128.store(p1, acc1);
      v128.store(p2, acc2);
    }
    for (let c = C2; c < C; c++) {
      const o = ro + (<usize>c << 2);
      const p1 = s1 + (<usize>c << 3);
      const p2 = s2 + (<usize>c << 3);
      let acc1 = load<f64>(p1), acc2 = load<f64>(p2);
      for (let q: usize = 0; q < 4; q++) {
        const v = <f64>ld1(a + o + q * rs, y + o + q * rs, masked);
        acc1 += v;
        acc2 += v * <f64>load<f32>(b + o + q * rs);
      }
      store<f64>(p1, acc1);
      store<f64>(p2, acc2);
    }
  }
  for (; r < N; r++) {
    const ro = <usize>(r * C) << 2;
    let c = 0;
    for (; c < C2; c += 2) {
      // two channels per f64x2: promote, then exact product and float64 sums like the JS loop
      const o = ro + (<usize>c << 2);
      const va = f64x2.promote_low_f32x4(ld2(a + o, y + o, masked));
      const vb = f64x2.promote_low_f32x4(v128.load64_zero(b + o));
      const p1 = s1 + (<usize>c << 3);
      const p2 = s2 + (<usize>c << 3);
      v128.store(p1, f64x2.add(v128.load(p1), va));
      v128.store(p2, f64x2.add(v128.load(p2), f64x2.mul(va, vb)));
    }
    for (; c < C; c++) {
      const o = ro + (<usize>c << 2);
      const v = <f64>ld1(a + o, y + o, masked);
      const p1 = s1 + (<usize>c << 3);
      const p2 = s2 + (<usize>c << 3);
      store<f64>(p1, load<f64>(p1) + v);
      store<f64>(p2, load<f64>(p2) + v * <f64>load<f32>(b + o));
    }
  }
}

export function colSums2(N: i32, C: i32, a: usize, b: usize, s1: usize, s2: usize): void {
  colSums2Impl(N, C, a, b, s1, s2, 0, false);
}

// colSums2 of (reluBackward of dy through y) and b, without writing the masked dy
export function reluColSums2(N: i32, C: i32, y: usize, dy: usize, b: usize, s1: usize, s2: usize): void {
  colSums2Impl(N, C, dy, b, s1, s2, y, true);
}

// xhat = (x − mean)·invStd, y = xhat·g + b, per channel over N rows of C
export function bnForward(N: i32, C: i32, x: usize, mean: usize, invStd: usize, g: usize, b: usize, xhat: usize, y: usize): void {
  for (let r = 0; r < N; r++) {
    const ro = <usize>(r * C) << 2;
    for (let c = 0; c < C; ) {
      const lanes = C - c >= 4 ? 4 : 1;
      const co = <usize>c << 2;
      const o = ro + co;
      const h = f32x4.mul(f32x4.sub(ldv(x + o, lanes), ldv(mean + co, lanes)), ldv(invStd + co, lanes));
      stv(xhat + o, h, lanes);
      stv(y + o, f32x4.add(f32x4.mul(h, ldv(g + co, lanes)), ldv(b + co, lanes)), lanes);
      c += lanes;
    }
  }
}

// bnForward, then reluForward of y in the same pass
export function bnReluForward(N: i32, C: i32, x: usize, mean: usize, invStd: usize, g: usize, b: usize, xhat: usize, y: usize): void {
  for (let r = 0; r < N; r++) {
    const ro = <usize>(r * C) << 2;
    for (let c = 0; c < C; ) {
      const lanes = C - c >= 4 ? 4 : 1;
      const co = <usize>c << 2;
      const o = ro + co;
      const h = f32x4.mul(f32x4.sub(ldv(x + o, lanes), ldv(mean + co, lanes)), ldv(invStd + co, lanes));
      stv(xhat + o, h, lanes);
      const v = f32x4.add(f32x4.mul(h, ldv(g + co, lanes)), ldv(b + co, lanes));
      stv(y + o, v128.andnot(v, i32x4.shr_s(v, 31)), lanes);
      c += lanes;
    }
  }
}

// reluBackward of dy through y, then bnBackward, in one pass
export function reluBnBackward(N: i32, C: i32, y: usize, dy: usize, xhat: usize, k1: usize, k2: usize, k3: usize, dx: usize): void {
  for (let r = 0; r < N; r++) {
    const ro = <usize>(r * C) << 2;
    for (let c = 0; c < C; ) {
      const lanes = C - c >= 4 ? 4 : 1;
      const co = <usize>c << 2;
      const o = ro + co;
      const d = v128.and(ldv(dy + o, lanes), i32x4.shr_s(i32x4.neg(ldv(y + o, lanes)), 31));
      const t = f32x4.sub(f32x4.sub(d, ldv(k2 + co, lanes)), f32x4.mul(ldv(xhat + o, lanes), ldv(k3 + co, lanes)));
      stv(dx + o, f32x4.mul(ldv(k1 + co, lanes), t), lanes);
      c += lanes;
    }
  }
}

// im2col of time-major x (T×B×I, "same" zero padding of (taps−1)/2 steps): row t·B + b of col
// (T·B × taps·I) holds steps t − p … t + p of episode b, I floats each, zeros outside 0…T−1
export function im2colTime(T: i32, B: i32, I: i32, taps: i32, x: usize, col: usize): void {
  const p = (taps - 1) >> 1;
  const I4 = I & ~3;
  const Ib = <usize>I << 2;
  let o = col;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      for (let tap = 0; tap < taps; tap++) {
        const u = t + tap - p;
        if (u < 0 || u >= T) {
          memory.fill(o, 0, Ib);
        } else {
          const src = x + (<usize>((u * B + b) * I) << 2);
          let c = 0;
          for (; c < I4; c += 4) v128.store(o + (<usize>c << 2), v128.load(src + (<usize>c << 2)));
          for (; c < I; c++) store<f32>(o + (<usize>c << 2), load<f32>(src + (<usize>c << 2)));
        }
        o += Ib;
      }
    }
  }
}

// dst rows of w floats at stride dstStride = src rows of w floats at stride srcStride (floats)
export function copyRows(rows: i32, w: i32, src: usize, srcStride: i32, dst: usize, dstStride: i32): void {
  const wb = <usize>w << 2;
  for (let r = 0; r < rows; r++) memory.copy(dst + (<usize>(r * dstStride) << 2), src + (<usize>(r * srcStride) << 2), wb);
}

// dx = k1·((dy − k2) − xhat·k3), per channel over N rows of C
export function bnBackward(N: i32, C: i32, dy: usize, xhat: usize, k1: usize, k2: usize, k3: usize, dx: usize): void {
  for (let r = 0; r < N; r++) {
    const ro = <usize>(r * C) << 2;
    for (let c = 0; c < C; ) {
      const lanes = C - c >= 4 ? 4 : 1;
      const co = <usize>c << 2;
      const o = ro + co;
      const t = f32x4.sub(f32x4.sub(ldv(dy + o, lanes), ldv(k2 + co, lanes)), f32x4.mul(ldv(xhat + o, lanes), ldv(k3 + co, lanes)));
      stv(dx + o, f32x4.mul(ldv(k1 + co, lanes), t), lanes);
      c += lanes;
    }
  }
}

// lanes where the later step wins: v > u, or v is NaN
@inline function laterWins(u: v128, v: v128): v128 {
  return v128.or(f32x4.gt(v, u), f32x4.ne(v, v));
}

// y[t] = max(x[2t], x[2t+1]) over rows of L floats, t < Tp
export function maxPool2Forward(Tp: i32, L: i32, x: usize, y: usize): void {
  const Lb = <usize>L << 2;
  for (let t = 0; t < Tp; t++) {
    const a = x + <usize>(2 * t) * Lb;
    const b = a + Lb;
    const o = y + <usize>t * Lb;
    for (let i = 0; i < L; ) {
      const lanes = L - i >= 4 ? 4 : 1;
      const io = <usize>i << 2;
      const u = ldv(a + io, lanes), v = ldv(b + io, lanes);
      stv(o + io, v128.bitselect(v, u, laterWins(u, v)), lanes);
      i += lanes;
    }
  }
}

// dx (T rows of L) = dy at the winning step of each pair, zero elsewhere and on an odd last step
export function maxPool2Backward(T: i32, Tp: i32, L: i32, x: usize, dy: usize, dx: usize): void {
  const Lb = <usize>L << 2;
  for (let t = 0; t < Tp; t++) {
    const a = <usize>(2 * t) * Lb;
    const b = a + Lb;
    const o = dy + <usize>t * Lb;
    for (let i = 0; i < L; ) {
      const lanes = L - i >= 4 ? 4 : 1;
      const io = <usize>i << 2;
      const m = laterWins(ldv(x + a + io, lanes), ldv(x + b + io, lanes));
      const d = ldv(o + io, lanes);
      stv(dx + a + io, v128.andnot(d, m), lanes);
      stv(dx + b + io, v128.and(d, m), lanes);
      i += lanes;
    }
  }
  memory.fill(dx + <usize>(2 * Tp) * Lb, 0, <usize>(T - 2 * Tp) * Lb);
}

// y[r] = bias for r < rows (rows of `cols` floats): the bias a gemm with beta = 1 then adds onto
export function fillRows(rows: i32, cols: i32, bias: usize, y: usize): void {
  const rb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) memory.copy(y + <usize>r * rb, bias, rb);
}

// ReLU that keeps a NaN as NaN (PyTorch), whatever its sign bit: arithmetic does not pin a NaN's
// sign the same way in JavaScript and WebAssembly, so the fused pass does not depend on it
@inline function reluKeepNaN(a: v128): v128 {
  return v128.and(a, v128.or(f32x4.gt(a, f32x4.splat(0)), f32x4.ne(a, a)));
}

// relu(relu(v + bias)·scale + shift) for 4 (or 1) channels, each step rounded to float32
@inline function convPost(v: v128, bias: v128, scale: v128, shift: v128): v128 {
  const a = reluKeepNaN(f32x4.add(v, bias));
  return reluKeepNaN(f32x4.add(f32x4.mul(a, scale), shift));
}

@inline function convPostPoolLanes(r0: usize, r1: usize, bi: usize, sc: usize, sh: usize, o: usize, lanes: i32): void {
  const b = ldv(bi, lanes), s = ldv(sc, lanes), h = ldv(sh, lanes);
  const u = convPost(ldv(r0, lanes), b, s, h);
  const v = convPost(ldv(r1, lanes), b, s, h);
  stv(o, v128.bitselect(v, u, laterWins(u, v)), lanes);
}

// The eval-mode tail of a CNN front in one pass over the convolution output. y holds Bc episodes
// of S rows (row b·S + t, t < T, C floats each; rows t ≥ T are padding and are not read). For
// b < Bc, t < Tp = ⌊T/2⌋, channel c:
//   p_j = relu(relu(y[b·S + 2t + j][c] + bias[c])·scale[c] + shift[c]),  j = 0, 1
//   out[t·outStep + b·C + c] = max(p_0, p_1)   (MaxPool1d(2), as maxPool2Forward)
export function convPostPool(
  Bc: i32, T: i32, S: i32, C: i32, outStep: i32, y: usize, bias: usize, scale: usize, shift: usize, out: usize,
): void {
  const Tp = T >> 1;
  const Cb = <usize>C << 2;
  for (let b = 0; b < Bc; b++) {
    for (let t = 0; t < Tp; t++) {
      const r0 = y + <usize>(b * S + 2 * t) * Cb;
      const r1 = r0 + Cb;
      const o = out + ((<usize>t * outStep + <usize>b * C) << 2);
      let c = 0;
      for (; c + 4 <= C; c += 4) {
        const co = <usize>c << 2;
        convPostPoolLanes(r0 + co, r1 + co, bias + co, scale + co, shift + co, o + co, 4);
      }
      for (; c < C; c++) {
        const co = <usize>c << 2;
        convPostPoolLanes(r0 + co, r1 + co, bias + co, scale + co, shift + co, o + co, 1);
      }
    }
  }
}
