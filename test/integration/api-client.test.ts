// The HighLevel API client stack against a nocked HighLevel, its tokens in the stores of the engine under test (a
// SQLite file, or a PostgreSQL database of their own): requests per the OpenAPI specs, tokens, pacing, retries.
import nock from 'nock';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccessTokens } from '../../src/highlevel/access-tokens.js';
import { createHighLevelApi, type RequestInfo } from '../../src/highlevel/api-client.js';
import { DAILY_QUOTA_HOLD_MS } from '../../src/highlevel/api-transport.js';
import { createContactDirectory } from '../../src/highlevel/contact-directory.js';
import { createLocationDirectory } from '../../src/highlevel/location-directory.js';
import { createOAuthClient } from '../../src/highlevel/oauth-client.js';
import { createPacer, type Pacer } from '../../src/highlevel/pacer.js';
import { createManualClock, DAY, type ManualClock } from '../../src/lib/clock.js';
import { createSecretBox, generateKey } from '../../src/lib/crypto.js';
import { HighLevelApiError } from '../../src/lib/errors.js';
import { createLogger, silentLogger, type Logger } from '../../src/lib/logger.js';
import { createHighLevelSender } from '../../src/messaging/highlevel-sender.js';
import type { Storage } from '../../src/store/storage.js';
import { SendFailure, type OutgoingText } from '../../src/workflow/ports/services.js';
import { defaultSettings } from '../../src/workflow/settings.js';
import { checkRequests, loadOpenApiChecker, recordNockRequests } from '../helpers/openapi.js';
import { openStoresUnderTest, type StoresUnderTest } from '../helpers/stores-under-test.js';

const API = 'https://hl.test';
const checker = loadOpenApiChecker();
const CONVERSATIONS = '2021-04-15';
const V2 = '2021-07-28';

let stores: StoresUnderTest;
let tokens: Storage['tokens'];
let locations: Storage['locations'];
let clock: ManualClock;
let unmatched: string[];
const onNoMatch = (req: { method?: string; path?: string }) => unmatched.push(`${req.method} ${req.path}`);
const networkError = (code: string, message: string) => Object.assign(new Error(message), { code });

function setup(options: { sleep?: (ms: number) => Promise<void>; wrapPacer?: (pacer: Pacer) => Pacer; logger?: Logger } = {}) {
  const sleeps: number[] = [];
  const sleep = options.sleep ?? (async (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
  });
  const oauth = createOAuthClient({ apiUrl: API, clientId: 'app123-client', clientSecret: 'shh', redirectUri: 'https://app.test/cb' });
  const accessTokens = createAccessTokens({ tokens, locations, oauth, clock, logger: silentLogger });
  const pacer = createPacer({ clock, sleep });
  const infos: RequestInfo[] = [];
  const api = createHighLevelApi({
    apiUrl: API, accessTokens, pacer: options.wrapPacer ? options.wrapPacer(pacer) : pacer, clock, sleep,
    logger: options.logger ?? silentLogger, onRequest: (info) => infos.push(info),
  });
  return { api, sleeps, infos };
}

async function saveToken(ownerId: string, accessToken: string, ownerType: 'Location' | 'Company' = 'Location') {
  await tokens.save({ ownerId, ownerType, companyId: 'co-1', accessToken, refreshToken: `${accessToken}-refresh`, expiresAt: clock.now() + DAY }, clock.now());
}

const text = (overrides: Partial<OutgoingText> = {}): OutgoingText =>
  ({ locationId: 'loc-A', contactId: 'contact-1', to: '+15551234567', body: 'Sorry we missed you', kind: 'textback', ...overrides });

