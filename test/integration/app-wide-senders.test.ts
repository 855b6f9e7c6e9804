// Senders of the app-wide Twilio account (TWILIO_ACCOUNT_SID): a location may send from one only when the operator
// assigned it (assign-sender) or HighLevel lists the number as the location's own; never because it saved it first.
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';
import { APP_ACCOUNT_SID, APP_AUTH_TOKEN, APP_TWILIO_ENV, FROM, MESSAGING_API, SERVICE_SID, TWILIO_API, interceptSends } from '../helpers/twilio.js';
import { runCli } from '../../src/cli/main.js';

const LOC = 'loc-acme';
const OTHER = 'loc-rival';
const CALLER = '+12125550147';
let h: Harness;
let out: string[];
let err: string[];

beforeEach(async () => {
  h = await createHarness({ env: APP_TWILIO_ENV });
  await h.seedLocation(LOC);
  await h.seedLocation(OTHER, { numbers: ['+15550000001'] });
  out = [];
  err = [];
});
afterEach(async () => { await h.close(); });

const cli = (...argv: string[]) => runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), loadConfig: () => h.config, clock: h.clock, fetch: globalThis.fetch });
const numberOfAppAccount = (times = 1) => nock(TWILIO_API).get(`/2010-04-01/Accounts/${APP_ACCOUNT_SID}/IncomingPhoneNumbers.json`)
  .query({ PhoneNumber: FROM, PageSize: '1' }).basicAuth({ user: APP_ACCOUNT_SID, pass: APP_AUTH_TOKEN }).times(times)
  .reply(200, { incoming_phone_numbers: [{ sid: `PN${'0'.repeat(32)}`, phone_number: FROM }], next_page_uri: null, page: 0, page_size: 1, uri: '/x' });
async function saveAppSender(locationId: string, sender: { fromNumber?: string; messagingServiceSid?: string }) {
  const token = await locationToken(h, locationId);
  return h.http.put(`/api/locations/${locationId}/provider`).set(bearer(token)).send({ provider: 'twilio', twilio: { account: 'app', ...sender } });
}
const savedSender = async (locationId: string) => await h.sql.get('SELECT from_number AS fromNumber, messaging_service_sid AS service FROM twilio_accounts WHERE location_id = ?', locationId);

describe('saving an app-wide sender', () => {
  it('when a location saves an app-wide number that is neither assigned to it nor listed by HighLevel as its own, then 422 with the reason and nothing is saved', async () => {
    const res = await saveAppSender(OTHER, { fromNumber: FROM });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('sender_not_assigned');
    expect(res.body.issues).toEqual([{ field: 'twilio.fromNumber', message: expect.stringMatching(/not assigned to this location.*assign-sender/) }]);
    expect(await savedSender(OTHER)).toBeUndefined();
  });

  it('when the operator assigns the number with assign-sender, then that location can save it and the first claimant elsewhere cannot', async () => {
    expect((await saveAppSender(OTHER, { fromNumber: FROM })).status).toBe(422);
    expect(await cli('assign-sender', LOC, '(212) 555-0100')).toBe(0);
    expect(out.join('\n')).toContain(`${FROM} is now assigned to ${LOC}`);
    numberOfAppAccount();
    const res = await saveAppSender(LOC, { fromNumber: FROM });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ twilio: { account: 'app', fromNumber: FROM }, warnings: [] });
    expect((await saveAppSender(OTHER, { fromNumber: FROM })).status).toBe(422);
    expect(await h.sql.get(`SELECT actor, action FROM audit_log WHERE action = 'app-sender.assign'`)).toEqual({ actor: 'cli', action: 'app-sender.assign' });
  });

  it('when HighLevel lists the number among one location\'s own, then that location may save it without an assignment, and one claiming it first may not', async () => {
    await h.seedLocation(OTHER, { numbers: [FROM] });
    numberOfAppAccount();
    expect((await saveAppSender(LOC, { fromNumber: FROM })).status).toBe(422);
    expect((await saveAppSender(OTHER, { fromNumber: FROM })).status).toBe(200);
    expect(await savedSender(OTHER)).toEqual({ fromNumber: FROM, service: null });
  });

  it('when the number HighLevel lists for one location is assigned by the operator to another, then only the assigned one may use it', async () => {
    await h.seedLocation(OTHER, { numbers: [FROM] });
    expect(await cli('assign-sender', LOC, FROM)).toBe(0);
    expect((await saveAppSender(OTHER, { fromNumber: FROM })).status).toBe(422);
  });

  it('when a Messaging Service of the app-wide account is saved, then only an assignment makes it usable', async () => {
    expect((await saveAppSender(LOC, { messagingServiceSid: SERVICE_SID })).status).toBe(422);
    expect(await cli('assign-sender', LOC, SERVICE_SID)).toBe(0);
    nock(MESSAGING_API).get(`/v1/Services/${SERVICE_SID}`).basicAuth({ user: APP_ACCOUNT_SID, pass: APP_AUTH_TOKEN }).reply(200, { sid: SERVICE_SID, account_sid: APP_ACCOUNT_SID });
    expect((await saveAppSender(LOC, { messagingServiceSid: SERVICE_SID })).status).toBe(200);
  });
});

