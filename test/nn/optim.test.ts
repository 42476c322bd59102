/** AdamW, ReduceLROnPlateau, gradient clipping, safetensors encoding. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdamW, ReduceLROnPlateau, clipGradNorm, decodeSafetensors, encodeSafetensors, softmax, type Param } from '../../src/nn/index.js';

function param(data: number[], grad: number[]): Param {
  return { name: 'p', shape: [data.length], data: Float32Array.from(data), grad: Float32Array.from(grad) };
}

test('AdamW: two steps by hand (decoupled decay, bias correction)', () => {
  const p = param([1, -2], [0.5, -0.1]);
  const opt = new AdamW([p], { lr: 0.1, weightDecay: 0.01 });
  opt.step();
  // step 1: m̂ = g, v̂ = g², so the update is lr·g/(|g| + ε) after decay by (1 − lr·wd)
  assert.ok(Math.abs(p.data[0]! - (1 * 0.999 - 0.1 * 0.5 / (0.5 + 1e-8))) < 1e-6);
  p.grad.set([0.2, 0.3]);
  const w0 = p.data[1]!;
  opt.step();
  const m = 0.9 * (0.1 * -0.1) + 0.1 * 0.3, v = 0.999 * (0.001 * 0.01) + 0.001 * 0.09;
  const ref = w0 * 0.999 - (0.1 / (1 - 0.81)) * m / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** 2) + 1e-8);
  assert.ok(Math.abs(p.data[1]! - ref) < 1e-6);
  const s = opt.state();
  assert.equal(s.step, 2);
  const q = param([...p.data], [0.1, 0.1]);
  const o2 = new AdamW([q], { lr: 0.1, weightDecay: 0.01 });
  o2.loadState(s);
  p.grad.set([0.1, 0.1]);
  opt.step();
  o2.step();
  assert.deepEqual(q.data, p.data);
});

test('ReduceLROnPlateau: PyTorch patience, relative threshold, min lr', () => {
  const opt = { lr: 1 };
  const s = new ReduceLROnPlateau(opt, { factor: 0.5, patience: 2, minLr: 0.3 });
  const seq = [1, 0.99995, 1, 1, 1, 1, 1, 1, 1];
  const lrs = seq.map((v) => (s.step(v), opt.lr));
  // 0.99995 is not better than 1·(1 − 1e-4): bad epochs 1, 2, 3 → reduce at the 4th call
  assert.deepEqual(lrs, [1, 1, 1, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3]);
});

test('clipGradNorm scales to maxNorm and returns the norm before clipping', () => {
  const a = param([0, 0], [3, 0]);
  const b = param([0], [4]);
  const n = clipGradNorm([a, b], 1);
  assert.ok(Math.abs(n - 5) < 1e-9);
  assert.ok(Math.abs(a.grad[0]! - 0.6) < 1e-6 && Math.abs(b.grad[0]! - 0.8) < 1e-6);
  assert.ok(Math.abs(clipGradNorm([a, b], 10) - 1) < 1e-5);
  assert.ok(Math.abs(a.grad[0]! - 0.6) < 1e-6, 'no change under the limit');
});

test('safetensors bytes: header layout, I64 num_batches_tracked, F32 round trip', () => {
  const t = new Map([
    ['w', { shape: [2, 2], data: Float32Array.from([1, 2.5, -3, 4]) }],
    ['bn.num_batches_tracked', { shape: [] as number[], data: Float32Array.from([7]) }],
  ]);
  const bytes = encodeSafetensors(t, { a: 'b' });
  const hlen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + hlen) % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hlen)));
  assert.deepEqual(header['bn.num_batches_tracked'], { dtype: 'I64', shape: [], data_offsets: [16, 24] });
  assert.equal(header.w.dtype, 'F32');
  assert.equal(new DataView(bytes.buffer).getBigInt64(8 + hlen + 16, true), 7n);
  const back = decodeSafetensors(bytes);
  assert.deepEqual(back.metadata, { a: 'b' });
  assert.deepEqual(back.tensors.get('w'), t.get('w'));
  assert.deepEqual(back.tensors.get('bn.num_batches_tracked')!.data, Float32Array.from([7]));
  assert.throws(() => decodeSafetensors(bytes.subarray(0, 20)), /header length/);
});

test('softmax rows sum to 1 and are stable for large logits', () => {
  const p = softmax(Float32Array.from([1000, 1001, 0, 0]), 2, 2);
  assert.ok(Math.abs(p[0]! + p[1]! - 1) < 1e-6 && p[1]! > p[0]!);
  assert.ok(Math.abs(p[2]! - 0.5) < 1e-7);
});
