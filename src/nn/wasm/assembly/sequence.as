// AssemblyScript (compiled by scripts/build-wasm.mjs). Whole-layer recurrences, so a layer makes
// one JS→wasm call instead of two per time step (for one episode the per-call cost was ~10 % of
// the forward). Each step is exactly the gemm + cell pair the layer would call.
import { gemm, gemmBias } from './gemm';
import { gruCellForward, gruCellBackward } from './cells';
import { add, fillRows } from './elementwise';

// GRU layer forward over T steps of B rows (time-major). gates (T×B×3H): x·W_ihᵀ + b_ih in,
// activated r, z, n out; gh (T×B×3H): written, b_hh + h·W_hhᵀ of every step (kept for backward);
// h0 (B×H) the initial state; y (T×B×H) the outputs. Step 0 adds no h-projection (h0 = 0 in the
// layers), so its gh is b_hh alone.
export function gruSequenceForward(
  T: i32, B: i32, H: i32, gates: usize, gh: usize, wHh: usize, bHh: usize, h0: usize, y: usize, scratch: usize,
): void {
  const G = 3 * H;
  const gStep = <usize>(B * G) << 2;
  const hStep = <usize>(B * H) << 2;
  for (let t = 0; t < T; t++) {
    const go = <usize>t * gStep;
    let hp = h0;
    if (t > 0) {
      hp = y + <usize>(t - 1) * hStep;
      gemmBias(B, G, H, hp, H, wHh, H, bHh, gh + go, G, scratch);
    } else fillRows(B, G, bHh, gh);
    gruCellForward(B, H, gates + go, gh + go, hp, y + <usize>t * hStep);
  }
}

// GRU layer backward over all steps, t = T−1..0, exactly the layer's per-step calls:
//   dh += dy[t]; gruCellBackward(step t, dhPrev = dh); t > 0: dh += dGh[t]·W_hh
// dy (T×B×H) read only; dh (B×H) zero on entry, dL/dh0 on exit; dGx, dGh (T×B×3H) written.
export function gruSequenceBackward(
  T: i32, B: i32, H: i32, gates: usize, gh: usize, wHh: usize, h0: usize, y: usize,
  dy: usize, dh: usize, dGx: usize, dGh: usize, scratch: usize,
): void {
  const G = 3 * H;
  const gStep = <usize>(B * G) << 2;
  const hStep = <usize>(B * H) << 2;
  for (let t = T - 1; t >= 0; t--) {
    const go = <usize>t * gStep;
    add(B * H, dh, dy + <usize>t * hStep, dh);
    const hp = t == 0 ? h0 : y + <usize>(t - 1) * hStep;
    gruCellBackward(B, H, gates + go, gh + go, hp, dh, dGx + go, dGh + go, dh);
    if (t > 0) gemm(false, false, B, H, G, 1, dGh + go, G, wHh, H, 1, dh, H, scratch);
  }
}
