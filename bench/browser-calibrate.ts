/**
 * In-browser calibration time (issue 14): the Calibrate page in headless Chromium with its CPU
 * slowed ×4 (a phone-class budget, Chrome DevTools' CPU throttling), the simulator signing every
 * letter k times plus one held-out hold each, then the adaptation timed by the page itself.
 */
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../src/server/server.js';
import { shippedCatalog } from '../src/server/shipped.js';
import { createLiveSession } from '../src/stream/live-session.js';

export interface BrowserCalibration {
  throttle: number;
  shots: number;
  /** Seconds the page spent adapting the model (what the wearer waits for after the last hold). */
  adaptSeconds: number;
  /** Seconds from Start to the saved personal model, the simulated holds played at 64× speed. */
  totalSeconds: number;
  before: string;
  after: string;
}

export async function browserCalibration(opts: { throttle?: number; shots?: number; chromium?: string } = {}): Promise<BrowserCalibration> {
  const throttle = opts.throttle ?? 4;
  const shots = opts.shots ?? 3;
  const server = await startServer({ catalog: await shippedCatalog(undefined), port: 0, createSession: createLiveSession });
  const profile = mkdtempSync(path.join(tmpdir(), 'signglove-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: opts.chromium ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page.goto(`${server.url}/calibrate?speed=64`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    await page.selectOption('#shots', String(shots));
    const t0 = performance.now();
    await page.click('#cal-start');
    await page.waitForSelector('#result:not([hidden])', { timeout: 900_000 });
    return {
      throttle, shots,
      adaptSeconds: Number(await page.textContent('#adapt-seconds')),
      totalSeconds: (performance.now() - t0) / 1000,
      before: (await page.textContent('#before')) ?? '',
      after: (await page.textContent('#after')) ?? '',
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await server.close();
  }
}
