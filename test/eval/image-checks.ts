import assert from 'node:assert/strict';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Asserts a PNG signature, an IHDR chunk first and an IEND chunk last; returns its pixel size. */
export function assertPng(buf: Buffer, what: string): { width: number; height: number } {
  assert.ok(buf.length > 100, `${what}: PNG is only ${buf.length} bytes`);
  assert.ok(buf.subarray(0, 8).equals(PNG_SIGNATURE), `${what}: no PNG signature`);
  assert.equal(buf.toString('latin1', 12, 16), 'IHDR', `${what}: first chunk is not IHDR`);
  assert.equal(buf.toString('latin1', buf.length - 8, buf.length - 4), 'IEND', `${what}: does not end with IEND`);
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  assert.ok(width > 50 && height > 50, `${what}: ${width}×${height} px`);
  return { width, height };
}

/** Asserts a complete SVG document with a size. */
export function assertSvg(svg: string, what: string): void {
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, `${what}: not an SVG document`);
  assert.match(svg, /width="\d+(\.\d+)?" height="\d+(\.\d+)?"/, `${what}: no size`);
  assert.ok(svg.trimEnd().endsWith('</svg>'), `${what}: SVG not closed`);
}
