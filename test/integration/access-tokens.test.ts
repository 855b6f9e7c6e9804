// Access tokens against a real SQLite file and a nocked HighLevel: single-flight refresh, CAS, reconnect, minting.
import nock from 'nock';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccessTokens, type RefreshOutcome } from '../../src/highlevel/access-tokens.js';
import { createOAuthClient, toTokenGrant } from '../../src/highlevel/oauth-client.js';
import { createManualClock, DAY, HOUR, MINUTE, type ManualClock } from '../../src/lib/clock.js';
import { createSecretBox, generateKey } from '../../src/lib/crypto.js';
import { HighLevelApiError, NotInstalledError, ReconnectRequiredError } from '../../src/lib/errors.js';
import { silentLogger } from '../../src/lib/logger.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createLocationStore } from '../../src/store/locations.js';
import { createTokenStore, type TokenGrant, type TokenStore } from '../../src/store/tokens.js';
import { defaultSettings } from '../../src/workflow/settings.js';
import { checkRequests, loadOpenApiChecker, recordNockRequests } from '../helpers/openapi.js';

const API = 'https://hl.test';
const checker = loadOpenApiChecker();
const key = generateKey();

let dir: string;
let dbPath: string;
let db: Db;
let tokens: TokenStore;
let locations: ReturnType<typeof createLocationStore>;
let clock: ManualClock;
let outcomes: RefreshOutcome[];
let unmatched: string[];
const onNoMatch = (req: { method?: string; path?: string }) => unmatched.push(`${req.method} ${req.path}`);

const oauth = createOAuthClient({ apiUrl: API, clientId: 'app123-client', clientSecret: 'shh', redirectUri: 'https://app.test/oauth/callback' });
const build = () => createAccessTokens({ tokens, locations, oauth, clock, logger: silentLogger, onRefresh: (o) => outcomes.push(o) });

function grant(overrides: Partial<TokenGrant> = {}): TokenGrant {
  return {
    ownerId: 'loc-1', ownerType: 'Location', companyId: 'co-1', accessToken: 'access-old', refreshToken: 'refresh-old',
    expiresAt: clock.now() + HOUR, scope: 'conversations/message.write', userId: 'user-1', ...overrides,
  };
}
const tokenResponse = (access: string, refresh: string | null, extra: object = {}) => ({
  access_token: access, token_type: 'Bearer', expires_in: 86399, ...(refresh ? { refresh_token: refresh } : {}),
  scope: 'conversations/message.write', userType: 'Location', locationId: 'loc-1', companyId: 'co-1', userId: 'user-1', ...extra,
});
// nock hands body matchers a form-encoded body already parsed into an object.
const formOf = (body: unknown): Record<string, string> =>
  typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : (body as Record<string, string>);
const networkError = (code: string, message: string) => Object.assign(new Error(message), { code });

beforeAll(() => {
  nock.disableNetConnect();
  nock.emitter.on('no match', onNoMatch);
});
afterAll(() => {
  nock.emitter.off('no match', onNoMatch);
  nock.enableNetConnect();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'textback-tokens-'));
  dbPath = join(dir, 'textback.sqlite');
  db = openDatabase(dbPath);
  tokens = createTokenStore(db, createSecretBox(key));
  locations = createLocationStore(db);
  clock = createManualClock();
  outcomes = [];
  unmatched = [];
  locations.install({ locationId: 'loc-1', companyId: 'co-1', settings: defaultSettings() }, clock.now());
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  expect(unmatched, 'requests no interceptor matched').toEqual([]);
  expect(pending, 'interceptors never called').toEqual([]);
});