beforeAll(() => {
  nock.disableNetConnect();
  nock.emitter.on('no match', onNoMatch);
});
afterAll(() => {
  nock.emitter.off('no match', onNoMatch);
  nock.enableNetConnect();
});
beforeEach(async () => {
  clock = createManualClock();
  stores = await openStoresUnderTest({ box: createSecretBox(generateKey()), clock });
  ({ tokens, locations } = stores.storage);
  unmatched = [];
  for (const locationId of ['loc-A', 'loc-B']) await locations.install({ locationId, companyId: 'co-1', settings: defaultSettings() }, clock.now());
  await saveToken('loc-A', 'token-A');
  await saveToken('loc-B', 'token-B');
  await saveToken('co-1', 'token-company', 'Company');
});
afterEach(async () => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  await stores.close();
  expect(unmatched, 'requests no interceptor matched').toEqual([]);
  expect(pending, 'interceptors never called').toEqual([]);
});

describe('typed methods', () => {
  it('when each method is called, then it sends the documented method, path, query, Version and the owner\'s token', async () => {
    const contact = { id: 'contact-1', phone: '+15551234567', firstName: 'Ana', dnd: false, dndSettings: { SMS: { status: 'active' } } };
    const scope = nock(API)
      .post('/conversations/messages', { type: 'SMS', contactId: 'contact-1', message: 'Hi', toNumber: '+15551234567' })
      .reply(201, { conversationId: 'conv-1', messageId: 'msg-1', msg: 'Message queued' })
      .get('/conversations/messages/msg-1').reply(200, { id: 'msg-1', status: 'delivered', messageType: 'TYPE_SMS', direction: 'outbound' })
      .get('/conversations/search').query({ locationId: 'loc-A', limit: '20', sortBy: 'last_message_date', sort: 'desc', startAfterDate: '1700000000000' })
      .reply(200, { conversations: [{ id: 'conv-1', contactId: 'contact-1', lastMessageType: 'TYPE_CALL' }], total: 1 })
      .get('/conversations/conv-1/messages').query({ type: 'TYPE_CALL,TYPE_SMS', limit: '50' })
      .reply(200, { messages: { lastMessageId: 'msg-9', nextPage: false, messages: [{ id: 'msg-9', status: 'voicemail', messageType: 'TYPE_CALL' }] } })
      .get('/contacts/contact-1').reply(200, { contact })
      .get('/contacts/search/duplicate').query({ locationId: 'loc-A', number: '+15551234567' }).reply(200, { contact })
      .post('/contacts/contact-1/tags', { tags: ['missed-call'] }).reply(201, { tags: ['missed-call'] })
      .put('/contacts/contact-1', { dndSettings: { SMS: { status: 'active', message: 'Replied STOP' } } }).reply(200, { succeded: true, contact })
      .get('/locations/loc-A').reply(200, { location: { id: 'loc-A', name: 'Acme Plumbing', timezone: 'America/Chicago', phone: '+15550001111' } })
      .get('/phone-system/numbers/location/loc-A').reply(200, { numbers: [{ phoneNumber: '+15550002222', isDefaultNumber: true }], isUnderGhl: true, pageSize: 1000, page: 0, accountStatus: 'active' })
      .get('/oauth/installedLocations').query({ companyId: 'co-1', appId: 'app123' })
      .reply(200, { locations: [{ _id: 'loc-A', name: 'Acme Plumbing', address: '1 Main St', isInstalled: true }], count: 1 });
    const recorder = recordNockRequests(scope);
    const { api } = setup();

    expect(await api.sendSms('loc-A', { contactId: 'contact-1', message: 'Hi', toNumber: '+15551234567' })).toEqual({ conversationId: 'conv-1', messageId: 'msg-1' });
    expect(await api.getMessage('loc-A', 'msg-1')).toMatchObject({ id: 'msg-1', status: 'delivered' });
    expect((await api.searchConversations('loc-A', { limit: 20, sortBy: 'last_message_date', startAfterDate: 1_700_000_000_000 })).conversations[0]).toMatchObject({ id: 'conv-1' });
    expect(await api.listConversationMessages('loc-A', 'conv-1', { type: 'TYPE_CALL,TYPE_SMS', limit: 50 })).toMatchObject({ lastMessageId: 'msg-9', nextPage: false, messages: [{ id: 'msg-9' }] });
    expect(await api.getContact('loc-A', 'contact-1')).toMatchObject({ id: 'contact-1', firstName: 'Ana' });
    expect(await api.findContactByPhone('loc-A', '+15551234567')).toMatchObject({ id: 'contact-1' });
    await api.addContactTags('loc-A', 'contact-1', ['missed-call']);
    await api.setSmsDnd('loc-A', 'contact-1', 'Replied STOP');
    expect(await api.getLocation('loc-A')).toEqual({ name: 'Acme Plumbing', timezone: 'America/Chicago', phone: '+15550001111' });
    expect(await api.listLocationNumbers('loc-A')).toEqual(['+15550002222']);
    expect(await api.installedLocations('co-1', 'app123')).toEqual({ locations: [{ id: 'loc-A', name: 'Acme Plumbing', isInstalled: true }], count: 1 });

    const seen = recorder.requests.map((r) => [r.method, new URL(r.url).pathname, r.headers.version, r.headers.authorization, r.headers.accept]);
    expect(seen).toEqual([
      ['POST', '/conversations/messages', CONVERSATIONS, 'Bearer token-A', 'application/json'],
      ['GET', '/conversations/messages/msg-1', CONVERSATIONS, 'Bearer token-A', 'application/json'],
      ['GET', '/conversations/search', CONVERSATIONS, 'Bearer token-A', 'application/json'],
      ['GET', '/conversations/conv-1/messages', CONVERSATIONS, 'Bearer token-A', 'application/json'],
      ['GET', '/contacts/contact-1', V2, 'Bearer token-A', 'application/json'],
      ['GET', '/contacts/search/duplicate', V2, 'Bearer token-A', 'application/json'],
      ['POST', '/contacts/contact-1/tags', V2, 'Bearer token-A', 'application/json'],
      ['PUT', '/contacts/contact-1', V2, 'Bearer token-A', 'application/json'],
      ['GET', '/locations/loc-A', V2, 'Bearer token-A', 'application/json'],
      ['GET', '/phone-system/numbers/location/loc-A', V2, 'Bearer token-A', 'application/json'],
      ['GET', '/oauth/installedLocations', V2, 'Bearer token-company', 'application/json'],
    ]);
    expect(recorder.requests[5].path).toContain('number=%2B15551234567');
    expect(checkRequests(checker, recorder.requests)).toEqual([]);
  });

  it.each([
    ['{contact: null}', (i: nock.Interceptor) => i.reply(200, { contact: null })],
    ['no contact field', (i: nock.Interceptor) => i.reply(200, {})],
    ['a 404', (i: nock.Interceptor) => i.reply(404, { statusCode: 404, message: 'Contact not found' })],
  ])('when the duplicate search answers %s, then findContactByPhone is null', async (_what, answer) => {
    answer(nock(API).get('/contacts/search/duplicate').query(true));
    expect(await setup().api.findContactByPhone('loc-A', '+15551234567')).toBeNull();
  });

  it('when GET message answers wrapped as {message}, then the message is still read', async () => {
    nock(API).get('/conversations/messages/msg-1').reply(200, { message: { id: 'msg-1', status: 'failed' }, traceId: 't' });
    expect(await setup().api.getMessage('loc-A', 'msg-1')).toMatchObject({ id: 'msg-1', status: 'failed' });
  });
});

