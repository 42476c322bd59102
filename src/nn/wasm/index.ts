/** The WebAssembly SIMD backend: `createWasmKernels()` returns a `Kernels` (see ./backend.ts). */
export { createWasmKernels, createWasmKernelsAsync, relaxedSimdSupported, wasmSupported } from './backend.js';
export type { WasmKernels, WasmKernelsOptions } from './backend.js';