describe('sending from an app-wide sender', () => {
  beforeEach(() => {
    h.highLevel().persist().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } });
  });

  it('when the operator unassigns the sender, then the location\'s texts stop going out from it and its page warns', async () => {
    const sends = interceptSends({ accountSid: APP_ACCOUNT_SID });
    expect(await cli('assign-sender', LOC, FROM)).toBe(0);
    numberOfAppAccount();
    expect((await saveAppSender(LOC, { fromNumber: FROM })).status).toBe(200);
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ From: FROM, To: CALLER });

    expect(await cli('unassign-sender', LOC, FROM)).toBe(0);
    h.highLevel().persist().get(`/locations/${LOC}`).reply(200, { location: { id: LOC, name: 'Acme Plumbing', timezone: 'America/New_York', phone: '+15550000000' } });
    h.highLevel().persist().get(`/phone-system/numbers/location/${LOC}`).reply(200, { numbers: [{ phoneNumber: '+15550000000' }] });
    await h.advance(25 * 3_600_000);
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    expect(sends).toHaveLength(1);
    expect(await h.sql.value('SELECT decision FROM calls ORDER BY id DESC LIMIT 1')).toMatch(/twilio-not-configured/);
    const token = await locationToken(h, LOC);
    const view = await h.http.get(`/api/locations/${LOC}/provider`).set(bearer(token));
    expect(view.body.warnings.map((w: { code: string }) => w.code)).toContain('app-sender-unassigned');
  });

  it('when a location had claimed an app-wide number before assignments existed, then it cannot send from it', async () => {
    const sends = interceptSends({ accountSid: APP_ACCOUNT_SID });
    const claimant = 'loc-claimant';
    await h.seedLocation(claimant, { numbers: ['+15550000002'], settings: { provider: 'twilio' } });
    // The row a save made before this rule: the app-wide account with a number nobody assigned to the location.
    await h.sql.run(`INSERT INTO twilio_accounts (location_id, use_app_account, from_number, verified_at, updated_at) VALUES (?, 1, ?, ?, ?)`, claimant, FROM, h.clock.now(), h.clock.now());
    h.highLevel().persist().get('/contacts/contact-2').reply(200, { contact: { id: 'contact-2', locationId: claimant, phone: CALLER, firstName: 'Dana' } });
    await h.webhook(missedCall({ locationId: claimant, contactId: 'contact-2', from: CALLER }));
    await h.runJobs();
    expect(sends).toHaveLength(0);
    expect(await h.sql.value('SELECT decision FROM calls WHERE location_id = ?', claimant)).toMatch(/twilio-not-configured/);
  });
});

describe('the assign-sender and unassign-sender commands', () => {
  it('when the sender is assigned to another location already, then assign-sender fails and says where', async () => {
    expect(await cli('assign-sender', LOC, FROM)).toBe(0);
    expect(await cli('assign-sender', OTHER, FROM)).toBe(1);
    expect(err.join('\n')).toContain(`assigned to ${LOC}`);
  });

  it('when the location is unknown or the sender is not a number or service, then it fails without assigning anything', async () => {
    expect(await cli('assign-sender', 'loc-nobody', FROM)).toBe(1);
    expect(await cli('assign-sender', LOC, 'not-a-number')).toBe(2);
    expect(await cli('unassign-sender', LOC, FROM)).toBe(1);
    expect(await h.sql.value('SELECT COUNT(*) FROM app_senders')).toBe(0);
  });
});
