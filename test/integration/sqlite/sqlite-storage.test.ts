// The storage factory: every store over one database, the look-ups the CLI and the sandbox used to write as SQL of
// their own, the job queue's pieces, and a database opened without ENCRYPTION_KEY (sealed secrets refused, everything
// else served). Every call is awaited: callers see the engine-neutral Storage.
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/lib/clock.js';
import { createSecretBox, generateKey } from '../../../src/lib/crypto.js';
import { openDatabase, type Db } from '../../../src/store/db.js';
import { createSqliteStorage } from '../../../src/store/sqlite-storage.js';
import type { Storage } from '../../../src/store/storage.js';
import { defaultSettings } from '../../../src/workflow/settings.js';

const NOW = Date.UTC(2026, 0, 6, 16, 0, 0);
const SENDER = '+12125550100';

let db: Db | undefined;
afterEach(() => { db?.close(); db = undefined; });

function storageOf(withKey = true): Storage {
  db = openDatabase(':memory:');
  return createSqliteStorage(db, withKey ? createSecretBox(generateKey()) : null, { clock: createManualClock(NOW), appTwilioAccount: null, inboundEventKinds: [] });
}

async function install(storage: Storage, ...locationIds: string[]): Promise<void> {
  for (const locationId of locationIds) await storage.locations.install({ locationId, companyId: null, settings: defaultSettings() }, NOW);
}

const grant = (ownerId: string) => ({ ownerId, ownerType: 'Location' as const, companyId: null, accessToken: `access-${ownerId}`, refreshToken: `refresh-${ownerId}`, expiresAt: NOW + 86_400_000 });

