/**
 * The hot numerical kernels of the engine, behind one interface so that a faster backend
 * (WebAssembly SIMD, ./wasm) can replace the plain TypeScript reference (./kernels-ts.ts) and both
 * can be tested against each other. Every layer does its heavy arithmetic through these calls
 * only, and every backend implements every kernel: none is optional.
 *
 * Shape letters: B batch rows (episodes), T time steps, H hidden size (G = 3H GRU or 4H LSTM gate
 * width), C channels, N rows of an element-wise pass, L floats per time-major row; for gemm,
 * M×K · K×N. Conventions: row-major Float32Array storage; an (array, offset) pair addresses a
 * matrix whose rows are `ld` floats apart. Buffers that a backend may want to see without copying
 * are allocated with `alloc` (the WebAssembly backend hands out views of its own memory).
 *
 * Recurrent cells work on one time step of a batch: B rows, each row contiguous (row stride =
 * its width: 3H for GRU gates, 4H for LSTM gates, H for states). Gate order is PyTorch's:
 * GRU (r, z, n), LSTM (i, f, g, o). Convolutions are done by the layers with `gemm` on
 * time-major data (one gemm per kernel tap), so they need no kernel of their own.
 *
 * The element-wise kernels give the same bits on every backend (float32 math in the same order;
 * float64 only for the column sums; a NaN's sign bit aside in convPostPool); gemm and the cells
 * agree to rounding.
 */
export interface Kernels {
  readonly name: string;

  /** A zero-filled buffer of n floats that this backend can use without copying. */
  alloc(n: number): Float32Array;

  // ---- matrix products

  /**
   * C = alpha · op(A) · op(B) + beta · C, with op(X) = X or Xᵀ.
   * op(A) is M×K, op(B) is K×N, C is M×N. lda/ldb/ldc are the row strides of A, B, C as stored.
   * beta = 0 overwrites C (NaN in C is ignored), beta = 1 accumulates.
   */
  gemm(
    transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    A: Float32Array, aOff: number, lda: number,
    B: Float32Array, bOff: number, ldb: number,
    beta: number, C: Float32Array, cOff: number, ldc: number,
  ): void;

  /**
   * C = A·Wᵀ + bias, a linear layer's forward: A is M×K (row stride lda), W is N×K (row stride
   * ldw), bias N floats, C M×N (row stride ldc). The same bits as fillRows(bias) followed by
   * gemm(false, true, …, beta = 1), without writing C twice.
   */
  gemmBias(
    M: number, N: number, K: number, A: Float32Array, aOff: number, lda: number,
    W: Float32Array, wOff: number, ldw: number, bias: Float32Array, C: Float32Array, cOff: number, ldc: number,
  ): void;

  /** y[r] = bias (cols floats) for every row r < rows: the start of a gemm that adds a bias. */
  fillRows(rows: number, cols: number, bias: Float32Array, y: Float32Array): void;

  // ---- recurrent cells (one step) and whole layers

  /**
   * One GRU step for B rows (PyTorch semantics, reset gate applied to the hidden projection
   * including its bias):
   *   r = σ(gx_r + gh_r), z = σ(gx_z + gh_z), n = tanh(gx_n + r·gh_n), h = (1−z)·n + z·hPrev
   * gates (B×3H): in = x·W_ihᵀ + b_ih; out = the activated r, z, n (kept for backward).
   * gh (B×3H) = hPrev·W_hhᵀ + b_hh (read only). hPrev, h: B×H.
   */
  gruCellForward(
    B: number, H: number,
    gates: Float32Array, gOff: number, gh: Float32Array, ghOff: number,
    hPrev: Float32Array, hPrevOff: number, h: Float32Array, hOff: number,
  ): void;

  /**
   * Backward of gruCellForward for one step. dh (B×H) = dL/dh (read only).
   * Writes dGx (B×3H, gradient of the input-side pre-activations = of x·W_ihᵀ + b_ih),
   * dGh (B×3H, gradient of hPrev·W_hhᵀ + b_hh) and dhPrev (B×H) = dh·z, the direct path only
   * (the caller adds dGh·W_hh). dhPrev may alias dh (same offset).
   */
  gruCellBackward(
    B: number, H: number,
    gates: Float32Array, gOff: number, gh: Float32Array, ghOff: number,
    hPrev: Float32Array, hPrevOff: number, dh: Float32Array, dhOff: number,
    dGx: Float32Array, dGxOff: number, dGh: Float32Array, dGhOff: number,
    dhPrev: Float32Array, dhPrevOff: number,
  ): void;

