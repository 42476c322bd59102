// Bundles the browser UI (web/) into dist/web: one ES module per page, plus the HTML and CSS.
// The bundle includes the same Node-free engine the server uses (src/infer/core, src/nn, src/models,
// src/stream recogniser and simulator), so the browser can run the model without a round trip.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'web');
mkdirSync(out, { recursive: true });

// Some engine modules also hold Node-only helpers (file read/write) next to the pure code. The
// browser never calls them; this stub lets them bundle and throws if one is ever reached.
const nodeStub = {
  name: 'node-builtins-stub',
  setup(b) {
    // The live recogniser is an EventEmitter: give it a small browser implementation.
    b.onResolve({ filter: /^(node:)?events$/ }, () => ({ path: path.join(root, 'web/src/shims/events.ts') }));
    // Shared modules compute file locations at load time (src/paths.ts); these make that harmless.
    b.onResolve({ filter: /^(node:)?path$/ }, () => ({ path: path.join(root, 'web/src/shims/path.ts') }));
    b.onResolve({ filter: /^(node:)?url$/ }, () => ({ path: path.join(root, 'web/src/shims/url.ts') }));
    b.onResolve({ filter: /^node:|^(fs|os|crypto|worker_threads|child_process|stream|zlib|util)(\/.*)?$/ }, (args) => ({
      path: args.path,
      namespace: 'node-stub',
    }));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (args) => ({
      contents: `module.exports = new Proxy({}, { get: (_, k) => k === '__esModule' ? false : () => { throw new Error(${JSON.stringify(args.path)} + ' is not available in the browser'); } });`,
      loader: 'js',
    }));
  },
};

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
  plugins: [nodeStub],
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
