// Access tokens over the stores of the engine under test (a SQLite file, or a PostgreSQL database of their own) and a
// nocked HighLevel: single-flight refresh, the compare-and-swap between instances, reconnect, minting.
import nock from 'nock';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccessTokens, type AccessTokensDeps, type RefreshOutcome } from '../../src/highlevel/access-tokens.js';
import { createOAuthClient, toTokenGrant } from '../../src/highlevel/oauth-client.js';
import { createManualClock, DAY, HOUR, MINUTE, type ManualClock } from '../../src/lib/clock.js';
import { createSecretBox, generateKey } from '../../src/lib/crypto.js';
import { HighLevelApiError, NotInstalledError, ReconnectRequiredError } from '../../src/lib/errors.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { Storage } from '../../src/store/storage.js';
import type { TokenGrant } from '../../src/store/tokens.js';
import { defaultSettings } from '../../src/workflow/settings.js';
import { checkRequests, loadOpenApiChecker, recordNockRequests } from '../helpers/openapi.js';
import { openStoresUnderTest, type StoresUnderTest } from '../helpers/stores-under-test.js';

const API = 'https://hl.test';
const checker = loadOpenApiChecker();
const key = generateKey();

let stores: StoresUnderTest;
let tokens: Storage['tokens'];
let locations: Storage['locations'];
let clock: ManualClock;
let outcomes: RefreshOutcome[];
let unmatched: string[];
const onNoMatch = (req: { method?: string; path?: string }) => unmatched.push(`${req.method} ${req.path}`);

const oauth = createOAuthClient({ apiUrl: API, clientId: 'app123-client', clientSecret: 'shh', redirectUri: 'https://app.test/oauth/callback' });
/** An access-token service over the given instance's stores (by default the test's own); its sleeps pass at once. */
const build = (instance: Pick<Storage, 'tokens' | 'locations'> = { tokens, locations }, overrides: Partial<AccessTokensDeps> = {}) =>
  createAccessTokens({
    tokens: instance.tokens, locations: instance.locations, oauth, clock, logger: silentLogger, onRefresh: (o) => outcomes.push(o),
    sleep: async (ms) => { clock.advance(ms); }, ...overrides,
  });

interface Deferred { promise: Promise<void>; resolve(): void }
function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => { resolve = done; });
  return { promise, resolve };
}

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

