// Whether the browser tests run, are skipped (loudly) or fail: Chromium present → run; missing → skipped, unless the
// environment requires it (REQUIRE_CHROMIUM=1, set by .ci/run), where a skipped browser test is an error.
import { existsSync } from 'node:fs';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';
export const INSTALL_CHROMIUM = 'apt-get install -y chromium';

export type ChromiumPlan =
  | { action: 'run'; path: string }
  | { action: 'skip' | 'fail'; path: string; message: string };

/** `CHROMIUM_PATH` points the tests at another binary (e.g. a bogus one, to see the skip). */
export function chromiumPlan(env: Record<string, string | undefined> = process.env, exists: (path: string) => boolean = existsSync): ChromiumPlan {
  const path = env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
  if (exists(path)) return { action: 'run', path };
  const required = env.REQUIRE_CHROMIUM === '1' || env.REQUIRE_CHROMIUM === 'true';
  return required
    ? { action: 'fail', path, message: `Chromium is required here (REQUIRE_CHROMIUM=${env.REQUIRE_CHROMIUM}) but missing at ${path}: install it with \`${INSTALL_CHROMIUM}\`` }
    : { action: 'skip', path, message: `SKIPPED: Chromium is missing at ${path}; install it with \`${INSTALL_CHROMIUM}\` to run this browser test` };
}

/** The banner printed at the end of a run that skipped browser tests. */
export function skippedBanner(plan: ChromiumPlan, suites: readonly string[]): string | null {
  if (plan.action !== 'skip') return null;
  const line = '!'.repeat(100);
  return [line, `!! BROWSER TESTS SKIPPED: Chromium is missing at ${plan.path}.`,
    ...suites.map((suite) => `!!   skipped: ${suite}`),
    `!! Install it and run again:  ${INSTALL_CHROMIUM}   (.ci/run installs it and treats a skip as a failure)`, line].join('\n');
}
