// The browser tests' Chromium rule: run when Chromium is there; otherwise skip loudly, or fail where it is required.
import { describe, expect, it } from 'vitest';
import { chromiumPlan, skippedBanner } from '../browser/support/chromium-plan.js';

const present = () => true;
const missing = () => false;

describe('chromiumPlan', () => {
  it('when /usr/bin/chromium exists, then the browser tests run', () => {
    expect(chromiumPlan({}, (path) => path === '/usr/bin/chromium')).toEqual({ action: 'run', path: '/usr/bin/chromium' });
  });

  it('when Chromium is missing on a developer machine, then they are skipped with a message naming the path and the install command', () => {
    const plan = chromiumPlan({ CHROMIUM_PATH: '/nowhere/chromium' }, missing);
    expect(plan).toMatchObject({ action: 'skip', path: '/nowhere/chromium' });
    expect(plan.action !== 'run' && plan.message).toMatch(/SKIPPED.*\/nowhere\/chromium.*apt-get install -y chromium/);
  });

  it('when Chromium is missing and REQUIRE_CHROMIUM=1 (as .ci/run sets), then the browser tests fail instead of skipping', () => {
    const plan = chromiumPlan({ REQUIRE_CHROMIUM: '1' }, missing);
    expect(plan).toMatchObject({ action: 'fail', path: '/usr/bin/chromium' });
    expect(plan.action !== 'run' && plan.message).toMatch(/required.*apt-get install -y chromium/);
    expect(chromiumPlan({ REQUIRE_CHROMIUM: '1' }, present).action).toBe('run');
  });

  it('when suites were skipped, then the end-of-run banner names each and how to install Chromium; otherwise there is none', () => {
    const banner = skippedBanner(chromiumPlan({}, missing), ['the sandbox page', 'the embedded settings page']);
    expect(banner).toContain('BROWSER TESTS SKIPPED');
    expect(banner).toContain('skipped: the sandbox page');
    expect(banner).toContain('skipped: the embedded settings page');
    expect(banner).toContain('apt-get install -y chromium');
    expect(skippedBanner(chromiumPlan({}, present), ['the sandbox page'])).toBeNull();
  });
});
