// Every marketplace app's webhooks carry the same HighLevel signature: INSTALL, UNINSTALL and PLAN_CHANGE naming another
// app (or none) are answered 200 and change nothing. HighLevel's own samples are replayed unchanged inside an envelope.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

/** The samples' appId is "ve9EPM428h8vShlRW1KT": this client id makes them this app's own. */
const SAMPLES_APP_CLIENT_ID = 've9EPM428h8vShlRW1KT-textback';
const SAMPLE_LOCATION = 'otg8dTQqGLh3Q6iQI55w';

const sample = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/highlevel/payloads', name), 'utf8')) as Record<string, unknown>;

let h: Harness;
afterEach(async () => { await h.close(); });

const storedEvents = async () => await h.sql.value(`SELECT COUNT(*) FROM jobs WHERE kind = 'highlevel-event'`);
const locationRow = async (id: string) => await h.sql.get('SELECT status, plan_id AS planId FROM locations WHERE location_id = ?', id);
const tokenOf = async (id: string) => await h.sql.value('SELECT owner_id FROM tokens WHERE owner_id = ?', id);

describe('lifecycle events of another marketplace app', () => {
  it("when another app's UNINSTALL (HighLevel's sample) names an installed location, then it is answered 200 ignored and the location keeps its tokens", async () => {
    h = await createHarness(); // this app is app123; the sample belongs to ve9EPM428h8vShlRW1KT
    await h.seedLocation(SAMPLE_LOCATION, { companyId: 'otg8dTQqGLh3Q6iQI55w' });
    const res = await h.webhook(sample('uninstall-location.json'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ignored' });
    await h.runJobs();
    expect(await storedEvents()).toBe(0);
    expect(await locationRow(SAMPLE_LOCATION)).toMatchObject({ status: 'installed' });
    expect(await tokenOf(SAMPLE_LOCATION)).toBe(SAMPLE_LOCATION);
  });

  it('when UNINSTALL, INSTALL or PLAN_CHANGE carries no appId at all, then each is answered 200 ignored and nothing changes', async () => {
    h = await createHarness();
    await h.seedLocation('loc-acme');
    const events = [
      { type: 'UNINSTALL', locationId: 'loc-acme', companyId: 'company-1' },
      { type: 'UNINSTALL', companyId: 'company-1' },
      { type: 'PLAN_CHANGE', locationId: 'loc-acme', companyId: 'company-1', newPlanId: 'plan-other' },
      { type: 'INSTALL', locationId: 'loc-new', companyId: 'company-1' },
    ];
    for (const event of events) {
      const res = await h.webhook(event);
      expect([res.status, res.body], event.type).toEqual([200, { status: 'ignored' }]);
    }
    await h.runJobs();
    expect(await storedEvents()).toBe(0);
    expect(await locationRow('loc-acme')).toEqual({ status: 'installed', planId: null });
    expect(await tokenOf('loc-acme')).toBe('loc-acme');
    expect(await locationRow('loc-new')).toBeUndefined();
  });

  it("when another app's INSTALL (HighLevel's location and agency samples) and PLAN_CHANGE arrive, then no location, plan or white-label domain is recorded", async () => {
    h = await createHarness();
    await h.seedLocation('loc-acme');
    for (const event of [sample('install-location.json'), sample('install-agency.json'),
      { type: 'PLAN_CHANGE', appId: 'some-other-app', locationId: 'loc-acme', companyId: 'company-1', newPlanId: 'plan-other' }]) {
      expect((await h.webhook(event)).body).toEqual({ status: 'ignored' });
    }
    await h.runJobs();
    expect(await storedEvents()).toBe(0);
    expect(await locationRow(SAMPLE_LOCATION)).toBeUndefined();
    expect(await locationRow('loc-acme')).toMatchObject({ planId: null });
    const page = await h.http.get('/app').set('referer', 'https://example.com/').set('sec-fetch-dest', 'iframe').set('sec-fetch-site', 'cross-site');
    expect(page.headers['content-security-policy']).not.toContain('https://example.com');
  });
});

describe("this app's own lifecycle events", () => {
  it("when another app's UNINSTALL precedes HighLevel's samples carrying this app's appId, then only this app's INSTALL and UNINSTALL act", async () => {
    h = await createHarness({ env: { HIGHLEVEL_CLIENT_ID: SAMPLES_APP_CLIENT_ID } });
    for (const name of ['install-location.json', 'install-agency.json']) {
      expect((await h.webhook(sample(name))).body, name).toEqual({ status: 'stored' });
    }
    await h.runJobs();
    expect(await locationRow(SAMPLE_LOCATION)).toEqual({ status: 'installed', planId: '66a0419a0dffa47fb5f8b22f' });

    await h.seedLocation(SAMPLE_LOCATION, { companyId: 'otg8dTQqGLh3Q6iQI55w' });
    expect((await h.webhook({ ...sample('uninstall-location.json'), appId: 'another-marketplace-app' })).body).toEqual({ status: 'ignored' });
    await h.runJobs();
    expect(await tokenOf(SAMPLE_LOCATION)).toBe(SAMPLE_LOCATION);

    expect((await h.webhook(sample('uninstall-location.json'))).body).toEqual({ status: 'stored' });
    await h.runJobs();
    expect(await locationRow(SAMPLE_LOCATION)).toMatchObject({ status: 'uninstalled' });
    expect(await tokenOf(SAMPLE_LOCATION)).toBeUndefined();
  });
});
