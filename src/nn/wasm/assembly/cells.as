// AssemblyScript (compiled by scripts/build-wasm.mjs). Fused GRU/LSTM cell steps, four hidden
// units per SIMD step; semantics exactly those of src/nn/kernels.ts (PyTorch gate order).
// Pointers are byte addresses; rows are B, hidden size H; gates are B×3H (GRU) or B×4H (LSTM).
// exp is a Cephes-style f32 polynomial (rel. error ~2e-7) so σ and tanh vectorise; tails (H % 4)
// go through the same vector code one lane at a time, so every unit gets identical arithmetic.

@inline function exp4(x: v128): v128 {
  // clamp so 2^n stays a normal float; σ and tanh are saturated far before these bounds
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // 2^n from the exponent bits
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(y, e);
}

@inline function sigmoid4(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(x))));
}

@inline function tanh4(x: v128): v128 {
  // tanh x = sign(x)·(1 − e)/(1 + e), e = exp(−2|x|) ∈ (0, 1]: no overflow, odd by construction
  const one = f32x4.splat(1);
  const e = exp4(f32x4.mul(f32x4.abs(x), f32x4.splat(-2)));
  const t = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  return v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
}

// Loads/stores of `lanes` floats (4 on the vector path, 1 on the tail).
@inline function ld(p: usize, lanes: i32): v128 {
  return lanes == 4 ? v128.load(p) : f32x4.splat(load<f32>(p));
}
@inline function st(p: usize, v: v128, lanes: i32): void {
  if (lanes == 4) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

export function gruCellForward(B: i32, H: i32, gates: usize, gh: usize, hPrev: usize, h: usize): void {
  const G = 3 * H;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const g = gates + ((<usize>b * G) << 2);
    const q = gh + ((<usize>b * G) << 2);
    const hp = hPrev + ((<usize>b * H) << 2);
    const ho = h + ((<usize>b * H) << 2);
    for (let j = 0; j < H; ) {
      const lanes = j + 4 <= H ? 4 : 1;
      const o = <usize>j << 2;
      const r = sigmoid4(f32x4.add(ld(g + o, lanes), ld(q + o, lanes)));
      const z = sigmoid4(f32x4.add(ld(g + hb + o, lanes), ld(q + hb + o, lanes)));
      const n = tanh4(f32x4.add(ld(g + 2 * hb + o, lanes), f32x4.mul(r, ld(q + 2 * hb + o, lanes))));
      st(g + o, r, lanes);
      st(g + hb + o, z, lanes);
      st(g + 2 * hb + o, n, lanes);
      // (1 − z)·n + z·hPrev, written as in the reference to round the same way
      st(ho + o, f32x4.add(f32x4.mul(f32x4.sub(one, z), n), f32x4.mul(z, ld(hp + o, lanes))), lanes);
      j += lanes;
    }
  }
}

