/**
 * The few WebAssembly JS API members this backend uses, typed locally: the project's lib setting
 * (ES2023, no DOM) and @types/node 20 do not declare the WebAssembly global.
 */
export interface WasmModule {
  readonly __brand?: 'WebAssembly.Module';
}
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (desc: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Instance: new (mod: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
}

/** The platform's WebAssembly object, or null where there is none. */
export function wasmApi(): WasmApi | null {
  const wa = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return typeof wa === 'object' && wa !== null ? wa : null;
}
