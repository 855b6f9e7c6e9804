// The job queue as the worker, the inbox and the workflow scheduler see it: a port any engine implements (SQLite in
// src/store/job-queue.ts, PostgreSQL next). Methods may answer synchronously or with a promise; callers await them.
// test/contracts/job-queue-contract.ts is what an engine must do; docs/decisions/0008-fair-queue.md how it chooses.

export type Awaitable<T> = T | Promise<T>;

export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface NewJob {
  kind: string;
  /** A JSON value: what the job's handler gets, as stored. */
  payload: unknown;
  /**
   * `payload` as JSON text, when the caller holds it already (the webhook intake: the body it received), so it is not
   * serialized again. It must parse to a value equal to `payload`.
   */
  payloadJson?: string;
  runAt: number;
  locationId?: string | null;
  subject?: string | null;
  /** A second enqueue with the same key is ignored: that is how webhook redeliveries and double schedules collapse. */
  dedupeKey?: string | null;
  /** For recurring jobs: a finished (done, failed, cancelled) job with the same key is brought back instead. */
  revive?: boolean;
  maxAttempts?: number;
  /** Lower runs first; by default the kind's (the job registry's, given to the engine). */
  priority?: number;
}

/** The JSON text a job's payload is stored as. */
export function payloadText(job: NewJob): string {
  return job.payloadJson ?? JSON.stringify(job.payload ?? null);
}

export interface Job {
  id: number;
  kind: string;
  locationId: string | null;
  subject: string | null;
  dedupeKey: string | null;
  payload: unknown;
  status: JobStatus;
  runAt: number;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: number;
  priority: number;
  /** The job's place in its (location, subject) line: its first due time (a retry or a park keeps it). */
  queuedAt: number;
}

export interface CancelFilter { locationId: string; subject?: string; kinds?: string[] }

export interface JobQueue {
  /** True when stored, false when a job with the same dedupe key already exists. */
  enqueue(job: NewJob, now: number): Awaitable<boolean>;
  /** Up to `limit` due jobs, leased for `leaseMs`: by priority, fair across locations, one per (location, subject) line. */
  claimDue(now: number, limit: number, leaseMs: number): Awaitable<Job[]>;
  /** The earliest due time of a pending job; with `after`, the earliest one later than that. */
  nextDueAt(after?: number): Awaitable<number | null>;
  /** `forgetPayload`: the job carried someone's raw words (an inbound event); once handled, only the row stays. */
  complete(id: number, at: number, forgetPayload?: boolean): Awaitable<void>;
  /** A failed attempt, tried again at `runAt`; the job keeps its place in its line. */
  retry(id: number, runAt: number, error: string): Awaitable<void>;
  /** The job asked to run again later (e.g. deferred to the send window): not a failure, attempts start over. */
  reschedule(id: number, runAt: number): Awaitable<void>;
  /** A claimed job that must not start before `runAt` goes back to waiting: no lease, no attempt counted, same place. */
  park(id: number, runAt: number): Awaitable<void>;
  fail(id: number, error: string, at: number): Awaitable<void>;
  /**
   * Claimed jobs this worker will not start (it is stopping) go back to waiting at once, as if never claimed: no
   * lease, no attempt counted, same run time and place. Only leases still held at `now` are given back (a job whose
   * lease ran out may already be another instance's). Returns how many went back.
   */
  release(ids: readonly number[], now: number): Awaitable<number>;
  /** Cancels pending jobs of a location, optionally only those about one subject and of some kinds. */
  cancel(filter: CancelFilter, at: number): Awaitable<number>;
  hasPending(filter: { locationId: string; subject: string; kind: string }): Awaitable<boolean>;
  /** The earliest run time of a pending or running job of this kind (recurring jobs check they are scheduled). */
  nextRunOfKind(kind: string): Awaitable<number | null>;
  /** Pending jobs of this kind due later than `runAt` are made due at `runAt`; returns how many. */
  bringForward(kind: string, runAt: number): Awaitable<number>;
  /** Jobs whose lease ran out (their worker died mid-run) go back to pending; their attempt was already counted. */
  recoverExpiredLeases(now: number): Awaitable<number>;
  /** At start-up of the one process that owns the queue: whatever was running died with the last process. */
  recoverAfterRestart(now: number): Awaitable<number>;
  /** Deletes finished jobs finished before `before`. */
  prune(before: number): Awaitable<number>;
  counts(): Awaitable<Record<JobStatus, number>>;
}

export type InboxResult = 'stored' | 'duplicate';

export interface InboxItem {
  job: NewJob;
  /** An event id remembered for a while: a second item with it is a duplicate, however its job has since gone. */
  receiptKey: string | null;
}

/** How many of a batch's jobs the inbox may hand straight to this process's worker, and their lease. */
export interface InboxHandOff {
  limit: number;
  leaseUntil: number;
}

/** A committed batch: each item's result, and the jobs stored already claimed for this process's worker. */
export interface InboxCommit {
  results: InboxResult[];
  claimed: Job[];
}

/** Where the inbox commits a batch of incoming events: receipts and jobs together, all or nothing. */
export interface InboxStore {
  store(items: readonly InboxItem[], now: number): Awaitable<InboxResult[]>;
  /**
   * As store(), and up to `handOff.limit` of the new jobs are stored already claimed (running, leased, first attempt),
   * in batch order, for the worker of this process to run without a claim. Only when no pending job is due (none is
   * overtaken) and only a job due now whose (location, subject) line has no job pending or running (a caller's
   * events keep their order). An engine whose queue several instances share leaves it out: there, only a claim
   * keeps a caller's line in order across them (docs/decisions/0016-intake-hand-off.md).
   */
  storeAndClaim?(items: readonly InboxItem[], now: number, handOff: InboxHandOff): Awaitable<InboxCommit>;
}
