// Tests the OpenAPI conformance checker used to vet every request the app sends to HighLevel, and its nock recorder.
import axios from 'axios';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkRequests, loadOpenApiChecker, recordNockRequests } from '../helpers/openapi.js';

const checker = loadOpenApiChecker();
const conv = { Authorization: 'Bearer loc-token', Version: '2021-04-15', 'Content-Type': 'application/json' };
const contacts = { Authorization: 'Bearer loc-token', Version: '2021-07-28', 'Content-Type': 'application/json' };
const sms = { type: 'SMS', contactId: 'cI08i1Bls3iTB9bKgFJh', message: 'Sorry we missed your call!' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

function send(body: unknown, headers: Record<string, string> = conv): string[] {
  return checker.check({ method: 'POST', path: '/conversations/messages', headers, body });
}

describe('loadOpenApiChecker: operation lookup', () => {
  it('when a conforming SMS send is checked, then there are no problems', () => {
    expect(send(sms)).toEqual([]);
    expect(send(JSON.stringify({ ...sms, fromNumber: '+15559876543', toNumber: '+15551234567' }))).toEqual([]);
  });

  it('when the path is unknown, then it fails', () => {
    expect(checker.check({ method: 'GET', path: '/contacts/abc/nonsense/x', headers: contacts })).toEqual([
      'GET /contacts/abc/nonsense/x: no operation in the HighLevel specs matches this path',
    ]);
  });

  it('when the path exists but not for the method, then it fails naming the allowed methods', () => {
    const problems = checker.check({ method: 'PATCH', path: '/contacts/abc', headers: contacts, body: {} });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/no PATCH operation; path allows GET, PUT, DELETE/);
  });

  it('when GET /contacts/search/duplicate has locationId and number, then it matches the literal path and passes', () => {
    const path = '/contacts/search/duplicate?locationId=loc1&number=%2B15551234567';
    expect(checker.check({ method: 'GET', path, headers: contacts })).toEqual([]);
  });

  it('when /contacts/search/duplicate misses locationId, then the problem names the literal operation', () => {
    const problems = checker.check({ method: 'GET', path: '/contacts/search/duplicate?number=%2B1555', headers: contacts });
    expect(problems).toEqual(['GET /contacts/search/duplicate: missing required query parameter locationId']);
  });

  it('when a literal and a templated path of equal length both match, then the literal one is chosen', () => {
    const { Version: _omit, ...noVersion } = contacts;
    // The spec lists /campaigns/{campaignId} before /campaigns/removeAll, so file order alone would pick the wrong one.
    expect(checker.check({ method: 'DELETE', path: '/contacts/c1/campaigns/removeAll', headers: noVersion })).toEqual([
      'DELETE /contacts/{contactId}/campaigns/removeAll: missing required header Version',
    ]);
    expect(checker.check({ method: 'GET', path: '/conversations/search', headers: conv })).toEqual([
      'GET /conversations/search: missing required query parameter locationId',
    ]);
  });

  it('when a full URL is given, then only its path and query count', () => {
    const path = 'https://services.leadconnectorhq.com/locations/loc1';
    expect(checker.check({ method: 'get', path, headers: contacts })).toEqual([]);
  });
});

describe('loadOpenApiChecker: headers', () => {
  it('when Version is wrong for the API family, then it fails', () => {
    expect(send(sms, { ...conv, Version: '2021-07-28' })).toEqual([
      'POST /conversations/messages: header Version is "2021-07-28", expected "2021-04-15"',
    ]);
  });

  it('when Version is missing, then it fails', () => {
    const { Version: _omit, ...noVersion } = conv;
    expect(send(sms, noVersion)).toEqual(['POST /conversations/messages: missing required header Version']);
  });

  it('when header names differ in case or values come as arrays, then they are still found', () => {
    expect(send(sms, { authorization: 'Bearer t', version: '2021-04-15', 'content-type': 'application/json' })).toEqual([]);
    expect(checker.check({ method: 'GET', path: '/locations/l1', headers: { version: ['2021-07-28'], authorization: 'Bearer t' } })).toEqual([]);
  });

  it('when an operation with security is called without a bearer token, then it fails', () => {
    const { Authorization: _omit, ...noAuth } = conv;
    expect(send(sms, noAuth)[0]).toMatch(/missing or malformed Authorization/);
    expect(send(sms, { ...conv, Authorization: 'Basic abc' })[0]).toMatch(/missing or malformed Authorization/);
  });
});

