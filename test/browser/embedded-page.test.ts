// The embedded settings page in a real Chromium, framed by a stand-in HighLevel parent on another origin.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { HOUR } from '../../src/lib/clock.js';
import { chromiumReady, describeInChromium, launchChromium, type Browser } from './support/chromium.js';
import { startEmbeddedApp, type EmbeddedApp } from './support/embedded-app.js';

const LOC_A = 'loc-a';
const LOC_B = 'loc-b';
const userInA = { activeLocation: LOC_A, companyId: 'company-1' };

let env: EmbeddedApp;
let browser: Browser;

beforeAll(async () => {
  if (!chromiumReady()) return; // skipped or failed by describeInChromium, loudly
  env = await startEmbeddedApp();
  env.h.seedLocation(LOC_A, { name: 'Acme Plumbing' });
  env.h.seedLocation(LOC_B, { name: 'Other Business', companyId: 'company-2' });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await env?.close();
});

async function openEmbedded(ctx = userInA): Promise<{ page: Page; app: FrameLocator }> {
  const page = await browser.context.newPage();
  await page.goto(env.parentUrl(ctx));
  const app = page.frameLocator('#app');
  await app.getByRole('switch', { name: 'Text back missed callers' }).waitFor({ timeout: 15_000 });
  return { page, app };
}

function appFrame(page: Page): Frame {
  const frame = page.frames().find((candidate) => candidate.url().startsWith(`${env.appOrigin}/app`));
  if (!frame) throw new Error('the TextBack iframe is not loaded');
  return frame;
}

describeInChromium('the embedded settings page', () => {
  it('when GET /app is asked for, then it is framable by the allowed parent only and its assets have proper types', async () => {
    const page = await env.h.http.get('/app');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-frame-options']).toBeUndefined();
    expect(page.headers['content-security-policy']).toContain(`frame-ancestors 'self' ${env.parentOrigin}`);
    expect(page.headers.etag).toMatch(/^"[0-9a-f]+"$/);
    const again = await env.h.http.get('/app').set('If-None-Match', page.headers.etag);
    expect(again.status).toBe(304);

    const script = /src="(\/app\/assets\/v-[0-9a-f]+\/main\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const js = await env.h.http.get(script!);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    const css = await env.h.http.get('/app/assets/styles.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await env.h.http.get('/app/assets/../package.json')).status).toBe(404);
  });

  it('when a template is edited and saved, then it is still there after a reload', async () => {
    const { page, app } = await openEmbedded();
    const editor = app.getByRole('textbox', { name: 'When you’re open' });
    const text = 'Hi {{first_name}}, Acme Plumbing here. Sorry we missed you! Reply here and we will call right back.';
    await editor.fill(text);
    await expect.poll(() => app.locator('.bubble').first().textContent()).toContain('Hi Jordan, Acme Plumbing here.');
    await app.getByRole('button', { name: 'Save changes' }).click();
    await app.getByRole('status').filter({ hasText: /^Saved at/ }).waitFor();

    await page.reload();
    const reloaded = page.frameLocator('#app').getByRole('textbox', { name: 'When you’re open' });
    await reloaded.waitFor({ timeout: 15_000 });
    expect(await reloaded.inputValue()).toBe(text);
    await page.close();
  });

  it('when Save is refused with field issues, then each shows next to its field and nothing is saved', async () => {
    const { page, app } = await openEmbedded();
    const monday = app.getByRole('group', { name: 'Monday' });
    await monday.getByLabel('Monday closes at').fill('08:00');
    await app.getByRole('button', { name: 'Save changes' }).click();
    await app.getByRole('status').filter({ hasText: /^Not saved/ }).waitFor();
    expect(await monday.locator('.field-error').textContent()).toBe('open must be before close');
    const stored = env.h.app.db.prepare('SELECT settings FROM locations WHERE location_id = ?').pluck().get(LOC_A) as string;
    expect(JSON.parse(stored).businessHours.days.mon).toEqual({ open: '09:00', close: '17:00' });
    await page.close();
  });

  it('when a session of location A asks for location B, then the API answers 403 in the page', async () => {
    const { page } = await openEmbedded();
    const statuses = await appFrame(page).evaluate(async ({ payload, own, other }) => {
      const session = await fetch('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payload }) });
      const { token } = (await session.json()) as { token: string };
      const read = (id: string) => fetch(`/api/locations/${id}/settings`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);
      return { session: session.status, own: await read(own), other: await read(other) };
    }, { payload: env.payloadFor(userInA), own: LOC_A, other: LOC_B });
    expect(statuses).toEqual({ session: 200, own: 200, other: 403 });
    await page.close();
  });

  it('when a curly quote is typed, then the counter switches to UCS-2 and "Replace look-alikes" brings it back', async () => {
    const { page, app } = await openEmbedded();
    const editor = app.getByRole('textbox', { name: 'When you’re closed' });
    const card = app.locator('.editor').filter({ has: editor });
    const meter = card.locator('.meter');

    await editor.fill("Hi {{first_name}}, it's {{business_name}}. We're closed, but we'll call you back first thing tomorrow.");
    await expect.poll(() => meter.textContent()).toMatch(/GSM-7.*1 text message/);

    await editor.fill('Hi {{first_name}}, it’s {{business_name}}. We’re closed, but we’ll call you back first thing tomorrow.');
    await expect.poll(() => meter.textContent()).toMatch(/UCS-2.*2 text messages/);
    expect(await card.locator('mark.offender').count()).toBe(3);

    await card.getByRole('button', { name: 'Replace look-alikes' }).click();
    await expect.poll(() => meter.textContent()).toMatch(/GSM-7.*1 text message/);
    expect(await editor.inputValue()).toContain("it's {{business_name}}. We're closed");
    await page.close();
  });

  it('when the session token has expired, then the page asks HighLevel again once and carries on', async () => {
    const { page, app } = await openEmbedded();
    expect(await page.evaluate(() => (globalThis as unknown as { userDataRequests: number }).userDataRequests)).toBe(1);
    env.h.clock.advance(2 * HOUR);
    await app.getByRole('tab', { name: 'Activity' }).click();
    await app.getByRole('heading', { name: 'Results' }).waitFor();
    await expect.poll(() => app.locator('.tile').count()).toBe(4);
    expect(await page.evaluate(() => (globalThis as unknown as { userDataRequests: number }).userDataRequests)).toBe(2);
    await page.close();
  });

  it('when the page is opened outside HighLevel (in sandbox mode), then it says where to open it under the sandbox banner', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${env.appOrigin}/app?sandbox=1`);
    await page.getByRole('heading', { name: 'Open TextBack inside HighLevel' }).waitFor({ timeout: 10_000 });
    expect(await page.getByText('Sandbox mode').isVisible()).toBe(true);
    await page.close();
  });
});
