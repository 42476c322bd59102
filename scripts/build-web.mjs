// Bundles the browser UI (web/) into dist/web: one ES module per page, plus the HTML and CSS.
// The pages import the portable core (src/, everything the `signglove` entry exports) as it is: no
// stub for node:* modules, so a Node import reaching the browser fails this build.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'web');
mkdirSync(out, { recursive: true });

await build({
  entryPoints: {
    live: path.join(root, 'web/src/live.ts'),
    try: path.join(root, 'web/src/try.ts'),
    docs: path.join(root, 'web/src/docs.ts'),
    calibrate: path.join(root, 'web/src/calibrate.ts'),
  },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
});

for (const f of readdirSync(path.join(root, 'web'))) {
  if (/\.(html|css|svg|webmanifest)$/.test(f)) cpSync(path.join(root, 'web', f), path.join(out, f));
}

// Installable app: PNG icons (what phones' home screens want) rendered from the SVG one.
const icon = readFileSync(path.join(root, 'web', 'icon.svg'));
for (const size of [192, 512]) {
  writeFileSync(path.join(out, `icon-${size}.png`), new Resvg(icon, { fitTo: { mode: 'width', value: size } }).render().asPng());
}

// The service worker names its cache after the files it keeps, so a new build replaces the old copies.
const hash = createHash('sha256');
for (const f of readdirSync(out).sort()) if (/\.(html|css|js|svg|webmanifest)$/.test(f) && f !== 'sw.js') hash.update(f).update(readFileSync(path.join(out, f)));
await build({
  entryPoints: [path.join(root, 'web/src/sw.ts')],
  outfile: path.join(out, 'sw.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  logLevel: 'warning',
  define: { BUILD_ID: JSON.stringify(hash.digest('hex').slice(0, 12)) },
});
console.log(`web UI → ${path.relative(root, out)}`);