  /**
   * A whole GRU layer forward, the same as for t = 0..T−1:
   *   gh[t] = b_hh in every row; t > 0: gemm(false, true, B, 3H, H, 1, y[t−1], H, W_hh, H, 1, gh[t], 3H);
   *   gruCellForward(step t)
   * with hPrev = h0 at t = 0. gates: T×B×3H (as for gruCellForward); gh: T×B×3H, written (kept for
   * backward); W_hh: 3H×H; b_hh: 3H; h0: B×H; y: T×B×H. One call instead of 2·T (single-episode latency).
   */
  gruSequenceForward(
    T: number, B: number, H: number, gates: Float32Array, gh: Float32Array, wHh: Float32Array,
    bHh: Float32Array, h0: Float32Array, y: Float32Array,
  ): void;

  /**
   * A whole GRU layer backward through time, the same as for t = T−1..0:
   *   dh += dy[t]; gruCellBackward(step t, hPrev = t ? y[t−1] : h0, dhPrev = dh);
   *   t > 0: gemm(false, false, B, H, 3H, 1, dGh[t], 3H, W_hh, H, 1, dh, H)
   * dy, y: T×B×H; dh: B×H, zero on entry; dGx, dGh: T×B×3H (written).
   */
  gruSequenceBackward(
    T: number, B: number, H: number, gates: Float32Array, gh: Float32Array, wHh: Float32Array,
    h0: Float32Array, y: Float32Array, dy: Float32Array, dh: Float32Array, dGx: Float32Array, dGh: Float32Array,
  ): void;

  /**
   * One LSTM step for B rows: gates (B×4H) in = x·W_ihᵀ + b_ih + hPrev·W_hhᵀ + b_hh, out = the
   * activated i, f, g, o; c = f·cPrev + i·g; h = o·tanh(c). cPrev, c, h: B×H.
   */
  lstmCellForward(
    B: number, H: number, gates: Float32Array, gOff: number,
    cPrev: Float32Array, cPrevOff: number, c: Float32Array, cOff: number, h: Float32Array, hOff: number,
  ): void;

  /**
   * Backward of lstmCellForward. dh (B×H) = dL/dh (read only). dc (B×H) is in/out: in dL/dc
   * from the later steps, out dL/dcPrev. Writes dG (B×4H), the gradient of the pre-activations
   * (the same for both biases; the caller adds dG·W_hh to get dL/dhPrev).
   */
  lstmCellBackward(
    B: number, H: number, gates: Float32Array, gOff: number,
    cPrev: Float32Array, cPrevOff: number, c: Float32Array, cOff: number,
    dh: Float32Array, dhOff: number, dc: Float32Array, dcOff: number, dG: Float32Array, dGOff: number,
  ): void;

  /**
   * A whole LSTM layer forward, the same as for t = 0..T−1:
   *   t > 0: gemm(false, true, B, 4H, H, 1, y[t−1], H, W_hh, H, 1, gates[t], 4H);
   *   lstmCellForward(step t, cPrev = t ? c[t−1] : c0)
   * (h0 = 0: step 0 adds no h-projection). gates: T×B×4H, x·W_ihᵀ + b_ih + b_hh in, activated
   * out; W_hh: 4H×H; c0: B×H; c, y: T×B×H (written).
   */
  lstmSequenceForward(
    T: number, B: number, H: number, gates: Float32Array, wHh: Float32Array, c0: Float32Array, c: Float32Array, y: Float32Array,
  ): void;

  /**
   * A whole LSTM layer backward through time, the same as for t = T−1..0:
   *   dh += dy[t]; lstmCellBackward(step t, cPrev = t ? c[t−1] : c0);
   *   t > 0: gemm(false, false, B, H, 4H, 1, dG[t], 4H, W_hh, H, 0, dh, H)
   * dy: T×B×H; dh, dc: B×H, zero on entry; dG: T×B×4H (written).
   */
  lstmSequenceBackward(
    T: number, B: number, H: number, gates: Float32Array, wHh: Float32Array, c0: Float32Array, c: Float32Array,
    dy: Float32Array, dh: Float32Array, dc: Float32Array, dG: Float32Array,
  ): void;

  // ---- element-wise passes of the layers (sums of gradients, dropout, ReLU, BatchNorm, MaxPool, the CNN eval tail)

  /** y[i] = a[i] + b[i] for i < n (gradients of a recurrence gaining each step's dy). y may alias a. */
  add(n: number, a: Float32Array, b: Float32Array, y: Float32Array): void;

  /** y[i] = a[i]·b[i] for i < n (dropout: x times its 0 or 1/(1−p) mask). y may alias a. */
  mul(n: number, a: Float32Array, b: Float32Array, y: Float32Array): void;

  /**
   * Dropout forward: mask[i] = scale when the uint32 draw u[i] ≥ thr (unsigned), else 0;
   * y[i] = x[i]·mask[i]. `u` holds the draws' bits (a Float32Array over the same memory as the
   * Uint32Array the generator filled); thr in [0, 2³²).
   */
  dropoutForward(n: number, u: Float32Array, thr: number, scale: number, x: Float32Array, mask: Float32Array, y: Float32Array): void;

