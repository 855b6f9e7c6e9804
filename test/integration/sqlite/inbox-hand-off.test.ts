// The SQLite inbox's hand-off (docs/decisions/0016-intake-hand-off.md): an event's job stored already claimed for
// this process's worker only when nothing due is overtaken and its caller's line is empty; the inbox hands such
// jobs to the worker, which runs them as its own claims, and gives them back when it stops.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../../src/lib/clock.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { createInbox, type HandOffTarget } from '../../../src/scheduler/inbox.js';
import type { InboxItem, Job, NewJob } from '../../../src/scheduler/queue-port.js';
import { createWorker } from '../../../src/scheduler/worker.js';
import { openDatabase, type Db } from '../../../src/store/db.js';
import { createJobQueue } from '../../../src/store/job-queue.js';
import { createWebhookInbox } from '../../../src/store/webhook-inbox.js';
import { createWebhookReceipts } from '../../../src/store/webhook-receipts.js';

const T0 = 1_700_000_000_000;
const LEASE = T0 + 300_000;

let dir: string;
let db: Db;
let clock: ManualClock;
let queue: ReturnType<typeof createJobQueue>;
let store: ReturnType<typeof createWebhookInbox>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'textback-hand-off-'));
  db = openDatabase(join(dir, 'jobs.sqlite'));
  clock = createManualClock(T0);
  queue = createJobQueue(db);
  store = createWebhookInbox(db, { queue, receipts: createWebhookReceipts(db) });
});
afterEach(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });

const job = (label: string, extra: Partial<NewJob> = {}): NewJob => ({
  kind: 'highlevel-event', payload: { label }, runAt: T0, locationId: 'loc-a', subject: `caller-${label}`, dedupeKey: `event:${label}`, ...extra,
});
const item = (label: string, extra: Partial<NewJob> = {}, receiptKey: string | null = `wh-${label}`): InboxItem => ({ job: job(label, extra), receiptKey });
const statusOf = (label: string) =>
  (db.prepare(`SELECT status, attempts, lease_until FROM jobs WHERE dedupe_key = ?`).get(`event:${label}`) as { status: string; attempts: number; lease_until: number | null });
const labels = (jobs: Job[]) => jobs.map((each) => (each.payload as { label: string }).label);

describe('storing claimed', () => {
  it('when the worker has room for two of three new events, then the first two are stored running and leased, the third pending', () => {
    const { results, claimed } = store.storeAndClaim([item('a'), item('b'), item('c')], T0, { limit: 2, leaseUntil: LEASE });
    expect(results).toEqual(['stored', 'stored', 'stored']);
    expect(labels(claimed)).toEqual(['a', 'b']);
    expect(claimed[0]).toMatchObject({ status: 'running', attempts: 1, kind: 'highlevel-event', locationId: 'loc-a', queuedAt: T0 });
    expect(statusOf('a')).toEqual({ status: 'running', attempts: 1, lease_until: LEASE });
    expect(statusOf('c')).toEqual({ status: 'pending', attempts: 0, lease_until: null });
  });

  it('when one caller has two events in the batch, then only the first is handed off and the second waits behind it', () => {
    const { claimed } = store.storeAndClaim([item('a', { subject: 'caller-1' }), item('b', { subject: 'caller-1' }), item('c')], T0, { limit: 5, leaseUntil: LEASE });
    expect(labels(claimed)).toEqual(['a', 'c']);
    expect(statusOf('b').status).toBe('pending');
  });

  it('when the caller already has a job pending (even one not due yet), or one running, then the new one waits in their line', () => {
    store.store([item('a', { subject: 'caller-1', runAt: T0 + 60_000 })], T0);
    queue.enqueueClaimed(job('r', { subject: 'caller-2' }), T0, LEASE);
    const { claimed } = store.storeAndClaim([item('b', { subject: 'caller-1' }), item('c', { subject: 'caller-2' }), item('d', { subject: 'caller-1', locationId: 'loc-b' })], T0, { limit: 5, leaseUntil: LEASE });
    // Another location's caller with the same subject is another line.
    expect(labels(claimed)).toEqual(['d']);
    expect([statusOf('b').status, statusOf('c').status]).toEqual(['pending', 'pending']);
  });

  it('when any job is due and waiting for a claim, then nothing of the batch overtakes it', () => {
    queue.enqueue(job('waiting', { locationId: 'loc-z', kind: 'followup', runAt: T0 - 1 }), T0);
    const { results, claimed } = store.storeAndClaim([item('a'), item('b')], T0, { limit: 5, leaseUntil: LEASE });
    expect(results).toEqual(['stored', 'stored']);
    expect(claimed).toEqual([]);
    expect(queue.claimDue(T0, 10, 60_000).map((each) => each.dedupeKey).sort()).toEqual(['event:a', 'event:b', 'event:waiting']);
  });

  it('when a job is not due yet, or is a redelivery, then it is not handed off', () => {
    store.store([item('a')], T0);
    const { results, claimed } = store.storeAndClaim([item('later', { runAt: T0 + 1_000 }), item('a'), item('again', { dedupeKey: 'event:a' }, 'wh-new')], T0, { limit: 5, leaseUntil: LEASE });
    expect(results).toEqual(['stored', 'duplicate', 'duplicate']);
    expect(claimed).toEqual([]);
    expect(statusOf('later').status).toBe('pending');
  });

  it('when the limit is zero, then it is store() exactly', () => {
    const { results, claimed } = store.storeAndClaim([item('a')], T0, { limit: 0, leaseUntil: LEASE });
    expect(results).toEqual(['stored']);
    expect(claimed).toEqual([]);
    expect(statusOf('a').status).toBe('pending');
  });
});

