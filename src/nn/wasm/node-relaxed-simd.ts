/**
 * Node-only: turns on WebAssembly relaxed SIMD (fused multiply-add in gemm and exp, ~17 % faster
 * batches) on Node 20, whose V8 11.3 has it only behind --experimental-wasm-relaxed-simd (V8 ≥ 11.4,
 * Node ≥ 22 and Chrome ≥ 114 have it by default). Imported first by each Node entry point (the
 * `signglove/node` and `signglove/server` libraries, the CLI, the bench), so the flag is set before
 * the wasm backend picks its build. V8 flags are per process: worker threads started later take the
 * same build as the main thread, so results stay the same bits in every worker.
 * SIGNGLOVE_WASM_RELAXED=0 keeps Node 20 on the plain SIMD build.
 */
import { setFlagsFromString } from 'node:v8';
import { relaxedSimdChecked, relaxedSimdProbe } from './backend.js';

export type RelaxedSimdSource =
  /** the engine has relaxed SIMD without any flag */
  | 'engine'
  /** Node 20: enabled here with --experimental-wasm-relaxed-simd */
  | 'enabled'
  /** SIGNGLOVE_WASM_RELAXED=0 */
  | 'opted-out'
  /** node was started with --[no-]experimental-wasm-relaxed-simd itself: its choice stands */
  | 'node-flag'
  /** a backend had already picked its build; enabling it now would split main thread and workers */
  | 'too-late'
  /** no way to enable it on this engine */
  | 'unavailable';

const FLAG = '--experimental-wasm-relaxed-simd';

function enable(): RelaxedSimdSource {
  if (relaxedSimdProbe()) return 'engine';
  if (process.env.SIGNGLOVE_WASM_RELAXED === '0') return 'opted-out';
  if ([...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('wasm-relaxed-simd'))) return 'node-flag';
  if (relaxedSimdChecked()) return 'too-late';
  // only V8 11.x knows this flag (an unknown one would print a warning); newer engines have the feature on
  if (!/^11\./.test(process.versions.v8)) return 'unavailable';
  setFlagsFromString(FLAG);
  return relaxedSimdProbe() ? 'enabled' : 'unavailable';
}

/** How this process got (or did not get) relaxed SIMD. */
export const relaxedSimdSource: RelaxedSimdSource = enable();
