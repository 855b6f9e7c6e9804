// GET/PUT /api/locations/:id/provider: Twilio credentials checked with Twilio on save, sealed at rest, never returned.
import { existsSync, readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';
import {
  ACCOUNT_SID, APP_ACCOUNT_SID, APP_AUTH_TOKEN, APP_TWILIO_ENV, AUTH_TOKEN, FROM, MESSAGING_API, SERVICE_SID, TWILIO_API, twilioError,
} from '../helpers/twilio.js';

const LOC = 'loc-acme';
const OTHER = 'loc-other';
const PATH = `/api/locations/${LOC}/provider`;
const API_KEY_SID = 'SK0123456789abcdef0123456789abcdef';
const API_KEY_SECRET = 'k3y-s3cr3t-that-must-never-leak-0042';
let h: Harness;
let token: string;

async function setup(env: Record<string, string> = {}) {
  h = await createHarness({ env });
  await h.seedLocation(LOC);
  await h.seedLocation(OTHER, { numbers: ['+15550000001'] });
  token = await locationToken(h, LOC);
}
afterEach(async () => { await h.close(); });

const numbersPath = (accountSid = ACCOUNT_SID) => `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json`;
const numberList = (numbers: string[]) => ({
  incoming_phone_numbers: numbers.map((n, i) => ({ sid: `PN${String(i).padStart(32, '0')}`, phone_number: n })),
  next_page_uri: null, page: 0, page_size: 1, uri: '/x',
});
const fromNumberKnown = (user = ACCOUNT_SID, pass = AUTH_TOKEN, accountSid = ACCOUNT_SID) => nock(TWILIO_API)
  .get(numbersPath(accountSid)).query({ PhoneNumber: FROM, PageSize: '1' }).basicAuth({ user, pass }).reply(200, numberList([FROM]));
const put = (body: unknown, auth = token) => h.http.put(PATH).set(bearer(auth)).send(body as object);
const ownAccount = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, fromNumber: FROM };
const settingsOf = async (locationId: string) => JSON.parse(await h.sql.value('SELECT settings FROM locations WHERE location_id = ?', locationId) as string);

