// Usage: node unwrap-woff.mjs IN.woff OUT.ttf  (how Pretendard-Regular.subset.ttf was made; see README.md)
// WOFF 1.0 → OpenType: rebuild the sfnt header and table directory, inflate each table (data unchanged).
import { readFileSync, writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
const [src, dst] = process.argv.slice(2);
const w = readFileSync(src);
if (w.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 file');
const flavor = w.readUInt32BE(4), numTables = w.readUInt16BE(12);
const tables = [];
for (let i = 0; i < numTables; i++) {
  const o = 44 + i * 20;
  const tag = w.readUInt32BE(o), off = w.readUInt32BE(o + 4), compLen = w.readUInt32BE(o + 8), origLen = w.readUInt32BE(o + 12), checksum = w.readUInt32BE(o + 16);
  const raw = w.subarray(off, off + compLen);
  const data = compLen < origLen ? inflateSync(raw) : Buffer.from(raw);
  if (data.length !== origLen) throw new Error('bad table length');
  tables.push({ tag, checksum, data });
}
let es = 0; while ((2 << es) <= numTables) es++;
const searchRange = (1 << es) * 16;
const head = Buffer.alloc(12 + 16 * numTables);
head.writeUInt32BE(flavor, 0); head.writeUInt16BE(numTables, 4); head.writeUInt16BE(searchRange, 6);
head.writeUInt16BE(es, 8); head.writeUInt16BE(numTables * 16 - searchRange, 10);
const parts = [head]; let offset = head.length;
tables.forEach((t, i) => {
  const o = 12 + i * 16;
  head.writeUInt32BE(t.tag, o); head.writeUInt32BE(t.checksum, o + 4); head.writeUInt32BE(offset, o + 8); head.writeUInt32BE(t.data.length, o + 12);
  const pad = (4 - (t.data.length % 4)) % 4;
  parts.push(t.data, Buffer.alloc(pad)); offset += t.data.length + pad;
});
writeFileSync(dst, Buffer.concat(parts));
