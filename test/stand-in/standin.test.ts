// The HighLevel stand-in over real HTTP: OAuth, auth and Version checks, sending, rate limits, faults, call events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/lib/clock.js';
import { createStandIn, createWebhookRedelivery, MAX_REDELIVERIES, REDELIVERY_INTERVAL_MS, type StandIn, type StandInOptions } from '../../src/sandbox/standin/index.js';

const CLIENT_ID = 'app123abc-x1y2z3';
const CLIENT_SECRET = 'sandbox-secret';
const CONVERSATIONS = '2021-04-15';
const CONTACTS = '2021-07-28';
// The keys of HighLevel's sample Location token response (shared/highlevel/payloads/token-response-location.json).
const SAMPLE_TOKEN_KEYS = ['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope', 'userType',
  'locationId', 'companyId', 'userId', 'planId'];

interface Fixture {
  clock: ManualClock;
  standIn: StandIn;
  url: string;
  close(): Promise<void>;
  companyId: string;
  locationA: string;
  locationB: string;
  contactA: string;
  contactB: string;
}

let open: Fixture[] = [];

async function start(options: Partial<StandInOptions> = {}): Promise<Fixture> {
  const clock = createManualClock();
  const standIn = createStandIn({ clock, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...options });
  const { id: companyId } = standIn.createCompany({ name: 'Agency' });
  const a = standIn.createLocation({ companyId, name: 'Dentist A', timezone: 'America/Chicago', numbers: ['+15550100001'] });
  const b = standIn.createLocation({ companyId, name: 'Dentist B', timezone: 'America/New_York', phone: '+15550200002' });
  const contactA = standIn.createContact(a.id, { phone: '+15551110001', firstName: 'Ann' }).id;
  const contactB = standIn.createContact(b.id, { phone: '+15552220002', firstName: 'Bob' }).id;
  const server = await standIn.listen(0);
  const fixture = { clock, standIn, url: server.url, close: server.close, companyId,
    locationA: a.id, locationB: b.id, contactA, contactB };
  open.push(fixture);
  return fixture;
}

