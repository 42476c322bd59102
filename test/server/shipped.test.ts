import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadModel, resolveModelPath, type LoadedModel } from '../../src/infer/index.js';
import { createApp } from '../../src/server/app.js';
import { createLiveSession } from '../../src/stream/live-session.js';
import { shippedCatalog } from '../../src/server/shipped.js';
import type { ServedModel } from '../../src/server/types.js';
import { channelIndices } from '../../src/stream/frame.js';
import { simulateText } from '../../src/stream/simulator/simulate.js';

function noShippedModel(): string | false {
  try {
    resolveModelPath();
    return false;
  } catch (err) {
    return process.env.CI ? false : `no shipped model (${(err as Error).message})`;
  }
}

describe('the shipped model as the server serves it', { skip: noShippedModel() }, () => {
  let direct: LoadedModel;
  let served: ServedModel;
  let app: ReturnType<typeof createApp>;

  before(async () => {
    direct = await loadModel();
    const catalog = await shippedCatalog();
    served = await catalog.get();
    app = createApp({ catalog });
  });

  it('live sessions on the server equal ones on the model itself (same window handling)', () => {
    const pick = channelIndices(direct.info.channels);
    const frames = simulateText('나무', { seed: 2 }).frames.map((f) => Float32Array.from(pick, (i) => f.values[i]!));
    const a = createLiveSession(direct);
    const b = createLiveSession(served);
    const ea = frames.flatMap((f) => a.push(f));
    const eb = frames.flatMap((f) => b.push(f));
    assert.ok(ea.some((e) => e.type === 'letter'));
    assert.deepEqual(eb, ea);
  });

  it('GET /models/<default>/bundle is the bundle file, for the browser engine', async () => {
    const res = await app.request(`/models/${encodeURIComponent(served.info.name)}/bundle`);
    assert.equal(res.status, 200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual(bytes, new Uint8Array(readFileSync(direct.path)));
    const models = (await (await app.request('/models')).json()) as { models: { name: string; browser?: boolean }[] };
    assert.equal(models.models.find((m) => m.name === served.info.name)?.browser, true);
  });
});