describe('loadOpenApiChecker: JSON bodies', () => {
  it('when contactId is missing from the send body, then it fails', () => {
    expect(send({ type: 'SMS', message: 'hi' })).toEqual(['POST /conversations/messages: body.contactId is required']);
  });

  it('when the send body breaks the enum or types, then each problem is reported', () => {
    const problems = send({ type: 'TEXT', contactId: 42, message: 'hi', attachments: 'x' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/body\.type is string "TEXT", not one of/);
    expect(problems.join('\n')).toMatch(/body\.contactId should be string but is number 42/);
    expect(problems.join('\n')).toMatch(/body\.attachments should be array/);
  });

  it('when the relaxation of subType/status is switched off, then the minimal body fails as the newest spec says', () => {
    const strict = loadOpenApiChecker({ relaxRequired: {} });
    const problems = strict.check({ method: 'POST', path: '/conversations/messages', headers: conv, body: sms });
    expect(problems).toEqual([
      'POST /conversations/messages: body.subType is required',
      'POST /conversations/messages: body.status is required',
    ]);
  });

  it('when the body is absent, not JSON, or sent with the wrong content type, then it fails', () => {
    expect(send(undefined)).toEqual(['POST /conversations/messages: missing required request body']);
    expect(send('{not json')).toEqual(['POST /conversations/messages: body is not valid JSON']);
    expect(send('type=SMS', { ...conv, 'Content-Type': 'application/x-www-form-urlencoded' })[0]).toMatch(/content-type .* not accepted/);
  });

  it('when PUT /contacts/{id} sets SMS dndSettings, then it passes', () => {
    const body = { dndSettings: { SMS: { status: 'active', message: 'Opted out by STOP reply' } } };
    expect(checker.check({ method: 'PUT', path: '/contacts/cI08i1Bls3iTB9bKgFJh', headers: contacts, body })).toEqual([]);
  });

  it('when dndSettings carry a bad status or miss it (nested $ref), then it fails', () => {
    const check = (SMS: unknown) => checker.check({ method: 'PUT', path: '/contacts/c1', headers: contacts, body: { dndSettings: { SMS } } });
    expect(check({ status: 'stopped' })[0]).toMatch(/body\.dndSettings\.SMS\.status is string "stopped", not one of/);
    expect(check({ message: 'x' })).toEqual(['PUT /contacts/{contactId}: body.dndSettings.SMS.status is required']);
  });

  it('when tags are added with an array of strings, then it passes; with a string, then it fails', () => {
    const path = '/contacts/c1/tags';
    expect(checker.check({ method: 'POST', path, headers: contacts, body: { tags: ['missed-call'] } })).toEqual([]);
    expect(checker.check({ method: 'POST', path, headers: contacts, body: { tags: 'missed-call' } })[0]).toMatch(/body\.tags should be array/);
  });

  it('when a GET carries a body, then it fails', () => {
    expect(checker.check({ method: 'GET', path: '/contacts/c1', headers: contacts, body: { x: 1 } })[0]).toMatch(/declares no request body/);
  });
});

describe('loadOpenApiChecker: query parameters', () => {
  it('when an unknown query parameter is sent, then it fails', () => {
    const path = '/contacts/search/duplicate?locationId=l1&phone=%2B1555';
    expect(checker.check({ method: 'GET', path, headers: contacts })).toEqual([
      'GET /contacts/search/duplicate: unknown query parameter phone',
    ]);
  });

  it('when a query parameter is a comma list of enum values, then it passes; a bad member fails', () => {
    const ok = '/conversations/conv1/messages?type=TYPE_CALL,TYPE_SMS&limit=20';
    expect(checker.check({ method: 'GET', path: ok, headers: conv })).toEqual([]);
    const bad = '/conversations/conv1/messages?type=TYPE_CALL,TYPE_FAX';
    expect(checker.check({ method: 'GET', path: bad, headers: conv })[0]).toMatch(/query\.type is string "TYPE_CALL,TYPE_FAX", not one of/);
  });

  it('when the catch-up search sorts by last_message_date, then it passes; a bad sortBy or limit fails', () => {
    const ok = '/conversations/search?locationId=l1&sortBy=last_message_date&limit=50';
    expect(checker.check({ method: 'GET', path: ok, headers: conv })).toEqual([]);
    const bad = '/conversations/search?locationId=l1&sortBy=newest&limit=many';
    expect(checker.check({ method: 'GET', path: bad, headers: conv })).toHaveLength(2);
  });
});

describe('loadOpenApiChecker: form-encoded oauth', () => {
  const token = new URLSearchParams({
    client_id: 'app-123', client_secret: 's3cret', grant_type: 'refresh_token', refresh_token: 'r1', user_type: 'Location',
    redirect_uri: 'https://example.test/oauth/callback',
  }).toString();

  it('when /oauth/token is posted form-encoded with the required fields, then it passes', () => {
    expect(checker.check({ method: 'POST', path: '/oauth/token', headers: form, body: token })).toEqual([]);
  });

  it('when /oauth/token misses client_secret or has a bad grant_type, then it fails', () => {
    const missing = new URLSearchParams(token);
    missing.delete('client_secret');
    expect(checker.check({ method: 'POST', path: '/oauth/token', headers: form, body: missing.toString() })).toEqual([
      'POST /oauth/token: body.client_secret is required',
    ]);
    const bad = new URLSearchParams(token);
    bad.set('grant_type', 'password');
    expect(checker.check({ method: 'POST', path: '/oauth/token', headers: form, body: bad.toString() })[0]).toMatch(/body\.grant_type/);
  });

  it('when /oauth/token is sent as JSON, then it fails on the content type', () => {
    const body = Object.fromEntries(new URLSearchParams(token));
    const problems = checker.check({ method: 'POST', path: '/oauth/token', headers: { 'content-type': 'application/json' }, body });
    expect(problems[0]).toMatch(/content-type application\/json not accepted/);
  });

  it('when /oauth/locationToken is minted with the company token, then it passes; without Version, then it fails', () => {
    const headers = { ...form, Authorization: 'Bearer company-token', Version: '2021-07-28' };
    const body = 'companyId=c1&locationId=l1';
    expect(checker.check({ method: 'POST', path: '/oauth/locationToken', headers, body })).toEqual([]);
    const { Version: _omit, ...noVersion } = headers;
    expect(checker.check({ method: 'POST', path: '/oauth/locationToken', headers: noVersion, body })).toEqual([
      'POST /oauth/locationToken: missing required header Version',
    ]);
  });
});

describe('spec errata', () => {
  const add = { type: 'SMS', conversationId: 'c1', contactId: 'k1', conversationProviderId: 'p1', message: 'hi' };
  const addMessage = (body: unknown) => checker.check({ method: 'POST', path: '/conversations/messages/inbound', headers: conv, body });

  it('when a message is added with direction inbound or outbound (the spec mistypes it as an object), then it passes; any other value fails', () => {
    expect(addMessage({ ...add, direction: 'inbound' })).toEqual([]);
    expect(addMessage({ ...add, direction: 'outbound' })).toEqual([]);
    expect(addMessage({ ...add, direction: 'sideways' })).toEqual([
      'POST /conversations/messages/inbound: body.direction is string "sideways", not one of ["inbound","outbound"]',
    ]);
    expect(addMessage({ ...add, conversationProviderId: undefined, direction: 'inbound' })).toEqual([
      'POST /conversations/messages/inbound: body.conversationProviderId is required',
    ]);
  });
});

describe('recordNockRequests', () => {
  const base = 'https://services.leadconnectorhq.com';
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());

  it('when requests reach nock interceptors, then each is recorded with headers and parsed body for the checker', async () => {
    const scope = nock(base)
      .post('/conversations/messages').reply(200, { conversationId: 'c', messageId: 'm' })
      .post('/oauth/token').reply(200, { access_token: 'a' })
      .get('/contacts/search/duplicate').query(true).reply(200, { contact: null });
    const recorder = recordNockRequests(scope);
    await axios.post(`${base}/conversations/messages`, sms, { headers: conv });
    await axios.post(`${base}/oauth/token`, 'client_id=a&client_secret=b&grant_type=authorization_code&code=x', { headers: form });
    await axios.get(`${base}/contacts/search/duplicate`, { params: { locationId: 'l1', number: '+1555' }, headers: { ...contacts, Version: 'wrong' } });
    recorder.stop();

    expect(recorder.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /conversations/messages',
      'POST /oauth/token',
      'GET /contacts/search/duplicate?locationId=l1&number=%2B1555',
    ]);
    expect(recorder.requests[0].body).toEqual(sms);
    expect(checkRequests(checker, recorder.requests)).toEqual([
      'GET /contacts/search/duplicate: header Version is "wrong", expected "2021-07-28"',
    ]);
  });
});
