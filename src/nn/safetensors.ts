/**
 * The safetensors format in memory (browser-safe, no file system): an 8-byte little-endian header
 * length, a JSON header { name: { dtype, shape, data_offsets }, __metadata__ }, then the raw data.
 * Tensors are stored as F32, except names ending in `num_batches_tracked`, which PyTorch keeps as
 * int64 (I64) so that `load_state_dict(load_file(p))` accepts them. Decoding gives Float32Arrays.
 */

export interface TensorEntry {
  shape: number[];
  data: Float32Array;
}

export type TensorMap = Map<string, TensorEntry>;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function isI64Name(name: string): boolean {
  return name.endsWith('num_batches_tracked');
}

export function encodeSafetensors(tensors: TensorMap, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const parts: { begin: number; bytes: Uint8Array }[] = [];
  for (const [name, t] of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`encodeSafetensors: ${name} has shape [${t.shape}] but ${t.data.length} values`);
    let bytes: Uint8Array;
    let dtype: string;
    if (isI64Name(name)) {
      const v = new BigInt64Array(n);
      for (let i = 0; i < n; i++) v[i] = BigInt(Math.round(t.data[i]!));
      bytes = new Uint8Array(v.buffer);
      dtype = 'I64';
    } else {
      bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      dtype = 'F32';
    }
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push({ begin: offset, bytes });
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  // pad the header with spaces so the data starts 8-byte aligned, as the reference writer does
  while ((8 + new TextEncoder().encode(json).length) % 8 !== 0) json += ' ';
  const hb = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hb.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  for (const p of parts) out.set(p.bytes, 8 + hb.length + p.begin);
  return out;
}

export function decodeSafetensors(bytes: Uint8Array): { tensors: TensorMap; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new Error('decodeSafetensors: file is shorter than its 8-byte header length');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = Number(dv.getBigUint64(0, true));
  if (8 + hlen > bytes.length) throw new Error(`decodeSafetensors: header length ${hlen} exceeds the file size ${bytes.length}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hlen))) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`decodeSafetensors: the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new Error('decodeSafetensors: the header is not a JSON object');
  const base = 8 + hlen;
  const tensors: TensorMap = new Map();
  let metadata: Record<string, string> = {};
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (v ?? {}) as Record<string, string>;
      continue;
    }
    const e = v as { dtype: string; shape: number[]; data_offsets: [number, number] };
    // A damaged header must give a message naming the tensor, not a TypeError deep inside.
    const okShape = Array.isArray(e?.shape) && e.shape.every((d) => Number.isInteger(d) && d >= 0);
    const okOffsets = Array.isArray(e?.data_offsets) && e.data_offsets.length === 2 && e.data_offsets.every((o) => Number.isInteger(o) && o >= 0) && e.data_offsets[0] <= e.data_offsets[1];
    if (!okShape || !okOffsets) throw new Error(`decodeSafetensors: the header entry of '${name}' is damaged (shape or data_offsets)`);
    const n = e.shape.reduce((a, b) => a * b, 1);
    const [b0, b1] = e.data_offsets;
    if (base + b1 > bytes.length) throw new Error(`decodeSafetensors: ${name} extends past the end of the file`);
    const raw = bytes.slice(base + b0, base + b1); // copy: aligned, and independent of the file buffer
    const width: Record<string, number> = { F32: 4, F64: 8, I64: 8, I32: 4, F16: 2, BF16: 2, U8: 1 };
    const w = width[e.dtype];
    if (w === undefined) throw new Error(`decodeSafetensors: ${name} has unsupported dtype ${e.dtype}`);
    if (raw.length !== n * w) throw new Error(`decodeSafetensors: ${name} holds ${raw.length} bytes, shape [${e.shape}] ${e.dtype} needs ${n * w}`);
    if (e.dtype === 'F32' && LITTLE_ENDIAN) {
      tensors.set(name, { shape: e.shape, data: new Float32Array(raw.buffer, 0, n) });
      continue;
    }
    const data = new Float32Array(n);
    const rd = new DataView(raw.buffer);
    for (let i = 0; i < n; i++) {
      switch (e.dtype) {
        case 'F32': data[i] = rd.getFloat32(4 * i, true); break;
        case 'F64': data[i] = rd.getFloat64(8 * i, true); break;
        case 'I64': data[i] = Number(rd.getBigInt64(8 * i, true)); break;
        case 'I32': data[i] = rd.getInt32(4 * i, true); break;
        case 'U8': data[i] = rd.getUint8(i); break;
        case 'F16': data[i] = f16(rd.getUint16(2 * i, true)); break;
        case 'BF16': data[i] = new Float32Array(new Uint32Array([rd.getUint16(2 * i, true) << 16]).buffer)[0]!; break;
      }
    }
    tensors.set(name, { shape: e.shape, data });
  }
  return { tensors, metadata };
}

function f16(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}
