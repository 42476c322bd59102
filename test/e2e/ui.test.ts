import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { loadModel, resolveModelPath } from '../../src/infer/index.js';
import { channelIndices, FRAME_CHANNELS } from '../../src/stream/frame.js';
import { FIRMWARE_HEADER, formatFirmwareLine } from '../../src/stream/firmware-csv.js';
import { simulateText } from '../../src/stream/simulator/simulate.js';
import { simulatedWearingStats, useSimulatedWearing } from '../../src/stream/simulator/wearing.js';
import { createLiveSession } from '../../src/server/live-session.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { shippedCatalog } from '../../src/server/shipped.js';
import { WEB_DIST } from '../../src/server/routes/web.js';
import { spellText } from '../../src/stream/hangul.js';
import { Lexicon, WordDecoder } from '../../src/stream/word-decoder.js';
import { DATASET_1001 } from '../shared.js';
import { chromiumSkip, launchBrowser } from './browser.js';

/** The model the pages run: SIGNGLOVE_E2E_MODEL (a bundle path) or the shipped default. */
const MODEL = process.env.SIGNGLOVE_E2E_MODEL;
function modelSkip(): string | false {
  try {
    resolveModelPath(MODEL);
    return false;
  } catch (err) {
    // In CI the shipped model must be there; elsewhere it may not be trained yet.
    return process.env.CI ? false : `no model to serve (${(err as Error).message})`;
  }
}

const WORD = '안녕';
/**
 * A simulated signer (seed) whose WORD this model spells right when the frames go straight into
 * the shared LiveSession code. The pages must then show exactly that word: what the browser adds
 * (simulation, playback, engine, display) is what these tests check.
 */
async function seedTheModelGetsRight(): Promise<number> {
  const model = await loadModel(MODEL);
  useSimulatedWearing(model);
  const pick = channelIndices(model.info.channels);
  const seen: string[] = [];
  for (let seed = 1; seed <= 12; seed++) {
    const session = createLiveSession(model);
    let text = '';
    for (const f of simulateText(WORD, { seed }).frames) {
      for (const e of session.push(Float32Array.from(pick, (i) => f.values[i]!))) if (e.type === 'text') text = e.text;
    }
    if (text === WORD) return seed;
    seen.push(text);
  }
  throw new Error(`model ${model.info.name} spells no simulated ${WORD} (seeds 1–12) right: ${seen.join(' ')}`);
}

const CSV = path.join(DATASET_1001, 'ㅜ', '3', 'episode_20251001_183500_ㅜ_3.csv');

