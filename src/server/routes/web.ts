import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';
import { isJamo } from '../../jamo.js';
import { ASSETS_DIR, PACKAGE_ROOT } from '../../paths.js';

/** Where scripts/build-web.mjs writes the bundled browser UI. */
export const WEB_DIST = path.join(PACKAGE_ROOT, 'dist', 'web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.otf': 'font/otf',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

// Only plain file names inside the two folders are served, so no path can climb out of them.
const SAFE_NAME = /^[\p{L}\p{N}_][\p{L}\p{N}_.-]*$/u;

async function file(dir: string, name: string): Promise<Response | undefined> {
  if (!SAFE_NAME.test(name)) return undefined;
  const type = TYPES[path.extname(name)];
  if (!type) return undefined;
  try {
    const bytes = await readFile(path.join(dir, name));
    return new Response(new Uint8Array(bytes), { headers: { 'content-type': type, 'cache-control': 'no-cache' } });
  } catch {
    return undefined;
  }
}

const notBuilt = `<!doctype html><meta charset="utf-8"><title>signglove</title>
<p>The web UI is not built yet. Run <code>npm run build</code> (it writes dist/web), then reload.</p>
<p>The API is up: <a href="/health">/health</a>, <a href="/openapi.json">/openapi.json</a>.</p>`;

/** Shipped sample episodes for the try page: assets/samples/*.csv, the jamo taken from the file name. */
export const SAMPLES_DIR = path.join(ASSETS_DIR, 'samples');

async function listSamples(dir: string): Promise<{ name: string; jamo: string }[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.csv') && SAFE_NAME.test(f)).sort();
  } catch {
    return [];
  }
  // Recorded episodes are named episode_<date>_<time>_<jamo>_<n>.csv.
  return files.map((name) => ({ name, jamo: name.normalize('NFC').split(/[_.]/).find((p) => isJamo(p)) ?? '' }));
}

/** swagger-ui-dist's folder (a dependency), whose bundle renders /docs from /openapi.json. */
function swaggerUiDir(): string | undefined {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch {
    return undefined;
  }
}
/** The only swagger-ui-dist files /docs needs. */
const SWAGGER_FILES = new Set(['swagger-ui-bundle.js', 'swagger-ui.css']);

/**
 * /docs runs swagger-ui's bundle (styles set from script are allowed under 'self'). It needs no
 * WebAssembly and no blob: images, so its policy is the app pages' one without those two.
 */
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The browser UI: the live page at /, the try page at /try, calibration at /calibrate, their bundles under /web, fonts, samples, simulator parameters. */
export function webRoutes(webDir = WEB_DIST, samplesDir = SAMPLES_DIR, lexiconWords?: readonly string[]) {
  let lexiconText: string | undefined;
  const page = (name: string) => async () =>
    (await file(webDir, name)) ?? new Response(notBuilt, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
  const swaggerDir = swaggerUiDir();
  return new Hono()
    .get('/', page('index.html'))
    .get('/try', page('try.html'))
    .get('/calibrate', page('calibrate.html'))
    // The API described by /openapi.json, readable: swagger-ui served from node_modules, nothing from a CDN.
    .get('/docs', async () => {
      const res = await page('docs.html')();
      res.headers.set('Content-Security-Policy', DOCS_CSP);
      return res;
    })
    .get('/docs/assets/:name', async (c) => {
      const name = c.req.param('name');
      if (!swaggerDir || !SWAGGER_FILES.has(name)) return c.notFound();
      return (await file(swaggerDir, name)) ?? c.notFound();
    })
    // Installable app: the manifest and the service worker (at the root, so it may control every page).
    .get('/manifest.webmanifest', async (c) => (await file(webDir, 'manifest.webmanifest')) ?? c.notFound())
    .get('/sw.js', async (c) => (await file(webDir, 'sw.js')) ?? c.notFound())
    .get('/favicon.ico', async (c) => (await file(webDir, 'icon.svg')) ?? c.notFound())
    .get('/web/:name', async (c) => (await file(webDir, c.req.param('name'))) ?? c.notFound())
    .get('/samples', async (c) => c.json({ samples: await listSamples(samplesDir) }))
    .get('/samples/:name', async (c) => (await file(samplesDir, c.req.param('name').normalize('NFC'))) ?? c.notFound())
    // The simulator's statistics, so the browser's simulator imitates the same signers as the CLI's.
    .get('/simulator/params.json', async (c) => (await file(path.join(ASSETS_DIR, 'simulator'), 'params.json')) ?? c.notFound())
    // the word list the browser's recogniser suggests from (the server's lexicon), one word per line
    .get('/lexicon/words.txt', (c) => {
      if (!lexiconWords) return c.notFound();
      lexiconText ??= lexiconWords.join('\n');
      return c.body(lexiconText, 200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'max-age=3600' });
    })
    .get('/fonts/:name', async (c) => (await file(path.join(ASSETS_DIR, 'fonts'), c.req.param('name'))) ?? c.notFound());
}