export function gruCellBackward(
  B: i32, H: i32, gates: usize, gh: usize, hPrev: usize, dh: usize, dGx: usize, dGh: usize, dhPrev: usize,
): void {
  const G = 3 * H;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const g = gates + ((<usize>b * G) << 2);
    const q = gh + ((<usize>b * G) << 2);
    const hp = hPrev + ((<usize>b * H) << 2);
    const d = dh + ((<usize>b * H) << 2);
    const dx = dGx + ((<usize>b * G) << 2);
    const dq = dGh + ((<usize>b * G) << 2);
    const dp = dhPrev + ((<usize>b * H) << 2);
    for (let j = 0; j < H; ) {
      const lanes = j + 4 <= H ? 4 : 1;
      const o = <usize>j << 2;
      const r = ld(g + o, lanes);
      const z = ld(g + hb + o, lanes);
      const n = ld(g + 2 * hb + o, lanes);
      const dhj = ld(d + o, lanes);
      const dnPre = f32x4.mul(f32x4.mul(dhj, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
      const dzPre = f32x4.mul(f32x4.mul(f32x4.mul(dhj, f32x4.sub(ld(hp + o, lanes), n)), z), f32x4.sub(one, z));
      const drPre = f32x4.mul(f32x4.mul(f32x4.mul(dnPre, ld(q + 2 * hb + o, lanes)), r), f32x4.sub(one, r));
      st(dx + o, drPre, lanes);
      st(dx + hb + o, dzPre, lanes);
      st(dx + 2 * hb + o, dnPre, lanes);
      st(dq + o, drPre, lanes);
      st(dq + hb + o, dzPre, lanes);
      st(dq + 2 * hb + o, f32x4.mul(dnPre, r), lanes);
      st(dp + o, f32x4.mul(dhj, z), lanes); // after every read of dh: dhPrev may alias it
      j += lanes;
    }
  }
}

export function lstmCellForward(B: i32, H: i32, gates: usize, cPrev: usize, c: usize, h: usize): void {
  const G = 4 * H;
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g = gates + ((<usize>b * G) << 2);
    const cp = cPrev + ((<usize>b * H) << 2);
    const co = c + ((<usize>b * H) << 2);
    const ho = h + ((<usize>b * H) << 2);
    for (let j = 0; j < H; ) {
      const lanes = j + 4 <= H ? 4 : 1;
      const o = <usize>j << 2;
      const i = sigmoid4(ld(g + o, lanes));
      const f = sigmoid4(ld(g + hb + o, lanes));
      const gg = tanh4(ld(g + 2 * hb + o, lanes));
      const og = sigmoid4(ld(g + 3 * hb + o, lanes));
      st(g + o, i, lanes);
      st(g + hb + o, f, lanes);
      st(g + 2 * hb + o, gg, lanes);
      st(g + 3 * hb + o, og, lanes);
      const cv = f32x4.add(f32x4.mul(f, ld(cp + o, lanes)), f32x4.mul(i, gg));
      st(co + o, cv, lanes);
      st(ho + o, f32x4.mul(og, tanh4(cv)), lanes);
      j += lanes;
    }
  }
}

export function lstmCellBackward(
  B: i32, H: i32, gates: usize, cPrev: usize, c: usize, dh: usize, dc: usize, dG: usize,
): void {
  const G = 4 * H;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const g = gates + ((<usize>b * G) << 2);
    const cp = cPrev + ((<usize>b * H) << 2);
    const co = c + ((<usize>b * H) << 2);
    const d = dh + ((<usize>b * H) << 2);
    const dcb = dc + ((<usize>b * H) << 2);
    const o4 = dG + ((<usize>b * G) << 2);
    for (let j = 0; j < H; ) {
      const lanes = j + 4 <= H ? 4 : 1;
      const o = <usize>j << 2;
      const i = ld(g + o, lanes);
      const f = ld(g + hb + o, lanes);
      const gg = ld(g + 2 * hb + o, lanes);
      const og = ld(g + 3 * hb + o, lanes);
      const tc = tanh4(ld(co + o, lanes));
      const dhj = ld(d + o, lanes);
      const dct = f32x4.add(ld(dcb + o, lanes), f32x4.mul(f32x4.mul(dhj, og), f32x4.sub(one, f32x4.mul(tc, tc))));
      st(o4 + o, f32x4.mul(f32x4.mul(f32x4.mul(dct, gg), i), f32x4.sub(one, i)), lanes);
      st(o4 + hb + o, f32x4.mul(f32x4.mul(f32x4.mul(dct, ld(cp + o, lanes)), f), f32x4.sub(one, f)), lanes);
      st(o4 + 2 * hb + o, f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one, f32x4.mul(gg, gg))), lanes);
      st(o4 + 3 * hb + o, f32x4.mul(f32x4.mul(f32x4.mul(dhj, tc), og), f32x4.sub(one, og)), lanes);
      st(dcb + o, f32x4.mul(dct, f), lanes);
      j += lanes;
    }
  }
}
