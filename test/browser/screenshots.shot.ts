// Renders docs/screenshots/*.png: the settings and activity tabs at 1200 px and 360 px, and the agency view, on demo data.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DAY, HOUR } from '../../src/lib/clock.js';
import { launchChromium, type Browser } from './support/chromium.js';
import { startEmbeddedApp, type EmbeddedApp } from './support/embedded-app.js';
import { installAgency, playDemoTraffic } from './support/demo-data.js';

const OUT = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const LOC = 'loc-demo';
let env: EmbeddedApp;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  // Real "now", so the page's Today/Yesterday headings read naturally.
  const now = Math.floor(Date.now() / HOUR) * HOUR;
  env = await startEmbeddedApp({ startAt: now });
  env.h.seedLocation(LOC, { name: 'Acme Plumbing & Heating', numbers: ['+12125550100'] });
  env.h.seedLocation('loc-east', { name: 'Acme East Side' });
  env.h.seedLocation('loc-north', { name: 'Northside Dental', settings: { enabled: false } });
  installAgency(env.h, 'company-1');
  const midnightUtc = Math.floor((now - 20 * DAY) / DAY) * DAY;
  await playDemoTraffic(env.h, { locationId: LOC, dayStartAt: midnightUtc + 5 * HOUR, days: 21 });
  browser = await launchChromium();
}, 170_000);

afterAll(async () => {
  await browser?.close();
  await env?.close();
});

/** Opens the page framed at `width`, grows the frame to its content and saves a full-page PNG. */
async function shoot(name: string, width: number, ctx: object, prepare?: (page: Page) => Promise<void>): Promise<void> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.goto(env.parentUrl(ctx));
  const app = page.frameLocator('#app');
  await app.locator('.top').waitFor({ timeout: 15_000 });
  if (prepare) await prepare(page);
  await page.waitForTimeout(600);
  const frame = page.frames().find((f) => f.url().includes('/app'))!;
  const height = await frame.evaluate(() => document.documentElement.scrollHeight);
  await page.evaluate((h) => { document.getElementById('app')!.style.height = `${h}px`; }, height);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  await page.close();
}

const location = { activeLocation: LOC };
const openActivity = async (page: Page) => {
  const app = page.frameLocator('#app');
  await app.getByRole('tab', { name: 'Activity' }).click();
  await app.locator('.feed-item').first().waitFor();
  await app.locator('.chart-svg').waitFor();
};

it('renders the screenshots', async () => {
  await shoot('settings-1200', 1200, location);
  await shoot('settings-360', 360, location);
  await shoot('activity-1200', 1200, location, openActivity);
  await shoot('activity-360', 360, location, openActivity);
  await shoot('optouts-1200', 1200, location, async (page) => {
    const app = page.frameLocator('#app');
    await app.getByRole('tab', { name: 'Opt-outs' }).click();
    await app.locator('.optout-row').first().waitFor();
  });
  await shoot('agency-1200', 1200, { companyId: 'company-1' });
});
