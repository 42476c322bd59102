/** The seven architectures: construction, names, gradients (with masks), state dicts, dropout. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ARCHS, createModel, defaultConfig, type ArchConfig } from '../../src/models/index.js';
import { AdamW, readSafetensors, softmaxCrossEntropy, writeSafetensors } from '../../src/nn/index.js';
import { selectKernels } from '../../src/nn/select-kernels.js';
import { Rng } from '../../src/util/rng.js';
import { gradCheck, randn } from '../nn/gradcheck.js';

test('defaults: every architecture builds with the reference sizes and gives B×classes logits', () => {
  const expectKeys: Record<string, string[]> = {
    GRU: ['RNN.weight_ih_l1'], StackedGRU: ['RNN.weight_ih_l2'], LSTM: ['RNN.weight_hh_l1'],
    CNNGRU: ['cnn.0.weight', 'cnn.1.running_var', 'gru.weight_ih_l0'],
    CNNStackedGRU: ['cnn.1.num_batches_tracked', 'gru1.weight_ih_l0', 'gru2.bias_hh_l0'],
    MSGRU: ['tower3.0.weight', 'cnn_post.0.running_mean', 'gru.weight_hh_l0'],
    MSStackedGRU: ['tower1.1.weight', 'gru2.weight_ih_l0'],
  };
  const rng = new Rng(1);
  const B = 2, T = 87;
  const x = randn(B * T * 8, rng);
  for (const arch of ARCHS) {
    const cfg = defaultConfig(arch, 8, 24);
    assert.equal(cfg.hidden, 64);
    assert.equal(cfg.headHidden, 128);
    const m = createModel(cfg, { seed: 1 });
    const sd = m.stateDict();
    for (const key of expectKeys[arch]!) assert.ok(sd.has(key), `${arch} has ${key}`);
    const head = arch.startsWith('CNN') || arch.startsWith('MS') ? 'output_layers' : 'output_layers.output_layers';
    assert.deepEqual(sd.get(`${head}.0.weight`)!.shape, [128, 64]);
    assert.deepEqual(sd.get(`${head}.3.weight`)!.shape, [24, 128]);
    if (arch.startsWith('MS')) assert.deepEqual(sd.get('tower2.0.weight')!.shape, [32, 8, 5]);
    m.train(false);
    const y = m.forward(x, B, T);
    assert.equal(y.length, B * 24);
    for (let i = 0; i < B * 24; i++) assert.ok(Number.isFinite(y[i]!));
  }
  assert.equal(defaultConfig('StackedGRU').layers, 3);
  assert.equal(defaultConfig('MSCSGRU').arch, 'MSStackedGRU');
  assert.throws(() => defaultConfig('Transformer'), /unknown architecture/);
});

function small(arch: ArchConfig['arch'], useMask: boolean): ArchConfig {
  return {
    ...defaultConfig(arch, 3, 4), hidden: 3, headHidden: 8, filters: 3, inputDense: arch === 'LSTM' ? 3 : 0,
    kernels: arch.startsWith('MS') ? [3, 5] : arch.startsWith('CNN') ? [3] : [],
    rnnDropout: 0, headDropout: 0, cnnDropout: 0, useMask,
  };
}

for (const [arch, backend] of ARCHS.flatMap((a) => [[a, 'ts'], [a, 'wasm']] as const)) {
  test(`${arch}: finite-difference gradients of every parameter, classifying from the last valid step (${backend})`, () => {
    const rng = new Rng(2);
    const B = 3, T = 8;
    const m = createModel(small(arch, true), { seed: 3, kernels: selectKernels(backend) });
    m.train(true);
    const x = randn(B * T * 3, rng);
    const mask = new Uint8Array(B * T);
    [8, 5, 3].forEach((L, b) => mask.fill(1, b * T, b * T + L));
    gradCheck({
      forward: () => m.forward(x, B, T, mask),
      backward: (dy) => { m.zeroGrad(); m.backward(dy); },
      wrt: m.parameters().map((p) => ({ name: p.name, value: p.data, grad: () => p.grad, n: 12 })),
      eps: 3e-3,
      kinks: true,
    });
    // the mask matters: a change after episode 1's last valid step leaves its logits alone
    m.train(false);
    const before = m.forward(x, B, T, mask).slice(0, B * 4);
    assert.notDeepEqual([...before.subarray(0, 4)], [...before.subarray(4, 8)], 'episodes get different logits (no dead head)');
    x[(1 * T + 7) * 3] += 5;
    const after = m.forward(x, B, T, mask).slice(0, B * 4);
    for (let j = 0; j < 4; j++) assert.equal(after[4 + j], before[4 + j], 'episode 1 logits');
    // while a change inside episode 0's valid steps does reach its logits
    for (let i = 0; i < T * 3; i++) x[i] += rng.normal();
    const again = m.forward(x, B, T, mask).slice(0, B * 4);
    assert.notDeepEqual([...again.subarray(0, 4)], [...after.subarray(0, 4)], 'episode 0 logits');
  });
}

test('useMask off classifies from the last step, so padding changes the logits', () => {
  const rng = new Rng(4);
  const B = 1, T = 6;
  const m = createModel(small('GRU', false), { seed: 1 });
  const x = randn(B * T * 3, rng);
  const mask = Uint8Array.from([1, 1, 1, 0, 0, 0]);
  const a = m.forward(x, B, T, mask).slice(0, 4);
  x[5 * 3] += 3;
  const b = m.forward(x, B, T, mask).slice(0, 4);
  assert.notDeepEqual([...a], [...b]);
});

test('dropout: active only in training, deterministic for a seed', () => {
  const rng = new Rng(5);
  const B = 4, T = 10;
  const cfg = { ...defaultConfig('CNNGRU', 3, 4), hidden: 8, headHidden: 8, filters: 4 };
  const x = randn(B * T * 3, rng);
  const m1 = createModel(cfg, { seed: 9 });
  const m2 = createModel(cfg, { seed: 9 });
  m1.train(false);
  const e1 = m1.forward(x, B, T).slice(0, B * 4);
  const e2 = m1.forward(x, B, T).slice(0, B * 4);
  assert.deepEqual(e1, e2);
  m1.train(true);
  m2.train(true);
  const t1 = m1.forward(x, B, T).slice(0, B * 4);
  const t2 = m1.forward(x, B, T).slice(0, B * 4);
  assert.notDeepEqual(t1, t2, 'a new dropout mask each forward');
  assert.deepEqual(m2.forward(x, B, T).slice(0, B * 4), t1, 'same seed, same masks');
});

test('state dict: safetensors round trip (num_batches_tracked as I64), and clear load errors', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-nn-'));
  try {
    const cfg = { ...defaultConfig('MSStackedGRU', 8, 24), hidden: 8, headHidden: 16, filters: 4 };
    const a = createModel(cfg, { seed: 1 });
    a.train(true);
    const rng = new Rng(6);
    const x = randn(2 * 12 * 8, rng);
    a.forward(x, 2, 12); // moves the running statistics
    const file = path.join(dir, 'm.safetensors');
    writeSafetensors(file, a.stateDict(), { note: 'test' });
    const { tensors, metadata } = readSafetensors(file);
    assert.equal(metadata.note, 'test');
    assert.equal(tensors.get('tower1.1.num_batches_tracked')!.data[0], 1);
    const b = createModel(cfg, { seed: 2 });
    b.loadStateDict(tensors);
    a.train(false);
    b.train(false);
    assert.deepEqual(b.forward(x, 2, 12).slice(0, 48), a.forward(x, 2, 12).slice(0, 48));
    const missing = new Map(tensors);
    missing.delete('gru2.bias_hh_l0');
    assert.throws(() => b.loadStateDict(missing), /missing keys: gru2\.bias_hh_l0/);
    const extra = new Map(tensors).set('foo', { shape: [1], data: new Float32Array(1) });
    assert.throws(() => b.loadStateDict(extra), /unexpected keys: foo/);
    const bad = new Map(tensors).set('cnn_post.0.weight', { shape: [3], data: new Float32Array(3) });
    assert.throws(() => b.loadStateDict(bad), /wrong shapes: cnn_post\.0\.weight \(got \[3\], expected \[12\]\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a small GRU and MSStackedGRU learn a separable toy task with AdamW', () => {
  for (const arch of ['GRU', 'MSStackedGRU'] as const) {
    const rng = new Rng(10);
    const B = 16, T = 12, C = 3, K = 3;
    const cfg = { ...defaultConfig(arch, C, K), hidden: 8, headHidden: 8, filters: 4 };
    const m = createModel(cfg, { seed: 1 });
    // class = which channel carries a positive bump
    const x = new Float32Array(B * T * C);
    const y = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      y[b] = b % K;
      for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) x[(b * T + t) * C + c] = 0.3 * rng.normal() + (c === y[b] ? 1 : 0);
    }
    const opt = new AdamW(m.parameters(), { lr: 1e-2, weightDecay: 1e-3 });
    let first = 0, last = 0;
    for (let it = 0; it < 40; it++) {
      m.train(true);
      m.zeroGrad();
      const r = softmaxCrossEntropy(m.forward(x, B, T), y, B, K);
      if (it === 0) first = r.loss;
      last = r.loss;
      m.backward(r.dLogits);
      opt.step();
    }
    assert.ok(last < 0.3 * first, `${arch}: loss ${first} → ${last}`);
  }
});

// The CNN models' eval mode runs CnnFront.forwardEval (BatchNorm folded into the convolutions,
// one gemm per tower over overlapping windows, a fused ReLU/affine/ReLU/MaxPool pass, episodes in
// chunks). It must compute the same function as the layer-by-layer path, on both backends.
for (const backend of ['ts', 'wasm'] as const) {
  for (const arch of ['CNNGRU', 'CNNStackedGRU', 'MSGRU', 'MSStackedGRU'] as const) {
    test(`${arch} (${backend}): the fused eval path equals the layer-by-layer eval path`, () => {
      const kernels = selectKernels(backend);
      const model = createModel(defaultConfig(arch), { seed: 3, kernels });
      // BatchNorm with non-trivial running statistics and affine parameters
      const rng = new Rng(17);
      const sd = model.stateDict();
      for (const [name, t] of sd) {
        if (name.endsWith('running_mean') || name.endsWith('.bias')) t.data.forEach((_, i) => { t.data[i] = (rng.next() - 0.5) * 0.6; });
        if (name.endsWith('running_var')) t.data.forEach((_, i) => { t.data[i] = 0.3 + rng.next() * 2; });
        if (/\.1\.weight$|cnn_post\.0\.weight$/.test(name)) t.data.forEach((_, i) => { t.data[i] = 0.5 + rng.next(); });
      }
      model.loadStateDict(sd);
      model.train(false);
      // 9 episodes of 87 steps: more than one chunk of forwardEval; 5 of 2 and 3 of 7 steps: edges
      for (const [B, T] of [[9, 87], [5, 2], [3, 7], [1, 87]] as const) {
        const x = randn(B * T * 8, rng);
        model.fusedEval = true;
        const fused = model.forward(x, B, T).slice();
        model.fusedEval = false;
        const plain = model.forward(x, B, T).slice();
        let worst = 0;
        for (let i = 0; i < plain.length; i++) worst = Math.max(worst, Math.abs(fused[i]! - plain[i]!) / (1 + Math.abs(plain[i]!)));
        assert.ok(worst < 1e-5, `B=${B} T=${T}: fused and layer-by-layer logits differ by ${worst}`);
        assert.ok(plain.some((v) => v !== 0));
      }
      model.dispose();
    });
  }
}
