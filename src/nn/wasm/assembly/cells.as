// AssemblyScript (compiled by scripts/build-wasm.mjs). Fused GRU/LSTM cell steps, four hidden
// units per SIMD step; semantics exactly those of src/nn/kernels.ts (PyTorch gate order).
// Pointers are byte addresses; rows are B, hidden size H; gates are B×3H (GRU) or B×4H (LSTM).
// exp is a Cephes-style f32 polynomial (rel. error ~2e-7) so σ and tanh vectorise; tails (H % 4)
// go through the same vector code one lane at a time, so every unit gets identical arithmetic.

// p·r + c: a fused multiply-add in the relaxed-SIMD build where the CPU has FMA (see madd in
// gemm.as), else mul then add. Only exp's polynomial uses it.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline function exp4(x: v128): v128 {
  // clamp so 2^n stays a normal float; σ and tanh are saturated far before these bounds.
  // pmin/pmax are single x64 instructions (min/max are ~6 for their NaN and ±0 rules); a NaN
  // still passes through, since both compare false against it.
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  // n = round-half-even(x·log2 e) by the 1.5·2^23 trick: the same n as f32x4.nearest, and the
  // sum's low mantissa bits are n itself, which gives 2^n without a float→int conversion
  const magic = f32x4.splat(12582912.0);
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), magic);
  const n = f32x4.sub(t, magic);
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = madd(p, r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // 2^n from the exponent bits: bits(t) = 0x4B400000 + n
  const e = i32x4.shl(i32x4.add(t, i32x4.splat(127 - 0x4B400000)), 23);
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

// σ (kind SIGMOID) or tanh (kind TANH) of two vectors with their steps interleaved: two
// independent ~20-step exp chains in one instruction stream, which the CPU overlaps. The same
// operations per lane as sigmoid4/tanh4, so the same bits. f(a) is stored at pa, f(b) at pb.
const SIGMOID = 0, TANH = 1;
@inline function act4x2(kind: i32, xa: v128, xb: v128, pa: usize, pb: usize): void {
  let a: v128, b: v128;
  if (kind == SIGMOID) {
    a = f32x4.neg(xa);
    b = f32x4.neg(xb);
  } else {
    a = f32x4.mul(f32x4.abs(xa), f32x4.splat(-2));
    b = f32x4.mul(f32x4.abs(xb), f32x4.splat(-2));
  }
  // exp4 of a and b, step by step
  a = f32x4.pmin(f32x4.pmax(a, f32x4.splat(-87.0)), f32x4.splat(88.0));
  b = f32x4.pmin(f32x4.pmax(b, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const magic = f32x4.splat(12582912.0);
  const ta = f32x4.add(f32x4.mul(a, f32x4.splat(1.44269504088896341)), magic);
  const tb = f32x4.add(f32x4.mul(b, f32x4.splat(1.44269504088896341)), magic);
  const na = f32x4.sub(ta, magic), nb = f32x4.sub(tb, magic);
  let ra = f32x4.sub(a, f32x4.mul(na, f32x4.splat(0.693359375)));
  let rb = f32x4.sub(b, f32x4.mul(nb, f32x4.splat(0.693359375)));
  ra = f32x4.sub(ra, f32x4.mul(na, f32x4.splat(-2.12194440e-4)));
  rb = f32x4.sub(rb, f32x4.mul(nb, f32x4.splat(-2.12194440e-4)));
  let qa = f32x4.splat(1.9875691500e-4), qb = qa;
  qa = madd(qa, ra, f32x4.splat(1.3981999507e-3));
  qb = madd(qb, rb, f32x4.splat(1.3981999507e-3));
  qa = madd(qa, ra, f32x4.splat(8.3334519073e-3));
  qb = madd(qb, rb, f32x4.splat(8.3334519073e-3));
  qa = madd(qa, ra, f32x4.splat(4.1665795894e-2));
  qb = madd(qb, rb, f32x4.splat(4.1665795894e-2));
  qa = madd(qa, ra, f32x4.splat(1.6666665459e-1));
  qb = madd(qb, rb, f32x4.splat(1.6666665459e-1));
  qa = madd(qa, ra, f32x4.splat(5.0000001201e-1));
  qb = madd(qb, rb, f32x4.splat(5.0000001201e-1));
  const one = f32x4.splat(1);
  const ya = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(qa, ra), ra), ra), one);
  const yb = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(qb, rb), rb), rb), one);
  const bias = i32x4.splat(127 - 0x4B400000);
  const ea = f32x4.mul(ya, i32x4.shl(i32x4.add(ta, bias), 23));
  const eb = f32x4.mul(yb, i32x4.shl(i32x4.add(tb, bias), 23));
  if (kind == SIGMOID) {
    v128.store(pa, f32x4.div(one, f32x4.add(one, ea)));
    v128.store(pb, f32x4.div(one, f32x4.add(one, eb)));
  } else {
    const sign = i32x4.splat(0x80000000);
    v128.store(pa, v128.or(f32x4.div(f32x4.sub(one, ea), f32x4.add(one, ea)), v128.and(xa, sign)));
    v128.store(pb, v128.or(f32x4.div(f32x4.sub(one, eb), f32x4.add(one, eb)), v128.and(xb, sign)));
  }
}

