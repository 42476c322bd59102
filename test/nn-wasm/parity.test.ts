/**
 * The WebAssembly backend passes the PyTorch parity fixtures with the same tolerances as the
 * TypeScript backend (test/models/parity.test.ts): eval logits, train-mode loss, every gradient,
 * BatchNorm statistics, one AdamW step, and the published GRU on 48 real episodes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdamW, softmaxCrossEntropy } from '../../src/nn/index.js';
import { createModel } from '../../src/models/index.js';
import { createWasmKernels } from '../../src/nn/wasm/index.js';
import { sharedSkip } from '../shared.js';
import { PARITY_FIXTURES, fixtureConfig, maxErr, readFixture, toStateDict, type FTensor } from '../models/fixture-util.js';

const kernels = createWasmKernels({ memoryMiB: 64 });

for (const name of PARITY_FIXTURES) {
  test(`wasm parity ${name}: eval logits, loss, gradients, BatchNorm statistics, AdamW step`, { skip: sharedSkip }, () => {
    const f = readFixture(name);
    const m = createModel(fixtureConfig(f), { seed: 1, kernels });
    m.loadStateDict(toStateDict(f.state_dict));
    const [B, T] = f.input.shape as [number, number, number];
    const x = Float32Array.from(f.input.data);

    m.train(false);
    const eval1 = maxErr(m.forward(x, B, T), f.logits_eval.data);
    assert.ok(eval1.abs <= 1e-4, `eval logits differ by ${eval1.abs}`);

    m.train(true);
    m.zeroGrad();
    const logits = m.forward(x, B, T);
    assert.ok(maxErr(logits, f.train.logits.data).abs <= 1e-4, 'train-mode logits');
    const r = softmaxCrossEntropy(logits, f.target, B, 24);
    assert.ok(Math.abs(r.loss - f.train.loss) <= 1e-5, `loss ${r.loss} vs ${f.train.loss}`);
    m.backward(r.dLogits);
    const params = m.parameters();
    for (const p of params) {
      const g = f.train.grads[p.name]!.data;
      for (let i = 0; i < g.length; i++) {
        const d = Math.abs(p.grad[i]! - g[i]!);
        assert.ok(d <= Math.max(1e-3 * Math.abs(g[i]!), 1e-6), `grad ${p.name}[${i}] ${p.grad[i]} vs ${g[i]}`);
      }
    }
    const sd = m.stateDict();
    for (const [k, v] of Object.entries(f.train.bn_running_after)) {
      const e = maxErr(sd.get(k)!.data, v.data);
      assert.ok(e.abs <= 1e-6, `${k} differs by ${e.abs}`);
    }
    const a = f.train.adamw;
    new AdamW(params, { lr: a.lr, betas: a.betas, eps: a.eps, weightDecay: a.weight_decay }).step();
    for (const p of params) {
      const ref = f.train.params_after_step[p.name]!.data;
      const g = f.train.grads[p.name]!.data;
      for (let i = 0; i < ref.length; i++) {
        const tol = Math.abs(g[i]!) < 1e-6 ? 2 * a.lr : 1e-6;
        assert.ok(Math.abs(p.data[i]! - ref[i]!) <= tol, `after step ${p.name}[${i}] ${p.data[i]} vs ${ref[i]}`);
      }
    }
  });
}

test('wasm parity seed_published_gru: the published weights reproduce the logits on 48 real episodes', { skip: sharedSkip }, () => {
  const f = readFixture<{
    config: { arch: string; hidden: number; layers: number; input_dense: number; time_steps: number };
    state_dict: Record<string, FTensor>; scaler_mean: number[]; scaler_scale: number[];
    raw_inputs: number[][][]; logits: FTensor;
  }>('seed_published_gru');
  const m = createModel(fixtureConfig(f), { kernels });
  m.loadStateDict(toStateDict(f.state_dict));
  m.train(false);
  const T = f.config.time_steps;
  const N = f.raw_inputs.length;
  const x = new Float32Array(N * T * 8);
  f.raw_inputs.forEach((ep, n) => {
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < 8; c++) {
        const raw = t < ep.length ? ep[t]![c]! : 1.0;
        x[(n * T + t) * 8 + c] = (raw - f.scaler_mean[c]!) / f.scaler_scale[c]!;
      }
    }
  });
  const e = maxErr(m.forward(x, N, T), f.logits.data);
  assert.ok(e.abs <= 1e-4, `logits differ by ${e.abs}`);
});