describe('provider API', () => {
  beforeEach(() => setup());

  it('when nothing was chosen, then GET shows HighLevel, no Twilio account, and the webhook URLs to configure', async () => {
    const res = await h.http.get(PATH).set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      provider: 'highlevel', landlineCheck: false, twilio: null, appAccountAvailable: false,
      webhooks: { statusCallbackUrl: 'https://textback.test/webhooks/twilio/status', inboundUrl: 'https://textback.test/webhooks/twilio/inbound' },
    });
  });

  it('when there is no session or it is another location\'s, then 401 / 403', async () => {
    expect((await h.http.get(PATH)).status).toBe(401);
    const other = await locationToken(h, OTHER);
    expect((await h.http.get(PATH).set(bearer(other))).status).toBe(403);
    expect((await put({ provider: 'twilio', twilio: ownAccount }, other)).status).toBe(403);
  });

  it('when valid credentials and a number of the account are saved, then Twilio is chosen and only "set" and last 4 come back', async () => {
    const check = fromNumberKnown();
    const res = await put({ provider: 'twilio', landlineCheck: true, twilio: ownAccount });
    expect(res.status).toBe(200);
    expect(check.isDone()).toBe(true);
    expect(res.body).toMatchObject({
      provider: 'twilio', landlineCheck: true,
      twilio: { account: 'own', accountSid: { set: true, last4: 'cdef' }, authToken: { set: true }, apiKey: { set: false }, fromNumber: FROM, messagingServiceSid: null },
      warnings: [],
    });
    const text = JSON.stringify(res.body) + JSON.stringify((await h.http.get(PATH).set(bearer(token))).body);
    expect(text).not.toContain(AUTH_TOKEN);
    expect(text).not.toContain(ACCOUNT_SID);
    expect(await settingsOf(LOC)).toMatchObject({ provider: 'twilio', landlineCheck: true });
    const audit = await h.sql.get(`SELECT actor, detail FROM audit_log WHERE action = 'provider.update'`) as { actor: string; detail: string };
    expect(audit.actor).toBe('user-1');
    expect(audit.detail).not.toContain(AUTH_TOKEN);
  });

  it('when credentials are saved, then neither the SQLite file nor its WAL holds the auth token or API key secret in clear', async () => {
    fromNumberKnown();
    expect((await put({ provider: 'twilio', twilio: ownAccount })).status).toBe(200);
    nock(TWILIO_API).get(numbersPath()).query(true).basicAuth({ user: API_KEY_SID, pass: API_KEY_SECRET }).reply(200, numberList(['+12125550101']));
    const other = await locationToken(h, OTHER);
    const keyed = { accountSid: ACCOUNT_SID, apiKeySid: API_KEY_SID, apiKeySecret: API_KEY_SECRET, fromNumber: '+12125550101' };
    const keyedRes = await h.http.put(`/api/locations/${OTHER}/provider`).set(bearer(other)).send({ provider: 'twilio', twilio: keyed });
    expect(keyedRes.status).toBe(200);
    expect(keyedRes.body.twilio).toMatchObject({ apiKey: { set: true, sidLast4: 'cdef', secretSet: true }, authToken: { set: false } });
    expect(keyedRes.body.warnings.map((w: { code: string }) => w.code)).toEqual(['twilio-webhooks-unverifiable']);

    // SQLite: the database file and its WAL; PostgreSQL: every row of the table the account lives in.
    const files = [h.config.databasePath, `${h.config.databasePath}-wal`].filter(existsSync).map((file) => readFileSync(file));
    const stored = h.engine === 'sqlite' ? Buffer.concat(files) : Buffer.from(JSON.stringify(await h.sql.all('SELECT * FROM twilio_accounts')));
    expect(stored.includes(Buffer.from(FROM))).toBe(true); // the files read are the ones written
    for (const secret of [AUTH_TOKEN, API_KEY_SECRET, ACCOUNT_SID]) expect(stored.includes(Buffer.from(secret))).toBe(false);
  });

  it('when Twilio rejects the credentials, then 422 says so on the auth token field and nothing is saved', async () => {
    nock(TWILIO_API).get(numbersPath()).query(true).reply(401, twilioError(401, 20003, 'Authenticate'));
    const res = await put({ provider: 'twilio', twilio: { ...ownAccount, authToken: 'wrong-token-0000000000000000000000' } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'twilio_rejected', issues: [{ field: 'twilio.authToken', message: expect.stringMatching(/Twilio rejected these credentials/) }] });
    expect((await h.http.get(PATH).set(bearer(token))).body).toMatchObject({ provider: 'highlevel', twilio: null });
  });

  it('when the Messaging Service is not in the account, then 422 on that field', async () => {
    nock(MESSAGING_API).get(`/v1/Services/${SERVICE_SID}`).reply(404, twilioError(404, 20404, 'not found'));
    const res = await put({ provider: 'twilio', twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: SERVICE_SID } });
    expect(res.status).toBe(422);
    expect(res.body.issues[0].field).toBe('twilio.messagingServiceSid');
  });

  it('when the from-number is not a number of the account, then 422 on that field', async () => {
    nock(TWILIO_API).get(numbersPath()).query(true).reply(200, numberList([]));
    const res = await put({ provider: 'twilio', twilio: ownAccount });
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([{ field: 'twilio.fromNumber', message: expect.stringMatching(/not a phone number of this Twilio account/) }]);
  });

  it('when the body is malformed, then 422 names each bad field before Twilio is asked anything', async () => {
    const res = await put({ provider: 'twilio', twilio: { accountSid: 'AC123', authToken: AUTH_TOKEN, fromNumber: 'call me', messagingServiceSid: SERVICE_SID } });
    expect(res.status).toBe(422);
    expect(res.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['twilio.accountSid', 'twilio.fromNumber', 'twilio.fromNumber']);
  });

  it('when Twilio is chosen with no account saved or given, then 422', async () => {
    const res = await put({ provider: 'twilio' });
    expect(res.status).toBe(422);
    expect(res.body.issues[0].field).toBe('twilio');
  });

  it('when only the sender changes, then the saved credentials are kept and checked again', async () => {
    fromNumberKnown();
    await put({ provider: 'twilio', twilio: ownAccount });
    const check = nock(MESSAGING_API).get(`/v1/Services/${SERVICE_SID}`).basicAuth({ user: ACCOUNT_SID, pass: AUTH_TOKEN }).reply(200, { sid: SERVICE_SID, account_sid: ACCOUNT_SID });
    const res = await put({ provider: 'twilio', twilio: { messagingServiceSid: SERVICE_SID } });
    expect(res.status).toBe(200);
    expect(check.isDone()).toBe(true);
    expect(res.body.twilio).toMatchObject({ accountSid: { last4: 'cdef' }, authToken: { set: true }, messagingServiceSid: SERVICE_SID, fromNumber: null });
  });

  it('when another location already sends from that number, then 422 (replies could not be told apart)', async () => {
    fromNumberKnown();
    await put({ provider: 'twilio', twilio: ownAccount });
    const other = await locationToken(h, OTHER);
    const res = await h.http.put(`/api/locations/${OTHER}/provider`).set(bearer(other)).send({ provider: 'twilio', twilio: ownAccount });
    expect(res.status).toBe(422);
    expect(res.body.issues[0].field).toBe('twilio.fromNumber');
  });

  it('when the app is uninstalled from the location, then its Twilio secrets are deleted with its tokens', async () => {
    fromNumberKnown();
    await put({ provider: 'twilio', twilio: ownAccount });
    expect((await h.webhook({ type: 'UNINSTALL', appId: 'app123', locationId: LOC, companyId: 'company-1' })).status).toBe(200);
    await h.runJobs();
    expect(await h.sql.value('SELECT COUNT(*) FROM twilio_accounts WHERE location_id = ?', LOC)).toBe(0);
  });

  it('when Twilio cannot be reached, then 502 and nothing is saved', async () => {
    nock(TWILIO_API).get(numbersPath()).query(true).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const res = await put({ provider: 'twilio', twilio: ownAccount });
    expect(res.status).toBe(502);
    expect(res.body.error).toBe('twilio_unavailable');
    expect((await h.http.get(PATH).set(bearer(token))).body.twilio).toBeNull();
  });

  it('when the app-wide account is asked for but the server has none, then 422', async () => {
    const res = await put({ provider: 'twilio', twilio: { account: 'app', fromNumber: FROM } });
    expect(res.status).toBe(422);
    expect(res.body.issues[0].field).toBe('twilio.account');
  });

  it('when switching back to HighLevel, then the Twilio account is kept for later but texts go through HighLevel', async () => {
    fromNumberKnown();
    await put({ provider: 'twilio', twilio: ownAccount });
    const res = await put({ provider: 'highlevel' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ provider: 'highlevel', twilio: { fromNumber: FROM } });
    expect((await settingsOf(LOC)).provider).toBe('highlevel');
  });
});

describe('provider API with an app-wide Twilio account', () => {
  beforeEach(() => setup(APP_TWILIO_ENV));

  it('when the location chooses the app-wide account, then it is checked with the app\'s credentials and shown as such', async () => {
    // An app-wide number must be the location's own (see app-wide-senders.test.ts): here HighLevel lists it.
    await h.seedLocation(LOC, { numbers: [FROM] });
    const check = fromNumberKnown(APP_ACCOUNT_SID, APP_AUTH_TOKEN, APP_ACCOUNT_SID);
    const res = await put({ provider: 'twilio', twilio: { account: 'app', fromNumber: FROM } });
    expect(res.status).toBe(200);
    expect(check.isDone()).toBe(true);
    expect(res.body).toMatchObject({ appAccountAvailable: true, twilio: { account: 'app', accountSid: { last4: '3210' }, authToken: { set: true } } });
    expect(JSON.stringify(res.body)).not.toContain(APP_AUTH_TOKEN);
  });
});