describe('forLocation with its own Location token', () => {
  it('when 50 callers ask at once for an expired token, then exactly one refresh runs, all get the new token, and the rotated refresh token is stored', async () => {
    tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
    let refreshes = 0;
    const scope = nock(API)
      .post('/oauth/token', (body) => {
        const form = formOf(body);
        return form.grant_type === 'refresh_token' && form.refresh_token === 'refresh-old' && form.user_type === 'Location'
          && form.client_id === 'app123-client' && form.client_secret === 'shh';
      })
      .reply(200, () => {
        refreshes += 1;
        return tokenResponse('access-new', 'refresh-new');
      });
    const recorder = recordNockRequests(scope);
    const accessTokens = build();

    const results = await Promise.all(Array.from({ length: 50 }, () => accessTokens.forLocation('loc-1')));

    expect(refreshes).toBe(1);
    expect(new Set(results)).toEqual(new Set(['access-new']));
    const stored = tokens.get('loc-1');
    expect(stored).toMatchObject({ accessToken: 'access-new', refreshToken: 'refresh-new', expiresAt: clock.now() + 86_399_000 });
    expect(outcomes).toEqual([{ ownerId: 'loc-1', ownerType: 'Location', result: 'refreshed' }]);
    expect(checkRequests(checker, recorder.requests)).toEqual([]);
  });

  it('when the token is still fresh, then it is returned without any request', async () => {
    tokens.save(grant({ expiresAt: clock.now() + 6 * MINUTE }), clock.now());
    expect(await build().forLocation('loc-1')).toBe('access-old');
  });

  it('when the token expires within the refresh skew, then it is refreshed ahead of expiry', async () => {
    tokens.save(grant({ expiresAt: clock.now() + 4 * MINUTE }), clock.now());
    nock(API).post('/oauth/token').reply(200, tokenResponse('access-new', 'refresh-new'));
    expect(await build().forLocation('loc-1')).toBe('access-new');
  });

  it('when another process saves its refresh between our read and our swap, then the stored winner is used and no second refresh runs', async () => {
    tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
    const otherDb = openDatabase(dbPath);
    const otherProcess = createTokenStore(otherDb, createSecretBox(key));
    let refreshes = 0;
    nock(API).post('/oauth/token').reply(200, () => {
      refreshes += 1;
      const seen = otherProcess.get('loc-1')!;
      expect(otherProcess.swap(seen.revision, grant({ accessToken: 'access-winner', refreshToken: 'refresh-winner', expiresAt: clock.now() + DAY }), clock.now())).toBe(true);
      return tokenResponse('access-loser', 'refresh-loser');
    });
    const accessTokens = build();

    expect(await accessTokens.forLocation('loc-1')).toBe('access-winner');
    expect(await accessTokens.forLocation('loc-1')).toBe('access-winner');
    expect(refreshes).toBe(1);
    expect(tokens.get('loc-1')).toMatchObject({ accessToken: 'access-winner', refreshToken: 'refresh-winner' });
    expect(outcomes.map((o) => o.result)).toEqual(['lost-race']);
    otherDb.close();
  });

  it.each([
    ['OAuth style', 400, { error: 'invalid_grant', error_description: 'Invalid grant: refresh token is invalid' }],
    ['Nest style', 401, { statusCode: 401, message: 'Invalid grant: refresh token is invalid' }],
  ])('when HighLevel rejects the refresh token (%s), then the install is marked for reconnect and later calls make no request', async (_style, status, body) => {
    tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
    nock(API).post('/oauth/token').reply(status, body);
    const accessTokens = build();

    await expect(accessTokens.forLocation('loc-1')).rejects.toBeInstanceOf(ReconnectRequiredError);
    expect(tokens.get('loc-1')).toMatchObject({ needsReconnect: true });
    expect(tokens.get('loc-1')!.reconnectReason).toMatch(/invalid grant/i);
    await expect(accessTokens.forLocation('loc-1')).rejects.toBeInstanceOf(ReconnectRequiredError);
    await expect(build().afterUnauthorized('loc-1', 'access-old')).rejects.toBeInstanceOf(ReconnectRequiredError);
    expect(outcomes.map((o) => o.result)).toEqual(['needs-reconnect']);
  });

  it('when the refresh is rejected because another process already rotated the token, then the stored token is used and no reconnect is flagged', async () => {
    tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
    nock(API).post('/oauth/token').reply(400, () => {
      tokens.save(grant({ accessToken: 'access-winner', refreshToken: 'refresh-winner', expiresAt: clock.now() + DAY }), clock.now());
      return { error: 'invalid_grant' };
    });
    expect(await build().forLocation('loc-1')).toBe('access-winner');
    expect(tokens.get('loc-1')).toMatchObject({ needsReconnect: false, refreshToken: 'refresh-winner' });
  });

  it.each([
    ['a 503', (scope: nock.Interceptor) => scope.reply(503, { statusCode: 503, message: 'Service Unavailable' })],
    ['a dropped connection', (scope: nock.Interceptor) => scope.replyWithError(networkError('ECONNRESET', 'socket hang up'))],
  ])('when the refresh fails with %s, then a retryable error is thrown and the stored pair is untouched', async (_what, answer) => {
    tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
    answer(nock(API).post('/oauth/token'));

    const error = await build().forLocation('loc-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HighLevelApiError);
    expect(error).toMatchObject({ retryable: true, ambiguous: false });
    expect(tokens.get('loc-1')).toMatchObject({ needsReconnect: false, refreshToken: 'refresh-old', accessToken: 'access-old' });
  });
});

describe('forLocation under an agency (Company) install', () => {
  beforeEach(() => {
    locations.install({ locationId: 'loc-2', companyId: 'co-1', settings: defaultSettings() }, clock.now());
    tokens.save(grant({ ownerId: 'co-1', ownerType: 'Company', accessToken: 'company-access', refreshToken: 'company-refresh', expiresAt: clock.now() + 2 * DAY }), clock.now());
  });

  it('when the location has no token, then one is minted with the Company token, stored without a refresh token, and minted again once expired', async () => {
    let minted = 0;
    const scope = nock(API, { reqheaders: { authorization: 'Bearer company-access', version: '2021-07-28' } })
      .post('/oauth/locationToken', (body) => formOf(body).companyId === 'co-1' && formOf(body).locationId === 'loc-2')
      .times(2)
      .reply(200, () => {
        minted += 1;
        return { access_token: `loc-2-minted-${minted}`, token_type: 'Bearer', expires_in: 86399, locationId: 'loc-2', userId: 'user-1' };
      });
    const recorder = recordNockRequests(scope);
    const accessTokens = build();

    expect(await accessTokens.forLocation('loc-2')).toBe('loc-2-minted-1');
    expect(tokens.get('loc-2')).toMatchObject({ ownerType: 'Location', companyId: 'co-1', refreshToken: null, accessToken: 'loc-2-minted-1' });
    expect(await accessTokens.forLocation('loc-2')).toBe('loc-2-minted-1');

    clock.advance(DAY);
    expect(await accessTokens.forLocation('loc-2')).toBe('loc-2-minted-2');
    expect(tokens.get('loc-2')).toMatchObject({ refreshToken: null, accessToken: 'loc-2-minted-2' });
    expect(minted).toBe(2);
    expect(outcomes.map((o) => o.result)).toEqual(['minted', 'minted']);
    expect(checkRequests(checker, recorder.requests)).toEqual([]);
  });

  it('when the location\'s own install commits its grant right after the mint\'s next store call, then the install\'s grant stays and is used', async () => {
    // Another instance: once the mint has its token, the install's grant commits just after whatever the mint asks
    // the store next (a read, then a write, would overwrite it; one insert-if-absent statement cannot).
    let minted = false;
    let installed = false;
    nock(API).post('/oauth/locationToken').reply(200, () => {
      minted = true;
      return { access_token: 'loc-2-minted', token_type: 'Bearer', expires_in: 86399, locationId: 'loc-2', userId: 'user-1' };
    });
    const installCommits = () => {
      if (!minted || installed) return;
      installed = true;
      tokens.save(grant({ ownerId: 'loc-2', accessToken: 'own-install', refreshToken: 'own-refresh', expiresAt: clock.now() + DAY }), clock.now());
    };
    const racing: typeof tokens = {
      ...tokens,
      get: (ownerId) => { const read = tokens.get(ownerId); installCommits(); return read; },
      insertIfAbsent: (g, now) => { installCommits(); return tokens.insertIfAbsent(g, now); },
      save: (g, now) => { installCommits(); return tokens.save(g, now); },
    };
    const accessTokens = createAccessTokens({ tokens: racing, locations, oauth, clock, logger: silentLogger, onRefresh: (o) => outcomes.push(o) });
    expect(await accessTokens.forLocation('loc-2')).toBe('own-install');
    expect(tokens.get('loc-2')).toMatchObject({ accessToken: 'own-install', refreshToken: 'own-refresh' });
    expect(outcomes.map((o) => o.result)).toEqual(['lost-race']);
  });

  it('when the Company token needs reconnecting, then minting stops with ReconnectRequiredError and no request', async () => {
    tokens.markNeedsReconnect('co-1', 'test', clock.now());
    await expect(build().forLocation('loc-2')).rejects.toBeInstanceOf(ReconnectRequiredError);
  });

  it('when HighLevel refuses to mint for the location, then the location counts as not installed', async () => {
    nock(API).post('/oauth/locationToken').reply(400, { statusCode: 400, message: 'Location not approved for this app' });
    await expect(build().forLocation('loc-2')).rejects.toBeInstanceOf(NotInstalledError);
    expect(tokens.get('loc-2')).toBeNull();
  });
});

describe('forLocation without a usable installation', () => {
  it('when the location is uninstalled, then NotInstalledError is thrown without a request', async () => {
    tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
    locations.uninstall('loc-1', clock.now());
    await expect(build().forLocation('loc-1')).rejects.toBeInstanceOf(NotInstalledError);
  });

  it('when there is no token and no agency to mint from, then NotInstalledError is thrown', async () => {
    locations.install({ locationId: 'loc-3', companyId: null, settings: defaultSettings() }, clock.now());
    await expect(build().forLocation('loc-3')).rejects.toBeInstanceOf(NotInstalledError);
    await expect(build().forLocation('never-heard-of')).rejects.toBeInstanceOf(NotInstalledError);
  });

  it('when the agency has no Company token, then a location under it is not installed', async () => {
    locations.install({ locationId: 'loc-4', companyId: 'co-unknown', settings: defaultSettings() }, clock.now());
    await expect(build().forLocation('loc-4')).rejects.toBeInstanceOf(NotInstalledError);
  });
});

describe('afterUnauthorized', () => {
  it('when the stored token already differs from the rejected one, then it is returned without refreshing', async () => {
    tokens.save(grant({ accessToken: 'access-current' }), clock.now());
    expect(await build().afterUnauthorized('loc-1', 'access-stale')).toBe('access-current');
  });

  it('when the rejected token is the stored one, then one forced refresh is shared by concurrent callers', async () => {
    tokens.save(grant({ expiresAt: clock.now() + DAY }), clock.now());
    nock(API).post('/oauth/token').once().reply(200, tokenResponse('access-new', 'refresh-new'));
    const accessTokens = build();
    const results = await Promise.all(Array.from({ length: 5 }, () => accessTokens.afterUnauthorized('loc-1', 'access-old')));
    expect(new Set(results)).toEqual(new Set(['access-new']));
    expect(tokens.get('loc-1')!.refreshToken).toBe('refresh-new');
  });
});

describe('tokens at rest', () => {
  it('when tokens are saved and refreshed, then the database files hold none of them in plain text', async () => {
    tokens.save(grant({ ownerId: 'loc-plain-check', expiresAt: clock.now() - MINUTE }), clock.now());
    locations.install({ locationId: 'loc-plain-check', companyId: null, settings: defaultSettings() }, clock.now());
    nock(API).post('/oauth/token').reply(200, tokenResponse('access-new', 'refresh-new'));
    await build().forLocation('loc-plain-check');

    const bytes = Buffer.concat([dbPath, `${dbPath}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
    expect(bytes.includes('loc-plain-check'), 'the files hold the rows (owner id is not secret)').toBe(true);
    for (const secret of ['access-old', 'refresh-old', 'access-new', 'refresh-new']) {
      expect(bytes.includes(secret), secret).toBe(false);
    }
  });
});

describe('the OAuth client', () => {
  it('when an install code is exchanged, then the form carries no user_type and the answer becomes a grant for its location', async () => {
    const scope = nock(API)
      .post('/oauth/token', (body) => {
        const form = formOf(body);
        return form.grant_type === 'authorization_code' && form.code === 'code-1' && form.redirect_uri === 'https://app.test/oauth/callback' && !('user_type' in form);
      })
      .reply(200, tokenResponse('access-install', 'refresh-install', { planId: 'plan-1', unknownField: 1 }));
    const recorder = recordNockRequests(scope);
    const response = await oauth.exchangeCode('code-1');
    expect(response).toMatchObject({ access_token: 'access-install', planId: 'plan-1', unknownField: 1 });
    expect(toTokenGrant(response, clock.now())).toEqual({
      ownerId: 'loc-1', ownerType: 'Location', companyId: 'co-1', accessToken: 'access-install', refreshToken: 'refresh-install',
      expiresAt: clock.now() + 86_399_000, scope: 'conversations/message.write', userId: 'user-1',
    });
    expect(recorder.requests[0].headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(checkRequests(checker, recorder.requests)).toEqual([]);
  });

  it.each([
    [400, { error: 'invalid_client', error_description: 'Client authentication failed' }, 'invalid_client', false],
    [401, { statusCode: 401, message: 'Invalid client credentials' }, 'invalid_client', false],
    [502, { message: 'Bad Gateway' }, 'server', true],
    [429, { message: 'Too many requests' }, 'rate_limited', true],
  ])('when /oauth/token answers %i %j, then OAuthError has code %s and retryable %s', async (status, body, code, retryable) => {
    nock(API).post('/oauth/token').reply(status, body);
    await expect(oauth.exchangeCode('code-1')).rejects.toMatchObject({ name: 'OAuthError', code, status, retryable });
  });
});
