// The storage factory: every store over one database, the look-ups the CLI and the sandbox used to write as SQL of
// their own, and a database opened without ENCRYPTION_KEY (sealed secrets refused, everything else served).
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { createSecretBox, generateKey } from '../../src/lib/crypto.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createSqliteStorage, type Storage } from '../../src/store/sqlite-storage.js';
import { defaultSettings } from '../../src/workflow/settings.js';

const NOW = Date.UTC(2026, 0, 6, 16, 0, 0);
const SENDER = '+12125550100';

let db: Db | undefined;
afterEach(() => { db?.close(); db = undefined; });

function storageOf(withKey = true): Storage {
  db = openDatabase(':memory:');
  return createSqliteStorage(db, withKey ? createSecretBox(generateKey()) : null, { clock: createManualClock(NOW), appTwilioAccount: null, inboundEventKinds: [] });
}

function install(storage: Storage, ...locationIds: string[]): void {
  for (const locationId of locationIds) storage.locations.install({ locationId, companyId: null, settings: defaultSettings() }, NOW);
}

const grant = (ownerId: string) => ({ ownerId, ownerType: 'Location' as const, companyId: null, accessToken: `access-${ownerId}`, refreshToken: `refresh-${ownerId}`, expiresAt: NOW + 86_400_000 });

describe('the SQLite storage factory', () => {
  it('when stores are built by the factory, then they share one database', () => {
    const storage = storageOf();
    install(storage, 'loc-a');
    expect(storage.dataRights.knowsLocation('loc-a')).toBe(true);
    expect(storage.installStatus.connection('loc-a', null).needsReconnect).toBe(true);
    expect(() => storage.health.ping()).not.toThrow();
    expect(storage.health.quickCheck()).toBe('ok');
  });

  it('when tokens are stored, then the newest owner and the ones needing a reconnect are named without opening them', () => {
    const storage = storageOf();
    expect(storage.tokens.newestOwner()).toBeNull();
    storage.tokens.save(grant('loc-a'), NOW);
    storage.tokens.save(grant('loc-b'), NOW + 1);
    storage.tokens.markNeedsReconnect('loc-a', 'refresh rejected', NOW + 2);
    expect(storage.tokens.newestOwner()).toEqual({ ownerId: 'loc-a', ownerType: 'Location' });
    expect(storage.tokens.needingReconnect()).toEqual([{ ownerId: 'loc-a', ownerType: 'Location', reason: 'refresh rejected' }]);
  });

  it('when other locations saved an app-wide sender, then the assignment names them (and not the assignee)', () => {
    const storage = storageOf();
    install(storage, 'loc-a', 'loc-b', 'loc-c');
    for (const locationId of ['loc-a', 'loc-b']) {
      storage.twilioAccounts.save(locationId, { credentials: null, fromNumber: SENDER, messagingServiceSid: null }, NOW);
    }
    storage.twilioAccounts.save('loc-c', { credentials: null, fromNumber: '+12125550111', messagingServiceSid: null }, NOW);
    expect(storage.appSenders.assign(SENDER, 'loc-a', 'cli', NOW)).toEqual({ outcome: 'assigned' });
    expect(storage.appSenders.savedByOthers(SENDER, 'loc-a')).toEqual(['loc-b']);
  });

  it('when a call and a reply are recorded, then the sandbox reads back their outcome', async () => {
    const storage = storageOf();
    install(storage, 'loc-a');
    await storage.calls.record({ locationId: 'loc-a', callKey: 'call-1', contactId: 'c-1', phone: '+12125550142', status: 'no-answer', missed: true, occurredAt: NOW, decision: 'pending' }, NOW);
    storage.replies.record({ locationId: 'loc-a', replyKey: 'msg-1', contactId: 'c-1', phone: '+12125550142', meaning: 'reply', receivedAt: NOW + 1 });
    expect(storage.callOutcomes.call('loc-a', 'call-1')).toEqual({ decision: 'pending', followUp: null, occurredAt: NOW, phone: '+12125550142' });
    expect(storage.callOutcomes.call('loc-a', 'call-2')).toBeNull();
    expect(storage.callOutcomes.replyMeaning('loc-a', 'msg-1')).toBe('reply');
    expect(storage.callOutcomes.repliedSince('loc-a', '+12125550142', NOW)).toBe(true);
    expect(storage.callOutcomes.repliedSince('loc-a', '+12125550142', NOW + 2)).toBe(false);
    expect(storage.callOutcomes.answeredSince('loc-a', '+12125550142', NOW)).toBe(false);
    expect(storage.callOutcomes.job('follow-up:loc-a:call-1')).toBeNull();
  });

  it('when no encryption key is given, then sealed secrets are refused and every other store works', () => {
    const storage = storageOf(false);
    install(storage, 'loc-a');
    expect(() => storage.tokens.save(grant('loc-a'), NOW)).toThrow(/ENCRYPTION_KEY is not set/);
    expect(storage.suppressions.suppress({ locationId: 'loc-a', phone: '+12125550142', source: 'manual', actor: 'cli' }, NOW)).toBe(true);
  });
});
