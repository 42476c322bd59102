/** Channel concatenation of parallel towers on row-major data: n inputs rows×wᵢ → rows×Σwᵢ. */

/** Copies each input's rows side by side into out (rows × Σ widths). */
export function concatColumns(inputs: Float32Array[], widths: number[], rows: number, out: Float32Array): void {
  const W = widths.reduce((a, b) => a + b, 0);
  let col = 0;
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]!;
    const w = widths[i]!;
    for (let r = 0; r < rows; r++) out.set(x.subarray(r * w, r * w + w), r * W + col);
    col += w;
  }
}

/** Backward of concatColumns: splits dOut (rows × Σ widths) into the per-input gradients. */
export function splitColumns(dOut: Float32Array, widths: number[], rows: number, outs: Float32Array[]): void {
  const W = widths.reduce((a, b) => a + b, 0);
  let col = 0;
  for (let i = 0; i < outs.length; i++) {
    const d = outs[i]!;
    const w = widths[i]!;
    for (let r = 0; r < rows; r++) d.set(dOut.subarray(r * W + col, r * W + col + w), r * w);
    col += w;
  }
}