async function oauthToken(f: Fixture, fields: Record<string, string>) {
  const res = await fetch(`${f.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...fields }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function locationToken(f: Fixture, locationId: string): Promise<Record<string, unknown>> {
  const code = f.standIn.issueAuthCode({ userType: 'Location', companyId: f.companyId, locationId });
  const { body } = await oauthToken(f, { grant_type: 'authorization_code', code, user_type: 'Location' });
  return body;
}

async function call(f: Fixture, path: string, init: {
  token?: unknown; version?: string; method?: string; json?: unknown; form?: Record<string, string>;
} = {}) {
  const headers: Record<string, string> = {};
  if (init.token !== undefined) headers.authorization = `Bearer ${String(init.token)}`;
  if (init.version !== undefined) headers.version = init.version;
  let body: string | undefined;
  if (init.json !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(init.json); }
  if (init.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const res = await fetch(`${f.url}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

beforeEach(() => { open = []; });
afterEach(async () => { await Promise.all(open.map((f) => f.close())); });

describe('OAuth', () => {
  it('when a code is exchanged, then a Location token shaped like HighLevel\'s comes back, and reusing the code is invalid_grant', async () => {
    const f = await start();
    const code = f.standIn.issueAuthCode({ userType: 'Location', companyId: f.companyId, locationId: f.locationA });
    const first = await oauthToken(f, { grant_type: 'authorization_code', code });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual([...SAMPLE_TOKEN_KEYS].sort());
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 86399, userType: 'Location', locationId: f.locationA, companyId: f.companyId });
    const again = await oauthToken(f, { grant_type: 'authorization_code', code });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('when the client secret is wrong, then the answer is 401 invalid_client', async () => {
    const f = await start();
    const code = f.standIn.issueAuthCode({ userType: 'Location', companyId: f.companyId, locationId: f.locationA });
    const res = await oauthToken(f, { grant_type: 'authorization_code', code, client_secret: 'nope' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('when a refresh token is used, then a new one replaces it and the old one is invalid_grant', async () => {
    const f = await start();
    const initial = await locationToken(f, f.locationA);
    const refreshed = await oauthToken(f, { grant_type: 'refresh_token', refresh_token: String(initial.refresh_token) });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(initial.refresh_token);
    expect(refreshed.body.locationId).toBe(f.locationA);
    const reused = await oauthToken(f, { grant_type: 'refresh_token', refresh_token: String(initial.refresh_token) });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
    const next = await oauthToken(f, { grant_type: 'refresh_token', refresh_token: String(refreshed.body.refresh_token) });
    expect(next.status).toBe(200);
    expect(f.standIn.counters().refreshes).toBe(3);
  });

  it('when refresh tokens are revoked for a location, then its next refresh is invalid_grant', async () => {
    const f = await start();
    const initial = await locationToken(f, f.locationA);
    f.standIn.revokeRefreshTokens(f.locationA);
    const res = await oauthToken(f, { grant_type: 'refresh_token', refresh_token: String(initial.refresh_token) });
    expect(res.body.error).toBe('invalid_grant');
  });

  it('when an agency installs, then its Company token mints location tokens without refresh tokens and lists installed locations', async () => {
    const f = await start();
    const code = f.standIn.issueAuthCode({ userType: 'Company', companyId: f.companyId, approvedLocations: [f.locationA] });
    const company = await oauthToken(f, { grant_type: 'authorization_code', code, user_type: 'Company' });
    expect(company.body).toMatchObject({ userType: 'Company', companyId: f.companyId, approvedLocations: [f.locationA], isBulkInstallation: true });
    expect(company.body.locationId).toBeUndefined();

    const minted = await call(f, '/oauth/locationToken', {
      token: company.body.access_token, version: CONTACTS, form: { companyId: f.companyId, locationId: f.locationA },
    });
    expect(minted.status).toBe(200);
    expect(minted.body).toMatchObject({ locationId: f.locationA, token_type: 'Bearer', expires_in: 86399 });
    expect(minted.body.refresh_token).toBeUndefined();
    const location = await call(f, `/locations/${f.locationA}`, { token: minted.body.access_token, version: CONTACTS });
    expect(location.body.location).toMatchObject({ id: f.locationA, name: 'Dentist A', timezone: 'America/Chicago' });

    const notApproved = await call(f, '/oauth/locationToken', {
      token: company.body.access_token, version: CONTACTS, form: { companyId: f.companyId, locationId: f.locationB },
    });
    expect(notApproved.status).toBe(403);
    const installed = await call(f, `/oauth/installedLocations?companyId=${f.companyId}&appId=app123abc`, {
      token: company.body.access_token, version: CONTACTS,
    });
    expect(installed.body.locations).toEqual([{ _id: f.locationA, name: 'Dentist A', address: '', isInstalled: true }]);
  });

  it('when a Location token asks for a location token, then it is refused', async () => {
    const f = await start();
    const token = (await locationToken(f, f.locationA)).access_token;
    const res = await call(f, '/oauth/locationToken', {
      token, version: CONTACTS, form: { companyId: f.companyId, locationId: f.locationA },
    });
    expect(res.status).toBe(403);
  });
});

describe('installs as HighLevel reports them (appId, future locations, installedLocations)', () => {
  async function agencyToken(f: Fixture, installToFutureLocations: boolean): Promise<string> {
    const code = f.standIn.issueAuthCode({ userType: 'Company', companyId: f.companyId, approvedLocations: [f.locationA], installToFutureLocations });
    return String((await oauthToken(f, { grant_type: 'authorization_code', code, user_type: 'Company' })).body.access_token);
  }
  const mint = (f: Fixture, token: string, locationId: string) =>
    call(f, '/oauth/locationToken', { token, version: CONTACTS, form: { companyId: f.companyId, locationId } });
  const installed = (f: Fixture, token: string, query = '') =>
    call(f, `/oauth/installedLocations?companyId=${f.companyId}&appId=app123abc${query}`, { token, version: CONTACTS });

  it('when an agency whose install covers future locations adds a sub-account, then it is installed at once and its INSTALL names no company or user', async () => {
    const f = await start();
    const token = await agencyToken(f, true);
    const { location, event } = f.standIn.addFutureLocation({ companyId: f.companyId, name: 'Dentist C', timezone: 'America/Denver', numbers: ['+15550300003'] });
    expect(event).toMatchObject({ type: 'INSTALL', appId: 'app123abc', locationId: location.id });
    expect(event).not.toHaveProperty('companyId');
    expect(event).not.toHaveProperty('userId');
    expect(typeof event!.timestamp).toBe('string');
    expect(typeof event!.webhookId).toBe('string');

    const listed = await installed(f, token);
    expect(listed.body).toMatchObject({ count: 2, installToFutureLocations: true });
    expect(listed.body.locations.map((l: { _id: string }) => l._id)).toEqual([f.locationA, location.id]);
    expect((await installed(f, token, '&skip=1&limit=1')).body.locations).toEqual([{ _id: location.id, name: 'Dentist C', address: '', isInstalled: true }]);
    expect((await mint(f, token, location.id)).status).toBe(200);
  });

  it('when the agency install does not cover future locations, then an added sub-account gets no INSTALL and no token', async () => {
    const f = await start();
    const token = await agencyToken(f, false);
    const { location, event } = f.standIn.addFutureLocation({ companyId: f.companyId, name: 'Dentist D', timezone: 'America/Denver' });
    expect(event).toBeNull();
    expect((await installed(f, token)).body).toMatchObject({ count: 1, installToFutureLocations: false });
    expect((await mint(f, token, location.id)).status).toBe(403);
  });

  it("when the app's lifecycle events are sent, then each carries the app's appId, INSTALL the agency's white label, and UNINSTALL ends the install", async () => {
    const f = await start();
    const { id: companyId } = f.standIn.createCompany({ name: 'White Label Agency', whiteLabelDomain: 'app.wl-agency.example' });
    const location = f.standIn.createLocation({ companyId, name: 'WL Dental', timezone: 'America/Chicago', numbers: ['+15550400004'] });
    expect(f.standIn.installEvent({ companyId, locationId: location.id })).toMatchObject({
      type: 'INSTALL', appId: 'app123abc', locationId: location.id, companyId, isWhitelabelCompany: true,
      whitelabelDetails: { domain: 'app.wl-agency.example' }, companyName: 'White Label Agency',
    });
    expect(f.standIn.planChangeEvent({ companyId, locationId: location.id, newPlanId: 'plan-2' }))
      .toMatchObject({ type: 'PLAN_CHANGE', appId: 'app123abc', locationId: location.id, companyId, newPlanId: 'plan-2' });

    const token = await agencyToken(f, false);
    expect((await mint(f, token, f.locationA)).status).toBe(200);
    expect(f.standIn.uninstallEvent({ companyId: f.companyId, locationId: f.locationA }))
      .toMatchObject({ type: 'UNINSTALL', appId: 'app123abc', locationId: f.locationA });
    expect((await mint(f, token, f.locationA)).status).toBe(403);
    expect((await installed(f, token)).body.locations).toEqual([]);
  });
});

describe('authorisation and Version header', () => {
  it('when location A\'s token reads location B\'s contact, then it is 403 and without a token 401 Invalid JWT', async () => {
    const f = await start();
    const token = (await locationToken(f, f.locationA)).access_token;
    const foreign = await call(f, `/contacts/${f.contactB}`, { token, version: CONTACTS });
    expect(foreign.status).toBe(403);
    const own = await call(f, `/contacts/${f.contactA}`, { token, version: CONTACTS });
    expect(own.body.contact).toMatchObject({ id: f.contactA, locationId: f.locationA, phone: '+15551110001', tags: [] });
    const anonymous = await call(f, `/contacts/${f.contactA}`, { version: CONTACTS });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ statusCode: 401, message: 'Invalid JWT' });
  });

  it('when the access token has expired by the clock, then it is 401', async () => {
    const f = await start();
    const token = (await locationToken(f, f.locationA)).access_token;
    f.clock.advance(86_399_000);
    const res = await call(f, `/locations/${f.locationA}`, { token, version: CONTACTS });
    expect(res.status).toBe(401);
  });

  it('when the Version header is missing or belongs to another family, then it is 400 "version header is invalid"', async () => {
    const f = await start();
    const token = (await locationToken(f, f.locationA)).access_token;
    const missing = await call(f, `/contacts/${f.contactA}`, { token });
    const swapped = await call(f, `/contacts/${f.contactA}`, { token, version: CONVERSATIONS });
    const wrongForConversations = await call(f, `/conversations/search?locationId=${f.locationA}`, { token, version: CONTACTS });
    for (const res of [missing, swapped, wrongForConversations]) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: 'version header is invalid' });
    }
    const right = await call(f, `/conversations/search?locationId=${f.locationA}`, { token, version: CONVERSATIONS });
    expect(right.status).toBe(200);
    expect(right.headers.get('traceId')).toBeTruthy();
  });

  it('when a route is unknown, then it is a JSON 404', async () => {
    const f = await start();
    const res = await call(f, '/nothing/here');
    expect(res.status).toBe(404);
    expect(res.body.statusCode).toBe(404);
  });
});

describe('sending SMS', () => {
  it('when the app sends an SMS, then it is recorded and its status turns delivered once the clock moves 2 s', async () => {
    const f = await start();
    const token = (await locationToken(f, f.locationA)).access_token;
    const sent = await call(f, '/conversations/messages', {
      token, version: CONVERSATIONS, json: { type: 'SMS', contactId: f.contactA, message: 'Sorry we missed you' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ msg: 'Message queued successfully.' });
    expect(f.standIn.sentMessages({ locationId: f.locationA })).toEqual([expect.objectContaining({
      id: sent.body.messageId, conversationId: sent.body.conversationId, contactId: f.contactA,
      message: 'Sorry we missed you', type: 'SMS', at: f.clock.now(), status: 'pending',
    })]);
    const before = await call(f, `/conversations/messages/${sent.body.messageId}`, { token, version: CONVERSATIONS });
    expect(before.body.message).toMatchObject({ status: 'pending', direction: 'outbound', messageType: 'TYPE_SMS', body: 'Sorry we missed you' });
    f.clock.advance(2_000);
    const after = await call(f, `/conversations/messages/${sent.body.messageId}`, { token, version: CONVERSATIONS });
    expect(after.body.message.status).toBe('delivered');
    expect(f.standIn.sentMessages()[0].status).toBe('delivered');
  });

  it('when the contact belongs to another location or the body has an unknown field, then nothing is sent', async () => {
    const f = await start();
    const token = (await locationToken(f, f.locationA)).access_token;
    const foreign = await call(f, '/conversations/messages', {
      token, version: CONVERSATIONS, json: { type: 'SMS', contactId: f.contactB, message: 'hi' },
    });
    expect(foreign.status).toBe(403);
    const extra = await call(f, '/conversations/messages', {
      token, version: CONVERSATIONS, json: { type: 'SMS', contactId: f.contactA, message: 'hi', colour: 'red' },
    });
    expect(extra.status).toBe(422);
    expect(extra.body.message).toEqual(['property colour should not exist']);
    expect(f.standIn.sentMessages()).toEqual([]);
  });

  it('when SMS do-not-disturb is set through PUT, then tags survive, the setting merges and sending is refused', async () => {
    const f = await start();
    const token = (await locationToken(f, f.locationA)).access_token;
    const tagged = await call(f, `/contacts/${f.contactA}/tags`, { token, version: CONTACTS, json: { tags: ['textback'] } });
    expect(tagged).toMatchObject({ status: 201, body: { tags: ['textback'] } });
    await call(f, `/contacts/${f.contactA}`, { method: 'PUT', token, version: CONTACTS, json: { dndSettings: { Call: { status: 'inactive' } } } });
    const put = await call(f, `/contacts/${f.contactA}`, {
      method: 'PUT', token, version: CONTACTS, json: { dndSettings: { SMS: { status: 'active', message: 'STOP' } } },
    });
    expect(put.body.contact.dndSettings).toEqual({ Call: { status: 'inactive' }, SMS: { status: 'active', message: 'STOP' } });
    expect(f.standIn.contact(f.locationA, f.contactA)).toMatchObject({ tags: ['textback'], dndSettings: { SMS: { status: 'active' } } });
    const refused = await call(f, '/conversations/messages', {
      token, version: CONVERSATIONS, json: { type: 'SMS', contactId: f.contactA, message: 'hi' },
    });
    expect(refused.status).toBe(400);
    expect(f.standIn.sentMessages()).toEqual([]);
  });

  it('when a contact is looked up by number, then the duplicate search finds it in that location only', async () => {
    const f = await start();
    const token = (await locationToken(f, f.locationA)).access_token;
    const found = await call(f, `/contacts/search/duplicate?locationId=${f.locationA}&number=%2B15551110001`, { token, version: CONTACTS });
    expect(found.body.contact.id).toBe(f.contactA);
    const missing = await call(f, `/contacts/search/duplicate?locationId=${f.locationA}&number=%2B15552220002`, { token, version: CONTACTS });
    expect(missing.body).toEqual({ contact: null });
  });
});

describe('DND as HighLevel keeps it', () => {
  it('when the app sets SMS DND and later lifts it (inactive), then each change emits a ContactDndUpdate, sends are refused with HighLevel\'s 400 meanwhile, and allowed again after', async () => {
    const events: Record<string, unknown>[] = [];
    const f = await start({ onEvent: (event) => events.push(event) });
    const token = (await locationToken(f, f.locationA)).access_token;
    const send = () => call(f, '/conversations/messages', { token, version: CONVERSATIONS, json: { type: 'SMS', contactId: f.contactA, message: 'hi' } });
    const put = (status: string) => call(f, `/contacts/${f.contactA}`, { method: 'PUT', token, version: CONTACTS, json: { dndSettings: { SMS: { status, message: 'x' } } } });

    expect((await put('active')).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('Cannot send message as DND is active for SMS.');
    expect((await put('active')).status).toBe(200);
    expect((await put('inactive')).status).toBe(200);
    expect((await send()).status).toBe(201);

    // The second PUT active changed nothing, so HighLevel sent nothing for it.
    expect(events.map((e) => (e.dndSettings as { SMS: { status: string } }).SMS.status)).toEqual(['active', 'inactive']);
    expect(events[0]).toMatchObject({ type: 'ContactDndUpdate', locationId: f.locationA, id: f.contactA, phone: '+15551110001', dnd: false });
    expect(typeof events[0].timestamp).toBe('string');
    expect(typeof events[0].webhookId).toBe('string');
    expect(typeof events[0].dateUpdated).toBe('string');
  });

  it('when staff set SMS DND to permanent, then the contact keeps it, the update is returned like HighLevel\'s sample, and sends are refused', async () => {
    const f = await start();
    const token = (await locationToken(f, f.locationA)).access_token;
    const { event, contact } = f.standIn.setSmsDnd({ locationId: f.locationA, contactId: f.contactA, status: 'permanent' });
    expect(contact.dndSettings).toEqual({ SMS: { status: 'permanent' } });
    expect(event).toMatchObject({ type: 'ContactDndUpdate', locationId: f.locationA, id: f.contactA, dndSettings: { SMS: { status: 'permanent' } } });
    const read = await call(f, `/contacts/${f.contactA}`, { token, version: CONTACTS });
    expect(read.body.contact.dndSettings).toEqual({ SMS: { status: 'permanent' } });
    const refused = await call(f, '/conversations/messages', { token, version: CONVERSATIONS, json: { type: 'SMS', contactId: f.contactA, message: 'hi' } });
    expect(refused.status).toBe(400);
    expect(f.standIn.sentMessages()).toEqual([]);
  });
});

describe('rate limit', () => {
  it('when a location makes 101 requests in 10 s, then the 101st is 429 and the next window serves again', async () => {
    const f = await start();
    const tokenA = (await locationToken(f, f.locationA)).access_token;
    const tokenB = (await locationToken(f, f.locationB)).access_token;
    for (let i = 1; i <= 100; i += 1) {
      const res = await call(f, `/locations/${f.locationA}`, { token: tokenA, version: CONTACTS });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(100 - i));
    }
    const limited = await call(f, `/locations/${f.locationA}`, { token: tokenA, version: CONTACTS });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, message: 'Too many requests' });
    expect(limited.headers.get('x-ratelimit-max')).toBe('100');
    expect(limited.headers.get('x-ratelimit-interval-milliseconds')).toBe('10000');
    expect((await call(f, `/locations/${f.locationB}`, { token: tokenB, version: CONTACTS })).status).toBe(200);
    expect(f.standIn.counters().rateLimited).toBe(1);
    f.clock.advance(10_000);
    expect((await call(f, `/locations/${f.locationA}`, { token: tokenA, version: CONTACTS })).status).toBe(200);
  });
});

