// The token store's contract, for every engine: grants sealed at rest and bound to their owner, the refresh
// compare-and-swap (docs/decisions/0003), reconnect marks, and the look-ups the keep-alive job and installs rely on.
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { SecretBox, TokenGrant, TokenStore } from '../../src/store/tokens.js';
import { createSecretBox, generateKey } from '../../src/lib/crypto.js';
import { DAY } from '../../src/lib/clock.js';
import { seedLocation, type StoreFixture } from '../helpers/store-engines.js';

export type TokenStorePort = AsyncStore<TokenStore>;

const T0 = 1_700_000_000_000;

const grant = (ownerId: string, overrides: Partial<TokenGrant> = {}): TokenGrant => ({
  ownerId, ownerType: 'Location', companyId: 'company-1', accessToken: `access-${ownerId}`, refreshToken: `refresh-${ownerId}`,
  expiresAt: T0 + DAY, scope: 'contacts.readonly', userId: 'user-1', ...overrides,
});

export function describeTokenStoreContract(engine: string, makeStore: (box: SecretBox) => Promise<StoreFixture<TokenStorePort>> | StoreFixture<TokenStorePort>): void {
  describe(`token store contract: ${engine}`, () => {
    let fixture: StoreFixture<TokenStorePort>;
    let tokens: TokenStorePort;
    beforeEach(async () => {
      fixture = await makeStore(createSecretBox(generateKey()));
      tokens = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });

    it('when a grant is saved, then it reads back opened, usable, and with no reconnect mark', async () => {
      await tokens.save(grant('loc-1'), T0);
      const stored = await tokens.get('loc-1');
      expect(stored).toMatchObject({
        ownerId: 'loc-1', ownerType: 'Location', companyId: 'company-1', accessToken: 'access-loc-1', refreshToken: 'refresh-loc-1',
        expiresAt: T0 + DAY, scope: 'contacts.readonly', userId: 'user-1', needsReconnect: false, reconnectReason: null,
      });
      expect(typeof stored?.revision).toBe('string');
      expect(await tokens.get('nobody')).toBeNull();
    });

    it('when a grant is saved, then neither token is stored in clear, and a sealed row copied to another owner does not open', async () => {
      await tokens.save(grant('loc-1'), T0);
      const [row] = await fixture.rows.all<Record<string, unknown>>('SELECT * FROM tokens WHERE owner_id = ?', ['loc-1']);
      expect(JSON.stringify(row)).not.toContain('access-loc-1');
      expect(JSON.stringify(row)).not.toContain('refresh-loc-1');
      await fixture.rows.insert('tokens', { ...row, owner_id: 'loc-2' });
      await expect(async () => (await tokens.get('loc-2'))?.refreshToken).rejects.toThrow();
    });

    it('when a location\'s token is read with its install state, then each half is what get() and the location row say, and either may be missing', async () => {
      expect(await tokens.getWithInstallState('loc-1')).toEqual({ token: null, installState: null });
      await seedLocation(fixture.rows, 'loc-1', { company_id: 'company-1' });
      expect(await tokens.getWithInstallState('loc-1')).toEqual({ token: null, installState: { status: 'installed', companyId: 'company-1' } });
      await tokens.save(grant('loc-1'), T0);
      await tokens.markNeedsReconnect('loc-1', 'refresh rejected', T0 + 1);
      const both = await tokens.getWithInstallState('loc-1');
      expect(both).toEqual({ token: await tokens.get('loc-1'), installState: { status: 'installed', companyId: 'company-1' } });
      expect(both.token).toMatchObject({ accessToken: 'access-loc-1', refreshToken: 'refresh-loc-1', needsReconnect: true, reconnectReason: 'refresh rejected' });
      // An agency's token has no location row; an uninstalled location may have no token left.
      await tokens.save(grant('comp-1', { ownerType: 'Company', companyId: null, refreshToken: null }), T0);
      expect(await tokens.getWithInstallState('comp-1')).toEqual({ token: await tokens.get('comp-1'), installState: null });
      await seedLocation(fixture.rows, 'loc-2', { status: 'uninstalled', company_id: null, uninstalled_at: T0 });
      expect(await tokens.getWithInstallState('loc-2')).toEqual({ token: null, installState: { status: 'uninstalled', companyId: null } });
    });

    it('when a scope or user is left out, then they read back as null', async () => {
      await tokens.save({ ...grant('loc-1'), scope: undefined, userId: undefined }, T0);
      expect(await tokens.get('loc-1')).toMatchObject({ scope: null, userId: null });
    });

    it('when a grant is saved over a reconnect mark, then it replaces the row and clears the mark', async () => {
      await tokens.save(grant('loc-1'), T0);
      await tokens.markNeedsReconnect('loc-1', 'refresh rejected', T0 + 1);
      expect(await tokens.get('loc-1')).toMatchObject({ needsReconnect: true, reconnectReason: 'refresh rejected' });
      await tokens.save(grant('loc-1', { accessToken: 'access-2', companyId: null }), T0 + 2);
      expect(await tokens.get('loc-1')).toMatchObject({ accessToken: 'access-2', companyId: null, needsReconnect: false, reconnectReason: null });
    });

    describe('insert if absent (a minted location token)', () => {
      it('when the owner has no row, then the grant is stored, sealed, and the answer is true', async () => {
        expect(await tokens.insertIfAbsent(grant('loc-1', { refreshToken: null }), T0)).toBe(true);
        expect(await tokens.get('loc-1')).toMatchObject({ accessToken: 'access-loc-1', refreshToken: null, needsReconnect: false, companyId: 'company-1' });
        const [row] = await fixture.rows.all<Record<string, unknown>>('SELECT * FROM tokens WHERE owner_id = ?', ['loc-1']);
        expect(JSON.stringify(row)).not.toContain('access-loc-1');
      });

      it('when the owner already has a row, then nothing changes (not even a reconnect mark) and the answer is false', async () => {
        await tokens.save(grant('loc-1', { accessToken: 'own-install' }), T0);
        await tokens.markNeedsReconnect('loc-1', 'refresh rejected', T0 + 1);
        expect(await tokens.insertIfAbsent(grant('loc-1', { accessToken: 'minted', refreshToken: null }), T0 + 2)).toBe(false);
        expect(await tokens.get('loc-1')).toMatchObject({ accessToken: 'own-install', refreshToken: 'refresh-loc-1', needsReconnect: true });
      });

      it('when two inserts for one owner run at once, then exactly one stores and its token is the one kept', async () => {
        const [first, second] = await Promise.all([
          tokens.insertIfAbsent(grant('loc-1', { accessToken: 'first', refreshToken: null }), T0),
          tokens.insertIfAbsent(grant('loc-1', { accessToken: 'second', refreshToken: null }), T0),
        ]);
        expect(Number(first) + Number(second)).toBe(1);
        expect((await tokens.get('loc-1'))?.accessToken).toBe(first ? 'first' : 'second');
      });
    });

    describe('the refresh compare-and-swap', () => {
      it('when the refresh is saved against the revision it was read at, then it wins and the revision changes', async () => {
        await tokens.save(grant('loc-1'), T0);
        const read = (await tokens.get('loc-1'))!;
        const refreshed = grant('loc-1', { accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: T0 + 2 * DAY, scope: null });
        expect(await tokens.swap(read.revision, refreshed, T0 + 1)).toBe(true);
        const after = (await tokens.get('loc-1'))!;
        expect(after).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: T0 + 2 * DAY, scope: 'contacts.readonly' });
        expect(after.revision).not.toBe(read.revision);
      });

      it('when another process refreshed first, then the late swap changes nothing and the winner\'s pair stays', async () => {
        await tokens.save(grant('loc-1'), T0);
        const read = (await tokens.get('loc-1'))!;
        expect(await tokens.swap(read.revision, grant('loc-1', { accessToken: 'winner', refreshToken: 'winner-r' }), T0 + 1)).toBe(true);
        expect(await tokens.swap(read.revision, grant('loc-1', { accessToken: 'loser', refreshToken: 'loser-r' }), T0 + 2)).toBe(false);
        expect(await tokens.get('loc-1')).toMatchObject({ accessToken: 'winner', refreshToken: 'winner-r' });
      });

      it('when a minted token (no refresh token) is replaced, then its access token is the revision', async () => {
        await tokens.save(grant('loc-1', { refreshToken: null }), T0);
        const read = (await tokens.get('loc-1'))!;
        expect(read.refreshToken).toBeNull();
        expect(await tokens.swap(read.revision, grant('loc-1', { accessToken: 'minted-2', refreshToken: null }), T0 + 1)).toBe(true);
        expect(await tokens.swap(read.revision, grant('loc-1', { accessToken: 'minted-3', refreshToken: null }), T0 + 2)).toBe(false);
        expect((await tokens.get('loc-1'))?.accessToken).toBe('minted-2');
      });

      it('when the row was deleted meanwhile, then the swap changes nothing', async () => {
        await tokens.save(grant('loc-1'), T0);
        const read = (await tokens.get('loc-1'))!;
        await tokens.delete('loc-1');
        expect(await tokens.swap(read.revision, grant('loc-1'), T0 + 1)).toBe(false);
        expect(await tokens.get('loc-1')).toBeNull();
      });

      it('when a swap saves a rotation over a reconnect mark, then the mark and its reason are cleared', async () => {
        await tokens.save(grant('loc-1'), T0);
        const read = (await tokens.get('loc-1'))!;
        expect(await tokens.markNeedsReconnect('loc-1', 'refresh rejected', T0 + 1, read.revision)).toBe(true);
        expect(await tokens.swap(read.revision, grant('loc-1', { accessToken: 'access-2', refreshToken: 'refresh-2' }), T0 + 2)).toBe(true);
        expect(await tokens.get('loc-1')).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2', needsReconnect: false, reconnectReason: null });
        expect(await tokens.needingReconnect()).toEqual([]);
      });

      it('when a late swap loses, then a reconnect mark on the winner\'s row stays', async () => {
        await tokens.save(grant('loc-1'), T0);
        const read = (await tokens.get('loc-1'))!;
        expect(await tokens.swap(read.revision, grant('loc-1', { accessToken: 'winner', refreshToken: 'winner-r' }), T0 + 1)).toBe(true);
        await tokens.markNeedsReconnect('loc-1', 'refresh rejected', T0 + 2);
        expect(await tokens.swap(read.revision, grant('loc-1', { accessToken: 'loser', refreshToken: 'loser-r' }), T0 + 3)).toBe(false);
        expect(await tokens.get('loc-1')).toMatchObject({ accessToken: 'winner', needsReconnect: true, reconnectReason: 'refresh rejected' });
      });
    });

    describe('a reconnect mark against a revision (only if unchanged)', () => {
      it('when the row still holds the token read at that revision, then it is marked with its reason and the answer is true', async () => {
        await tokens.save(grant('loc-1'), T0);
        const read = (await tokens.get('loc-1'))!;
        expect(await tokens.markNeedsReconnect('loc-1', 'refresh rejected', T0 + 1, read.revision)).toBe(true);
        expect(await tokens.get('loc-1')).toMatchObject({ refreshToken: 'refresh-loc-1', needsReconnect: true, reconnectReason: 'refresh rejected' });
      });

      it('when another process rotated the token since, then nothing is marked and the answer is false', async () => {
        await tokens.save(grant('loc-1'), T0);
        const read = (await tokens.get('loc-1'))!;
        expect(await tokens.swap(read.revision, grant('loc-1', { accessToken: 'winner', refreshToken: 'winner-r' }), T0 + 1)).toBe(true);
        expect(await tokens.markNeedsReconnect('loc-1', 'refresh rejected', T0 + 2, read.revision)).toBe(false);
        expect(await tokens.get('loc-1')).toMatchObject({ accessToken: 'winner', refreshToken: 'winner-r', needsReconnect: false, reconnectReason: null });
      });

      it('when a new grant was saved since (a reinstall), then nothing is marked', async () => {
        await tokens.save(grant('loc-1'), T0);
        const read = (await tokens.get('loc-1'))!;
        await tokens.save(grant('loc-1', { accessToken: 'reinstalled', refreshToken: 'reinstalled-r' }), T0 + 1);
        expect(await tokens.markNeedsReconnect('loc-1', 'refresh rejected', T0 + 2, read.revision)).toBe(false);
        expect(await tokens.get('loc-1')).toMatchObject({ accessToken: 'reinstalled', needsReconnect: false });
      });

      it('when the row was deleted meanwhile, then nothing is marked and no row appears', async () => {
        await tokens.save(grant('loc-1'), T0);
        const read = (await tokens.get('loc-1'))!;
        await tokens.delete('loc-1');
        expect(await tokens.markNeedsReconnect('loc-1', 'refresh rejected', T0 + 1, read.revision)).toBe(false);
        expect(await tokens.get('loc-1')).toBeNull();
      });

      it('when no revision is given, then the row is marked whatever it holds', async () => {
        await tokens.save(grant('loc-1'), T0);
        expect(await tokens.markNeedsReconnect('loc-1', 'uninstall seen', T0 + 1)).toBe(true);
        expect(await tokens.get('loc-1')).toMatchObject({ needsReconnect: true, reconnectReason: 'uninstall seen' });
        expect(await tokens.markNeedsReconnect('nobody', 'x', T0 + 1)).toBe(false);
      });
    });

    it('when installs need reconnecting, then they are listed by owner id with their reason', async () => {
      await tokens.save(grant('loc-b'), T0);
      await tokens.save(grant('comp-a', { ownerType: 'Company', companyId: null }), T0);
      await tokens.save(grant('loc-c'), T0);
      await tokens.markNeedsReconnect('loc-b', 'b gone', T0);
      await tokens.markNeedsReconnect('comp-a', 'a gone', T0);
      expect(await tokens.needingReconnect()).toEqual([
        { ownerId: 'comp-a', ownerType: 'Company', reason: 'a gone' },
        { ownerId: 'loc-b', ownerType: 'Location', reason: 'b gone' },
      ]);
    });

    it('when asked for idle tokens, then only refreshable, connected ones untouched since then come, oldest first, up to the limit', async () => {
      await tokens.save(grant('old-2'), T0 + 2);
      await tokens.save(grant('old-1'), T0 + 1);
      await tokens.save(grant('old-3'), T0 + 3);
      await tokens.save(grant('minted', { refreshToken: null }), T0);
      await tokens.save(grant('stuck'), T0);
      await tokens.markNeedsReconnect('stuck', 'x', T0);
      await tokens.save(grant('fresh'), T0 + 10 * DAY);
      expect(await tokens.idleSince(T0 + DAY, 10)).toEqual([
        { ownerId: 'old-1', ownerType: 'Location' }, { ownerId: 'old-2', ownerType: 'Location' }, { ownerId: 'old-3', ownerType: 'Location' },
      ]);
      expect(await tokens.idleSince(T0 + DAY, 2)).toHaveLength(2);
    });

    it('when agencies are installed, then the usable ones are listed newest first', async () => {
      await tokens.save(grant('comp-1', { ownerType: 'Company', companyId: null }), T0);
      await tokens.save(grant('comp-2', { ownerType: 'Company', companyId: null }), T0 + 1);
      await tokens.save(grant('comp-3', { ownerType: 'Company', companyId: null }), T0 + 2);
      await tokens.markNeedsReconnect('comp-3', 'x', T0 + 3);
      await tokens.save(grant('loc-1'), T0 + 4);
      expect(await tokens.activeCompanyIds()).toEqual(['comp-2', 'comp-1']);
    });

    it('when an agency uninstalls, then only the location tokens minted from its token are forgotten', async () => {
      await tokens.save(grant('minted-1', { companyId: 'company-1', refreshToken: null }), T0);
      await tokens.save(grant('minted-other', { companyId: 'company-2', refreshToken: null }), T0);
      await tokens.save(grant('own-install', { companyId: 'company-1' }), T0);
      await tokens.save(grant('company-1', { ownerType: 'Company', companyId: 'company-1', refreshToken: null }), T0);
      await tokens.deleteMintedForCompany('company-1');
      expect(await tokens.get('minted-1')).toBeNull();
      for (const kept of ['minted-other', 'own-install', 'company-1']) expect(await tokens.get(kept)).not.toBeNull();
    });

    it('when tokens were saved, then the newest owner is the one saved last; none when the table is empty', async () => {
      expect(await tokens.newestOwner()).toBeNull();
      await tokens.save(grant('loc-1'), T0 + 5);
      await tokens.save(grant('comp-1', { ownerType: 'Company' }), T0 + 9);
      await tokens.save(grant('loc-2'), T0 + 7);
      expect(await tokens.newestOwner()).toEqual({ ownerId: 'comp-1', ownerType: 'Company' });
    });

    it('when a token is deleted, then it is gone and deleting it again is harmless', async () => {
      await tokens.save(grant('loc-1'), T0);
      await tokens.delete('loc-1');
      await tokens.delete('loc-1');
      expect(await tokens.get('loc-1')).toBeNull();
    });
  });
}