describe('tokens', () => {
  it('when calls for two locations interleave, then each request carries only its own location\'s token', async () => {
    const scope = nock(API)
      .get('/locations/loc-A').times(3).matchHeader('authorization', 'Bearer token-A').reply(200, { location: { name: 'A' } })
      .get('/locations/loc-B').times(3).matchHeader('authorization', 'Bearer token-B').reply(200, { location: { name: 'B' } });
    const recorder = recordNockRequests(scope);
    const { api } = setup();
    const names = await Promise.all(['loc-A', 'loc-B', 'loc-A', 'loc-B', 'loc-B', 'loc-A'].map((id) => api.getLocation(id)));
    expect(names.map((n) => n.name)).toEqual(['A', 'B', 'A', 'B', 'B', 'A']);
    for (const request of recorder.requests) {
      const owner = new URL(request.url).pathname.endsWith('loc-A') ? 'token-A' : 'token-B';
      expect(request.headers.authorization).toBe(`Bearer ${owner}`);
    }
  });

  it('when HighLevel answers 401 once, then the token is refreshed exactly once and the request succeeds with the new one', async () => {
    let refreshes = 0;
    nock(API)
      .get('/contacts/contact-1').matchHeader('authorization', 'Bearer token-A').reply(401, { statusCode: 401, message: 'Invalid JWT' })
      .post('/oauth/token').reply(200, () => {
        refreshes += 1;
        return { access_token: 'token-A2', refresh_token: 'token-A2-refresh', expires_in: 86399, userType: 'Location', locationId: 'loc-A' };
      })
      .get('/contacts/contact-1').matchHeader('authorization', 'Bearer token-A2').reply(200, { contact: { id: 'contact-1' } });
    expect(await setup().api.getContact('loc-A', 'contact-1')).toMatchObject({ id: 'contact-1' });
    expect(refreshes).toBe(1);
    expect(await tokens.get('loc-A')).toMatchObject({ accessToken: 'token-A2', refreshToken: 'token-A2-refresh' });
  });

  it('when HighLevel answers 401 again after the refresh, then the request fails instead of looping', async () => {
    nock(API)
      .get('/contacts/contact-1').reply(401, { statusCode: 401, message: 'Invalid JWT' })
      .post('/oauth/token').reply(200, { access_token: 'token-A2', refresh_token: 'r2', expires_in: 86399 })
      .get('/contacts/contact-1').reply(401, { statusCode: 401, message: 'The token is not authorized for this scope.', traceId: 'trace-401' });
    const error = await setup().api.getContact('loc-A', 'contact-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HighLevelApiError);
    expect(error).toMatchObject({ status: 401, retryable: false, traceId: 'trace-401', message: 'The token is not authorized for this scope.' });
  });
});

describe('rate limits', () => {
  it('when HighLevel answers 429, then the client waits X-RateLimit-Interval-Milliseconds and retries', async () => {
    nock(API)
      .get('/locations/loc-A').reply(429, { statusCode: 429, message: 'Too many requests' }, { 'X-RateLimit-Interval-Milliseconds': '2500', 'X-RateLimit-Remaining': '0' })
      .get('/locations/loc-A').reply(200, { location: { name: 'A' } });
    const { api, sleeps, infos } = setup();
    const startedAt = clock.now();
    expect(await api.getLocation('loc-A')).toMatchObject({ name: 'A' });
    expect(sleeps).toEqual([2500]);
    expect(clock.now() - startedAt).toBe(2500);
    expect(infos.map((i) => [i.family, i.status, i.rateLimited])).toEqual([['locations', 429, true], ['locations', 200, false]]);
  });

  it('when HighLevel says the day\'s quota is spent, then that request fails at once and the location\'s next one waits 15 minutes; another location is not held', async () => {
    nock(API)
      .get('/locations/loc-A').reply(429, { statusCode: 429, message: 'Daily limit reached' }, { 'X-RateLimit-Daily-Remaining': '0', 'X-RateLimit-Interval-Milliseconds': '10000' })
      .get('/locations/loc-B').reply(200, { location: { name: 'B' } })
      .get('/locations/loc-A').reply(200, { location: { name: 'A' } });
    const { api, sleeps } = setup();
    await expect(api.getLocation('loc-A')).rejects.toMatchObject({ name: 'RateLimitedError', retryAfterMs: DAILY_QUOTA_HOLD_MS });
    expect(sleeps).toEqual([]);
    expect(await api.getLocation('loc-B')).toMatchObject({ name: 'B' });
    expect(sleeps).toEqual([]);
    expect(await api.getLocation('loc-A')).toMatchObject({ name: 'A' });
    expect(sleeps).toEqual([DAILY_QUOTA_HOLD_MS]);
  });

  it('when an answer says no request is left today, then the location\'s next request waits 15 minutes instead of meeting a 429', async () => {
    nock(API)
      .get('/locations/loc-A').reply(200, { location: { name: 'A' } }, { 'X-RateLimit-Daily-Remaining': '0' })
      .get('/locations/loc-A').reply(200, { location: { name: 'A' } }, { 'X-RateLimit-Daily-Remaining': '199999' });
    const { api, sleeps } = setup();
    await api.getLocation('loc-A');
    expect(sleeps).toEqual([]);
    await api.getLocation('loc-A');
    expect(sleeps).toEqual([DAILY_QUOTA_HOLD_MS]);
  });

  it('when 120 requests for one location are made at once, then the pacer spaces them and HighLevel (100 per 10 s) never answers 429', async () => {
    const arrivals: number[] = [];
    let tooMany = 0;
    let granted = 0;
    nock(API).get('/locations/loc-A').times(120).reply(() => {
      const now = clock.now();
      arrivals.push(now);
      const inWindow = arrivals.filter((at) => at > now - 10_000).length;
      if (inWindow > 100) {
        tooMany += 1;
        return [429, { statusCode: 429, message: 'Too many requests' }, { 'X-RateLimit-Interval-Milliseconds': '10000' }];
      }
      return [200, { location: { name: 'A' } }, { 'X-RateLimit-Remaining': String(100 - inWindow), 'X-RateLimit-Interval-Milliseconds': '10000', 'X-RateLimit-Max': '100' }];
    });
    const sleeps: number[] = [];
    // A sleep lets every request already let through reach HighLevel before time moves on, as real time would.
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      do await new Promise((resolve) => setImmediate(resolve)); while (arrivals.length < granted);
      clock.advance(ms);
    };
    const wrapPacer = (pacer: Pacer): Pacer => ({ ...pacer, acquire: async (id) => { await pacer.acquire(id); granted += 1; } });
    const { api } = setup({ sleep, wrapPacer });
    const startedAt = clock.now();

    await Promise.all(Array.from({ length: 120 }, () => api.getLocation('loc-A')));

    expect(tooMany).toBe(0);
    expect(arrivals).toHaveLength(120);
    expect(sleeps.length).toBeGreaterThan(0);
    expect(clock.now() - startedAt).toBeGreaterThanOrEqual(10_000);
    for (const at of arrivals) expect(arrivals.filter((other) => other > at - 10_000 && other <= at).length).toBeLessThanOrEqual(100);
  });
});