describe('web UI in headless Chromium', { skip: chromiumSkip || modelSkip() }, () => {
  let server: RunningServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let seed: number;

  before(async () => {
    // `npm test` builds dist/web first; running this file alone builds it here.
    if (!existsSync(path.join(WEB_DIST, 'live.js'))) {
      const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'scripts/build-web.mjs')], { stdio: 'inherit' });
      assert.equal(r.status, 0, 'building the web UI failed');
    }
    seed = await seedTheModelGetsRight();
    server = await startServer({ catalog: await shippedCatalog(MODEL), port: 0, createSession: createLiveSession });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(pathAndQuery: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url + pathAndQuery);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    assert.deepEqual(errors, []);
    return page;
  }

  async function simulate(page: Page, engine: 'browser' | 'server'): Promise<void> {
    await page.check(`input[name="engine"][value="${engine}"]`);
    await page.waitForSelector(`#engine-note[data-where="${engine}"]`);
    await page.fill('#phrase', WORD);
    await page.click('#sim-start');
    await page.waitForSelector('#status[data-state="sim"]');
    // The simulator plays the word to its end; the recogniser should spell it letter by letter.
    await page.waitForSelector('#status[data-state="done"]', { timeout: 60_000 });
    const letters = await page.locator('#letters span').allTextContents();
    assert.deepEqual(letters, spellText(WORD));
    assert.equal(await page.textContent('#text'), WORD);
    assert.notEqual(await page.textContent('#current'), '·');
    assert.equal(await page.locator('#top5 li').count(), 5);
  }

  it('live page: the simulator spells a word and the browser engine recognises it', async () => {
    const page = await open(`/?speed=6&seed=${seed}`);
    assert.match((await page.textContent('#engine-note')) ?? '', /브라우저|browser/);
    // Plots are drawn for all 8 channels.
    assert.equal(await page.locator('#plots canvas').count(), 8);
    await simulate(page, 'browser');
    // the text is spoken in Korean by the browser's speech synthesis
    await page.evaluate(`window.__spoken = []; speechSynthesis.speak = (u) => window.__spoken.push({ text: u.text, lang: u.lang });`);
    await page.click('#speak');
    assert.deepEqual(await page.evaluate('window.__spoken'), [{ text: WORD, lang: 'ko-KR' }]);
    await page.close();
  });

  it('live page: a word the lexicon knows is suggested beside the raw letters; tapping it takes it', async () => {
    // 하교 signed; the user's list has 학교 (a missed repeated ㄱ is the likeliest slip)
    const decoder = new WordDecoder(new Lexicon([], ['학교']));
    const model = await loadModel(MODEL);
    const pick = channelIndices(model.info.channels);
    let sim = 0;
    for (let k = 1; k <= 12 && !sim; k++) {
      // the page reads its simulator as a wearing of its own, with that wearing's statistics
      const session = createLiveSession(model, { session: simulatedWearingStats(model.meta) });
      let text = '';
      for (const f of simulateText('하교', { seed: k }).frames) {
        for (const e of session.push(Float32Array.from(pick, (i) => f.values[i]!))) if (e.type === 'text') text = e.text;
      }
      if (text === '하교') sim = k;
    }
    assert.ok(sim, 'no simulated 하교 the model spells right');
    const lex = await startServer({ catalog: await shippedCatalog(MODEL), port: 0, createSession: (m, o) => createLiveSession(m, { ...o, decoder }), lexiconWords: ['*학교'] });
    try {
      for (const engine of ['browser', 'server'] as const) {
        const page = await browser.context.newPage();
        await page.goto(`${lex.url}/?speed=6&seed=${sim}`);
        await page.waitForSelector('body[data-ready="true"]');
        await page.check(`input[name="engine"][value="${engine}"]`);
        await page.waitForSelector(`#engine-note[data-where="${engine}"]`);
        await page.fill('#phrase', '하교');
        await page.click('#sim-start');
        await page.waitForSelector('#status[data-state="done"]', { timeout: 60_000 });
        await page.waitForSelector('#suggest-row:not([hidden])');
        assert.equal(await page.textContent('#text'), '하교', `${engine}: the raw letters stay until the user takes the word`);
        assert.equal(await page.textContent('#suggestion'), '하교 → 학교');
        await page.click('#suggestion');
        // a locator wait, not waitForFunction: the page's content security policy forbids the eval it polls with
        await page.locator('#text', { hasText: /^학교$/ }).waitFor({ timeout: 10_000 });
        assert.equal(await page.isHidden('#suggest-row'), true);
        await page.close();
      }
    } finally {
      await lex.close();
    }
  });

  it('live page: the same word over the server stream', async () => {
    const page = await open(`/?speed=6&seed=${seed}`);
    await simulate(page, 'server');
    assert.match((await page.textContent('#engine-note')) ?? '', /서버|server/);
    await page.close();
  });

  it("live page on a phone: watching the server's glove", async () => {
    const glove = await startServer({
      catalog: await shippedCatalog(MODEL), port: 0, createSession: createLiveSession, source: `sim:${WORD}`, sourceSpeed: 6, sourceSeed: seed,
    });
    try {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(glove.url + '/');
      await page.waitForSelector('body[data-ready="true"]');
      await page.check('input[name="source"][value="server"]');
      await page.waitForSelector('#status[data-state="server"]');
      assert.equal(await page.isDisabled('input[name="engine"][value="browser"]'), true);
      // The server's simulated glove ends after the word: every letter and the text must be there.
      await page.waitForSelector('#status[data-state="ended"]', { timeout: 60_000 });
      assert.deepEqual(await page.locator('#letters span').allTextContents(), spellText(WORD));
      assert.equal(await page.textContent('#text'), WORD);
      assert.notEqual(await page.locator('.plot-value').first().textContent(), '–');
      await page.close();
    } finally {
      await glove.close();
    }
  });

  it("live page: a dead flex sensor on the server's glove is named at once, in Korean, with what to do", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sg-e2e-health-'));
    const flex2 = FRAME_CHANNELS.indexOf('flex2');
    const rows = simulateText(WORD, { seed }).frames.map((f) => {
      const values = Float32Array.from(f.values);
      values[flex2] = 3;
      return formatFirmwareLine({ t: f.t, values });
    });
    const file = path.join(dir, 'dead-flex2.csv');
    writeFileSync(file, [FIRMWARE_HEADER, ...rows].join('\n') + '\n');
    const glove = await startServer({ catalog: await shippedCatalog(MODEL), port: 0, createSession: createLiveSession, source: `replay:${file}`, sourceSpeed: 2 });
    try {
      const page = await browser.context.newPage();
      await page.goto(glove.url + '/');
      await page.waitForSelector('body[data-ready="true"]');
      await page.check('input[name="source"][value="server"]');
      const item = page.locator('#health li[data-channel="flex2"][data-problem="dead"]');
      await item.waitFor({ timeout: 30_000 });
      assert.equal(await page.isVisible('#health'), true);
      const korean = /^flex2 값이 3–3로 0에 가깝습니다: .*선과 커넥터를 확인하세요$/;
      const english = /^flex2 reads 3–3, near 0: the sensor is disconnected or broken; check its wire and connector$/;
      const lang = async () => page.getAttribute('html', 'lang');
      const first = await lang();
      assert.match((await item.textContent()) ?? '', first === 'ko' ? korean : english);
      await page.click('#lang');
      assert.notEqual(await lang(), first);
      assert.match((await item.textContent()) ?? '', first === 'ko' ? english : korean);
      await page.close();
    } finally {
      await glove.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('live page: without a server glove that source is greyed out', async () => {
    const page = await open('/');
    assert.equal(await page.isDisabled('input[name="source"][value="server"]'), true);
    await page.close();
  });

  it('try page: an uploaded CSV gets the prediction the API gives, on both paths', async () => {
    const page = await open('/try');
    const rows = readFileSync(CSV, 'utf8').trim().split('\n');
    const header = rows[0]!.split(',');
    const channels = ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw'];
    const body = { rows: rows.slice(1).map((l) => Object.fromEntries(channels.map((ch) => [ch, Number(l.split(',')[header.indexOf(ch)])]))) };
    const api = (await (await fetch(`${server.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { jamo: string };
    // the same numbers on every path: Node's predictor, the API, and the engine in the browser
    const direct = (await loadModel(MODEL)).predict(body.rows, { topK: 5 });
    assert.equal(api.jamo, direct.jamo);
    const shown = (s: { jamo: string; confidence: number }) => `${s.jamo}${s.confidence < 0.005 ? '<1%' : `${(s.confidence * 100).toFixed(s.confidence >= 0.995 || s.confidence < 0.1 ? 0 : 1)}%`}`;

    for (const engine of ['browser', 'server'] as const) {
      await page.check(`input[name="engine"][value="${engine}"]`);
      await page.waitForSelector(`#engine-note[data-where="${engine}"]`);
      await page.evaluate(`document.getElementById('current').textContent = '·'`);
      await page.setInputFiles('#file', CSV);
      // a selector wait, not waitForFunction: the page's content security policy forbids the eval it polls with
      await page.locator('#current').filter({ hasNotText: '·' }).waitFor({ timeout: 20_000 });
      assert.equal(await page.textContent('#current'), api.jamo, `${engine} path`);
      assert.equal(await page.locator('#top5 li').count(), 5);
      const items = await page.locator('#top5 li').evaluateAll((lis) => lis.map((li) => `${li.querySelector('.j')!.textContent}${li.querySelector('.v')!.textContent}`));
      assert.deepEqual(items, direct.topK.map(shown), `${engine} path top-5`);
      assert.match((await page.textContent('#file-name')) ?? '', /episode_20251001_183500/);
    }
    await page.close();
  });

  it('try page: a broken CSV gets a message, not a prediction', async () => {
    const page = await open('/try');
    await page.setInputFiles('#file', { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('hello,world\n1,2\n') });
    await page.waitForSelector('#message:not([hidden])');
    assert.match((await page.textContent('#message')) ?? '', /broken\.csv/);
    assert.equal(await page.textContent('#current'), '·');
    await page.close();
  });

  it('Korean and English UI text; phone-sized screens do not scroll sideways', async () => {
    const page = await open('/', { width: 360, height: 740 });
    const ko = await page.getAttribute('html', 'lang');
    await page.click('#lang');
    const other = await page.getAttribute('html', 'lang');
    assert.notEqual(ko, other);
    const texts = await page.locator('nav a').allTextContents();
    assert.deepEqual(texts, other === 'ko' ? ['실시간', '파일로 해보기'] : ['Live', 'Try a file']);
    for (const p of ['/', '/try']) {
      await page.goto(server.url + p);
      await page.waitForSelector('body[data-ready="true"]');
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
      assert.ok(overflow <= 0, `${p} is ${overflow}px wider than the screen`);
    }
    await page.close();
  });

  it('the pages load nothing from outside the server', () => {
    assert.deepEqual(browser.blocked, []);
  });
});
