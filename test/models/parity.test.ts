/**
 * PyTorch parity: every fixture in ../shared/fixtures/torch-parity reproduced by the engine —
 * eval logits, train-mode loss, every gradient, BatchNorm running statistics, one AdamW step —
 * and the reference's own published GRU weights on 48 real episodes. Both numeric backends (plain
 * TypeScript, the reference, and WebAssembly SIMD, the fast path) must pass with the same tolerances.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AdamW, softmaxCrossEntropy } from '../../src/nn/index.js';
import { createModel } from '../../src/models/index.js';
import { JAMO } from '../../src/jamo.js';
import { DATASET_1001, sharedSkip } from '../shared.js';
import type { Kernels } from '../../src/nn/kernels.js';
import { tsKernels } from '../../src/nn/kernels-ts.js';
import { createWasmKernels } from '../../src/nn/wasm/index.js';
import { PARITY_FIXTURES, fixtureConfig, fixtureModel, maxErr, readFixture, toStateDict, type FTensor } from './fixture-util.js';

interface SeedFixture {
  config: { arch: string; hidden: number; layers: number; input_dense: number; time_steps: number; classes: string[] };
  state_dict: Record<string, FTensor>;
  scaler_mean: number[];
  scaler_scale: number[];
  episodes: string[];
  labels: number[];
  raw_inputs: number[][][];
  logits: FTensor;
  predicted: string[];
}

const BACKENDS: [string, Kernels][] = [['ts', tsKernels], ['wasm', createWasmKernels({ memoryMiB: 64 })]];

for (const [backend, kernels] of BACKENDS) {
  for (const name of PARITY_FIXTURES) {
    test(`parity ${name} (${backend}): eval logits, loss, gradients, BatchNorm statistics, AdamW step`, { skip: sharedSkip }, () => {
      const f = readFixture(name);
      const m = fixtureModel(f, kernels);
      assert.deepEqual([...m.stateDict().keys()], Object.keys(f.state_dict), 'state_dict names in PyTorch order');
      const [B, T, C] = f.input.shape as [number, number, number];
      assert.equal(C, 8);
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
      assert.deepEqual(params.map((p) => p.name).sort(), Object.keys(f.train.grads).sort(), 'every parameter has a reference gradient');
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
      for (const [k, v] of sd) if (k.endsWith('num_batches_tracked')) assert.equal(v.data[0], f.state_dict[k]!.data[0]! + 1, k);

      const a = f.train.adamw;
      const hyper = { lr: a.lr, betas: a.betas, eps: a.eps, weightDecay: a.weight_decay };
      // AdamW alone: the reference's own gradients must give its parameters after the step
      const alone = createModel(fixtureConfig(f));
      alone.loadStateDict(toStateDict(f.state_dict));
      for (const p of alone.parameters()) p.grad.set(f.train.grads[p.name]!.data);
      new AdamW(alone.parameters(), hyper).step();
      for (const p of alone.parameters()) {
        const e = maxErr(p.data, f.train.params_after_step[p.name]!.data);
        assert.ok(e.abs <= 1e-6, `AdamW on reference grads: ${p.name} differs by ${e.abs}`);
      }
      // end to end with our gradients. A conv bias in front of BatchNorm has a true gradient of 0
      // (PyTorch's is rounding noise, ~1e-9) and Adam turns noise into a ±lr step: bound those by 2·lr.
      new AdamW(params, hyper).step();
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

  test(`seed_published_gru (${backend}): the published weights reproduce logits and letters on 48 real episodes`, { skip: sharedSkip }, () => {
    const f = readFixture<SeedFixture>('seed_published_gru');
    assert.deepEqual(f.config.classes, [...JAMO]);
    const m = createModel(fixtureConfig(f), { kernels });
    m.loadStateDict(toStateDict(f.state_dict));
    m.train(false);
    const T = f.config.time_steps;
    const N = f.raw_inputs.length;
    assert.equal(N, 48);
    // the seed's preprocessing: cut or pad with the raw value 1.0 to T steps, then standardise
    const x = new Float32Array(N * T * 8);
    f.raw_inputs.forEach((ep, n) => {
      for (let t = 0; t < T; t++) {
        for (let c = 0; c < 8; c++) {
          const raw = t < ep.length ? ep[t]![c]! : 1.0;
          x[(n * T + t) * 8 + c] = (raw - f.scaler_mean[c]!) / f.scaler_scale[c]!;
        }
      }
    });
    const logits = m.forward(x, N, T);
    const e = maxErr(logits, f.logits.data);
    assert.ok(e.abs <= 1e-4, `logits differ by ${e.abs}`);
    for (let n = 0; n < N; n++) {
      let best = 0;
      for (let k = 1; k < 24; k++) if (logits[n * 24 + k]! > logits[n * 24 + best]!) best = k;
      assert.equal(JAMO[best], f.predicted[n], `episode ${f.episodes[n]}`);
    }
    // the raw inputs are the real CSVs of the 2025-10-01 dataset
    for (const n of [0, 17, 47]) {
      const lines = readFileSync(path.join(DATASET_1001, f.episodes[n]!), 'utf8').trim().split(/\r?\n/);
      const head = lines[0]!.split(',');
      const cols = ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw'].map((c) => head.indexOf(c));
      assert.ok(cols.every((c) => c >= 0), `columns of ${f.episodes[n]}`);
      const rows = lines.slice(1).map((l) => l.split(',')).map((r) => cols.map((c) => Number(r[c])));
      assert.equal(rows.length, f.raw_inputs[n]!.length);
      assert.deepEqual(rows[3], f.raw_inputs[n]![3]);
    }
  });
}
