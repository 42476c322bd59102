/**
 * No web page reads the glove, and no client slows the others (issue 16, items 3 and 4):
 * Origin and Host checks, security headers, per-connection limits on /stream, batch inference
 * off the event loop.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ModelCatalog } from '../../src/server/catalog.js';
import { createLiveSession } from '../../src/stream/live-session.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { shippedCatalog } from '../../src/server/shipped.js';
import { FrameBudget } from '../../src/server/stream-limits.js';
import { OFFLOAD_BODY_BYTES } from '../../src/server/batch-offload.js';
import { centroidModel } from './helpers.js';
import { connect } from './ws-client.js';
import type { ServedModel } from '../../src/server/types.js';

/** A model that needs no shared data: every class centroid at a constant posture. */
function tinyModel(): ServedModel {
  const rows = (v: number) => Array.from({ length: 20 }, () => [700 + v, 700, 700, 700, 700, v, 0, 0]);
  return centroidModel(['ㄱ', 'ㄴ', 'ㄷ'].map((jamo, i) => ({ file: `${jamo}.csv`, jamo, rows: rows(i * 10), csv: '' })));
}

const frame = [700, 700, 700, 700, 700, 0, 0, 0];

describe('Origin and Host checks, security headers', () => {
  let server: RunningServer;
  let ws: string;
  before(async () => {
    server = await startServer({ catalog: ModelCatalog.fromModels([tinyModel()]), port: 0, createSession: createLiveSession, allowOrigins: ['https://app.example'] });
    ws = server.url.replace('http', 'ws') + '/stream';
  });
  after(() => server.close());

  it('a page from another site cannot open /stream or /stream/glove', async () => {
    for (const p of ['/stream', '/stream/glove']) {
      await assert.rejects(connect(server.url.replace('http', 'ws') + p, { Origin: 'http://evil.example' }), /403/);
    }
    const r = await fetch(`${server.url}/health`, { headers: { Origin: 'http://evil.example' } });
    assert.equal(r.status, 403);
    assert.match(((await r.json()) as { error: string }).error, /Origin 'http:\/\/evil\.example' is not allowed; start the server with --allow-origin/);
  });

  it('the server\'s own pages, an allowed origin and clients without Origin connect', async () => {
    for (const headers of [{ Origin: server.url }, { Origin: 'https://app.example' }, undefined]) {
      const s = await connect(ws, headers);
      await s.next((m) => m.type === 'ready');
      s.close();
    }
  });

  it('a Host name that is not this machine (DNS rebinding) is refused', async () => {
    const { request } = await import('node:http');
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${server.url}/health`, { headers: { Host: host } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal(await status('evil.example:8000'), 403);
    assert.equal(await status('localhost:8000'), 200);
    assert.equal(await status(`127.0.0.1:${server.port}`), 200);
  });

  it('pages carry a content security policy, nosniff and no framing', async () => {
    const r = await fetch(`${server.url}/try`);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal((await fetch(`${server.url}/health`)).headers.get('x-content-type-options'), 'nosniff');
  });
});

describe('per-connection limits on /stream', () => {
  let server: RunningServer;
  let ws: string;
  before(async () => {
    server = await startServer({
      catalog: ModelCatalog.fromModels([tinyModel()]), port: 0, createSession: createLiveSession,
      streamLimits: { framesPerSecond: 100, burstFrames: 500, maxQueuedMessages: 8 },
    });
    ws = server.url.replace('http', 'ws') + '/stream';
  });
  after(() => server.close());

  it('a client flooding frames is closed with a reason; a normal client is not', async () => {
    const flood = await connect(ws);
    await flood.next((m) => m.type === 'ready');
    const normal = await connect(ws);
    await normal.next((m) => m.type === 'ready');
    for (let i = 0; i < 3; i++) flood.send({ type: 'frames', frames: Array.from({ length: 300 }, () => frame) });
    const closed = await flood.closed;
    assert.equal(closed.code, 1008);
    assert.match(closed.reason, /too many frames: over 100 frames\/s/);
    normal.send({ type: 'frames', frames: [frame, frame] });
    normal.send({ type: 'ping' });
    await normal.next((m) => m.type === 'pong');
    normal.close();
  });

  it('a client piling up messages is closed with a reason', async () => {
    const s = await connect(ws);
    await s.next((m) => m.type === 'ready');
    for (let i = 0; i < 40; i++) s.send({ type: 'frames', frames: Array.from({ length: 10 }, () => frame) });
    const closed = await s.closed;
    assert.equal(closed.code, 1008);
    assert.match(closed.reason, /too many (messages waiting|frames)/);
  });

  it('FrameBudget refills at its rate up to its burst', () => {
    let now = 0;
    const b = new FrameBudget(10, 20, () => now);
    assert.ok(b.take(20));
    assert.ok(!b.take(1));
    now = 500;
    assert.ok(b.take(5));
    assert.ok(!b.take(1));
    now = 100_000;
    assert.ok(!b.take(21));
    assert.ok(b.take(20));
  });
});

describe('/predict/batch runs off the event loop', () => {
  it('/health answers while a large batch is being computed', async () => {
    // A model whose off-loop batch is held open until the test has seen /health answer.
    let started!: () => void;
    const inBatch = new Promise<void>((r) => (started = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const base = tinyModel();
    const model: ServedModel = {
      ...base,
      predictBatchAsync: async (eps, opts) => {
        started();
        await released;
        return base.predictBatch(eps, opts);
      },
    };
    const server = await startServer({ catalog: ModelCatalog.fromModels([model]), port: 0, createSession: createLiveSession });
    try {
      const episodes = Array.from({ length: 64 }, () => ({ rows: Array.from({ length: 30 }, () => frame) }));
      const batch = fetch(`${server.url}/predict/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ episodes }) });
      const first = await Promise.race([inBatch.then(() => 'off the loop'), batch.then(() => 'answered on the loop')]);
      assert.equal(first, 'off the loop');
      assert.equal((await fetch(`${server.url}/health`)).status, 200);
      release();
      const r = await batch;
      assert.equal(r.status, 200);
      assert.equal(((await r.json()) as { predictions: unknown[] }).predictions.length, 64);
    } finally {
      release();
      await server.close();
    }
  });

  it('a large batch body is parsed and predicted on a worker thread, with the same answers and errors', async () => {
    const catalog = await shippedCatalog();
    const server = await startServer({ catalog, port: 0, createSession: createLiveSession });
    try {
      const model = await catalog.get();
      const episodes = Array.from({ length: 120 }, (_, i) => Array.from({ length: 80 }, (_, t) => [780, 700 + i, 860, 850, 860, -14 + t * 0.01, -69, -68]));
      const body = JSON.stringify({ episodes: episodes.map((rows, i) => ({ id: `e${i}`, rows })), top_k: 2 });
      assert.ok(body.length >= OFFLOAD_BODY_BYTES, `${body.length} bytes`);
      const post = (b: string) => fetch(`${server.url}/predict/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
      const r = await post(body);
      assert.equal(r.status, 200);
      const got = (await r.json()) as { model: string; predictions: { id: string; jamo: string; top_k: unknown[]; frames: number }[] };
      const want = model.predictBatch(episodes, { topK: 2 });
      assert.equal(got.model, model.info.name);
      assert.deepEqual(got.predictions.map((p) => [p.id, p.jamo, p.top_k.length, p.frames]), want.map((p, i) => [`e${i}`, p.jamo, 2, 80]));
      // the worker's errors are the route's errors
      const bad = JSON.parse(body) as { episodes: { rows: unknown[][] }[] };
      bad.episodes[7]!.rows[3] = [1, 2, 3];
      const e = await post(JSON.stringify(bad));
      assert.equal(e.status, 400);
      assert.match(((await e.json()) as { error: string }).error, /^episodes\[7\]\.rows\[3\] has 3 values; expected 8/);
      const m = await post(`${body.slice(0, -1)},`);
      assert.equal(m.status, 400);
      assert.equal(((await m.json()) as { code: string }).code, 'malformed_json');
    } finally {
      await server.close();
    }
  });

  it('worker-thread batches of a shipped model give the same answers as predictBatch', async () => {
    const catalog = await shippedCatalog();
    const model = await catalog.get();
    const episodes = Array.from({ length: 40 }, (_, i) => Array.from({ length: 80 }, (_, t) => [780, 700 + i, 860, 850, 860, -14 + t * 0.01, -69, -68]));
    const a = await model.predictBatchAsync!(episodes, { topK: 3 });
    const b = model.predictBatch(episodes, { topK: 3 });
    assert.deepEqual(a.map((p) => p.jamo), b.map((p) => p.jamo));
  });
});