/** Every row of every table as text: what the database holds, read through SQL on either engine. */
async function everyRowAsText(): Promise<string> {
  const tables = await stores.sql.column<string>(stores.engine === 'sqlite'
    ? `SELECT name FROM sqlite_master WHERE type = 'table'`
    : `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
  expect(tables).toContain('tokens');
  const rows = await Promise.all(tables.map((table) => stores.sql.all(`SELECT * FROM ${table}`)));
  return JSON.stringify(rows);
}

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
  stores = await openStoresUnderTest({ box: createSecretBox(key), clock });
  ({ tokens, locations } = stores.storage);
  outcomes = [];
  unmatched = [];
  await locations.install({ locationId: 'loc-1', companyId: 'co-1', settings: defaultSettings() }, clock.now());
});
afterEach(async () => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  await stores.close();
  expect(unmatched, 'requests no interceptor matched').toEqual([]);
  expect(pending, 'interceptors never called').toEqual([]);
});

describe('forLocation with its own Location token', () => {
  it('when 50 callers ask at once for an expired token, then exactly one refresh runs, all get the new token, and the rotated refresh token is stored', async () => {
    await tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
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
    const stored = await tokens.get('loc-1');
    expect(stored).toMatchObject({ accessToken: 'access-new', refreshToken: 'refresh-new', expiresAt: clock.now() + 86_399_000 });
    expect(outcomes).toEqual([{ ownerId: 'loc-1', ownerType: 'Location', result: 'refreshed' }]);
    expect(checkRequests(checker, recorder.requests)).toEqual([]);
  });

  it('when the token is still fresh, then it is returned without any request', async () => {
    await tokens.save(grant({ expiresAt: clock.now() + 6 * MINUTE }), clock.now());
    expect(await build().forLocation('loc-1')).toBe('access-old');
  });

  it('when the token expires within the refresh skew, then it is refreshed ahead of expiry', async () => {
    await tokens.save(grant({ expiresAt: clock.now() + 4 * MINUTE }), clock.now());
    nock(API).post('/oauth/token').reply(200, tokenResponse('access-new', 'refresh-new'));
    expect(await build().forLocation('loc-1')).toBe('access-new');
  });

  it('when another process saves its refresh between our read and our swap, then the stored winner is used and no second refresh runs', async () => {
    await tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
    // Another instance: a connection of its own on SQLite, a pool of its own on PostgreSQL.
    const otherProcess = (await stores.another()).tokens;
    let refreshes = 0;
    let otherSwapped: boolean | undefined;
    nock(API).post('/oauth/token').reply(200, async () => {
      refreshes += 1;
      const seen = (await otherProcess.get('loc-1'))!;
      otherSwapped = await otherProcess.swap(seen.revision, grant({ accessToken: 'access-winner', refreshToken: 'refresh-winner', expiresAt: clock.now() + DAY }), clock.now());
      return tokenResponse('access-loser', 'refresh-loser');
    });
    const accessTokens = build();

    expect(await accessTokens.forLocation('loc-1')).toBe('access-winner');
    expect(otherSwapped).toBe(true);
    expect(await accessTokens.forLocation('loc-1')).toBe('access-winner');
    expect(refreshes).toBe(1);
    expect(await tokens.get('loc-1')).toMatchObject({ accessToken: 'access-winner', refreshToken: 'refresh-winner' });
    expect(outcomes.map((o) => o.result)).toEqual(['lost-race']);
  });

  it('when two instances refresh the same expired tokens at once, then one of them uses each refresh token, once, and both use its rotation', async () => {
    // Ten locations, each asked of both instances at the same moment (over two pools on PostgreSQL). HighLevel would
    // refuse a rotated refresh token, and may take a reused one for a stolen one: each must reach it once.
    const owners = Array.from({ length: 10 }, (_, i) => `loc-race-${i}`);
    for (const ownerId of owners) {
      await locations.install({ locationId: ownerId, companyId: 'co-1', settings: defaultSettings() }, clock.now());
      await tokens.save(grant({ ownerId, refreshToken: `${ownerId}-refresh-old`, expiresAt: clock.now() - MINUTE }), clock.now());
    }
    const used = new Map<string, number>();
    nock(API).post('/oauth/token').times(owners.length).reply(200, (_uri, body) => {
      const refreshToken = formOf(body).refresh_token;
      used.set(refreshToken, (used.get(refreshToken) ?? 0) + 1);
      const ownerId = refreshToken.replace(/-refresh-old$/, '');
      return tokenResponse(`${ownerId}-access-new`, `${ownerId}-refresh-new`, { locationId: ownerId });
    });
    // The one waiting polls the row; its clock stands still (the lease never runs out here), it only lets I/O through.
    const poll = { sleep: () => new Promise<void>((resolve) => { setImmediate(resolve); }) };
    const first = build(undefined, poll);
    const second = build(await stores.another(), poll);

    const results = await Promise.all(owners.map((ownerId) => Promise.all([first.forLocation(ownerId), second.forLocation(ownerId)])));

    for (const [i, ownerId] of owners.entries()) {
      expect(used.get(`${ownerId}-refresh-old`), ownerId).toBe(1);
      expect(await tokens.get(ownerId), ownerId).toMatchObject({ accessToken: `${ownerId}-access-new`, refreshToken: `${ownerId}-refresh-new`, needsReconnect: false });
      expect(results[i], ownerId).toEqual([`${ownerId}-access-new`, `${ownerId}-access-new`]);
      // One refresh per owner. The other instance either waited for it (lost-race) or, reading the row only after the
      // rotation was saved, found a fresh token and reported nothing: which one depends on the pools' timing.
      const ownerOutcomes = outcomes.filter((o) => o.ownerId === ownerId).map((o) => o.result).sort();
      expect([['refreshed'], ['lost-race', 'refreshed']], ownerId).toContainEqual(ownerOutcomes);
    }
  });

  it('when the instance holding a refresh fails it (HighLevel down), then the waiting instance takes the refresh over at once', async () => {
    await tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
    nock(API).post('/oauth/token').reply(503, { message: 'unavailable' }).post('/oauth/token').reply(200, tokenResponse('access-2', 'refresh-2'));
    const first = build();
    const second = build(await stores.another());
    const [a, b] = await Promise.allSettled([first.forLocation('loc-1'), second.forLocation('loc-1')]);
    // One of them met the 503 (a retryable error for its caller); the other refreshed after it gave the lease back.
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    expect(await tokens.get('loc-1')).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2', needsReconnect: false });
  });

  it.each([
    ['OAuth style', 400, { error: 'invalid_grant', error_description: 'Invalid grant: refresh token is invalid' }],
    ['Nest style', 401, { statusCode: 401, message: 'Invalid grant: refresh token is invalid' }],
  ])('when HighLevel rejects the refresh token (%s), then the install is marked for reconnect and later calls make no request', async (_style, status, body) => {
    await tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
    nock(API).post('/oauth/token').reply(status, body);
    const accessTokens = build();

    await expect(accessTokens.forLocation('loc-1')).rejects.toBeInstanceOf(ReconnectRequiredError);
    expect(await tokens.get('loc-1')).toMatchObject({ needsReconnect: true });
    expect((await tokens.get('loc-1'))!.reconnectReason).toMatch(/invalid grant/i);
    await expect(accessTokens.forLocation('loc-1')).rejects.toBeInstanceOf(ReconnectRequiredError);
    await expect(build().afterUnauthorized('loc-1', 'access-old')).rejects.toBeInstanceOf(ReconnectRequiredError);
    expect(outcomes.map((o) => o.result)).toEqual(['needs-reconnect']);
  });

  it('when the refresh is rejected because another process already rotated the token, then the stored token is used and no reconnect is flagged', async () => {
    await tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
    const otherProcess = (await stores.another()).tokens;
    nock(API).post('/oauth/token').reply(400, async () => {
      await otherProcess.save(grant({ accessToken: 'access-winner', refreshToken: 'refresh-winner', expiresAt: clock.now() + DAY }), clock.now());
      return { error: 'invalid_grant' };
    });
    expect(await build().forLocation('loc-1')).toBe('access-winner');
    expect(await tokens.get('loc-1')).toMatchObject({ needsReconnect: false, refreshToken: 'refresh-winner' });
  });

  describe('when another instance\'s refresh with the same token reached HighLevel first, and its swap is held until ours got invalid_grant', () => {
    // HighLevel rotates refresh-old for B (the other instance) and kills it, then refuses it to A (this test's own
    // instance) while B's save of the new pair has not committed yet.
    let refreshes: number;
    let other: Storage;
    let swapping: Deferred;
    let releaseSwap: Deferred;
    let instanceB: ReturnType<typeof build>;
    beforeEach(async () => {
      await tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
      refreshes = 0;
      nock(API).post('/oauth/token', (body) => formOf(body).refresh_token === 'refresh-old').times(2).reply(() => {
        refreshes += 1;
        return refreshes === 1
          ? [200, tokenResponse('access-b', 'refresh-b')]
          : [400, { error: 'invalid_grant', error_description: 'Invalid grant: refresh token is invalid' }];
      });
      other = await stores.another();
      swapping = deferred();
      releaseSwap = deferred();
      // B is an instance of a build from before the refresh lease (a rolling deploy): it neither takes nor heeds it.
      const heldSwap: typeof tokens = {
        ...other.tokens,
        leaseRefresh: async () => true,
        endRefreshLease: async () => {},
        swap: async (revision, g, now) => {
          swapping.resolve();
          await releaseSwap.promise;
          return other.tokens.swap(revision, g, now);
        },
      };
      instanceB = build({ tokens: heldSwap, locations: other.locations });
    });

    it('when B\'s swap commits within A\'s grace period, then the location is not marked and both instances use B\'s token', async () => {
      const waiting = deferred();
      const graceOver = deferred();
      const instanceA = build(undefined, { sleep: (ms) => { clock.advance(ms); waiting.resolve(); return graceOver.promise; } });

      const resultB = instanceB.forLocation('loc-1');
      await swapping.promise;
      const resultA = instanceA.forLocation('loc-1');
      // A got invalid_grant, and either waits or (were it to mark at once) has already given up.
      await Promise.race([waiting.promise, resultA.then(() => {}, () => {})]);
      expect(refreshes).toBe(2);
      releaseSwap.resolve();
      expect(await resultB).toBe('access-b');
      graceOver.resolve();

      expect(await resultA).toBe('access-b');
      expect(await tokens.get('loc-1')).toMatchObject({ accessToken: 'access-b', refreshToken: 'refresh-b', needsReconnect: false, reconnectReason: null });
      expect(await instanceA.forLocation('loc-1')).toBe('access-b');
      expect(outcomes.map((o) => o.result).sort()).toEqual(['lost-race', 'refreshed']);
    });

    it('when B\'s swap commits only after A\'s grace period ran out and A marked the location, then the swap clears the mark and the location is usable again', async () => {
      const instanceA = build();

      const resultB = instanceB.forLocation('loc-1');
      await swapping.promise;
      await expect(instanceA.forLocation('loc-1')).rejects.toBeInstanceOf(ReconnectRequiredError);
      expect(await tokens.get('loc-1')).toMatchObject({ refreshToken: 'refresh-old', needsReconnect: true });
      releaseSwap.resolve();
      expect(await resultB).toBe('access-b');

      expect(await tokens.get('loc-1')).toMatchObject({ accessToken: 'access-b', refreshToken: 'refresh-b', needsReconnect: false, reconnectReason: null });
      expect(await instanceA.forLocation('loc-1')).toBe('access-b');
      expect(await tokens.needingReconnect()).toEqual([]);
      expect(outcomes.map((o) => o.result).sort()).toEqual(['needs-reconnect', 'refreshed']);
    });
  });

  it.each([
    ['a 503', (scope: nock.Interceptor) => scope.reply(503, { statusCode: 503, message: 'Service Unavailable' })],
    ['a dropped connection', (scope: nock.Interceptor) => scope.replyWithError(networkError('ECONNRESET', 'socket hang up'))],
  ])('when the refresh fails with %s, then a retryable error is thrown and the stored pair is untouched', async (_what, answer) => {
    await tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
    answer(nock(API).post('/oauth/token'));

    const error = await build().forLocation('loc-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HighLevelApiError);
    expect(error).toMatchObject({ retryable: true, ambiguous: false });
    expect(await tokens.get('loc-1')).toMatchObject({ needsReconnect: false, refreshToken: 'refresh-old', accessToken: 'access-old' });
  });
});

describe('forLocation remembers a fresh token for a second', () => {
  /** The token store under test, counting the reads forLocation makes. */
  function counted() {
    let reads = 0;
    const store = Object.assign(Object.create(tokens) as Storage['tokens'], {
      getWithInstallState: (locationId: string) => { reads += 1; return tokens.getWithInstallState(locationId); },
    });
    return { store, reads: () => reads };
  }

  it('when one missed call makes two requests, then the token row is read once, and read again a second later', async () => {
    await tokens.save(grant(), clock.now());
    const { store, reads } = counted();
    const accessTokens = build({ tokens: store, locations });
    expect(await accessTokens.forLocation('loc-1')).toBe('access-old');
    clock.advance(400);
    expect(await accessTokens.forLocation('loc-1')).toBe('access-old');
    expect(reads()).toBe(1);
    clock.advance(600);
    expect(await accessTokens.forLocation('loc-1')).toBe('access-old');
    expect(reads()).toBe(2);
  });

  it('when the remembered token is refused (401), then the row is read again and the token another instance saved is used at once', async () => {
    await tokens.save(grant(), clock.now());
    const accessTokens = build();
    expect(await accessTokens.forLocation('loc-1')).toBe('access-old');
    // Another instance rotated the token: HighLevel refuses the old one.
    await tokens.save(grant({ accessToken: 'access-other', refreshToken: 'refresh-other' }), clock.now());
    expect(await accessTokens.afterUnauthorized('loc-1', 'access-old')).toBe('access-other');
    expect(await accessTokens.forLocation('loc-1')).toBe('access-other');
  });

  it('when the location is uninstalled here, then its next request reads the row and finds it gone', async () => {
    await tokens.save(grant(), clock.now());
    const accessTokens = build();
    expect(await accessTokens.forLocation('loc-1')).toBe('access-old');
    await tokens.delete('loc-1');
    await locations.uninstall('loc-1', clock.now());
    accessTokens.forget('loc-1');
    await expect(accessTokens.forLocation('loc-1')).rejects.toBeInstanceOf(NotInstalledError);
  });

  it('when the token is near its refresh time, then it is remembered no longer than until then', async () => {
    await tokens.save(grant({ expiresAt: clock.now() + 5 * MINUTE + 500 }), clock.now());
    nock(API).post('/oauth/token').reply(200, tokenResponse('access-new', 'refresh-new'));
    const accessTokens = build();
    expect(await accessTokens.forLocation('loc-1')).toBe('access-old');
    clock.advance(500);
    expect(await accessTokens.forLocation('loc-1')).toBe('access-new');
  });
});

describe('forLocation under an agency (Company) install', () => {
  beforeEach(async () => {
    await locations.install({ locationId: 'loc-2', companyId: 'co-1', settings: defaultSettings() }, clock.now());
    await tokens.save(grant({ ownerId: 'co-1', ownerType: 'Company', accessToken: 'company-access', refreshToken: 'company-refresh', expiresAt: clock.now() + 2 * DAY }), clock.now());
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
    expect(await tokens.get('loc-2')).toMatchObject({ ownerType: 'Location', companyId: 'co-1', refreshToken: null, accessToken: 'loc-2-minted-1' });
    expect(await accessTokens.forLocation('loc-2')).toBe('loc-2-minted-1');

    clock.advance(DAY);
    expect(await accessTokens.forLocation('loc-2')).toBe('loc-2-minted-2');
    expect(await tokens.get('loc-2')).toMatchObject({ refreshToken: null, accessToken: 'loc-2-minted-2' });
    expect(minted).toBe(2);
    expect(outcomes.map((o) => o.result)).toEqual(['minted', 'minted']);
    expect(checkRequests(checker, recorder.requests)).toEqual([]);
  });

  it('when the location\'s own install commits its grant right after the mint\'s next store call, then the install\'s grant stays and is used', async () => {
    // Another instance: once the mint has its token, the install's grant commits just after whatever the mint asks
    // the store next (a read, then a write, would overwrite it; one insert-if-absent statement cannot).
    const otherInstance = (await stores.another()).tokens;
    let minted = false;
    let installed = false;
    nock(API).post('/oauth/locationToken').reply(200, () => {
      minted = true;
      return { access_token: 'loc-2-minted', token_type: 'Bearer', expires_in: 86399, locationId: 'loc-2', userId: 'user-1' };
    });
    const installCommits = async () => {
      if (!minted || installed) return;
      installed = true;
      await otherInstance.save(grant({ ownerId: 'loc-2', accessToken: 'own-install', refreshToken: 'own-refresh', expiresAt: clock.now() + DAY }), clock.now());
    };
    const racing: typeof tokens = {
      ...tokens,
      get: async (ownerId) => { const read = await tokens.get(ownerId); await installCommits(); return read; },
      insertIfAbsent: async (g, now) => { await installCommits(); return tokens.insertIfAbsent(g, now); },
      save: async (g, now) => { await installCommits(); return tokens.save(g, now); },
    };
    const accessTokens = build({ tokens: racing, locations });
    expect(await accessTokens.forLocation('loc-2')).toBe('own-install');
    expect(installed).toBe(true);
    expect(await tokens.get('loc-2')).toMatchObject({ accessToken: 'own-install', refreshToken: 'own-refresh' });
    expect(outcomes.map((o) => o.result)).toEqual(['lost-race']);
  });

  it('when the Company token needs reconnecting, then minting stops with ReconnectRequiredError and no request', async () => {
    await tokens.markNeedsReconnect('co-1', 'test', clock.now());
    await expect(build().forLocation('loc-2')).rejects.toBeInstanceOf(ReconnectRequiredError);
  });

  it('when HighLevel refuses to mint for the location, then the location counts as not installed', async () => {
    nock(API).post('/oauth/locationToken').reply(400, { statusCode: 400, message: 'Location not approved for this app' });
    await expect(build().forLocation('loc-2')).rejects.toBeInstanceOf(NotInstalledError);
    expect(await tokens.get('loc-2')).toBeNull();
  });
});

describe('forLocation without a usable installation', () => {
  it('when the location is uninstalled, then NotInstalledError is thrown without a request', async () => {
    await tokens.save(grant({ expiresAt: clock.now() - MINUTE }), clock.now());
    await locations.uninstall('loc-1', clock.now());
    await expect(build().forLocation('loc-1')).rejects.toBeInstanceOf(NotInstalledError);
  });

  it('when there is no token and no agency to mint from, then NotInstalledError is thrown', async () => {
    await locations.install({ locationId: 'loc-3', companyId: null, settings: defaultSettings() }, clock.now());
    await expect(build().forLocation('loc-3')).rejects.toBeInstanceOf(NotInstalledError);
    await expect(build().forLocation('never-heard-of')).rejects.toBeInstanceOf(NotInstalledError);
  });

  it('when the agency has no Company token, then a location under it is not installed', async () => {
    await locations.install({ locationId: 'loc-4', companyId: 'co-unknown', settings: defaultSettings() }, clock.now());
    await expect(build().forLocation('loc-4')).rejects.toBeInstanceOf(NotInstalledError);
  });
});

describe('afterUnauthorized', () => {
  it('when the stored token already differs from the rejected one, then it is returned without refreshing', async () => {
    await tokens.save(grant({ accessToken: 'access-current' }), clock.now());
    expect(await build().afterUnauthorized('loc-1', 'access-stale')).toBe('access-current');
  });

  it('when the rejected token is the stored one, then one forced refresh is shared by concurrent callers', async () => {
    await tokens.save(grant({ expiresAt: clock.now() + DAY }), clock.now());
    nock(API).post('/oauth/token').once().reply(200, tokenResponse('access-new', 'refresh-new'));
    const accessTokens = build();
    const results = await Promise.all(Array.from({ length: 5 }, () => accessTokens.afterUnauthorized('loc-1', 'access-old')));
    expect(new Set(results)).toEqual(new Set(['access-new']));
    expect((await tokens.get('loc-1'))!.refreshToken).toBe('refresh-new');
  });
});

describe('tokens at rest', () => {
  it('when tokens are saved and refreshed, then the database holds none of them in plain text', async () => {
    await tokens.save(grant({ ownerId: 'loc-plain-check', expiresAt: clock.now() - MINUTE }), clock.now());
    await locations.install({ locationId: 'loc-plain-check', companyId: null, settings: defaultSettings() }, clock.now());
    nock(API).post('/oauth/token').reply(200, tokenResponse('access-new', 'refresh-new'));
    expect(await build().forLocation('loc-plain-check')).toBe('access-new');

    // Every row of every table, on either engine; on SQLite also the bytes of the database file and its WAL.
    const held = [await everyRowAsText()];
    if (stores.sqliteFile) {
      const file = stores.sqliteFile;
      held.push(Buffer.concat([file, `${file}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p))).toString('latin1'));
    }
    for (const [i, text] of held.entries()) {
      expect(text.includes('loc-plain-check'), `${i}: the database holds the rows (owner id is not secret)`).toBe(true);
      for (const secret of ['access-old', 'refresh-old', 'access-new', 'refresh-new']) {
        expect(text.includes(secret), `${i}: ${secret}`).toBe(false);
      }
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
