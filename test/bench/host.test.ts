/**
 * The bench's host report (issue 19): the WebAssembly feature probes answer what the engine really
 * accepts, checked against V8's own switch for relaxed SIMD in a child process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { formatHost, hostInfo, wasmFeatures } from '../../bench/host.js';

const HOST_JS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/host.js');

/** The probes' answer in a child node with these flags; null where this Node no longer has the flag. */
function featuresIn(nodeFlags: string[]): { simd: boolean; relaxedSimd: boolean } | null {
  const r = spawnSync(process.execPath, [...nodeFlags, '--input-type=module', '-e',
    `import { wasmFeatures } from ${JSON.stringify(HOST_JS)}; console.log(JSON.stringify(wasmFeatures()));`], { encoding: 'utf8' });
  if (r.status !== 0 && /bad option/.test(r.stderr)) return null;
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { simd: boolean; relaxedSimd: boolean };
}

test('WebAssembly SIMD is detected (Node ≥ 20 ships it)', () => {
  assert.equal(wasmFeatures().simd, true);
});

test('relaxed SIMD is detected when V8 is told to enable it, and disabled when told not to', (t) => {
  const on = featuresIn(['--experimental-wasm-relaxed-simd']);
  const off = featuresIn(['--no-experimental-wasm-relaxed-simd']);
  if (!on || !off) return t.skip('this Node has no --experimental-wasm-relaxed-simd switch');
  assert.deepEqual(on, { simd: true, relaxedSimd: true });
  assert.deepEqual(off, { simd: true, relaxedSimd: false });
});

test('the host line names the CPU, the Node version and the engine features', () => {
  const h = hostInfo();
  assert.ok(h.cores >= 1);
  const text = formatHost(h);
  assert.ok(text.includes(h.cpu));
  assert.ok(text.includes(`Node ${process.versions.node}`));
  assert.match(text, /relaxed SIMD \(fused multiply-add\) (yes|no)/);
  if (h.simd === null) assert.ok(text.includes(h.simdSource));
});

/** hostInfo()'s relaxed-SIMD answer and its source in a fresh node with this environment. */
function relaxedIn(env: NodeJS.ProcessEnv): { relaxedSimd: boolean; source: string } {
  const { NODE_TEST_CONTEXT: _, ...rest } = process.env;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e',
    `import { hostInfo, formatHost } from ${JSON.stringify(HOST_JS)}; const h = hostInfo(); console.log(JSON.stringify({ relaxedSimd: h.wasm.relaxedSimd, source: h.relaxedSimdSource, line: formatHost(h) }));`],
  { encoding: 'utf8', env: { ...rest, ...env } });
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout) as { relaxedSimd: boolean; source: string; line: string };
  assert.match(o.line, new RegExp(`relaxed SIMD \\(fused multiply-add\\) ${o.relaxedSimd ? 'yes' : 'no'}`), 'the engine line says what the engine accepts');
  return o;
}

test('the bench reports the relaxed SIMD its kernels get: on by default where the engine can have it, off with SIGNGLOVE_WASM_RELAXED=0 on Node 20', (t) => {
  const on = featuresIn(['--experimental-wasm-relaxed-simd']);
  const byDefault = relaxedIn({ SIGNGLOVE_WASM_RELAXED: undefined });
  if (!on?.relaxedSimd && !byDefault.relaxedSimd) return t.skip('this engine has no relaxed SIMD');
  assert.equal(byDefault.relaxedSimd, true);
  assert.ok(['engine', 'enabled'].includes(byDefault.source), byDefault.source);
  if (byDefault.source === 'enabled') {
    const off = relaxedIn({ SIGNGLOVE_WASM_RELAXED: '0' });
    assert.equal(off.relaxedSimd, false);
    assert.equal(off.source, 'opted-out');
  }
});
