/**
 * The host a bench run measured (issue 19): the same code is ~2× apart between CPUs, and whether
 * PyTorch's MKL gets 512-bit FMA or our WebAssembly gets relaxed SIMD decides who is ahead, so
 * every figure is printed and saved with the CPU, its SIMD features and the engine's.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { relaxedSimdSource, type RelaxedSimdSource } from '../src/nn/wasm/node-relaxed-simd.js';

export interface HostInfo {
  cpu: string;
  cores: number;
  /** CPU SIMD features that matter to the kernels (from /proc/cpuinfo); null where unknown. */
  simd: string[] | null;
  /** Where `simd` came from, or why it is missing. */
  simdSource: string;
  platform: string;
  node: string;
  v8: string;
  /** What this WebAssembly engine accepts (validated on tiny modules, not read from flags). */
  wasm: { simd: boolean; relaxedSimd: boolean };
  /** how this process got relaxed SIMD or not (src/nn/wasm/node-relaxed-simd.ts) */
  relaxedSimdSource: RelaxedSimdSource;
  memoryGB: number;
  loadAverage: number;
}

/** /proc/cpuinfo spelling → the usual name; the order is roughly "what a kernel could use". */
const X86_FEATURES: [string, string][] = [
  ['sse4_2', 'sse4.2'], ['avx', 'avx'], ['avx2', 'avx2'], ['fma', 'fma'], ['avx512f', 'avx512f'], ['avx512_vnni', 'avx512_vnni'],
];
const ARM_FEATURES: [string, string][] = [['asimd', 'neon'], ['asimdhp', 'fp16'], ['sve', 'sve'], ['sve2', 'sve2']];

/** A module of one function returning v128.const 0 (SIMD), or f32x4.relaxed_madd of three (relaxed SIMD). */
function wasmModule(relaxed: boolean): Uint8Array {
  const v128zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
  const body = relaxed
    ? [0x00, ...v128zero, ...v128zero, ...v128zero, 0xfd, 0x85, 0x02, 0x0b] // f32x4.relaxed_madd = 0xfd 0x105
    : [0x00, ...v128zero, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
    0x03, 0x02, 0x01, 0x00, // one function of that type
    0x0a, body.length + 2, 0x01, body.length, ...body,
  ]);
}

export function wasmFeatures(): HostInfo['wasm'] {
  // typed here: the project's lib (ES2023, no DOM) does not declare the WebAssembly global
  const wa = (globalThis as { WebAssembly?: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
  const ok = (bytes: Uint8Array): boolean => {
    try {
      return wa?.validate(bytes) ?? false;
    } catch {
      return false;
    }
  };
  return { simd: ok(wasmModule(false)), relaxedSimd: ok(wasmModule(true)) };
}

function cpuFeatures(): { simd: string[] | null; source: string } {
  let text: string;
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // no /proc (macOS, Windows): say so rather than guess
    return { simd: null, source: `unknown on ${process.platform} (no /proc/cpuinfo)` };
  }
  const line = /^(?:flags|Features)\s*:(.*)$/m.exec(text);
  if (!line) return { simd: null, source: 'unknown (no flags line in /proc/cpuinfo)' };
  const have = new Set(line[1]!.trim().split(/\s+/));
  const table = process.arch === 'arm64' || process.arch === 'arm' ? ARM_FEATURES : X86_FEATURES;
  return { simd: table.filter(([flag]) => have.has(flag)).map(([, name]) => name), source: '/proc/cpuinfo' };
}

export function hostInfo(): HostInfo {
  const cpus = os.cpus();
  const f = cpuFeatures();
  return {
    cpu: cpus[0]?.model.trim() || 'unknown CPU',
    cores: cpus.length || os.availableParallelism(),
    simd: f.simd,
    simdSource: f.source,
    platform: `${process.platform}-${process.arch}`,
    node: process.versions.node,
    v8: process.versions.v8,
    wasm: wasmFeatures(),
    relaxedSimdSource,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg()[0]!,
  };
}

const RELAXED_NOTE: Record<RelaxedSimdSource, string> = {
  engine: '',
  enabled: ' (turned on by signglove with --experimental-wasm-relaxed-simd; SIGNGLOVE_WASM_RELAXED=0 turns it off)',
  'opted-out': ' (off: SIGNGLOVE_WASM_RELAXED=0)',
  'node-flag': ' (as node was told on its command line)',
  'too-late': ' (not turned on: a wasm backend was made first)',
  unavailable: '',
};

/** Two lines for the top of a bench's output. */
export function formatHost(h: HostInfo): string {
  const yes = (b: boolean): string => (b ? 'yes' : 'no');
  return [
    `host: ${h.cpu}, ${h.cores} cores, ${h.memoryGB} GB, ${h.platform}; SIMD ${h.simd ? h.simd.join(' ') || 'none of sse4.2/avx/avx2/fma/avx512f' : h.simdSource}; load average ${h.loadAverage.toFixed(2)}`,
    `engine: Node ${h.node}, V8 ${h.v8}; WebAssembly SIMD ${yes(h.wasm.simd)}, relaxed SIMD (fused multiply-add) ${yes(h.wasm.relaxedSimd)}${RELAXED_NOTE[h.relaxedSimdSource]}`,
  ].join('\n');
}
