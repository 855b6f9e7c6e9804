// Sub-accounts an agency adds later ("future locations"): HighLevel's INSTALL may name no company. The app finds the
// agency through GET /oauth/installedLocations (never by minting with every agency's token), records it, and texts the
// location's callers with a token minted by that agency only. Also: events for a location no agency installed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeApp } from '../../src/compose.js';
import { HOUR, MINUTE } from '../../src/lib/clock.js';
import { createStandIn } from '../../src/sandbox/standin/index.js';
import { defaultSettings } from '../../src/workflow/settings.js';
import { createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';

const CALLER = '+12125550147';
let h: Harness;

beforeEach(async () => { h = await createHarness(); });
afterEach(async () => { await h.close(); });

/** An agency installs the app through the OAuth callback (Company token `<companyId>-access`). */
async function installAgency(companyId: string): Promise<void> {
  h.highLevel().post('/oauth/token').reply(200, {
    access_token: `${companyId}-access`, token_type: 'Bearer', expires_in: 86399, refresh_token: `${companyId}-refresh`,
    scope: 'oauth.readonly oauth.write', userType: 'Company', companyId, userId: 'agency-user', approvedLocations: [], isBulkInstallation: true,
  });
  expect((await h.http.get(`/oauth/callback?code=code-${companyId}`)).status).toBe(200);
  h.clock.advance(1_000); // agencies are asked newest install first
}

/** HighLevel's answer to GET /oauth/installedLocations for one agency, as long as the test runs. */
function listsLocations(companyId: string, locationIds: string[]) {
  h.highLevel().persist().get('/oauth/installedLocations')
    .query((q) => q.companyId === companyId && q.appId === 'app123')
    .matchHeader('authorization', `Bearer ${companyId}-access`).matchHeader('version', '2021-07-28')
    .reply(200, {
      locations: locationIds.map((id) => ({ _id: id, name: `Location ${id}`, address: '1 Main St', isInstalled: true })),
      count: locationIds.length, installToFutureLocations: true,
    });
}

/** What serving a missed call at `locationId` needs once its agency `companyId` minted `minted`. */
function servesWithMintedToken(locationId: string, companyId: string, minted: string, sends: { auth: string; message: string }[]) {
  h.highLevel().post('/oauth/locationToken', (body) => new URLSearchParams(body).get('locationId') === locationId && new URLSearchParams(body).get('companyId') === companyId)
    .matchHeader('authorization', `Bearer ${companyId}-access`).matchHeader('version', '2021-07-28')
    .reply(200, { access_token: minted, token_type: 'Bearer', expires_in: 86399, locationId, userId: 'agency-user', scope: 'conversations/message.write' });
  h.highLevel().get(`/locations/${locationId}`).matchHeader('authorization', `Bearer ${minted}`)
    .reply(200, { location: { id: locationId, name: 'Future Dental', timezone: 'America/New_York', phone: '+15550003333' } });
  h.highLevel().get(`/phone-system/numbers/location/${locationId}`).optionally()
    .reply(200, { numbers: [{ phoneNumber: '+15550003333', isDefaultNumber: true }] });
  h.highLevel().get('/contacts/contact-1').optionally().matchHeader('authorization', `Bearer ${minted}`)
    .reply(200, { contact: { id: 'contact-1', locationId, phone: CALLER, firstName: 'Dana', dnd: false } });
  h.highLevel().post('/conversations/messages').matchHeader('authorization', `Bearer ${minted}`)
    .reply(201, (_uri, body) => {
      sends.push({ auth: minted, message: String((body as { message: string }).message) });
      return { conversationId: 'conv-1', messageId: 'msg-1' };
    });
  h.acceptDeliveryChecks();
}

/** Method, path and the company or token each HighLevel request used, in order. */
function requestsMade(): string[] {
  return h.recorded.filter((r) => !/^\/conversations\/messages\/[^/]+$/.test(new URL(r.url).pathname) || r.method !== 'GET')
    .map((r) => {
      const url = new URL(r.url);
      const who = String(r.headers.authorization ?? '').replace('Bearer ', '');
      return `${r.method} ${url.pathname}${url.searchParams.get('companyId') ? `?companyId=${url.searchParams.get('companyId')}` : ''} [${who}]`;
    });
}

const companyOf = async (locationId: string) => await h.sql.value('SELECT company_id FROM locations WHERE location_id = ?', locationId);
const unclaimed = async () => await h.sql.column('SELECT location_id FROM unclaimed_locations');

describe('an INSTALL without companyId and userId (a sub-account added under an agency install)', () => {
  it('when it arrives, then the agency listing the location is recorded and its callers are texted with a token that agency minted', async () => {
    await installAgency('agency-b');
    await installAgency('agency-a');
    listsLocations('agency-a', ['loc-elsewhere']);
    listsLocations('agency-b', ['loc-other', 'loc-future']);

    const res = await h.webhook({ type: 'INSTALL', appId: 'app123', locationId: 'loc-future', planId: 'plan-x' });
    expect(res.status).toBe(200);
    await h.runJobs();
    expect(await companyOf('loc-future')).toBe('agency-b');

    const sends: { auth: string; message: string }[] = [];
    servesWithMintedToken('loc-future', 'agency-b', 'minted-future', sends);
    await h.webhook(missedCall({ locationId: 'loc-future', contactId: 'contact-1', from: CALLER }));
    await h.runJobs();

    expect(sends).toHaveLength(1);
    expect(sends[0].message).toContain('Future Dental');
    const made = requestsMade().filter((line) => !line.startsWith('POST /oauth/token ')); // the agencies' installs
    expect(made.filter((line) => line.includes(' /oauth/'))).toEqual([
      'GET /oauth/installedLocations?companyId=agency-a [agency-a-access]',
      'GET /oauth/installedLocations?companyId=agency-b [agency-b-access]',
      'POST /oauth/locationToken [agency-b-access]',
    ]);
    const served = made.filter((line) => !line.includes(' /oauth/'));
    expect(served).toEqual(expect.arrayContaining(['GET /locations/loc-future [minted-future]', 'POST /conversations/messages [minted-future]']));
    expect(served.filter((line) => !line.endsWith('[minted-future]'))).toEqual([]);
    expect(made.indexOf('POST /oauth/locationToken [agency-b-access]')).toBeLessThan(made.indexOf('GET /locations/loc-future [minted-future]'));
    const token = await h.sql.get(`SELECT owner_type, company_id, refresh_token FROM tokens WHERE owner_id = 'loc-future'`);
    expect(token).toEqual({ owner_type: 'Location', company_id: 'agency-b', refresh_token: null });
  });

  it('when the location was remembered as listed by no agency, then its INSTALL clears that and the agency is looked up again', async () => {
    await installAgency('agency-a');
    let listed: string[] = [];
    h.highLevel().persist().get('/oauth/installedLocations').query(true)
      .reply(200, () => ({ locations: listed.map((id) => ({ _id: id, name: id, address: '', isInstalled: true })), count: listed.length }));

    await h.webhook(missedCall({ locationId: 'loc-late', contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    expect(await unclaimed()).toEqual(['loc-late']);

    listed = ['loc-late'];
    await h.webhook({ type: 'INSTALL', appId: 'app123', locationId: 'loc-late' });
    await h.runJobs();
    expect(await unclaimed()).toEqual([]);
    expect(await companyOf('loc-late')).toBe('agency-a');
    expect(h.recorded.filter((r) => r.path.startsWith('/oauth/installedLocations'))).toHaveLength(2);
  });
});

describe('a location left installed with no company and no token (by the app before this change)', () => {
  it('when the next missed call needs its token, then its agency is found and recorded, and the caller is texted', async () => {
    await installAgency('agency-b');
    await installAgency('agency-a');
    await h.app.storage.locations.install({ locationId: 'loc-stuck', companyId: null, settings: defaultSettings() }, h.clock.now());
    listsLocations('agency-a', []);
    listsLocations('agency-b', ['loc-stuck']);
    const sends: { auth: string; message: string }[] = [];
    servesWithMintedToken('loc-stuck', 'agency-b', 'minted-stuck', sends);

    await h.webhook(missedCall({ locationId: 'loc-stuck', contactId: 'contact-1', from: CALLER }));
    await h.runJobs();

    expect(sends.map((s) => s.auth)).toEqual(['minted-stuck']);
    expect(await companyOf('loc-stuck')).toBe('agency-b');
    expect(await h.sql.value(`SELECT company_id FROM tokens WHERE owner_id = 'loc-stuck'`)).toBe('agency-b');
    expect(requestsMade().filter((line) => line.includes('/oauth/locationToken'))).toEqual(['POST /oauth/locationToken [agency-b-access]']);
  });
});

describe('a transient failure while looking for the agency', () => {
  it('when HighLevel answers 429 or 5xx, then "no agency has it" is not remembered and the retry asks again', async () => {
    await installAgency('agency-a');
    h.highLevel().get('/oauth/installedLocations').query(true)
      .reply(429, { statusCode: 429, message: 'Too many requests' }, { 'x-ratelimit-daily-remaining': '0' });
    h.highLevel().get('/oauth/installedLocations').query(true).times(5).reply(503, { statusCode: 503, message: 'Service Unavailable' });
    h.highLevel().get('/oauth/installedLocations').query(true).reply(200, { locations: [], count: 0 });

    const lookups = () => h.recorded.filter((r) => r.path.startsWith('/oauth/installedLocations')).length;
    await h.webhook(missedCall({ locationId: 'loc-nobody', contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    expect({ lookups: lookups(), unclaimed: await unclaimed() }).toEqual({ lookups: 1, unclaimed: [] });
    await h.advance(MINUTE); // the job's retry: 503, and again on each of the API client's own retries
    expect({ lookups: lookups(), unclaimed: await unclaimed() }).toEqual({ lookups: 6, unclaimed: [] });
    await h.advance(MINUTE); // the next retry gets a definite answer, which is remembered
    expect({ lookups: lookups(), unclaimed: await unclaimed() }).toEqual({ lookups: 7, unclaimed: ['loc-nobody'] });
  });
});

describe('forwarded events for a location no agency installed (issue 15.1)', () => {
  it('when the same unknown location sends events again and again, then each agency is asked once per hour at most and nothing is minted', async () => {
    for (const companyId of ['agency-a', 'agency-b', 'agency-c']) await installAgency(companyId);
    for (const companyId of ['agency-a', 'agency-b', 'agency-c']) listsLocations(companyId, [`${companyId}-own-location`]);
    const lookups = () => h.recorded.filter((r) => r.path.startsWith('/oauth/installedLocations')).length;
    const mints = () => h.recorded.filter((r) => r.path.startsWith('/oauth/locationToken')).length;
    const burst = async (n: number) => {
      for (let i = 0; i < n; i++) {
        expect((await h.webhook(missedCall({ locationId: 'loc-stranger', contactId: `c-${i}`, from: CALLER }))).status).toBe(200);
        expect((await h.webhook(inboundSms({ locationId: 'loc-stranger', contactId: `c-${i}`, from: CALLER, body: 'hello?' }))).status).toBe(200);
      }
      await h.runJobs();
    };

    await burst(10);
    expect({ lookups: lookups(), mints: mints() }).toEqual({ lookups: 3, mints: 0 });
    h.clock.advance(30 * MINUTE); // the agencies' cached lists are stale by now; the database still remembers
    await burst(10);
    expect({ lookups: lookups(), mints: mints() }).toEqual({ lookups: 3, mints: 0 });

    // Another instance on the same database (empty caches) agrees without asking anyone.
    const other = composeApp({ config: h.config, clock: h.clock, logger: h.app.logger });
    try {
      for (let i = 0; i < 5; i++) await h.webhook(missedCall({ locationId: 'loc-stranger', contactId: `d-${i}`, from: CALLER }));
      await other.worker.runDue();
    } finally {
      await other.stop();
    }
    expect({ lookups: lookups(), mints: mints() }).toEqual({ lookups: 3, mints: 0 });

    h.clock.advance(HOUR);
    await burst(10);
    expect({ lookups: lookups(), mints: mints() }).toEqual({ lookups: 6, mints: 0 });
    expect(await h.sql.value(`SELECT COUNT(*) FROM locations WHERE location_id = 'loc-stranger'`)).toBe(0);
  });
});

describe('against the stand-in HighLevel', () => {
  it('when the stand-in agency adds a sub-account under its "future locations" install, then the app finds the agency and texts back its missed caller', async () => {
    await h.close();
    const clock = { now: () => h.clock.now() };
    const standIn = createStandIn({ clock, clientId: 'app123-client', clientSecret: 'client-secret-value', rateLimit: false });
    const server = await standIn.listen(0);
    try {
      h = await createHarness({ env: { HIGHLEVEL_API_URL: server.url } });
      const { id: companyId } = standIn.createCompany({ name: 'Agency' });
      for (let i = 0; i < 3; i++) standIn.createLocation({ companyId, name: `Existing ${i}`, timezone: 'America/New_York', numbers: [`+1555060000${i}`] });
      const code = standIn.issueAuthCode({ userType: 'Company', companyId, installToFutureLocations: true });
      expect((await h.http.get(`/oauth/callback?code=${code}`)).status).toBe(200);

      const { location, event } = standIn.addFutureLocation({ companyId, name: 'Future Dental', timezone: 'America/New_York', numbers: ['+15550700007'] });
      expect((await h.webhook(event!)).status).toBe(200);
      await h.runJobs();
      expect(await companyOf(location.id)).toBe(companyId);

      const call = standIn.placeCall({ locationId: location.id, from: CALLER, status: 'no-answer' });
      expect((await h.webhook(call.event)).status).toBe(200);
      await h.runJobs();
      const sent = standIn.sentMessages({ locationId: location.id });
      expect(sent).toHaveLength(1);
      expect(sent[0].message).toContain('Future Dental');
    } finally {
      await server.close();
    }
  });
});
