// The sandbox page in a real browser (Debian's chromium through playwright-core): a newcomer's first ten minutes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decryptUserContext } from '../../src/highlevel/sso.js';
import { DEMO } from '../../src/sandbox/demo-world.js';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox/server.js';
import { chromiumReady, describeInChromium, launchChromium, type Browser } from './support/chromium.js';

/** Tuesday 6 January 2026, 11:00 in New York: the follow-up three hours later is inside every send window. */
const TUESDAY_11AM_NY = Date.UTC(2026, 0, 6, 16, 0, 0);
const WAIT = { timeout: 10_000 };

let dataDir: string;
let server: SandboxServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!chromiumReady()) return; // skipped or failed by describeInChromium, loudly
  browser = await launchChromium({ width: 1440, height: 1000 });
  dataDir = mkdtempSync(join(tmpdir(), 'textback-sandbox-browser-'));
  server = await startSandboxServer({ port: 0, dataDir, clockStartAt: TUESDAY_11AM_NY });
  page = await browser.context.newPage();
  await page.goto(server.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const thread = () => page.locator('#thread');
const textsReceived = () => thread().locator('.bubble-business');
const note = (text: string) => thread().locator('.note', { hasText: text });

describeInChromium('the sandbox page', () => {
  it('when it opens, then the banner says sandbox and the demo sub-account is already installed', async () => {
    await expect(page.locator('.banner').innerText()).resolves.toMatch(/Sandbox mode/);
    await page.locator('#install-status[data-state="installed"]').waitFor(WAIT);
    expect(await page.locator('#install-text').innerText()).toBe('Acme Plumbing is installed');
    expect(await page.locator('#crm-frame').getAttribute('src')).toBe('/app');
  });

  it('when a call is missed and the caller replies, then the text-back arrives and the follow-up is cancelled', async () => {
    await page.locator('#caller-number').fill('(212) 555-0142');
    await page.getByRole('button', { name: 'Voicemail' }).click();
    await textsReceived().filter({ hasText: 'Sorry we missed your call' }).waitFor(WAIT);
    await note('Follow-up due').waitFor(WAIT);

    await page.locator('#reply-text').fill('Yes please, the sink is leaking');
    await page.getByRole('button', { name: 'Send' }).click();
    await thread().locator('.bubble-caller', { hasText: 'the sink is leaking' }).waitFor(WAIT);
    await note('Follow-up cancelled: the caller replied').waitFor(WAIT);
    expect(await textsReceived().count()).toBe(1);
  });

  it('when another caller is missed and three hours pass, then the follow-up arrives; after STOP a further call gets nothing', async () => {
    await page.locator('#caller-number').fill('(646) 555-0123');
    await page.getByRole('button', { name: 'No answer' }).click();
    await textsReceived().filter({ hasText: 'Sorry we missed your call' }).waitFor(WAIT);

    await page.getByRole('button', { name: '+3 h' }).click();
    await textsReceived().filter({ hasText: 'following up on your missed call' }).waitFor(WAIT);
    await note('Follow-up sent').waitFor(WAIT);
    expect(await page.locator('#clock-ahead').innerText()).toBe('3 h fast-forwarded');

    await page.getByRole('button', { name: 'STOP', exact: true }).click();
    await note('Opt-out').waitFor(WAIT);
    await page.getByRole('button', { name: 'Busy' }).click();
    await note('Not texted: this number opted out (STOP)').waitFor(WAIT);
    expect(await textsReceived().count()).toBe(2);
    expect(await page.locator('.chip-badge-stop').innerText()).toBe('opted out');
  });

  it('when the embedded page asks its parent for the user, then it gets the encrypted context of the demo sub-account', async () => {
    const frame = page.frame({ url: /\/app$/ });
    expect(frame).not.toBeNull();
    // Runs inside the frame; typed by hand because the test's TypeScript has no DOM library.
    const reply = await frame!.evaluate(() => new Promise<{ message: string; payload: string }>((resolve) => {
      type Reply = { message: string; payload: string };
      const win = globalThis as unknown as {
        addEventListener(type: 'message', listener: (event: { data?: Reply }) => void): void;
        parent: { postMessage(message: unknown, targetOrigin: string): void };
      };
      win.addEventListener('message', (event) => {
        if (event.data?.message === 'REQUEST_USER_DATA_RESPONSE') resolve(event.data);
      });
      win.parent.postMessage({ message: 'REQUEST_USER_DATA' }, '*');
    }));

    expect(reply.message).toBe('REQUEST_USER_DATA_RESPONSE');
    expect(decryptUserContext(reply.payload, 'sandbox-shared-secret')).toMatchObject({
      activeLocation: DEMO.locationId, companyId: DEMO.companyId, role: 'admin',
    });
  });

  it('when the Twilio sub-account is picked and a call is missed, then its HighLevel conversation shows the text-back delivered and sends what the team types', async () => {
    await page.getByRole('button', { name: /Bright Smile Dental/ }).click();
    await page.locator('#business-name', { hasText: 'Bright Smile Dental' }).waitFor(WAIT);
    await page.locator('#caller-number').fill('(212) 555-0163');
    await page.getByRole('button', { name: 'Voicemail' }).click();
    await textsReceived().filter({ hasText: 'Sorry we missed your call' }).waitFor(WAIT);
    const conversation = page.locator('#conversation-log');
    await conversation.locator('.crm-outbound', { hasText: 'Sorry we missed your call' }).filter({ hasText: 'Delivered' }).waitFor(WAIT);

    await page.locator('#staff-text').fill('We have a slot at 3 PM today');
    await page.getByRole('button', { name: 'Send as team' }).click();
    await textsReceived().filter({ hasText: 'We have a slot at 3 PM today' }).waitFor(WAIT);
    await conversation.locator('.crm-outbound', { hasText: 'We have a slot at 3 PM today' }).filter({ hasText: 'Team' }).waitFor(WAIT);
    expect(await textsReceived().count()).toBe(2);
  });
});
