// Vitest global setup: browser suites that skipped for want of Chromium leave a note; at the end of the run they are
// named again in a banner, with the command that installs Chromium, so a skip is never silent.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPlan, skippedBanner } from './chromium-plan.js';

export default function setup(): () => void {
  const notes = mkdtempSync(join(tmpdir(), 'textback-browser-skips-'));
  // Read by describeInChromium in the test workers, which inherit this environment.
  process.env.TEXTBACK_BROWSER_SKIPS = notes;
  return () => {
    const suites = readdirSync(notes).map((name) => readFileSync(join(notes, name), 'utf8')).sort();
    rmSync(notes, { recursive: true, force: true });
    const banner = suites.length ? skippedBanner(chromiumPlan(), suites) : null;
    if (banner) console.warn(`\n${banner}\n`);
  };
}
