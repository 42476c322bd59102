import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../../src/server/app.js';
import { ModelCatalog } from '../../src/server/catalog.js';
import type { ServedModel } from '../../src/server/types.js';
import { sharedSkip } from '../shared.js';
import { centroidModel, sharedEpisodes, type SharedEpisode } from './helpers.js';

const CHANNELS = ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw'];

describe('HTTP API', { skip: sharedSkip }, () => {
  let model: ServedModel;
  let other: ServedModel;
  let episodes: SharedEpisode[];
  let app: ReturnType<typeof createApp>;

  before(() => {
    model = centroidModel(sharedEpisodes(2, ['1']));
    other = centroidModel(sharedEpisodes(2, ['2']), 'centroid-other');
    episodes = sharedEpisodes(1, ['3']).filter((_, i) => i % 6 === 0);
    app = createApp({ catalog: ModelCatalog.fromModels([model, other]), maxBodyBytes: 200_000, version: '9.9.9' });
  });

  const get = async (path: string) => app.request(path);
  const post = async (path: string, body: unknown, contentType = 'application/json') =>
    app.request(path, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: contentType ? { 'content-type': contentType } : {},
    });
  /** Asserts a client error with a useful message; returns the body. */
  async function rejects(res: Response, status: number, code: string, mention?: RegExp) {
    const text = await res.text();
    assert.equal(res.status, status, text);
    const body = JSON.parse(text) as { error: string; code: string; issues?: { path: string; message: string }[] };
    assert.equal(body.code, code, text);
    if (mention) assert.match(body.error, mention);
    return body;
  }

  it('GET /health says ok, the version and the default model', async () => {
    const res = await get('/health');
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.status, 'ok');
    assert.equal(body.version, '9.9.9');
    assert.equal(body.model, 'centroid-test');
  });

  it('GET /models lists both models and marks the default', async () => {
    const body = (await (await get('/models')).json()) as { default: string; models: { name: string; default: boolean; channels?: string[]; browser?: boolean }[] };
    assert.equal(body.default, 'centroid-test');
    assert.deepEqual(body.models.map((m) => [m.name, m.default]), [['centroid-test', true], ['centroid-other', false]]);
    assert.deepEqual(body.models[0]!.channels, CHANNELS);
    assert.equal(body.models[0]!.browser, false);
  });

  it('POST /predict answers what the model answers, with top_k candidates', async () => {
    for (const ep of episodes) {
      const res = await post('/predict', { rows: ep.rows, top_k: 3 });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { model: string; jamo: string; confidence: number; top_k: { jamo: string }[]; frames: number };
      const direct = model.predict(ep.rows, { topK: 3 });
      assert.equal(body.model, 'centroid-test');
      assert.equal(body.jamo, direct.jamo);
      assert.ok(Math.abs(body.confidence - direct.confidence) < 1e-6);
      assert.deepEqual(body.top_k.map((s) => s.jamo), direct.topK.map((s) => s.jamo));
      assert.equal(body.frames, ep.rows.length);
    }
  });

  it('POST /predict: default top_k is 5; object rows and reordered channels give the same answer', async () => {
    const ep = episodes[1]!;
    const a = (await (await post('/predict', { rows: ep.rows })).json()) as { jamo: string; top_k: unknown[] };
    assert.equal(a.top_k.length, 5);
    const objects = ep.rows.map((r) => Object.fromEntries(CHANNELS.map((ch, i) => [ch, r[i]!])));
    const b = (await (await post('/predict', { rows: objects })).json()) as { jamo: string; top_k: unknown[] };
    assert.deepEqual(b, a);
    const reversed = [...CHANNELS].reverse();
    const c = (await (await post('/predict', { rows: ep.rows.map((r) => [...r].reverse()), channels: reversed })).json()) as { jamo: string };
    assert.deepEqual(c, a);
  });

  it('POST /predict picks the named model', async () => {
    const ep = episodes[2]!;
    const body = (await (await post('/predict', { rows: ep.rows, model: 'centroid-other', top_k: 24 })).json()) as { model: string; top_k: { jamo: string }[] };
    assert.equal(body.model, 'centroid-other');
    assert.deepEqual(body.top_k.map((s) => s.jamo), other.predict(ep.rows, { topK: 24 }).topK.map((s) => s.jamo));
  });

  it('POST /predict/batch answers each episode in order and echoes ids', async () => {
    const res = await post('/predict/batch', { episodes: episodes.map((e, i) => ({ id: `e${i}`, rows: e.rows })), top_k: 2 });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { predictions: { id: string; jamo: string; top_k: unknown[] }[] };
    assert.equal(body.predictions.length, episodes.length);
    body.predictions.forEach((p, i) => {
      assert.equal(p.id, `e${i}`);
      assert.equal(p.jamo, model.predict(episodes[i]!.rows).jamo);
      assert.equal(p.top_k.length, 2);
    });
  });

  it('GET /openapi.json describes every endpoint and the request schema', async () => {
    const doc = (await (await get('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    assert.match(doc.openapi, /^3\./);
    for (const p of ['/predict', '/predict/batch', '/health', '/models']) assert.ok(doc.paths[p], `missing ${p}`);
    assert.ok(doc.components.schemas.PredictRequest?.properties?.rows);
    assert.ok(doc.components.schemas.PredictRequest?.properties?.top_k);
  });

  describe('bad input gets a 4xx that says what is wrong', () => {
    const good = () => episodes[0]!.rows.slice(0, 10);

    it('malformed JSON', async () => {
      await rejects(await post('/predict', '{"rows": [[1,2'), 400, 'malformed_json', /malformed JSON/);
      await rejects(await post('/predict', '{"rows": [[NaN]]}'), 400, 'malformed_json', /NaN/);
    });

    it('NaN (null after JSON.stringify), strings and out-of-range numbers', async () => {
      const rows = good();
      rows[1] = [...rows[1]!];
      rows[1][2] = NaN;
      const b = await rejects(await post('/predict', { rows }), 400, 'invalid_request', /rows\[1\]\[2\].*null.*NaN/);
      assert.equal(b.issues?.[0]?.path, 'rows[1][2]');
      await rejects(await post('/predict', { rows: [[1, 2, 3, 4, 5, 6, 7, 'NaN']] }), 400, 'invalid_request', /rows\[0\]\[7\].*string/);
      await rejects(await post('/predict', { rows: [[1, 2, 3, 4, 5, 6, 7, 1e300]] }), 400, 'invalid_shape', /out of range/);
    });

    it('wrong shape: row width, missing channel, not an array, empty, too long', async () => {
      await rejects(await post('/predict', { rows: [[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3]] }), 400, 'invalid_shape', /rows\[1\] has 3 values; expected 8/);
      await rejects(await post('/predict', { rows: [{ flex1: 1, flex2: 2 }] }), 400, 'invalid_shape', /missing channels flex3.*yaw/);
      await rejects(await post('/predict', { rows: 5 }), 400, 'invalid_request', /rows.*expected array/);
      await rejects(await post('/predict', { rows: [] }), 400, 'invalid_request', /at least one frame/);
      await rejects(await post('/predict', { frames: good() }), 400, 'invalid_request', /rows/);
      await rejects(await post('/predict', { rows: Array.from({ length: 4097 }, () => [0]) }), 400, 'invalid_request', /at most 4096 frames/);
      await rejects(await post('/predict', { rows: good(), channels: ['flex1'] }), 400, 'invalid_request', /missing flex2/);
    });

    it('top_k out of range', async () => {
      await rejects(await post('/predict', { rows: good(), top_k: 0 }), 400, 'invalid_request', /top_k/);
      await rejects(await post('/predict', { rows: good(), top_k: 25 }), 400, 'invalid_request', /top_k/);
      await rejects(await post('/predict', { rows: good(), top_k: 2.5 }), 400, 'invalid_request', /top_k/);
    });

    it('unknown model names the available ones', async () => {
      await rejects(await post('/predict', { rows: good(), model: 'nope' }), 400, 'unknown_model', /unknown model 'nope'; available: centroid-test, centroid-other/);
      await rejects(await post('/predict/batch', { episodes: [{ rows: good() }], model: 'nope' }), 400, 'unknown_model', /nope/);
      await rejects(await get('/models/nope/bundle'), 404, 'unknown_model', /nope/);
      await rejects(await get('/models/centroid-test/bundle'), 404, 'no_bundle', /no bundle/);
    });

    it('too large a body is 413', async () => {
      const rows = Array.from({ length: 4000 }, () => [800.125, 800.125, 800.125, 800.125, 800.125, -12.5, 40.25, 3.75]);
      await rejects(await post('/predict', { rows }), 413, 'body_too_large', /larger than 200000 bytes/);
      await rejects(await post('/predict/batch', { episodes: [{ rows }] }), 413, 'body_too_large');
    });

    it('missing or non-JSON body', async () => {
      await rejects(await post('/predict', JSON.stringify({ rows: good() }), 'text/plain'), 415, 'unsupported_media_type', /application\/json/);
      await rejects(await app.request('/predict', { method: 'POST' }), 400, 'invalid_request');
      await rejects(await post('/predict', '[]'), 400, 'invalid_request', /expected object/);
    });

    it('batch problems name the episode', async () => {
      const b = await rejects(await post('/predict/batch', { episodes: [{ rows: good() }, { rows: [[1, 2]] }] }), 400, 'invalid_shape', /episodes\[1\]\.rows\[0\] has 2 values/);
      assert.equal(b.issues?.[0]?.path, 'episodes[1].rows[0]');
      await rejects(await post('/predict/batch', { episodes: [] }), 400, 'invalid_request', /at least one episode/);
      await rejects(await post('/predict/batch', { episodes: [{ rows: good() }, { rows: [[1, 2, 3, 4, 5, 6, 7, null]] }] }), 400, 'invalid_request', /episodes\[1\]\.rows\[0\]\[7\]/);
    });

    it('unknown endpoints and methods are JSON 404s', async () => {
      await rejects(await get('/predict'), 404, 'not_found', /GET \/predict/);
      await rejects(await get('/nope'), 404, 'not_found', /openapi/);
    });

    it('no garbage body makes it answer 5xx', async () => {
      const bodies = ['', 'null', 'true', '"x"', '{}', '{"rows":null}', '{"rows":[null]}', '{"rows":[[]]}', '{"rows":[{}]}', '{"rows":[[1e999]]}',
        '{"rows":[["a"]]}', '{"episodes":"x"}', '{"rows":[[1,2,3,4,5,6,7,8]],"top_k":"5"}', '{"rows":[[1,2,3,4,5,6,7,8]],"model":5}',
        '{"rows":[[1,2,3,4,5,6,7,8]],"channels":[]}', '\u0000', '{"rows":[[1,2,3,4,5,6,7,8]]}garbage'];
      for (const path of ['/predict', '/predict/batch']) {
        for (const body of bodies) {
          const res = await post(path, body);
          assert.ok(res.status >= 400 && res.status < 500, `${path} ${JSON.stringify(body)} → ${res.status}`);
          const json = (await res.json()) as { error: string };
          assert.ok(json.error.length > 0);
        }
      }
    });
  });
});
