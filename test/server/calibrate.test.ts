// POST /calibrate: the server adapts a model to a wearing from labelled holds and answers the bundle.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Predictor } from '../../src/infer/core.js';
import { ModelCatalog } from '../../src/server/catalog.js';
import { createLiveSession } from '../../src/stream/live-session.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { shippedCatalog } from '../../src/server/shipped.js';
import { loadDataset } from '../../src/data/load.js';
import { DEFAULT_CHANNELS } from '../../src/data/types.js';
import { centroidModel, sharedEpisodes } from './helpers.js';
import { DATASET_0819, sharedSkip } from '../shared.js';

describe('POST /calibrate', { skip: sharedSkip }, () => {
  let server: RunningServer;
  let centroid: RunningServer;
  before(async () => {
    server = await startServer({ catalog: await shippedCatalog(), port: 0, createSession: createLiveSession });
    centroid = await startServer({ catalog: ModelCatalog.fromModels([centroidModel(sharedEpisodes(2, ['1']))]), port: 0, createSession: createLiveSession });
  });
  after(async () => {
    await server.close();
    await centroid.close();
  });

  const post = (url: string, body: unknown) => fetch(`${url}/calibrate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers a personal bundle that loads, records its base, and says before/after on the held-out holds', async () => {
    // 2025-08-19 (flex4 dead) as the new wearing: two holds of three letters calibrate, one more of each measures
    const { episodes } = await loadDataset(DATASET_0819, { channels: [...DEFAULT_CHANNELS] });
    const pick = (jamo: string, n: number) => episodes.filter((e) => e.jamo === jamo && e.session === '3').slice(0, n);
    const rows = (e: (typeof episodes)[number]) => Array.from({ length: e.length }, (_, t) => Array.from(e.data.subarray(t * 8, t * 8 + 8)));
    const letters = ['ㄱ', 'ㅏ', 'ㅎ'];
    const shots = letters.flatMap((j) => pick(j, 2)).map((e) => ({ jamo: e.jamo, rows: rows(e) }));
    const held = letters.flatMap((j) => pick(j, 3).slice(2)).map((e) => ({ jamo: e.jamo, rows: rows(e) }));
    let calibrated = false;
    const pending = post(server.url, { shots, held_out: held }).then((res) => ((calibrated = true), res));
    // the calibration runs on a worker thread: the server keeps answering meanwhile
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
    assert.equal(calibrated, false, '/health answered only after the calibration');
    const r = await pending;
    assert.equal(r.status, 200, await r.clone().text());
    assert.equal(r.headers.get('content-type'), 'application/octet-stream');
    const before = Number(r.headers.get('x-accuracy-before'));
    const after = Number(r.headers.get('x-accuracy-after'));
    assert.ok(after >= 0 && after <= 1 && before >= 0 && before <= 1);
    const personal = Predictor.fromBytes(new Uint8Array(await r.arrayBuffer()), 'personal');
    assert.equal(personal.meta.calibration!.base, 'extra_trees');
    assert.equal(personal.meta.calibration!.files.length, 6);
    assert.deepEqual(personal.meta.preprocess.session!.masked, ['flex4']);
  });

  it('a letter the model does not know, or a model it cannot adapt, is a 400 naming it', async () => {
    const rows = Array.from({ length: 40 }, () => [800, 800, 800, 800, 800, 0, 0, 0]);
    const bad = await post(server.url, { shots: [{ jamo: 'ㄲ', rows }] });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /shots\[0\]\.jamo: 'ㄲ' is not one of the model's letters/);
    const none = await post(centroid.url, { shots: [{ jamo: 'ㄱ', rows }] });
    assert.equal(none.status, 400);
    assert.match(((await none.json()) as { error: string }).error, /cannot be calibrated on this server/);
  });
});
