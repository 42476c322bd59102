/**
 * The hot numerical kernels of the engine, behind one small interface so that a faster backend
 * (WebAssembly SIMD, worker threads) can replace the plain TypeScript one and both can be tested
 * against each other. Every layer does its heavy arithmetic through these calls only.
 *
 * Conventions: row-major Float32Array storage; an (array, offset) pair addresses a matrix whose
 * rows are `ld` floats apart. Buffers that a backend may want to see without copying are
 * allocated with `alloc` (a WebAssembly backend hands out views of its own memory).
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
}