describe('server errors and timeouts', () => {
  it('when a GET meets 5xx answers, then it is retried with growing backoff until it succeeds', async () => {
    nock(API)
      .get('/locations/loc-A').reply(503, { statusCode: 503, message: 'Service Unavailable' })
      .get('/locations/loc-A').reply(502, 'Bad Gateway')
      .get('/locations/loc-A').replyWithError(networkError('ECONNRESET', 'socket hang up'))
      .get('/locations/loc-A').reply(200, { location: { name: 'A' } });
    const { api, sleeps } = setup();
    expect(await api.getLocation('loc-A')).toMatchObject({ name: 'A' });
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it('when a GET keeps failing, then it gives up after maxRetries with a retryable error', async () => {
    nock(API).get('/locations/loc-A').times(5).reply(500, { statusCode: 500, message: 'boom', traceId: 'trace-500' });
    const error = await setup().api.getLocation('loc-A').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, retryable: true, ambiguous: false, traceId: 'trace-500' });
  });

  it('when the send meets a 5xx, then it is not retried and the sender reports a retryable failure', async () => {
    nock(API).post('/conversations/messages').once().reply(503, { statusCode: 503, message: 'Service Unavailable', traceId: 'trace-503' });
    const { api, sleeps } = setup();
    const failure = await createHighLevelSender({ api }).send(text(), defaultSettings()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SendFailure);
    expect(failure).toMatchObject({ kind: 'retryable', code: 'http_503' });
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['a timeout', 'ECONNABORTED', 'timeout of 15000ms exceeded'],
    ['a dropped connection', 'ECONNRESET', 'socket hang up'],
  ])('when the send meets %s, then it is not retried and the outcome is ambiguous', async (_what, code, message) => {
    nock(API).post('/conversations/messages').once().replyWithError(networkError(code, message));
    const { api } = setup();
    const error = await api.sendSms('loc-A', { contactId: 'contact-1', message: 'Hi' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ ambiguous: true, retryable: false, status: null });
    nock(API).post('/conversations/messages').once().replyWithError(networkError(code, message));
    await expect(createHighLevelSender({ api }).send(text(), defaultSettings())).rejects.toMatchObject({ kind: 'ambiguous' });
  });

  it('when the send cannot even connect, then it is certainly unsent and retryable', async () => {
    nock(API).post('/conversations/messages').once().replyWithError(networkError('ECONNREFUSED', 'connect ECONNREFUSED'));
    await expect(createHighLevelSender({ api: setup().api }).send(text(), defaultSettings())).rejects.toMatchObject({ kind: 'retryable', code: 'network' });
  });

  it('when the send keeps meeting 429, then the sender reports retryable with the wait HighLevel asked for', async () => {
    nock(API).post('/conversations/messages').times(5)
      .reply(429, { statusCode: 429, message: 'Too many requests' }, { 'X-RateLimit-Interval-Milliseconds': '10000' });
    await expect(createHighLevelSender({ api: setup().api }).send(text(), defaultSettings()))
      .rejects.toMatchObject({ kind: 'retryable', code: 'http_429', retryAfterMs: 10_000 });
  });
});