describe('the SQLite storage factory', () => {
  it('when stores are built by the factory, then they share one database', async () => {
    const storage = storageOf();
    await install(storage, 'loc-a');
    expect(await storage.dataRights.knowsLocation('loc-a')).toBe(true);
    expect((await storage.installStatus.connection('loc-a', null)).needsReconnect).toBe(true);
    await expect(Promise.resolve().then(() => storage.health.ping())).resolves.toBeUndefined();
    expect(await storage.health.quickCheck()).toBe('ok');
  });

  it('when the inbox stores events, then their jobs are in the queue, counted by the job stats, and a repeat is a duplicate', async () => {
    const storage = storageOf();
    const job = (id: string) => ({ kind: 'highlevel-event', payload: { id }, runAt: NOW, locationId: 'loc-a', dedupeKey: `event:${id}` });
    expect(await storage.inbox.store([{ job: job('1'), receiptKey: 'wh-1' }, { job: job('2'), receiptKey: 'wh-1' }], NOW)).toEqual(['stored', 'duplicate']);
    // The provider deliveries keep receipts of their own: the same key there is new.
    expect(await storage.providerInbox.store([{ job: job('3'), receiptKey: 'wh-1' }], NOW)).toEqual(['stored']);
    expect(await storage.providerReceipts.remember('wh-1', NOW)).toBe(false);
    expect(await storage.webhookReceipts.remember('wh-1', NOW)).toBe(false);
    expect((await storage.jobStats.read(NOW)).pending).toBe(2);
    expect((await storage.queue.claimDue(NOW, 10, 60_000)).map((claimed) => claimed.payload)).toEqual([{ id: '1' }, { id: '3' }]);
  });

  it('when finished jobs are old enough, then the retention prunes them through the factory\'s own queue', async () => {
    const storage = storageOf();
    await storage.queue.enqueue({ kind: 'retention', payload: {}, runAt: NOW }, NOW);
    const [job] = await storage.queue.claimDue(NOW, 1, 60_000);
    await storage.queue.complete(job.id, NOW);
    const report = await storage.retention.run({ retentionMonths: 24, uninstallPurgeDays: 30, finishedJobsKeepDays: 7 }, NOW + 8 * 86_400_000);
    expect(report.jobsPruned).toBe(1);
    expect((await storage.queue.counts()).done).toBe(0);
  });

  it('when a conversation message is opened twice under one key, then the factory\'s store keeps one row', async () => {
    const storage = storageOf();
    const first = await storage.conversationMessages.open({ locationId: 'loc-a', messageKey: 'out:SM1', origin: 'app', twilioSid: 'SM1' }, NOW);
    const again = await storage.conversationMessages.open({ locationId: 'loc-a', messageKey: 'out:SM1', origin: 'app', twilioSid: 'SM1' }, NOW + 1);
    expect(again.id).toBe(first.id);
    expect((await storage.conversationMessages.findBySid('SM1'))?.state).toBe('pending');
  });

  it('when tokens are stored, then the newest owner and the ones needing a reconnect are named without opening them', async () => {
    const storage = storageOf();
    expect(await storage.tokens.newestOwner()).toBeNull();
    await storage.tokens.save(grant('loc-a'), NOW);
    await storage.tokens.save(grant('loc-b'), NOW + 1);
    await storage.tokens.markNeedsReconnect('loc-a', 'refresh rejected', NOW + 2);
    expect(await storage.tokens.newestOwner()).toEqual({ ownerId: 'loc-a', ownerType: 'Location' });
    expect(await storage.tokens.needingReconnect()).toEqual([{ ownerId: 'loc-a', ownerType: 'Location', reason: 'refresh rejected' }]);
  });

  it('when other locations saved an app-wide sender, then the assignment names them (and not the assignee)', async () => {
    const storage = storageOf();
    await install(storage, 'loc-a', 'loc-b', 'loc-c');
    for (const locationId of ['loc-a', 'loc-b']) {
      await storage.twilioAccounts.save(locationId, { credentials: null, fromNumber: SENDER, messagingServiceSid: null }, NOW);
    }
    await storage.twilioAccounts.save('loc-c', { credentials: null, fromNumber: '+12125550111', messagingServiceSid: null }, NOW);
    expect(await storage.appSenders.assign(SENDER, 'loc-a', 'cli', NOW)).toEqual({ outcome: 'assigned' });
    expect(await storage.appSenders.savedByOthers(SENDER, 'loc-a')).toEqual(['loc-b']);
  });

  it('when a call and a reply are recorded, then the sandbox reads back their outcome', async () => {
    const storage = storageOf();
    await install(storage, 'loc-a');
    await storage.calls.record({ locationId: 'loc-a', callKey: 'call-1', contactId: 'c-1', phone: '+12125550142', status: 'no-answer', missed: true, occurredAt: NOW, decision: 'pending' }, NOW);
    await storage.replies.record({ locationId: 'loc-a', replyKey: 'msg-1', contactId: 'c-1', phone: '+12125550142', meaning: 'reply', receivedAt: NOW + 1 });
    expect(await storage.callOutcomes.call('loc-a', 'call-1')).toEqual({ decision: 'pending', followUp: null, occurredAt: NOW, phone: '+12125550142' });
    expect(await storage.callOutcomes.call('loc-a', 'call-2')).toBeNull();
    expect(await storage.callOutcomes.replyMeaning('loc-a', 'msg-1')).toBe('reply');
    expect(await storage.callOutcomes.repliedSince('loc-a', '+12125550142', NOW)).toBe(true);
    expect(await storage.callOutcomes.repliedSince('loc-a', '+12125550142', NOW + 2)).toBe(false);
    expect(await storage.callOutcomes.answeredSince('loc-a', '+12125550142', NOW)).toBe(false);
    expect(await storage.callOutcomes.job('follow-up:loc-a:call-1')).toBeNull();
  });

  it('when no encryption key is given, then sealed secrets are refused and every other store works', async () => {
    const storage = storageOf(false);
    await install(storage, 'loc-a');
    await expect(Promise.resolve().then(() => storage.tokens.save(grant('loc-a'), NOW))).rejects.toThrow(/ENCRYPTION_KEY is not set/);
    expect(await storage.suppressions.suppress({ locationId: 'loc-a', phone: '+12125550142', source: 'manual', actor: 'cli' }, NOW)).toBe(true);
  });
});