  /** ReLU on the sign bit: y = x with every value whose sign bit is set (negatives, −0) made +0. */
  reluForward(n: number, x: Float32Array, y: Float32Array): void;

  /** dx[i] = dy[i] where y[i] (a reluForward output) is > +0, else +0. */
  reluBackward(n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void;

  /**
   * Column sums of two N×C matrices (rows contiguous), accumulated in float64 in row order:
   *   s1[c] = Σ_r a[r,c],  s2[c] = Σ_r a[r,c]·b[r,c]   (b = a gives Σx², BatchNorm statistics).
   */
  colSums2(N: number, C: number, a: Float32Array, b: Float32Array, s1: Float64Array, s2: Float64Array): void;

  /**
   * BatchNorm apply, N×C: xhat = (x − mean[c])·invStd[c], y = xhat·g[c] + b[c] (float32 math;
   * mean, invStd, g, b are C floats).
   */
  bnForward(
    N: number, C: number, x: Float32Array, mean: Float32Array, invStd: Float32Array,
    g: Float32Array, b: Float32Array, xhat: Float32Array, y: Float32Array,
  ): void;

  /** BatchNorm input gradient, N×C: dx = k1[c]·(dy − k2[c] − xhat·k3[c]) (float32 math). */
  bnBackward(
    N: number, C: number, dy: Float32Array, xhat: Float32Array,
    k1: Float32Array, k2: Float32Array, k3: Float32Array, dx: Float32Array,
  ): void;

  /** bnForward, then reluForward of y (y = relu(xhat·g[c] + b[c])): the same bits, one pass. */
  bnReluForward(
    N: number, C: number, x: Float32Array, mean: Float32Array, invStd: Float32Array,
    g: Float32Array, b: Float32Array, xhat: Float32Array, y: Float32Array,
  ): void;

  /** colSums2 of reluBackward(y, dy) and b, N×C, without writing the masked dy: the same sums. */
  reluColSums2(N: number, C: number, y: Float32Array, dy: Float32Array, b: Float32Array, s1: Float64Array, s2: Float64Array): void;

  /** reluBackward(y, dy), then bnBackward of that: the same bits, one pass. */
  reluBnBackward(
    N: number, C: number, y: Float32Array, dy: Float32Array, xhat: Float32Array,
    k1: Float32Array, k2: Float32Array, k3: Float32Array, dx: Float32Array,
  ): void;

  /**
   * im2col of a time-major sequence x (T×B×I) for a "same"-padded Conv1d of `taps` (odd) taps:
   * row t·B + b of col (T·B × taps·I) is steps t − p … t + p of episode b (p = (taps − 1)/2),
   * I floats each, zeros for steps outside 0…T−1. One gemm over col is then the whole convolution.
   */
  im2colTime(T: number, B: number, I: number, taps: number, x: Float32Array, col: Float32Array): void;

  /**
   * Strided row copy: dst[dstOff + r·dstStride + j] = src[srcOff + r·srcStride + j] for r < rows,
   * j < w (channel concatenation of parallel towers and its backward).
   */
  copyRows(rows: number, w: number, src: Float32Array, srcOff: number, srcStride: number, dst: Float32Array, dstOff: number, dstStride: number): void;

  /**
   * MaxPool1d(2) over time on time-major rows of L floats: y[t] = max(x[2t], x[2t+1]) element-wise
   * for t < Tp, ties to the earlier step, a NaN later value wins (PyTorch).
   */
  maxPool2Forward(Tp: number, L: number, x: Float32Array, y: Float32Array): void;

  /** Backward of maxPool2Forward: dx (T×L, T ≥ 2·Tp) gets dy at the winning step, zero elsewhere. */
  maxPool2Backward(T: number, Tp: number, L: number, x: Float32Array, dy: Float32Array, dx: Float32Array): void;

  /**
   * The eval-mode tail of a CNN front, fused (BatchNorm folded into the convolution before it):
   * y holds Bc episodes of S rows of C floats (episode b's step t at row b·S + t, t < T). For
   * b < Bc, t < ⌊T/2⌋ and channel c, with p_j = relu(relu(y[b·S + 2t + j][c] + bias[c])·scale[c] + shift[c]):
   *   out[t·outStep + b·C + c] = max(p_0, p_1)   (MaxPool1d(2) as maxPool2Forward; float32 steps)
   * relu here keeps a NaN as NaN whatever its sign (PyTorch); a NaN's sign bit is unspecified.
   * out is time-major when outStep = (all episodes)·C, so a chunk of episodes writes its columns.
   */
  convPostPool(
    Bc: number, T: number, S: number, C: number, outStep: number, y: Float32Array,
    bias: Float32Array, scale: Float32Array, shift: Float32Array, out: Float32Array,
  ): void;
}