describe('the sender', () => {
  it('when HighLevel accepts the text, then the receipt names its message id and the contact and number are pinned', async () => {
    const scope = nock(API).post('/conversations/messages', { type: 'SMS', contactId: 'contact-1', message: 'Sorry we missed you', toNumber: '+15551234567' })
      .reply(201, { conversationId: 'conv-1', messageId: 'msg-1' });
    const recorder = recordNockRequests(scope);
    expect(await createHighLevelSender({ api: setup().api }).send(text(), defaultSettings()))
      .toEqual({ provider: 'highlevel', providerMessageId: 'msg-1', status: 'queued' });
    expect(checkRequests(checker, recorder.requests)).toEqual([]);
  });

  it.each([
    [422, { statusCode: 422, message: ['toNumber must be a valid phone number'], traceId: 'trace-422' }, 'invalid'],
    [400, { statusCode: 400, message: 'Cannot send message as DND is active for SMS.', traceId: 'trace-400' }, 'dnd'],
    [400, { statusCode: 400, message: 'Contact has unsubscribed', traceId: 'trace-400' }, 'opted-out'],
    [400, { statusCode: 400, message: 'Missing phone provider', traceId: 'trace-400' }, null],
  ])('when HighLevel answers %i %j, then the send is rejected with its message and verdict %s', async (status, body, verdict) => {
    nock(API).post('/conversations/messages').once().reply(status, body);
    const { api } = setup();
    const apiError = await api.sendSms('loc-A', { contactId: 'contact-1', message: 'Hi' }).catch((e: unknown) => e);
    expect(apiError).toMatchObject({ status, traceId: body.traceId, retryable: false, ambiguous: false });
    nock(API).post('/conversations/messages').once().reply(status, body);
    const failure = await createHighLevelSender({ api }).send(text(), defaultSettings()).catch((e: unknown) => e);
    expect(failure).toMatchObject({ kind: 'rejected', code: `http_${status}`, verdict, message: [body.message].flat().join('; ') });
  });

  it('when the location is not installed or needs reconnecting, then the send is rejected without a request', async () => {
    await locations.uninstall('loc-B', clock.now());
    await tokens.markNeedsReconnect('loc-A', 'test', clock.now());
    const sender = createHighLevelSender({ api: setup().api });
    await expect(sender.send(text({ locationId: 'loc-B' }), defaultSettings())).rejects.toMatchObject({ kind: 'rejected', code: 'not-installed' });
    await expect(sender.send(text(), defaultSettings())).rejects.toMatchObject({ kind: 'rejected', code: 'needs-reconnect' });
  });
});

