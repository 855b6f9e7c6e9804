// The Twilio accounts' contract, for every engine: credentials sealed and never shown, the app-wide account standing
// in only for a sender the location may use, and finding the location an inbound text or a lookup belongs to.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { SecretBox } from '../../src/lib/crypto.js';
import { createSecretBox, generateKey } from '../../src/lib/crypto.js';
import type { TwilioAccountStore, TwilioCredentials } from '../../src/store/twilio-accounts.js';
import { seedLocation, type StoreFixture } from '../helpers/store-engines.js';

export type TwilioAccountsPort = AsyncStore<TwilioAccountStore>;
export interface TwilioAccountsOptions { appAccount: { accountSid: string; authToken: string } | null }

const T0 = 1_700_000_000_000;
const APP = { accountSid: 'ACapp0000000000000000000000000AAPP', authToken: 'app-token' };
const OWN: TwilioCredentials = { accountSid: 'ACown0000000000000000000000000OWN1', authToken: 'own-secret-token', apiKeySid: 'SKkey000000000000000000000000KEY9', apiKeySecret: 'key-secret' };
const number = (fromNumber: string) => ({ fromNumber, messagingServiceSid: null });
const service = (messagingServiceSid: string) => ({ fromNumber: null, messagingServiceSid });

type Make = (box: SecretBox, options: TwilioAccountsOptions) => Promise<StoreFixture<TwilioAccountsPort>> | StoreFixture<TwilioAccountsPort>;

