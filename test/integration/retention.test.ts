// The retention rules as the daily durable job applies them, on a clock moved forward: records expire after
// 12 months, an uninstalled location is purged 90 days later, suppression entries stay for ever, finished jobs go.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';
import { DAY, HOUR } from '../../src/lib/clock.js';
import { monthsBefore } from '../../src/store/retention.js';
import { ensureRetentionScheduled, nextRetentionRunAt, performRetention } from '../../src/jobs/retention.js';
import { RETENTION_JOB } from '../../src/jobs/registry.js';
import { silentLogger } from '../../src/lib/logger.js';

const LOC = 'loc-acme';
const GONE = 'loc-gone';
const CALLER = '+12125550147';
const OTHER = '+12125550199';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC);
  await h.seedLocation(GONE, { numbers: ['+15550000001'] });
  for (const [id, phone] of [['contact-1', CALLER], ['contact-2', OTHER]]) {
    h.highLevel().persist().get(`/contacts/${id}`).reply(200, { contact: { id, phone, firstName: 'Dana' } });
    h.highLevel().persist().put(`/contacts/${id}`).reply(200, { contact: { id } });
    h.highLevel().persist().post(`/contacts/${id}/tags`).reply(201, { tags: [] });
  }
  let sent = 0;
  h.highLevel().persist().post('/conversations/messages').reply(201, () => ({ conversationId: 'conv-1', messageId: `msg-${++sent}` }));
  h.acceptDeliveryChecks();
});
afterEach(async () => { await h.close(); });

const count = async (sql: string, ...params: unknown[]) => await h.sql.value(sql, ...params) as number;
const rowsAt = async (table: string, locationId: string) => await count(`SELECT COUNT(*) FROM ${table} WHERE location_id = ?`, locationId);

/** A missed call texted back and followed up, then STOP: records in calls, messages, replies, and a suppression. */
async function historyAt(locationId: string, contactId: string, phone: string) {
  await h.webhook(missedCall({ locationId, contactId, from: phone }));
  await h.runJobs();
  await h.webhook(inboundSms({ locationId, contactId, from: phone, body: 'Who is this?' }));
  await h.webhook(inboundSms({ locationId, contactId, from: phone, body: 'STOP' }));
  await h.runJobs();
}

/** Moves the clock to `at` and runs what fell due (the retention job among it). */
async function moveTo(at: number) {
  await h.advance(at - h.clock.now());
}