describe('fault injection', () => {
  it('when the scripted random draws under the rate, then that request gets the drawn fault and OAuth is never hit', async () => {
    const draws = [0.1, 0.2, 0.9, 0.1, 0.7];
    const f = await start({ faults: { rate: 0.5, kinds: ['429', '500'] }, random: () => draws.shift() ?? 0.99 });
    const token = (await locationToken(f, f.locationA)).access_token;
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call(f, `/locations/${f.locationA}`, { token, version: CONTACTS })).status);
    expect(statuses).toEqual([429, 200, 500]);
    expect(draws).toEqual([]);
    expect(f.standIn.counters()).toMatchObject({ faults: 2, rateLimited: 0 });
  });

  it('when every request would fault, then OAuth still answers, including agency token minting', async () => {
    const f = await start({ faults: { rate: 1, kinds: ['500'] }, random: () => 0 });
    const code = f.standIn.issueAuthCode({ userType: 'Company', companyId: f.companyId });
    const company = await oauthToken(f, { grant_type: 'authorization_code', code });
    const minted = await call(f, '/oauth/locationToken', {
      token: company.body.access_token, version: CONTACTS, form: { companyId: f.companyId, locationId: f.locationB },
    });
    expect(minted.status).toBe(200);
    const contact = await call(f, `/contacts/${f.contactB}`, { token: minted.body.access_token, version: CONTACTS });
    expect(contact.status).toBe(500);
    expect(f.standIn.counters().faults).toBe(1);
  });

  it('when a send hangs, then the socket is destroyed and the message is not sent', async () => {
    const f = await start({ faults: { rate: 1, kinds: ['hang'], hangMs: 5 }, random: () => 0 });
    const token = (await locationToken(f, f.locationA)).access_token;
    await expect(call(f, '/conversations/messages', {
      token, version: CONVERSATIONS, json: { type: 'SMS', contactId: f.contactA, message: 'hi' },
    })).rejects.toThrow();
    expect(f.standIn.sentMessages()).toEqual([]);
    expect(f.standIn.counters().faults).toBe(1);
  });
});

