/**
 * The offline app's service worker. On install it keeps the two pages, their code, style, font,
 * icons, the simulator parameters and the default model's bundle; afterwards every same-origin
 * GET goes to the network first (so a running server always answers with fresh files) and falls
 * back to the kept copy when the server cannot be reached. Models picked later are kept too.
 * WebSockets (server recognition) are not cached: offline, the page runs the model itself.
 */
// Built on its own (scripts/build-web.mjs); BUILD_ID names the cache, so a new build replaces it.
declare const BUILD_ID: string;

interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(r: Promise<Response> | Response): void;
}
interface WorkerScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', f: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', f: (e: FetchEvent) => void): void;
}
const worker = self as unknown as WorkerScope;

const CACHE = `signglove-${BUILD_ID}`;
/** What the pages need to start and recognise with no server. */
const SHELL = [
  '/',
  '/try',
  '/web/live.js',
  '/web/try.js',
  '/web/style.css',
  '/web/icon.svg',
  '/web/icon-192.png',
  '/manifest.webmanifest',
  '/fonts/Pretendard-Regular.subset.ttf',
  '/health',
  '/models',
  '/samples',
];

async function install(): Promise<void> {
  const cache = await caches.open(CACHE);
  await cache.addAll(SHELL);
  // The default model, so the in-browser engine works offline.
  const models = (await (await fetch('/models')).json()) as { default: string };
  await cache.add(`/models/${encodeURIComponent(models.default)}/bundle`);
  // The word list for suggestions exists only when the server has a lexicon.
  const words = await fetch('/lexicon/words.txt').catch(() => undefined);
  if (words?.ok) await cache.put('/lexicon/words.txt', words);
}

worker.addEventListener('install', (e) => e.waitUntil(install().then(() => worker.skipWaiting())));

worker.addEventListener('activate', (e) =>
  e.waitUntil(
    (async () => {
      for (const k of await caches.keys()) if (k.startsWith('signglove-') && k !== CACHE) await caches.delete(k);
      await worker.clients.claim();
    })(),
  ),
);

/** Worth keeping for offline use: the app's own files and data, not API answers to one request. */
function keep(url: URL): boolean {
  return SHELL.includes(url.pathname) || url.pathname.startsWith('/web/') || /^\/models\/[^/]+\/bundle$/.test(url.pathname) || url.pathname === '/lexicon/words.txt';
}

async function answer(request: Request): Promise<Response> {
  const url = new URL(request.url);
  try {
    const res = await fetch(request);
    if (res.ok && keep(url)) {
      const copy = res.clone();
      // the page's query (?speed=, ?seed=) does not change the file
      void caches.open(CACHE).then((c) => c.put(url.pathname, copy));
    }
    return res;
  } catch (err) {
    const hit = await caches.match(url.pathname, { cacheName: CACHE });
    if (hit) return hit;
    throw err;
  }
}

worker.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== worker.location.origin) return;
  e.respondWith(answer(e.request));
});