describe('the inbox and the worker', () => {
  function target(spare: number): HandOffTarget & { adopted: Job[] } {
    const adopted: Job[] = [];
    return { adopted, leaseMs: 300_000, spareSlots: () => spare, adopt: (jobs) => { adopted.push(...jobs); } };
  }

  it('when the worker has room, then the inbox hands it the claimed jobs and nudges only for the rest', async () => {
    const handOff = target(1);
    const commits: number[] = [];
    const inbox = createInbox({ store, clock, handOff, onCommit: (stored) => commits.push(stored) });
    expect(await Promise.all([inbox.add(job('a'), 'wh-a'), inbox.add(job('b'), 'wh-b')])).toEqual(['stored', 'stored']);
    expect(labels(handOff.adopted)).toEqual(['a']);
    expect(statusOf('a')).toEqual({ status: 'running', attempts: 1, lease_until: T0 + 300_000 });
    expect(commits).toEqual([1]);
  });

  it('when the worker has no room, or the store cannot claim, then every job is left for a claim', async () => {
    const full = target(0);
    const commits: number[] = [];
    await createInbox({ store, clock, handOff: full, onCommit: (stored) => commits.push(stored) }).add(job('a'), 'wh-a');
    const plain = target(5);
    await createInbox({ store: { store: store.store }, clock, handOff: plain, onCommit: (stored) => commits.push(stored) }).add(job('b'), 'wh-b');
    expect([full.adopted, plain.adopted]).toEqual([[], []]);
    expect(commits).toEqual([1, 1]);
    expect([statusOf('a').status, statusOf('b').status]).toEqual(['pending', 'pending']);
  });

  it('when a running worker is handed a job, then it runs it and completes it; when it stops, what it had not started goes back', async () => {
    const ran: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const worker = createWorker({
      queue, clock, logger: silentLogger, concurrency: 4,
      handlers: { 'highlevel-event': async (each) => { ran.push((each.payload as { label: string }).label); await gate; } },
    });
    expect(worker.spareSlots()).toBe(0);
    worker.start();
    expect(worker.spareSlots()).toBe(4);
    const inbox = createInbox({ store, clock, handOff: worker });
    await inbox.add(job('a', { subject: 'caller-1' }), 'wh-a');
    await inbox.add(job('b', { subject: 'caller-1' }), 'wh-b');
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['a']);
    expect(statusOf('a').status).toBe('running');
    expect(statusOf('b').status).toBe('pending');
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(statusOf('a').status).toBe('done');

    // Handed over while stopping: back to pending, no attempt counted.
    const stopping = worker.stop();
    const late = store.storeAndClaim([item('c')], T0, { limit: 1, leaseUntil: LEASE }).claimed;
    worker.adopt(late);
    await stopping;
    await new Promise((resolve) => setImmediate(resolve));
    expect(statusOf('c')).toEqual({ status: 'pending', attempts: 0, lease_until: null });
    expect(ran).not.toContain('c');
  });

  it('when a handed job waits behind its caller\'s earlier one, then it takes one slot, not two', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const worker = createWorker({ queue, clock, logger: silentLogger, concurrency: 4, handlers: { 'highlevel-event': async () => { await gate; } } });
    worker.start();
    const first = queue.enqueueClaimed(job('a', { subject: 'caller-1' }), T0, LEASE)!;
    const second = queue.enqueueClaimed(job('b', { subject: 'caller-1' }), T0, LEASE)!;
    worker.adopt([first, second]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(worker.spareSlots()).toBe(2);
    release();
    await worker.stop();
  });
});
