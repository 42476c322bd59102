/**
 * The relaxed-SIMD build (fused multiply-add in gemm). Node 20 runs it only with
 * --experimental-wasm-relaxed-simd, so the kernel checks, the PyTorch parity fixtures, the
 * finite-difference checks and the data-parallel reproducibility test run again in a child process
 * with that flag: CI exercises the path that engines with relaxed SIMD take by default.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWasmKernels, relaxedSimdSupported } from '../../src/nn/wasm/index.js';
import { WASM_RELAXED_BASE64 } from '../../src/nn/wasm/binary.generated.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FLAG = '--experimental-wasm-relaxed-simd';

/** The node flags that enable relaxed SIMD here: none where it is on by default, null where no flag can. */
function relaxedFlags(): string[] | null {
  if (relaxedSimdSupported()) return [];
  const v8 = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
  return v8.stdout.includes(FLAG) ? [FLAG] : null;
}
const flags = relaxedFlags();
const skip = flags === null ? 'this Node has no way to enable relaxed SIMD' : false;

test('the relaxed-SIMD probe agrees with validating the relaxed build itself', () => {
  const bytes = Buffer.from(WASM_RELAXED_BASE64, 'base64');
  assert.equal(relaxedSimdSupported(), (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(bytes));
  if (!relaxedSimdSupported()) assert.throws(() => createWasmKernels({ memoryMiB: 1, relaxedSimd: true }), /no relaxed SIMD/);
  assert.equal(createWasmKernels({ memoryMiB: 1, relaxedSimd: false }).name, 'wasm-simd');
});

function child(args: string[]): { status: number | null; out: string } {
  // without the runner's NODE_TEST_CONTEXT, so the child is a test run of its own
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const r = spawnSync(process.execPath, [...flags!, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

test('with relaxed SIMD enabled, the wasm backend takes the relaxed build by default', { skip }, () => {
  const mod = path.join(here, '../../src/nn/wasm/index.js');
  const r = child(['--input-type=module', '-e', `const w = await import(${JSON.stringify(mod)}); console.log(w.relaxedSimdSupported(), w.createWasmKernels({ memoryMiB: 8 }).name);`]);
  assert.equal(r.status, 0, r.out);
  assert.equal(r.out.trim(), 'true wasm-relaxed-simd');
});

test('with relaxed SIMD: kernel checks, PyTorch parity and finite-difference gradients pass on the relaxed build', { skip }, () => {
  const files = [
    ...readdirSync(here).filter((f) => f.endsWith('.test.js') && f !== path.basename(fileURLToPath(import.meta.url))).map((f) => path.join(here, f)),
    path.join(here, '../models/parity.test.js'),
    path.join(here, '../models/models.test.js'),
    path.join(here, '../nn/layers-grad.test.js'),
  ];
  const r = child(['--test', '--test-reporter=spec', ...files]);
  assert.equal(r.status, 0, r.out.slice(-4000));
  assert.match(r.out, /ℹ fail 0/);
  assert.match(r.out, /parity \S+ \(wasm\)/, 'the parity fixtures ran');
});

test('with relaxed SIMD: data-parallel training stays reproducible for a seed and worker count', { skip }, () => {
  const r = child(['--test', '--test-reporter=spec', '--test-name-pattern=reproducible', path.join(here, '../train/train.test.js')]);
  assert.equal(r.status, 0, r.out.slice(-4000));
  assert.match(r.out, /✔ two workers are reproducible/);
});

/** The default backend's build in a fresh process that loads `signglove/node` first, and in a worker it starts. */
function defaultBuildIn(env: NodeJS.ProcessEnv): { main: string; worker: string } {
  const node = path.join(here, '../../src/node.js');
  const wasm = path.join(here, '../../src/nn/wasm/index.js');
  const script = `
    const n = await import(${JSON.stringify(node)});
    const { Worker } = await import('node:worker_threads');
    const main = n.selectKernels('auto').name;
    const w = new Worker(${JSON.stringify(`Promise.all([import(${JSON.stringify(wasm)}), import('node:worker_threads')]).then(([w, t]) => t.parentPort.postMessage(w.createWasmKernels({ memoryMiB: 8 }).name))`)}, { eval: true });
    const worker = await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
    await w.terminate();
    console.log(JSON.stringify({ main, worker }));`;
  const { NODE_TEST_CONTEXT: _, ...rest } = process.env;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...rest, ...env } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'no warnings');
  return JSON.parse(r.stdout) as { main: string; worker: string };
}

test('signglove/node takes the relaxed build by default wherever the engine can have it, in the main thread and its workers', { skip }, () => {
  assert.deepEqual(defaultBuildIn({ SIGNGLOVE_WASM_RELAXED: undefined }), { main: 'wasm-relaxed-simd', worker: 'wasm-relaxed-simd' });
});

test('SIGNGLOVE_WASM_RELAXED=0 keeps an engine that needs the flag on the plain SIMD build', { skip: skip || (flags!.length === 0 && 'relaxed SIMD is on by default in this engine') }, () => {
  assert.deepEqual(defaultBuildIn({ SIGNGLOVE_WASM_RELAXED: '0' }), { main: 'wasm-simd', worker: 'wasm-simd' });
});