describe('directories', () => {
  it.each([
    [{ dnd: true }, true],
    [{ dnd: false, dndSettings: { SMS: { status: 'active' } } }, true],
    [{ dnd: false, dndSettings: { SMS: { status: 'permanent' } } }, true],
    [{ dnd: false, dndSettings: { SMS: { status: 'inactive' }, Email: { status: 'active' } } }, false],
    [{}, false],
  ])('when the contact is %j, then smsDnd is %s', async (fields, smsDnd) => {
    nock(API).get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', phone: '+15551234567', firstName: 'Ana', ...fields } });
    expect(await createContactDirectory(setup().api).getContact('loc-A', 'contact-1'))
      .toEqual({ id: 'contact-1', phone: '+15551234567', firstName: 'Ana', smsDnd });
  });

  it('when the contact does not exist, then getContact is null', async () => {
    nock(API).get('/contacts/gone').reply(404, { statusCode: 404, message: 'Contact not found' });
    expect(await createContactDirectory(setup().api).getContact('loc-A', 'gone')).toBeNull();
  });

  it('when the location profile is read, then its numbers are E.164', async () => {
    nock(API)
      .get('/locations/loc-A').reply(200, { location: { name: 'Acme', timezone: 'America/Denver', phone: '(555) 000-1111' } })
      .get('/phone-system/numbers/location/loc-A').reply(200, { numbers: [{ phoneNumber: '+1 555-000-2222' }, { phoneNumber: '5550001111' }] });
    expect(await createLocationDirectory({ api: setup().api, logger: silentLogger }).getProfile('loc-A'))
      .toEqual({ name: 'Acme', timeZone: 'America/Denver', phone: '+15550001111', numbers: ['+15550002222', '+15550001111'] });
  });

  it('when the numbers cannot be listed for lack of scope, then the location phone stands in', async () => {
    nock(API)
      .get('/locations/loc-A').reply(200, { location: { name: 'Acme', timezone: 'America/Denver', phone: '+15550001111' } })
      .get('/phone-system/numbers/location/loc-A').reply(403, { statusCode: 403, message: 'The token does not have access to this location.' });
    expect(await createLocationDirectory({ api: setup().api, logger: silentLogger }).getProfile('loc-A'))
      .toMatchObject({ phone: '+15550001111', numbers: ['+15550001111'] });
  });
});

describe('logging', () => {
  it('when requests are made, then each is logged once at debug with the path template and no ids, phones or tokens', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    nock(API)
      .get('/contacts/search/duplicate').query(true).reply(200, { contact: null, traceId: 'trace-dup' })
      .get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1' } });
    const { api } = setup({ logger: createLogger({ level: 'debug', destination }) });
    await api.findContactByPhone('loc-A', '+15551234567');
    await api.getContact('loc-A', 'contact-1');

    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.map((l) => [l.level, l.method, l.path, l.status, l.traceId ?? null])).toEqual([
      ['debug', 'GET', '/contacts/search/duplicate', 200, 'trace-dup'],
      ['debug', 'GET', '/contacts/{contactId}', 200, null],
    ]);
    const all = lines.join('\n');
    for (const secret of ['loc-A', 'contact-1', '5551234567', 'token-A']) expect(all).not.toContain(secret);
  });
});
