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
  seedTroubledLocation('loc-warn');
  const midnightUtc = Math.floor((now - 20 * DAY) / DAY) * DAY;
  await playDemoTraffic(env.h, { locationId: LOC, dayStartAt: midnightUtc + 5 * HOUR, days: 21 });
  browser = await launchChromium();
}, 170_000);

/** A location on a plan without follow-ups, whose token needs reconnecting and that also runs HighLevel's text-back. */
function seedTroubledLocation(locationId: string): void {
  const { h } = env;
  h.seedLocation(locationId, { name: 'Riverside Auto Repair', companyId: 'company-2' });
  Object.assign(h.app.workflow.plans ?? {}, { 'plan-basic': { name: 'Basic', features: { followUp: false } } });
  h.app.db.prepare('UPDATE locations SET plan_id = ? WHERE location_id = ?').run('plan-basic', locationId);
  h.app.db.prepare('UPDATE tokens SET needs_reconnect = 1, reconnect_reason = ? WHERE owner_id = ?').run('HighLevel refused the refresh token.', locationId);
  h.app.db.prepare(`INSERT INTO location_flags (location_id, flag, first_seen_at, last_seen_at, hits) VALUES (?, 'native-textback', ?, ?, 1)`)
    .run(locationId, h.clock.now() - HOUR, h.clock.now() - HOUR);
}

afterAll(async () => {
  await browser?.close();
  await env?.close();
});

/** Opens the page framed at `width`, grows the frame to its content and saves a full-page PNG. */
async function shoot(name: string, width: number, ctx: object, prepare?: (page: Page) => Promise<void>, maxHeight = Infinity): Promise<void> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.goto(env.parentUrl(ctx));
  const app = page.frameLocator('#app');
  await app.locator('.top').waitFor({ timeout: 15_000 });
  if (prepare) await prepare(page);
  await page.waitForTimeout(600);
  const frame = page.frames().find((f) => f.url().includes('/app'))!;
  const height = Math.min(maxHeight, await frame.evaluate(() => (globalThis as unknown as { document: PageDocument }).document.documentElement.scrollHeight));
  // A cross-origin frame paints only what the viewport shows: make the viewport as tall as the page.
  await page.evaluate((h) => { (globalThis as unknown as { document: PageDocument }).document.getElementById('app')!.style.height = `${h}px`; }, height);
  await page.setViewportSize({ width, height });
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  await page.close();
}

const location = { activeLocation: LOC };
/** The little of the DOM these page-side callbacks touch (the project compiles without the DOM library). */
type PageDocument = { documentElement: { scrollHeight: number }; getElementById(id: string): { style: { height: string } } | null };
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
  await shoot('agency-defaults-1200', 1200, { companyId: 'company-1' }, async (page) => {
    await page.frameLocator('#app').getByRole('tab', { name: 'Defaults for new sub-accounts' }).click();
  }, 1100);
  await shoot('editor-unicode-1200', 1200, location, async (page) => {
    const editor = page.frameLocator('#app').getByRole('textbox', { name: 'When you’re closed' });
    await editor.fill('Hi {{first_name}}, it’s {{business_name}} — we’re closed right now, but we’ll call you back first thing tomorrow…');
    await page.frameLocator('#app').getByText('UCS-2 (Unicode)').waitFor();
  }, 1000);
  await shoot('warnings-1200', 1200, { activeLocation: 'loc-warn', companyId: 'company-2' }, undefined, 1450);
});
