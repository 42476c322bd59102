// AssemblyScript (compiled by scripts/build-wasm.mjs). Whole-layer recurrences, so a layer makes
// one JS→wasm call instead of two per time step (for one episode the per-call cost was ~10 % of
// the forward). Each step is exactly the gemm + cell pair the layer would call.
import { fitsOnePack, gemm, gemmBias, gemmPacked, packB, packedB } from './gemm';
import { gruCellForward, gruCellBackward, lstmCellForward, lstmCellBackward } from './cells';
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
  // W_hhᵀ packed once for all steps (B = 1 takes gemm's unpacked single-row path instead)
  const packed = B > 1 && T > 1 && fitsOnePack(G, H);
  if (packed) packB(true, wHh, H, 0, G, 0, H, packedB(scratch));
  for (let t = 0; t < T; t++) {
    const go = <usize>t * gStep;
    let hp = h0;
    if (t > 0) {
      hp = y + <usize>(t - 1) * hStep;
      if (packed) gemmPacked(B, G, H, 1, hp, H, 1, gh + go, G, bHh, scratch);
      else gemmBias(B, G, H, hp, H, wHh, H, bHh, gh + go, G, scratch);
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
  const packed = B > 1 && T > 1 && fitsOnePack(H, G);
  if (packed) packB(false, wHh, H, 0, H, 0, G, packedB(scratch));
  for (let t = T - 1; t >= 0; t--) {
    const go = <usize>t * gStep;
    add(B * H, dh, dy + <usize>t * hStep, dh);
    const hp = t == 0 ? h0 : y + <usize>(t - 1) * hStep;
    gruCellBackward(B, H, gates + go, gh + go, hp, dh, dGx + go, dGh + go, dh);
    if (t > 0) {
      if (packed) gemmPacked(B, H, G, 1, dGh + go, G, 1, dh, H, 0, scratch);
      else gemm(false, false, B, H, G, 1, dGh + go, G, wHh, H, 1, dh, H, scratch);
    }
  }
}

// LSTM layer forward over T steps (time-major), exactly the layer's per-step calls:
//   t > 0: gates[t] += y[t−1]·W_hhᵀ; lstmCellForward(step t, cPrev = t ? c[t−1] : c0)
// gates (T×B×4H): x·W_ihᵀ + both biases in, activated i, f, g, o out; c, y (T×B×H) written.
export function lstmSequenceForward(
  T: i32, B: i32, H: i32, gates: usize, wHh: usize, c0: usize, c: usize, y: usize, scratch: usize,
): void {
  const G = 4 * H;
  const gStep = <usize>(B * G) << 2;
  const hStep = <usize>(B * H) << 2;
  for (let t = 0; t < T; t++) {
    const go = <usize>t * gStep;
    let cp = c0;
    if (t > 0) {
      const po = <usize>(t - 1) * hStep;
      cp = c + po;
      gemm(false, true, B, G, H, 1, y + po, H, wHh, H, 1, gates + go, G, scratch);
    }
    lstmCellForward(B, H, gates + go, cp, c + <usize>t * hStep, y + <usize>t * hStep);
  }
}

// LSTM layer backward, t = T−1..0, exactly the layer's per-step calls:
//   dh += dy[t]; lstmCellBackward(step t); t > 0: dh = dG[t]·W_hh
// dh, dc (B×H) zero on entry; dG (T×B×4H) written.
export function lstmSequenceBackward(
  T: i32, B: i32, H: i32, gates: usize, wHh: usize, c0: usize, c: usize,
  dy: usize, dh: usize, dc: usize, dG: usize, scratch: usize,
): void {
  const G = 4 * H;
  const gStep = <usize>(B * G) << 2;
  const hStep = <usize>(B * H) << 2;
  for (let t = T - 1; t >= 0; t--) {
    const go = <usize>t * gStep;
    const ho = <usize>t * hStep;
    add(B * H, dh, dy + ho, dh);
    const cp = t == 0 ? c0 : c + <usize>(t - 1) * hStep;
    lstmCellBackward(B, H, gates + go, cp, c + ho, dh, dc, dG + go);
    if (t > 0) gemm(false, false, B, H, G, 1, dG + go, G, wHh, H, 0, dh, H, scratch);
  }
}
