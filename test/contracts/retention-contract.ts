// The retention contract, for every engine: records expire after the retention months, an uninstalled location and
// agency are purged after the delay except the suppression list, stale lookups, finished jobs and webhook receipts
// go, a dry run counts exactly what the real run removes, and small batches remove the same as one big one.
import { afterEach, describe, expect, it } from 'vitest';
import type { AsyncStore, Awaitable } from '../../src/store/async-store.js';
import { KEPT_AFTER_PURGE, monthsBefore, type Retention, type RetentionPolicy } from '../../src/store/retention.js';
import type { EngineRows, StoreFixture } from '../helpers/store-engines.js';
import { T0, countOf, seedCall, seedJob, seedLocation, seedMessage, seedReply, seedSuppression, seedSuppressionChange, seedToken } from './seed-rows.js';

export type RetentionPort = AsyncStore<Retention>;

const POLICY: RetentionPolicy = { retentionMonths: 12, uninstallPurgeDays: 90, finishedJobsKeepDays: 7 };
const DAY = 86_400_000;
const LOC = 'loc-live';
const GONE = 'loc-gone';
const SOON = 'loc-soon';
const CALLER = '+12125550147';
/** Records at the cutoff are kept; one millisecond older expire. */
const CUTOFF = monthsBefore(T0, POLICY.retentionMonths);

/** Every table with a location_id column and its row count for `locationId`. */
async function rowsOf(rows: EngineRows, locationId: string, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) out[table] = await countOf(rows, `SELECT 1 FROM ${table} WHERE location_id = ?`, [locationId]);
  return out;
}

/** A location's footprint in most tables that carry its id, all younger than the retention cutoff. */
async function footprint(rows: EngineRows, locationId: string, at: number): Promise<void> {
  const call = await seedCall(rows, { locationId, callKey: `${locationId}-call`, phone: CALLER, at });
  await seedMessage(rows, { locationId, sendKey: `textback:${locationId}`, phone: CALLER, callId: call, createdAt: at });
  await seedReply(rows, { locationId, replyKey: `${locationId}-reply`, phone: CALLER, meaning: 'opt-out', at });
  await seedJob(rows, { kind: 'followup', status: 'pending', locationId, subject: CALLER, runAt: at });
  await rows.insert('audit_log', { location_id: locationId, actor: 'system', action: 'install', detail: null, at });
  await rows.insert('location_numbers', { location_id: locationId, phone: '+15550000001' });
  await rows.insert('location_flags', { location_id: locationId, flag: 'native-textback', first_seen_at: at, last_seen_at: at, hits: 1 });
  await rows.insert('location_line_types', { location_id: locationId, phone: CALLER, line_type: 'mobile', source: 'lookup', checked_at: T0 });
  await seedSuppression(rows, { locationId, phone: CALLER, source: 'keyword', at });
  await seedSuppressionChange(rows, { locationId, phone: CALLER, action: 'suppress', source: 'keyword', at });
  await rows.insert('suppression_sources', { location_id: locationId, phone: CALLER, source: 'keyword', created_at: at });
  await rows.insert('opt_ins', { location_id: locationId, phone: '+12125550100', opted_in_at: at });
  await rows.insert('app_dnd', { location_id: locationId, contact_id: 'contact-1', phone: CALLER, set_at: at });
}

const PURGED_TABLES = ['calls', 'messages', 'replies', 'jobs', 'audit_log', 'location_numbers', 'location_flags', 'location_line_types'];