export function describeTwilioAccountsContract(engine: string, makeStore: Make): void {
  describe(`twilio accounts contract: ${engine}`, () => {
    let fixture: StoreFixture<TwilioAccountsPort>;
    let accounts: TwilioAccountsPort;
    const open = async (options: TwilioAccountsOptions) => {
      fixture = await makeStore(createSecretBox(generateKey()), options);
      accounts = fixture.store;
      for (const id of ['loc-a', 'loc-b', 'loc-c']) await seedLocation(fixture.rows, id);
    };
    beforeEach(async () => { await open({ appAccount: APP }); });
    afterEach(async () => { await fixture.close(); });

    it('when a location saves its own account, then it resolves to those credentials and the view shows no secret', async () => {
      await accounts.save('loc-a', { credentials: OWN, ...number('+15550001111') }, T0);
      expect(await accounts.resolve('loc-a')).toEqual({
        locationId: 'loc-a', credentials: OWN, authToken: 'own-secret-token', usesAppAccount: false, fromNumber: '+15550001111', messagingServiceSid: null,
      });
      expect(await accounts.ownCredentials('loc-a')).toEqual(OWN);
      const view = await accounts.view('loc-a');
      expect(view).toEqual({
        account: 'own', accountSidLast4: 'OWN1', apiKeySidLast4: 'KEY9', authTokenSet: true, apiKeySecretSet: true,
        messagingServiceSid: null, fromNumber: '+15550001111', verifiedAt: T0, updatedAt: T0,
      });
      expect(JSON.stringify(view)).not.toMatch(/secret/);
    });

    it('when credentials are saved, then no secret is stored in clear', async () => {
      await accounts.save('loc-a', { credentials: OWN, ...number('+15550001111') }, T0);
      const stored = JSON.stringify(await fixture.rows.all('SELECT * FROM twilio_accounts'));
      expect(stored).not.toContain('own-secret-token');
      expect(stored).not.toContain('key-secret');
    });

    it('when only an API key is saved, then it resolves with no auth token (callbacks cannot be verified)', async () => {
      const keyOnly = { accountSid: OWN.accountSid, apiKeySid: OWN.apiKeySid, apiKeySecret: OWN.apiKeySecret };
      await accounts.save('loc-a', { credentials: keyOnly, ...service('MG1') }, T0);
      expect(await accounts.resolve('loc-a')).toMatchObject({ authToken: null, usesAppAccount: false, messagingServiceSid: 'MG1' });
      expect(await accounts.view('loc-a')).toMatchObject({ authTokenSet: false, apiKeySecretSet: true });
    });

    it('when a location chooses the app-wide account, then it resolves to it only for a sender it may use', async () => {
      await accounts.save('loc-a', { credentials: null, ...number('+15550001111') }, T0);
      expect(await accounts.resolve('loc-a')).toBeNull();
      expect(await accounts.mayUseAppSender('loc-a', number('+15550001111'))).toBe(false);
      await fixture.rows.insert('location_numbers', { location_id: 'loc-a', phone: '+15550001111' });
      expect(await accounts.mayUseAppSender('loc-a', number('+15550001111'))).toBe(true);
      expect(await accounts.resolve('loc-a')).toEqual({
        locationId: 'loc-a', credentials: APP, authToken: 'app-token', usesAppAccount: true, fromNumber: '+15550001111', messagingServiceSid: null,
      });
      expect(await accounts.ownCredentials('loc-a')).toBeNull();
      expect(await accounts.view('loc-a')).toMatchObject({ account: 'app', accountSidLast4: 'AAPP', authTokenSet: true, apiKeySecretSet: false });
    });

    it('when the app-wide sender is assigned to another location, then choosing it resolves to nothing', async () => {
      await accounts.save('loc-a', { credentials: null, ...service('MG1') }, T0);
      await fixture.rows.insert('app_senders', { sender: 'MG1', location_id: 'loc-b', assigned_by: 'cli', assigned_at: T0 });
      expect(await accounts.resolve('loc-a')).toBeNull();
      await accounts.save('loc-b', { credentials: null, ...service('MG1') }, T0);
      expect(await accounts.resolve('loc-b')).toMatchObject({ usesAppAccount: true });
    });

    it('when asked for lookup credentials, then the location\'s own account, else the app-wide one', async () => {
      await accounts.save('loc-a', { credentials: OWN, ...number('+15550001111') }, T0);
      expect(await accounts.lookupCredentials('loc-a')).toEqual(OWN);
      expect(await accounts.lookupCredentials('loc-b')).toEqual(APP);
    });

    it('when no app-wide account is configured, then choosing it resolves to nothing and lookups have no credentials', async () => {
      await fixture.close();
      await open({ appAccount: null });
      await fixture.rows.insert('location_numbers', { location_id: 'loc-a', phone: '+15550001111' });
      await accounts.save('loc-a', { credentials: null, ...number('+15550001111') }, T0);
      expect(await accounts.resolve('loc-a')).toBeNull();
      expect(await accounts.lookupCredentials('loc-a')).toBeNull();
      expect(await accounts.view('loc-a')).toMatchObject({ account: 'app', accountSidLast4: null, authTokenSet: false });
    });

    it('when an account is saved again, then it replaces the first and is verified anew', async () => {
      await accounts.save('loc-a', { credentials: OWN, ...number('+15550001111') }, T0);
      await accounts.save('loc-a', { credentials: null, ...service('MG2') }, T0 + 5);
      expect(await accounts.view('loc-a')).toMatchObject({ account: 'app', apiKeySidLast4: null, messagingServiceSid: 'MG2', fromNumber: null, verifiedAt: T0 + 5, updatedAt: T0 + 5 });
      expect(await accounts.ownCredentials('loc-a')).toBeNull();
    });

    it('when an account is removed, then it is gone; removing it again says so', async () => {
      await accounts.save('loc-a', { credentials: OWN, ...number('+15550001111') }, T0);
      expect(await accounts.remove('loc-a')).toBe(true);
      expect(await accounts.remove('loc-a')).toBe(false);
      expect(await accounts.view('loc-a')).toBeNull();
      expect(await accounts.resolve('loc-a')).toBeNull();
    });

    it('when another location already sends from the number or service, then it is named; the location itself is not', async () => {
      await accounts.save('loc-a', { credentials: OWN, ...number('+15550001111') }, T0);
      await accounts.save('loc-b', { credentials: OWN, ...service('MG1') }, T0);
      expect(await accounts.senderTakenBy('loc-c', number('+15550001111'))).toBe('loc-a');
      expect(await accounts.senderTakenBy('loc-c', service('MG1'))).toBe('loc-b');
      expect(await accounts.senderTakenBy('loc-a', number('+15550001111'))).toBeNull();
      expect(await accounts.senderTakenBy('loc-c', number('+15550009999'))).toBeNull();
    });

    it('when an inbound text arrives, then its location is found by the number it was sent to, else by its Messaging Service', async () => {
      await accounts.save('loc-b', { credentials: OWN, ...number('+15550001111') }, T0);
      await accounts.save('loc-a', { credentials: OWN, ...number('+15550001111') }, T0);
      await accounts.save('loc-c', { credentials: OWN, ...service('MG1') }, T0);
      expect(await accounts.locationForInbound('+15550001111', 'MG1')).toBe('loc-a');
      expect(await accounts.locationForInbound('+15550002222', 'MG1')).toBe('loc-c');
      expect(await accounts.locationForInbound(null, 'MG1')).toBe('loc-c');
      expect(await accounts.locationForInbound('+15550002222', null)).toBeNull();
      expect(await accounts.locationForInbound(null, null)).toBeNull();
    });
  });
}
