/**
 * The hot numerical kernels of the engine, behind one small interface so that a faster backend
 * (WebAssembly SIMD, worker threads) can replace the plain TypeScript one and both can be tested
 * against each other. Every layer does its heavy arithmetic through these calls only.
 *
 * Conventions: row-major Float32Array storage; an (array, offset) pair addresses a matrix whose
 * rows are `ld` floats apart. Buffers that a backend may want to see without copying are
 * allocated with `alloc` (a WebAssembly backend hands out views of its own memory).
 *
 * Recurrent cells work on one time step of a batch: B rows, each row contiguous (row stride =
 * its width: 3H for GRU gates, 4H for LSTM gates, H for states). Gate order is PyTorch's:
 * GRU (r, z, n), LSTM (i, f, g, o). Convolutions are done by the layers with `gemm` on
 * time-major data (one gemm per kernel tap), so they need no kernel of their own.
 */
export interface Kernels {
  readonly name: string;

  /** A zero-filled buffer of n floats that this backend can use without copying. */
  alloc(n: number): Float32Array;

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
}