export function describeRetentionContract(engine: string, makeStore: (options: { batchSize: number }) => Awaitable<StoreFixture<RetentionPort>>): void {
  describe(`retention contract: ${engine}`, () => {
    let fixture: StoreFixture<RetentionPort> | undefined;
    afterEach(async () => { await fixture?.close(); });
    const open = async (batchSize = 2) => (fixture = await makeStore({ batchSize }));

    it('when records pass the retention months, then messages, calls and replies older than the cutoff go, in batches, and the rest stays', async () => {
      const { store, rows } = await open(2);
      await seedLocation(rows, LOC);
      for (let i = 0; i < 3; i += 1) {
        const call = await seedCall(rows, { locationId: LOC, callKey: `old-${i}`, phone: CALLER, at: CUTOFF - 1 - i });
        await seedMessage(rows, { locationId: LOC, sendKey: `old-${i}`, phone: CALLER, callId: call, createdAt: CUTOFF - 1 - i });
      }
      for (let i = 0; i < 2; i += 1) await seedMessage(rows, { locationId: LOC, sendKey: `old-help-${i}`, kind: 'help', phone: CALLER, createdAt: CUTOFF - DAY });
      for (let i = 0; i < 2; i += 1) await seedReply(rows, { locationId: LOC, replyKey: `old-${i}`, phone: CALLER, meaning: 'reply', at: CUTOFF - 1 });
      const young = await seedCall(rows, { locationId: LOC, callKey: 'young', phone: CALLER, at: CUTOFF });
      await seedMessage(rows, { locationId: LOC, sendKey: 'young', phone: CALLER, callId: young, createdAt: CUTOFF });
      await seedReply(rows, { locationId: LOC, replyKey: 'young', phone: CALLER, meaning: 'opt-out', at: CUTOFF });
      await seedSuppression(rows, { locationId: LOC, phone: CALLER, source: 'keyword', at: CUTOFF - DAY });
      await seedSuppressionChange(rows, { locationId: LOC, phone: CALLER, action: 'suppress', source: 'keyword', at: CUTOFF - DAY });

      const report = await store.run(POLICY, T0);
      expect(report.expired).toEqual({ messages: 5, calls: 3, replies: 2, lookups: 0 });
      expect(report.cutoffs.recordsBefore).toBe(CUTOFF);
      expect(await rowsOf(rows, LOC, ['calls', 'messages', 'replies', 'suppressions', 'suppression_history', 'locations'])).toEqual({
        calls: 1, messages: 1, replies: 1, suppressions: 1, suppression_history: 1, locations: 1,
      });
      expect(report.purged).toEqual({ locations: [], companies: [], rows: {} });
    });

    it('when line-type lookups are older than 180 days, then they go and fresher ones stay; the old shared cache goes whole', async () => {
      const { store, rows } = await open(2);
      await rows.insert('location_line_types', { location_id: LOC, phone: CALLER, line_type: 'mobile', source: 'lookup', checked_at: T0 - 181 * DAY });
      await rows.insert('location_line_types', { location_id: LOC, phone: '+12125550199', line_type: 'landline', source: 'lookup', checked_at: T0 - 179 * DAY });
      for (const [i, phone] of ['+12125550100', '+12125550101', '+12125550102'].entries()) {
        await rows.insert('line_types', { phone, line_type: 'landline', source: 'lookup', checked_at: T0 - i });
      }
      const report = await store.run(POLICY, T0);
      expect(report.expired.lookups).toBe(4);
      expect(await rows.all('SELECT phone FROM location_line_types')).toEqual([{ phone: '+12125550199' }]);
      expect(await countOf(rows, 'SELECT 1 FROM line_types')).toBe(0);
    });

    it('when a location uninstalled longer ago than the purge delay, then every row of it goes but its suppression list; later or never uninstalled ones stay', async () => {
      const { store, rows } = await open(2);
      await seedLocation(rows, GONE, { status: 'uninstalled', uninstalledAt: T0 - 91 * DAY });
      await seedLocation(rows, SOON, { status: 'uninstalled', uninstalledAt: T0 - 89 * DAY });
      await seedLocation(rows, LOC, { status: 'installed', uninstalledAt: T0 - 200 * DAY });
      for (const id of [GONE, SOON, LOC]) await footprint(rows, id, T0 - 100 * DAY);
      for (let i = 0; i < 4; i += 1) await seedCall(rows, { locationId: GONE, callKey: `more-${i}`, phone: CALLER, at: T0 - 95 * DAY });
      await seedToken(rows, GONE);

      const report = await store.run(POLICY, T0);
      expect(report.purged.locations).toEqual([GONE]);
      expect(report.purged.rows).toMatchObject({
        calls: 5, messages: 1, replies: 1, jobs: 1, audit_log: 1, location_numbers: 1, location_flags: 1, location_line_types: 1, locations: 1, tokens: 1,
      });
      for (const kept of KEPT_AFTER_PURGE) expect(report.purged.rows[kept], kept).toBeUndefined();
      expect(await rowsOf(rows, GONE, [...PURGED_TABLES, 'locations'])).toEqual(Object.fromEntries([...PURGED_TABLES, 'locations'].map((t) => [t, 0])));
      expect(await rowsOf(rows, GONE, KEPT_AFTER_PURGE)).toEqual(Object.fromEntries(KEPT_AFTER_PURGE.map((t) => [t, 1])));
      expect(await countOf(rows, 'SELECT 1 FROM tokens WHERE owner_id = ?', [GONE])).toBe(0);
      for (const id of [SOON, LOC]) {
        expect(await rowsOf(rows, id, [...PURGED_TABLES, 'locations']), id).toEqual(Object.fromEntries([...PURGED_TABLES, 'locations'].map((t) => [t, 1])));
      }
    });

    it('when an agency uninstalled longer ago than the purge delay, then its row and Company token go; a later or current agency stays', async () => {
      const { store, rows } = await open(2);
      await rows.insert('companies', { company_id: 'company-gone', installed_at: T0 - 400 * DAY, uninstalled_at: T0 - 91 * DAY });
      await rows.insert('companies', { company_id: 'company-soon', installed_at: T0 - 400 * DAY, uninstalled_at: T0 - 89 * DAY });
      await rows.insert('companies', { company_id: 'company-live', installed_at: T0 - 400 * DAY, uninstalled_at: null });
      for (const id of ['company-gone', 'company-soon', 'company-live']) await seedToken(rows, id, { ownerType: 'Company' });
      const report = await store.run(POLICY, T0);
      expect(report.purged.companies).toEqual(['company-gone']);
      expect(await rows.all('SELECT company_id FROM companies ORDER BY company_id')).toEqual([{ company_id: 'company-live' }, { company_id: 'company-soon' }]);
      expect(await rows.all('SELECT owner_id FROM tokens ORDER BY owner_id')).toEqual([{ owner_id: 'company-live' }, { owner_id: 'company-soon' }]);
    });

    it('when jobs finished longer ago than the keep days, then they are pruned whatever their outcome; unfinished and recent ones stay, and old webhook receipts go', async () => {
      const { store, rows } = await open(2);
      for (const status of ['done', 'failed', 'cancelled', 'done'] as const) {
        await seedJob(rows, { kind: 'textback', status, runAt: T0 - 9 * DAY, finishedAt: T0 - 8 * DAY });
      }
      await seedJob(rows, { kind: 'textback', status: 'done', runAt: T0 - 6 * DAY, finishedAt: T0 - 6 * DAY });
      await seedJob(rows, { kind: 'followup', status: 'pending', runAt: T0 - 30 * DAY });
      await seedJob(rows, { kind: 'followup', status: 'running', runAt: T0 - 30 * DAY });
      await rows.insert('webhook_receipts', { dedupe_key: 'wh-old', received_at: T0 - 8 * DAY });
      await rows.insert('webhook_receipts', { dedupe_key: 'wh-new', received_at: T0 - 6 * DAY });
      const report = await store.run(POLICY, T0);
      expect(report.jobsPruned).toBe(4);
      expect(report.receiptsPruned).toBe(1);
      expect(await rows.all('SELECT status FROM jobs ORDER BY id')).toEqual([{ status: 'done' }, { status: 'pending' }, { status: 'running' }]);
      expect(await rows.all('SELECT dedupe_key FROM webhook_receipts')).toEqual([{ dedupe_key: 'wh-new' }]);
    });

    it('when run as a dry run, then it removes nothing and reports what the real run then removes, batch size aside', async () => {
      const { store, rows } = await open(1_000);
      await seedLocation(rows, GONE, { status: 'uninstalled', uninstalledAt: T0 - 91 * DAY });
      await footprint(rows, GONE, T0 - 100 * DAY);
      await seedLocation(rows, LOC);
      for (let i = 0; i < 3; i += 1) await seedCall(rows, { locationId: LOC, callKey: `old-${i}`, phone: CALLER, at: CUTOFF - 1 });
      for (let i = 0; i < 2; i += 1) await seedJob(rows, { kind: 'textback', status: 'done', runAt: T0 - 9 * DAY, finishedAt: T0 - 8 * DAY });
      await rows.insert('webhook_receipts', { dedupe_key: 'wh-old', received_at: T0 - 8 * DAY });
      const total = async () => {
        let n = 0;
        for (const table of ['calls', 'messages', 'replies', 'jobs', 'locations', 'audit_log', 'webhook_receipts', 'location_line_types']) {
          n += await countOf(rows, `SELECT 1 FROM ${table}`);
        }
        return n;
      };
      const before = await total();
      const dry = await store.run(POLICY, T0, { dryRun: true });
      expect(await total()).toBe(before);
      expect(dry).toMatchObject({ dryRun: true, expired: { calls: 3 }, jobsPruned: 2, receiptsPruned: 1, purged: { locations: [GONE] } });
      const real = await store.run(POLICY, T0);
      expect({ ...real, dryRun: true }).toEqual(dry);
      expect(await store.run(POLICY, T0, { dryRun: true })).toMatchObject({ expired: { calls: 0 }, jobsPruned: 0, purged: { locations: [] } });
    });
  });
}