describe('the daily retention job', () => {
  it('when the app starts, then one retention run is scheduled for the next 08:00 UTC, and starting again adds none', async () => {
    await h.app.start();
    const jobs = async () => await h.sql.all(`SELECT status, run_at AS runAt FROM jobs WHERE kind = ?`, RETENTION_JOB);
    // start() schedules the periodic jobs without waiting for them: on PostgreSQL the row lands a moment later.
    await vi.waitFor(async () => expect(await jobs()).toHaveLength(1));
    expect(await jobs()).toEqual([{ status: 'pending', runAt: nextRetentionRunAt(h.clock.now()) }]);
    expect(new Date(nextRetentionRunAt(h.clock.now())).toISOString()).toBe('2026-01-07T08:00:00.000Z');
    expect(await ensureRetentionScheduled(h.app.storage.queue, h.clock.now())).toBe(false);
    expect(await jobs()).toHaveLength(1);
  });

  it('when 91 days pass after an uninstall, then that location is purged except its suppressions, and nothing sooner', async () => {
    const t0 = h.clock.now();
    await historyAt(LOC, 'contact-1', CALLER);
    await historyAt(GONE, 'contact-2', OTHER);
    expect(await rowsAt('messages', GONE)).toBeGreaterThan(0);
    await h.webhook({ type: 'UNINSTALL', appId: 'app123', locationId: GONE, companyId: 'company-1' });
    await h.runJobs();
    expect(await count('SELECT COUNT(*) FROM tokens WHERE owner_id = ?', GONE)).toBe(0);
    await ensureRetentionScheduled(h.app.storage.queue, h.clock.now());

    await moveTo(t0 + 89 * DAY);
    expect(await count(`SELECT COUNT(*) FROM audit_log WHERE action = 'retention.run'`)).toBe(1);
    expect(await count('SELECT COUNT(*) FROM locations WHERE location_id = ?', GONE)).toBe(1);
    expect(await rowsAt('calls', GONE)).toBe(1);

    await moveTo(t0 + 91 * DAY);
    expect(await count('SELECT COUNT(*) FROM locations WHERE location_id = ?', GONE)).toBe(0);
    for (const table of ['calls', 'messages', 'replies', 'jobs', 'location_numbers', 'audit_log']) expect(await rowsAt(table, GONE), table).toBe(0);
    expect(await rowsAt('suppressions', GONE)).toBe(1);
    expect(await rowsAt('suppression_history', GONE)).toBe(1);
    // The location that stayed keeps everything younger than 12 months.
    expect(await rowsAt('calls', LOC)).toBe(1);
    expect(await rowsAt('messages', LOC)).toBeGreaterThan(0);
    expect(await rowsAt('replies', LOC)).toBe(2);
    expect(await count('SELECT COUNT(*) FROM locations WHERE location_id = ?', LOC)).toBe(1);

    const entries = await h.sql.all(`SELECT actor, detail FROM audit_log WHERE action = 'retention.run' ORDER BY id`) as { actor: string; detail: string }[];
    const last = JSON.parse(entries.at(-1)!.detail);
    expect(entries.at(-1)!.actor).toBe('system');
    expect(last).toMatchObject({ purgedLocations: [GONE], purgedLocationCount: 1, purgedRows: expect.objectContaining({ calls: 1, locations: 1 }) });
    expect(h.logs.some((line) => line.includes('retention purge done') && line.includes(GONE))).toBe(true);
  });

  it('when 13 months pass, then message, call and reply records are purged, suppression entries stay, and finished jobs are pruned', async () => {
    const t0 = h.clock.now();
    await historyAt(LOC, 'contact-1', CALLER);
    await h.advance(3 * HOUR);
    const finishedJobs = await count(`SELECT COUNT(*) FROM jobs WHERE status IN ('done', 'failed', 'cancelled')`);
    expect(finishedJobs).toBeGreaterThan(0);
    await ensureRetentionScheduled(h.app.storage.queue, h.clock.now());

    await moveTo(t0 + 8 * DAY);
    // A week after they finished, done jobs are gone; the records they produced are not.
    expect(await count(`SELECT COUNT(*) FROM jobs WHERE status IN ('done', 'failed', 'cancelled')`)).toBe(0);
    expect(await rowsAt('calls', LOC)).toBe(1);
    const firstRun = JSON.parse(await h.sql.value(`SELECT detail FROM audit_log WHERE action = 'retention.run'`) as string);
    expect(firstRun.jobsPruned).toBe(finishedJobs);

    await moveTo(t0 + 12 * 30 * DAY);
    expect(await rowsAt('calls', LOC)).toBe(1);

    await moveTo(monthsBefore(t0, -13));
    for (const table of ['calls', 'messages', 'replies']) expect(await rowsAt(table, LOC), table).toBe(0);
    expect(await rowsAt('suppressions', LOC)).toBe(1);
    expect(await rowsAt('suppression_history', LOC)).toBe(1);
    expect(await count('SELECT COUNT(*) FROM locations WHERE location_id = ?', LOC)).toBe(1);
    // Still exactly one retention job, waiting for tomorrow.
    expect(await h.sql.all(`SELECT status, run_at AS runAt FROM jobs WHERE kind = ?`, RETENTION_JOB))
      .toEqual([{ status: 'pending', runAt: nextRetentionRunAt(h.clock.now()) }]);
    const entries = await h.sql.column(`SELECT detail FROM audit_log WHERE action = 'retention.run' ORDER BY id`) as string[];
    expect(JSON.parse(entries.at(-1)!)).toMatchObject({ expired: { calls: 1, replies: 2, messages: expect.any(Number) } });
    expect(JSON.parse(entries.at(-1)!).expired.messages).toBeGreaterThan(0);
  });

  it('when run as a dry run, then it reports the same counts and deletes nothing; the real run returns what it removed', async () => {
    const t0 = h.clock.now();
    await historyAt(LOC, 'contact-1', CALLER);
    h.clock.set(monthsBefore(t0, -13));
    const deps = { retention: h.app.storage.retention, policy: h.config.retention, audit: h.app.storage.audit, logger: silentLogger, clock: h.clock };
    const messages = await rowsAt('messages', LOC);
    const dry = await performRetention(deps, { actor: 'cli', dryRun: true });
    expect(dry.expired).toEqual({ messages, calls: 1, replies: 2, lookups: 0 });
    expect(await rowsAt('messages', LOC)).toBe(messages);
    expect(await count(`SELECT COUNT(*) FROM audit_log WHERE action = 'retention.run'`)).toBe(0);
    const real = await performRetention(deps, { actor: 'cli' });
    expect(real.expired).toEqual(dry.expired);
    expect(real.jobsPruned).toBe(dry.jobsPruned);
    expect(await rowsAt('messages', LOC)).toBe(0);
  });

  it('when a line-type lookup is older than 180 days, then it is dropped and a fresh one stays', async () => {
    const insert = `INSERT INTO location_line_types (location_id, phone, line_type, source, checked_at) VALUES (?, ?, 'mobile', 'lookup', ?)`;
    await h.sql.run(insert, LOC, CALLER, h.clock.now() - 181 * DAY);
    await h.sql.run(insert, LOC, OTHER, h.clock.now() - 179 * DAY);
    await ensureRetentionScheduled(h.app.storage.queue, h.clock.now());
    await h.advance(DAY);
    expect(await h.sql.column('SELECT phone FROM location_line_types')).toEqual([OTHER]);
  });

  it('when the old shared line-type cache (migration 3) still holds rows, then retention empties it: no location owns them', async () => {
    const insert = `INSERT INTO line_types (phone, line_type, source, checked_at) VALUES (?, 'landline', 'lookup', ?)`;
    await h.sql.run(insert, CALLER, h.clock.now() - DAY);
    await h.sql.run(insert, OTHER, h.clock.now());
    await ensureRetentionScheduled(h.app.storage.queue, h.clock.now());
    await h.advance(DAY);
    expect(await h.sql.value('SELECT COUNT(*) FROM line_types')).toBe(0);
  });
});
