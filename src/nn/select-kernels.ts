/**
 * Picks the numeric backend: WebAssembly SIMD when this runtime has it (the fast path), the plain
 * TypeScript kernels otherwise or when asked (the reference implementation).
 */
import type { Kernels } from './kernels.js';
import { tsKernels } from './kernels-ts.js';
import { createWasmKernels, wasmSupported } from './wasm/index.js';

export type BackendName = 'auto' | 'wasm' | 'ts';
export const BACKENDS: readonly BackendName[] = ['auto', 'wasm', 'ts'];

let wasm: Kernels | null = null;

export function selectKernels(name: BackendName = 'auto'): Kernels {
  if (name === 'ts') return tsKernels;
  if (name === 'wasm' || (name === 'auto' && wasmSupported())) {
    if (!wasmSupported()) throw new Error('this JavaScript runtime has no WebAssembly SIMD; use --backend ts');
    wasm ??= createWasmKernels();
    return wasm;
  }
  return tsKernels;
}
