// The embedded page's session exchange: HighLevel's encrypted user context in, a short-lived location token out.
import { hkdfSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptUserContext } from '../../src/highlevel/sso.js';
import { createSessionTokens } from '../../src/http/session-tokens.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { bearer, locationToken, userContextPayload } from '../helpers/session.js';

const LOC = 'loc-acme';
let h: Harness;

beforeEach(async () => { h = await createHarness(); await h.seedLocation(LOC); });
afterEach(async () => { await h.close(); });

const exchange = (payload: unknown) => h.http.post('/api/session').send({ payload });
const settingsWith = (token: string, locationId = LOC) => h.http.get(`/api/locations/${locationId}/settings`).set(bearer(token));

/** The key session tokens are signed with, derived as the app derives it (to forge tokens that differ in one claim). */
function signingKey(): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(h.config.encryptionKey!, 'base64'), Buffer.alloc(0), 'textback session tokens v1', 32));
}
const claims = () => ({ sub: 'user-1', loc: LOC, cid: 'company-1', role: 'admin' });

describe('POST /api/session', () => {
  it('when the user context names an installed location, then a token bound to it and the user comes back', async () => {
    const res = await exchange(userContextPayload(h, { activeLocation: LOC }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ locationId: LOC, user: { id: 'user-1', name: 'Pat Admin', role: 'admin' } });
    expect(res.body.expiresAt).toBe(h.clock.now() + 3_600_000);
    const decoded = jwt.decode(res.body.token, { complete: true })!;
    expect(decoded.header.alg).toBe('HS256');
    expect(decoded.payload).toMatchObject({ sub: 'user-1', loc: LOC, aud: 'textback:location' });
    expect((await settingsWith(res.body.token)).status).toBe(200);
  });

  it('when the payload cannot be decrypted, for any reason, then every answer is the same 401', async () => {
    const wrongSecret = encryptUserContext({ userId: 'u', companyId: 'c', role: 'admin', type: 'agency', activeLocation: LOC }, 'another-secret');
    const notJson = encryptUserContext('plain text' as unknown as object, h.config.highLevel.sharedSecret);
    const missingFields = encryptUserContext({ activeLocation: LOC }, h.config.highLevel.sharedSecret);
    const answers = await Promise.all([wrongSecret, notJson, missingFields, 'U2FsdGVkX1+garbage==', 'not base64 at all!'].map(exchange));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers[0].body.error).toBe('invalid_payload');
  });

  it('when no payload is sent, then 422 names the field', async () => {
    const res = await h.http.post('/api/session').send({});
    expect(res.status).toBe(422);
    expect(res.body.issues.map((i: { field: string }) => i.field)).toEqual(['payload']);
  });

  it('when the context has no active location, then 403 no_location', async () => {
    const res = await exchange(userContextPayload(h, { activeLocation: undefined }));
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('no_location');
  });

  it('when the app is not installed in the location (unknown or uninstalled), then 403 not_installed', async () => {
    const unknown = await exchange(userContextPayload(h, { activeLocation: 'loc-elsewhere' }));
    await h.sql.run(`UPDATE locations SET status = 'uninstalled' WHERE location_id = ?`, LOC);
    const uninstalled = await exchange(userContextPayload(h, { activeLocation: LOC }));
    expect([unknown.status, unknown.body.error, uninstalled.status, uninstalled.body.error]).toEqual([403, 'not_installed', 403, 'not_installed']);
  });

  it('when one address keeps trying, then the 31st attempt in a minute is refused and a minute later it may try again', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await exchange('U2FsdGVkX1+garbage==')).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    const refused = await exchange(userContextPayload(h, { activeLocation: LOC }));
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    h.clock.advance(60_000);
    expect((await exchange(userContextPayload(h, { activeLocation: LOC }))).status).toBe(200);
  });
});

describe('location session tokens', () => {
  it('when the token has expired, then 401', async () => {
    const token = await locationToken(h, LOC);
    h.clock.advance(59 * 60_000);
    expect((await settingsWith(token)).status).toBe(200);
    h.clock.advance(2 * 60_000);
    expect((await settingsWith(token)).status).toBe(401);
  });

  it('when the token was tampered with (claims or signature), then 401', async () => {
    const token = await locationToken(h, LOC);
    const [header, payload, signature] = token.split('.');
    const otherClaims = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), loc: 'loc-other' })).toString('base64url');
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    expect((await settingsWith(`${header}.${otherClaims}.${signature}`)).status).toBe(401);
    expect((await settingsWith(`${header}.${payload}.${flipped}`)).status).toBe(401);
  });

  it('when the token says alg none, uses another algorithm, another audience or another key, then 401', async () => {
    const exp = Math.floor(h.clock.now() / 1000) + 600;
    const none = [{ alg: 'none', typ: 'JWT' }, { ...claims(), aud: 'textback:location', iss: 'textback', exp }]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.';
    const hs512 = jwt.sign({ ...claims(), exp }, signingKey(), { algorithm: 'HS512', audience: 'textback:location', issuer: 'textback' });
    const otherAudience = jwt.sign({ ...claims(), exp }, signingKey(), { algorithm: 'HS256', audience: 'textback:other', issuer: 'textback' });
    const agencyAudience = createSessionTokens(h.config.encryptionKey!, { now: h.clock.now })
      .issue({ userId: 'user-1', userName: null, role: 'admin', scope: 'agency', locationId: LOC, companyId: 'company-1' }).token;
    const otherKey = jwt.sign({ ...claims(), exp }, Buffer.alloc(32, 7), { algorithm: 'HS256', audience: 'textback:location', issuer: 'textback' });
    const answers = await Promise.all([none, hs512, otherAudience, agencyAudience, otherKey].map((token) => settingsWith(token)));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    // The same claims, properly signed, pass: the failures above come from the one thing each changed.
    const proper = jwt.sign({ ...claims(), exp }, signingKey(), { algorithm: 'HS256', audience: 'textback:location', issuer: 'textback' });
    expect((await settingsWith(proper)).status).toBe(200);
  });

  it('when no token or a malformed header is sent, then 401', async () => {
    expect((await h.http.get(`/api/locations/${LOC}/settings`)).status).toBe(401);
    expect((await h.http.get(`/api/locations/${LOC}/settings`).set('Authorization', 'Basic abc')).status).toBe(401);
  });
});
