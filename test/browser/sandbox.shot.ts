// Renders docs/screenshots/sandbox.png: the sandbox page after two missed calls, a reply, a follow-up and the CRM frame.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox/server.js';
import { launchChromium, type Browser } from './support/chromium.js';

const OUT = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
/** Tuesday 6 January 2026, 10:00 in New York. */
const TUESDAY_10AM_NY = Date.UTC(2026, 0, 6, 15, 0, 0);
const WAIT = { timeout: 15_000 };
let dataDir: string;
let server: SandboxServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'textback-sandbox-shot-'));
  server = await startSandboxServer({ port: 0, dataDir, clockStartAt: TUESDAY_10AM_NY });
  browser = await launchChromium({ width: 1440, height: 1000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('renders the sandbox page', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url);
  const thread = page.locator('#thread');

  await page.locator('#caller-number').fill('(212) 555-0142');
  await page.getByRole('button', { name: 'Voicemail' }).click();
  await thread.locator('.bubble-business').first().waitFor(WAIT);
  await page.locator('#reply-text').fill('Yes please, the kitchen sink is leaking');
  await page.getByRole('button', { name: 'Send' }).click();
  await thread.locator('.note', { hasText: 'Follow-up cancelled' }).waitFor(WAIT);

  await page.getByRole('button', { name: /Taylor/ }).click();
  await page.getByRole('button', { name: 'No answer' }).click();
  await thread.locator('.bubble-business').first().waitFor(WAIT);
  await page.getByRole('button', { name: '+3 h' }).click();
  await thread.locator('.note', { hasText: 'Follow-up sent' }).waitFor(WAIT);
  await page.locator('#reply-text').fill('Thanks! Can someone come by tomorrow morning?');
  await page.getByRole('button', { name: 'Send' }).click();
  await thread.locator('.bubble-caller').first().waitFor(WAIT);
  await thread.locator('.bubble-meta', { hasText: 'Delivered' }).nth(1).waitFor(WAIT);

  // Let the embedded page finish its handshake and first render.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(1_000);
  await page.evaluate('window.scrollTo(0, 0)');
  await thread.evaluate((list) => { list.scrollTop = 0; });
  await page.screenshot({ path: join(OUT, 'sandbox.png'), fullPage: true });
  await page.close();
});
