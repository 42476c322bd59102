/** Damaged bundles are refused with a message naming the file; old bundles still load (issue 16, items 7 and 9). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Predictor } from '../../src/infer/core.js';
import { BundleError, CHECKSUM_KEY, tensorChecksum } from '../../src/bundle/check.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/nn/safetensors.js';
import { resolveModelPath } from '../../src/infer/index.js';

const decoded = decodeSafetensors(new Uint8Array(readFileSync(resolveModelPath('gru'))));
const { tensors } = decoded;
// the shipped bundle as bundles were written before checksums (the shipped ones may carry one by now)
const metadata: Record<string, string> = Object.fromEntries(Object.entries(decoded.metadata ?? {}).filter(([k]) => k !== CHECKSUM_KEY));
const shippedBytes = encodeSafetensors(tensors, metadata);
const rows = Array.from({ length: 80 }, (_, t) => [780, 700, 860, 850, 860, -14 + t * 0.01, -69, -68]);

/** The shipped bundle re-written with a checksum, as saveBundle writes bundles now. */
function withChecksum(): Uint8Array {
  return encodeSafetensors(tensors, { ...metadata, [CHECKSUM_KEY]: tensorChecksum(tensors) });
}

/** Offset of the first byte of tensor data in a safetensors file. */
const dataStart = (b: Uint8Array): number => 8 + Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));

const refused = (bytes: Uint8Array, pattern: RegExp) =>
  assert.throws(() => Predictor.fromBytes(bytes, 'models/x.safetensors'), (e: Error) => {
    assert.ok(e instanceof BundleError, `${e.name}: ${e.message}`);
    assert.match(e.message, /^models\/x\.safetensors/);
    assert.match(e.message, pattern);
    return true;
  });

test('a bundle without a checksum (as written before checksums) loads and predicts as before; with one, identically', () => {
  assert.equal(metadata[CHECKSUM_KEY], undefined);
  const old = Predictor.fromBytes(shippedBytes, 'gru');
  const now = Predictor.fromBytes(withChecksum(), 'gru');
  assert.deepEqual(now.predictProbs([rows]), old.predictProbs([rows]));
});

test('one flipped bit in the weights is a checksum mismatch naming the file', () => {
  const b = withChecksum();
  b[dataStart(b) + 1234] ^= 0x01;
  refused(b, /do not match the bundle's checksum/);
});

test('zeroed weights are a mismatch; a NaN weight is refused even without a checksum', () => {
  const zeroed = withChecksum();
  zeroed.fill(0, dataStart(zeroed) + 400, dataStart(zeroed) + 4000);
  refused(zeroed, /checksum/);
  const legacyNaN = shippedBytes.slice();
  new DataView(legacyNaN.buffer).setFloat32(dataStart(legacyNaN) + 64, NaN, true);
  refused(legacyNaN, /weight '.+' holds a non-finite value \(NaN\)/);
});

test('a damaged header or metadata names the file, not a TypeError', () => {
  const text = new TextDecoder('latin1').decode(shippedBytes);
  const broken = (from: string, to: string): Uint8Array => {
    const i = text.indexOf(from);
    assert.ok(i > 0);
    const b = shippedBytes.slice();
    b.set(new TextEncoder().encode(to.padEnd(from.length, ' ').slice(0, from.length)), i);
    return b;
  };
  refused(broken('"shape"', '"shapX"'), /header entry of '.+' is damaged/);
  refused(broken('preprocess\\"', 'preprocesX\\"'), /metadata is damaged \(no 'preprocess'\)/); // inside the escaped JSON string
  refused(shippedBytes.slice(0, 5), /not a readable safetensors bundle/);
  refused(shippedBytes.slice(0, 300), /not a readable safetensors bundle/);
});

test('encodeBundle (portable: what the browser writes) gives the bytes saveBundle writes, and they load', async () => {
  const { encodeBundle } = await import('../../src/bundle/encode.js');
  const { saveBundle } = await import('../../src/bundle/file.js');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const meta = JSON.parse(metadata.signglove!);
  const bytes = encodeBundle(new Map([...tensors]), meta);
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-bundle-'));
  try {
    const file = path.join(dir, 'm.safetensors');
    saveBundle(file, new Map([...tensors]), meta);
    assert.deepEqual(new Uint8Array(readFileSync(file)), bytes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const p = Predictor.fromBytes(bytes, 'encoded');
  assert.deepEqual(p.predictProbs([rows]), Predictor.fromBytes(shippedBytes, 'gru').predictProbs([rows]));
});
