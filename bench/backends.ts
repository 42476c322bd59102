/** The kernel backends the benchmark can run, by name: `wasm` (default) and `ts`. */
import type { Kernels } from '../src/nn/kernels.js';
import { tsKernels } from '../src/nn/kernels-ts.js';
import { createWasmKernels, wasmSupported } from '../src/nn/wasm/index.js';

export function backendByName(name: string): Kernels {
  if (name === 'ts') return tsKernels;
  if (name === 'wasm') {
    if (!wasmSupported()) throw new Error('WebAssembly SIMD is not available in this JavaScript engine');
    return createWasmKernels();
  }
  throw new Error(`unknown backend "${name}" (expected wasm or ts)`);
}