describe('call and SMS events', () => {
  it('when a call is missed, then the event is an inbound CALL InboundMessage and the call is in the conversation', async () => {
    const f = await start();
    const { contact, event } = f.standIn.placeCall({ locationId: f.locationA, from: '+15553330003', status: 'no-answer' });
    expect(event).toMatchObject({
      type: 'InboundMessage', messageType: 'CALL', direction: 'inbound', status: 'no-answer', callStatus: 'no-answer',
      contactId: contact.id, locationId: f.locationA, from: '+15553330003', to: '+15550100001',
      dateAdded: new Date(f.clock.now()).toISOString(), timestamp: new Date(f.clock.now()).toISOString(),
    });
    expect(event.conversationId).toEqual(expect.any(String));
    expect(event.messageId).toMatch(/^[A-Za-z0-9]{20}$/);
    const second = f.standIn.placeCall({ locationId: f.locationA, from: '+15553330003', status: 'busy' });
    expect(second.event.webhookId).not.toBe(event.webhookId);
    expect(second.contact.id).toBe(contact.id);

    const token = (await locationToken(f, f.locationA)).access_token;
    const listed = await call(f, `/conversations/${String(event.conversationId)}/messages?type=TYPE_CALL,TYPE_SMS`, {
      token, version: CONVERSATIONS,
    });
    expect(listed.body.messages.messages.map((m: any) => m.meta.call.status)).toEqual(['busy', 'no-answer']);
    expect(listed.body.messages.messages[1]).toMatchObject({
      id: event.messageId, messageType: 'TYPE_CALL', direction: 'inbound', status: 'no-answer',
    });
    expect(listed.body.messages.nextPage).toBe(false);
    const firstPage = await call(f, `/conversations/${String(event.conversationId)}/messages?limit=1`, { token, version: CONVERSATIONS });
    expect(firstPage.body.messages).toMatchObject({ nextPage: true, lastMessageId: second.event.messageId });
    const secondPage = await call(f, `/conversations/${String(event.conversationId)}/messages?limit=1&lastMessageId=${String(second.event.messageId)}`, {
      token, version: CONVERSATIONS,
    });
    expect(secondPage.body.messages.messages.map((m: any) => m.id)).toEqual([event.messageId]);
    expect(secondPage.body.messages.nextPage).toBe(false);
  });

  it('when a caller texts later than another call, then search lists conversations newest first', async () => {
    const f = await start();
    f.standIn.placeCall({ locationId: f.locationA, from: '+15553330003', status: 'voicemail' });
    f.clock.advance(60_000);
    const { event } = f.standIn.receiveSms({ locationId: f.locationA, from: '+15551110001', body: 'STOP' });
    expect(event).toMatchObject({ type: 'InboundMessage', messageType: 'SMS', body: 'STOP', contactId: f.contactA });
    const token = (await locationToken(f, f.locationA)).access_token;
    const search = await call(f, `/conversations/search?locationId=${f.locationA}&sortBy=last_message_date`, {
      token, version: CONVERSATIONS,
    });
    expect(search.body.total).toBe(2);
    expect(search.body.conversations.map((c: any) => [c.contactId, c.lastMessageType])).toEqual([
      [f.contactA, 'TYPE_SMS'], [expect.any(String), 'TYPE_CALL'],
    ]);
    expect(search.body.conversations[0].lastMessageDate).toBe(f.clock.now());
  });
});

