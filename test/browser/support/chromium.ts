// Launches Debian's Chromium through playwright-core with a fresh profile. Without Chromium the browser suites are
// skipped loudly (a titled skipped test, a warning now and a banner at the end), or fail where REQUIRE_CHROMIUM=1.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { describe, it } from 'vitest';
import { chromiumPlan, DEFAULT_CHROMIUM_PATH } from './chromium-plan.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;

/** False when this run has no Chromium to drive: the file's hooks then do nothing (see describeInChromium). */
export function chromiumReady(): boolean {
  return chromiumPlan().action === 'run';
}

/**
 * `describe` for a browser suite. Chromium missing: one skipped test whose title says what was skipped and how to
 * install Chromium, a console warning, and a note for the end-of-run banner (chromium-notice.ts); required: a failure.
 */
export function describeInChromium(title: string, body: () => void): void {
  const plan = chromiumPlan();
  if (plan.action === 'run') {
    describe(title, body);
    return;
  }
  if (plan.action === 'fail') {
    describe(title, () => { it(`${title}: ${plan.message}`, () => { throw new Error(plan.message); }); });
    return;
  }
  console.warn(`${title}: ${plan.message}`);
  const notes = process.env.TEXTBACK_BROWSER_SKIPS;
  if (notes && existsSync(notes)) writeFileSync(join(notes, `${process.pid}-${title.replace(/\W+/g, '-')}`), title);
  describe(title, () => { it.skip(`${title}: ${plan.message}`, () => {}); });
}

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(options: { width?: number; height?: number } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (the browser test needs it).`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'textback-chromium-'));
  // launchPersistentContext is how playwright takes a --user-data-dir of our choosing.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: { width: options.width ?? 1200, height: options.height ?? 900 },
    timeout: 30_000,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
