import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** E2E tests need Debian's chromium: CI installs it (.ci/run) and must run them; elsewhere they skip. */
export const chromiumSkip: string | false = existsSync(CHROMIUM)
  ? false
  : process.env.CI
    ? false
    : `${CHROMIUM} not found (apt-get install chromium); e2e tests skipped outside CI`;

/**
 * Headless Chromium with a fresh empty profile and everything that phones home turned off,
 * so a test page can reach only the loopback server.
 */
export async function launchBrowser(): Promise<{ context: BrowserContext; blocked: string[]; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'signglove-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  // Anything not on the test server is refused, so a page that reaches for a CDN fails loudly.
  const blocked: string[] = [];
  await context.route(/^(?!https?:\/\/127\.0\.0\.1[:/]|ws:\/\/127\.0\.0\.1[:/]|data:|blob:)/, (route) => {
    blocked.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  return {
    context,
    blocked,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