// One row's gates in two passes, r and z first, then n and h: each pass's iterations are short
// and independent, so the CPU overlaps several exp chains instead of waiting on r → n in one; the
// vector paths also interleave two chains themselves (r with z; n of units j..j+3 with j+4..j+7).
// `lanes` is a compile-time 4 or 1 at each call site, so the loops have no per-unit branches.
@inline function gruUnitsRZ(g: usize, q: usize, hb: usize, o: usize, lanes: i32): void {
  if (lanes == 4) {
    act4x2(SIGMOID, f32x4.add(v128.load(g + o), v128.load(q + o)), f32x4.add(v128.load(g + hb + o), v128.load(q + hb + o)), g + o, g + hb + o);
  } else {
    st(g + o, sigmoid4(f32x4.add(ld(g + o, lanes), ld(q + o, lanes))), lanes);
    st(g + hb + o, sigmoid4(f32x4.add(ld(g + hb + o, lanes), ld(q + hb + o, lanes))), lanes);
  }
}
// h = (1 − z)·n + z·hPrev, written as in the reference to round the same way
@inline function gruH(z: v128, n: v128, hPrev: v128): v128 {
  return f32x4.add(f32x4.mul(f32x4.sub(f32x4.splat(1), z), n), f32x4.mul(z, hPrev));
}
@inline function gruUnitsNH(g: usize, q: usize, hp: usize, ho: usize, hb: usize, o: usize, lanes: i32): void {
  const r = ld(g + o, lanes), z = ld(g + hb + o, lanes);
  const n = tanh4(f32x4.add(ld(g + 2 * hb + o, lanes), f32x4.mul(r, ld(q + 2 * hb + o, lanes))));
  st(g + 2 * hb + o, n, lanes);
  st(ho + o, gruH(z, n, ld(hp + o, lanes)), lanes);
}
// units j..j+7 of the n/h pass, the two tanh chains interleaved
@inline function gruUnitsNH8(g: usize, q: usize, hp: usize, ho: usize, hb: usize, o: usize): void {
  const pn = g + 2 * hb + o, qn = q + 2 * hb + o;
  act4x2(
    TANH,
    f32x4.add(v128.load(pn), f32x4.mul(v128.load(g + o), v128.load(qn))),
    f32x4.add(v128.load(pn, 16), f32x4.mul(v128.load(g + o, 16), v128.load(qn, 16))),
    pn, pn + 16,
  );
  const pz = g + hb + o;
  v128.store(ho + o, gruH(v128.load(pz), v128.load(pn), v128.load(hp + o)));
  v128.store(ho + o, gruH(v128.load(pz, 16), v128.load(pn, 16), v128.load(hp + o, 16)), 16);
}

export function gruCellForward(B: i32, H: i32, gates: usize, gh: usize, hPrev: usize, h: usize): void {
  const G = 3 * H;
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g = gates + ((<usize>b * G) << 2);
    const q = gh + ((<usize>b * G) << 2);
    const hp = hPrev + ((<usize>b * H) << 2);
    const ho = h + ((<usize>b * H) << 2);
    let j = 0;
    for (; j + 4 <= H; j += 4) gruUnitsRZ(g, q, hb, <usize>j << 2, 4);
    for (; j < H; j++) gruUnitsRZ(g, q, hb, <usize>j << 2, 1);
    for (j = 0; j + 8 <= H; j += 8) gruUnitsNH8(g, q, hp, ho, hb, <usize>j << 2);
    for (; j + 4 <= H; j += 4) gruUnitsNH(g, q, hp, ho, hb, <usize>j << 2, 4);
    for (; j < H; j++) gruUnitsNH(g, q, hp, ho, hb, <usize>j << 2, 1);
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
