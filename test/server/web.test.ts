import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOCS_CSP, webRoutes } from '../../src/server/routes/web.js';
import { ModelCatalog } from '../../src/server/catalog.js';
import { ApiError } from '../../src/server/errors.js';
import type { ServedModel } from '../../src/server/types.js';

describe('web UI routes', () => {
  let dir: string;
  let app: ReturnType<typeof webRoutes>;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'signglove-web-'));
    mkdirSync(path.join(dir, 'web'));
    mkdirSync(path.join(dir, 'samples'));
    writeFileSync(path.join(dir, 'web', 'index.html'), '<!doctype html><title>live</title>');
    writeFileSync(path.join(dir, 'web', 'live.js'), 'export {}');
    writeFileSync(path.join(dir, 'secret.js'), 'nope');
    writeFileSync(path.join(dir, 'samples', 'episode_20251001_183500_ㅜ_3.csv'), 'timestamp_ms,pitch\n0,1\n');
    app = webRoutes(path.join(dir, 'web'), path.join(dir, 'samples'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the pages and their bundles with the right types', async () => {
    const page = await app.request('/');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /live/);
    const js = await app.request('/web/live.js');
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
  });

  it('serves /docs with swagger-ui from the installed package under its own policy, and nothing else from that package', async () => {
    writeFileSync(path.join(dir, 'web', 'docs.html'), '<!doctype html><title>docs</title>');
    const page = await app.request('/docs');
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-security-policy'), DOCS_CSP);
    const bundle = await app.request('/docs/assets/swagger-ui-bundle.js');
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
    assert.equal((await app.request('/docs/assets/swagger-ui.css')).status, 200);
    for (const p of ['/docs/assets/package.json', '/docs/assets/index.html', '/docs/assets/..%2F..%2Fpackage.json']) assert.equal((await app.request(p)).status, 404, p);
  });

  it('serves the manifest, the service worker and a favicon', async () => {
    writeFileSync(path.join(dir, 'web', 'manifest.webmanifest'), '{"name":"x"}');
    writeFileSync(path.join(dir, 'web', 'sw.js'), '// sw');
    writeFileSync(path.join(dir, 'web', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    assert.match((await app.request('/manifest.webmanifest')).headers.get('content-type') ?? '', /application\/manifest\+json/);
    assert.match((await app.request('/sw.js')).headers.get('content-type') ?? '', /javascript/);
    assert.equal((await app.request('/favicon.ico')).headers.get('content-type'), 'image/svg+xml');
  });

  it('a page that was not built says how to build it', async () => {
    const res = await app.request('/try');
    assert.equal(res.status, 503);
    assert.match(await res.text(), /npm run build/);
  });

  it('never serves a file outside its folder', async () => {
    for (const p of ['/web/..%2Fsecret.js', '/web/%2E%2E%2Fsecret.js', '/web/.hidden.js', '/web/live.ts', '/samples/..%2F..%2Fsecret.js']) {
      const res = await app.request(p);
      assert.equal(res.status, 404, p);
    }
  });

  it('lists samples with the jamo from the file name and serves them', async () => {
    const res = await app.request('/samples');
    assert.deepEqual(await res.json(), { samples: [{ name: 'episode_20251001_183500_ㅜ_3.csv', jamo: 'ㅜ' }] });
    const csv = await app.request(`/samples/${encodeURIComponent('episode_20251001_183500_ㅜ_3.csv')}`);
    assert.equal(csv.status, 200);
    assert.match(await csv.text(), /^timestamp_ms/);
  });

  it('serves the simulator parameters and the font the pages use', async () => {
    const params = await app.request('/simulator/params.json');
    assert.equal(params.status, 200);
    assert.equal(((await params.json()) as { format: string }).format, 'signglove-simulator');
    const font = await app.request('/fonts/Pretendard-Regular.subset.ttf');
    assert.equal(font.status, 200);
  });
});

describe('ModelCatalog', () => {
  const fake = (name: string): ServedModel => ({
    info: { name, arch: 'X', classes: ['a'], channels: ['flex1'], T: 1 },
    predict: () => ({ jamo: 'a', index: 0, confidence: 1, topK: [] }),
    predictBatch: () => [],
  });

  it('loads a listed model once, even when asked twice at the same time', async () => {
    let loads = 0;
    const catalog = new ModelCatalog(
      { list: () => [{ name: 'a', arch: 'X' }, { name: 'b', arch: 'X' }], load: async (n) => (loads++, fake(n)) },
      'a',
    );
    const [x, y] = await Promise.all([catalog.get('b'), catalog.get('b')]);
    assert.equal(x, y);
    assert.equal(loads, 1);
    assert.equal(catalog.isLoaded('b'), true);
    assert.equal((await catalog.get()).info.name, 'a');
  });

  it('an unknown name is a 400 naming the choices; a failed load can be retried', async () => {
    let fail = true;
    const catalog = new ModelCatalog(
      { list: () => [{ name: 'a', arch: 'X' }], load: async (n) => { if (fail) throw new Error('disk'); return fake(n); } },
      'a',
    );
    await assert.rejects(catalog.get('zzz'), (e: unknown) => e instanceof ApiError && e.status === 400 && /available: a/.test(e.message));
    await assert.rejects(catalog.get('a'), /disk/);
    fail = false;
    assert.equal((await catalog.get('a')).info.name, 'a');
  });
});