describe('call progress and redelivery, as HighLevel delivers them', () => {
  it('when a call rings, is in progress, then ends unanswered, then each sighting is its own event for the same call and the API shows the current status under meta.call.status', async () => {
    const f = await start();
    const token = (await locationToken(f, f.locationA)).access_token;
    const ringing = f.standIn.placeCall({ locationId: f.locationA, from: '+15553330003', status: 'ringing' });
    expect(ringing.event).toMatchObject({ type: 'InboundMessage', messageType: 'CALL', direction: 'inbound', status: 'ringing', callStatus: 'ringing', callDuration: 0 });
    const callId = String(ringing.event.messageId);
    const conversationId = String(ringing.event.conversationId);
    const messages = async () => (await call(f, `/conversations/${conversationId}/messages?type=TYPE_CALL`, { token, version: CONVERSATIONS })).body.messages.messages;
    expect((await messages())[0].meta.call.status).toBe('ringing');

    f.clock.advance(20_000);
    const inProgress = f.standIn.progressCall({ locationId: f.locationA, messageId: callId, status: 'in-progress' });
    f.clock.advance(30_000);
    const final = f.standIn.progressCall({ locationId: f.locationA, messageId: callId, status: 'no-answer' });
    for (const sighting of [inProgress, final]) {
      expect(sighting.event).toMatchObject({ messageId: callId, conversationId, contactId: ringing.contact.id, dateAdded: ringing.event.dateAdded, from: '+15553330003', to: '+15550100001' });
    }
    expect(final.event).toMatchObject({ status: 'no-answer', callStatus: 'no-answer' });
    expect(new Set([ringing.event.webhookId, inProgress.event.webhookId, final.event.webhookId]).size).toBe(3);
    expect(final.event.timestamp).toBe(new Date(f.clock.now()).toISOString());
    expect((await messages())[0].meta.call.status).toBe('no-answer');
    expect(() => f.standIn.progressCall({ locationId: f.locationB, messageId: callId, status: 'busy' })).toThrow(/unknown call/);
  });

  it('when the app answers 429, then the same bytes are re-sent about 10 minutes apart on the clock, at most six times, and a 200 ends it', async () => {
    const clock = createManualClock();
    const sent: { at: number; body: string }[] = [];
    let answers: number[] = [];
    const redelivery = createWebhookRedelivery({ clock, send: async (body) => { sent.push({ at: clock.now(), body }); return answers.shift() ?? 429; } });
    const event = { type: 'InboundMessage', messageId: 'call-1', timestamp: new Date(clock.now()).toISOString(), webhookId: 'wh-1' };

    expect(await redelivery.deliver(event)).toBe(429);
    expect(await redelivery.redeliverDue()).toBe(0); // not before its time
    for (let i = 0; i < 10; i += 1) {
      clock.advance(REDELIVERY_INTERVAL_MS);
      await redelivery.redeliverDue();
    }
    expect(REDELIVERY_INTERVAL_MS).toBe(10 * 60_000);
    expect(sent).toHaveLength(1 + MAX_REDELIVERIES);
    expect(MAX_REDELIVERIES).toBe(6);
    expect(new Set(sent.map((s) => s.body))).toEqual(new Set([JSON.stringify(event)]));
    expect(sent.map((s) => s.at - sent[0].at)).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => n * REDELIVERY_INTERVAL_MS));
    expect(redelivery.waiting()).toEqual([]);

    // Answered 200 on the second try: nothing more is sent; any answer but 429 is final too.
    sent.length = 0;
    answers = [429, 200];
    await redelivery.deliver({ ...event, webhookId: 'wh-2' });
    clock.advance(REDELIVERY_INTERVAL_MS);
    await redelivery.redeliverDue();
    answers = [500];
    expect(await redelivery.deliver({ ...event, webhookId: 'wh-3' })).toBe(500);
    clock.advance(5 * REDELIVERY_INTERVAL_MS);
    expect(await redelivery.redeliverDue()).toBe(0);
    expect(sent.map((s) => JSON.parse(s.body).webhookId)).toEqual(['wh-2', 'wh-2', 'wh-3']);
  });
});
