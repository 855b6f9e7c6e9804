// How a job kind is declared: once, with everything the queue, the worker and the stores need to know of it, and a
// handler built from the dependencies it names. A payload that fails its schema fails the job for good.
import { z } from 'zod';
import type { Awaitable } from '../lib/awaitable.js';
import type { Job } from '../scheduler/queue-port.js';
import { PermanentJobError, type JobHandler } from '../scheduler/worker.js';

/** What a handler asks of the queue: nothing (done), or to run the job again at a later time (not a failure). */
export type JobResult = void | { runAgainAt: number };

/** A queued job as the worker's admission sees it, before it runs. */
export type QueuedJob = Pick<Job, 'kind' | 'payload' | 'locationId'>;

/** What an estimate of HighLevel requests may ask about a job's location. */
export interface RequestEstimateContext {
  /** Whether the location tags contacts who reply (one more HighLevel request per plain reply); a store look-up. */
  tagsReplies(locationId: string): Awaitable<boolean>;
}

export interface JobKindSpec<Deps, Payload> {
  name: string;
  /** Lower runs first: one of PRIORITY's levels (src/jobs/priorities.ts, docs/decisions/0008-fair-queue.md). */
  priority: number;
  /**
   * HighLevel requests a job of this kind makes for its location when it runs in full. The worker admits a job only
   * when the location's pacer has that many slots now; an estimate (slots a job does not use are let go).
   */
  highLevelRequests: number | ((job: QueuedJob, context: RequestEstimateContext) => Awaitable<number>);
  /** The payload holds a person's words (an inbound text, an event): erased once the job is done, the row stays. */
  forgetPayload?: boolean;
  /** An event that came in from outside: erasing a number's data leaves a pending one to run (it may be their STOP). */
  inbound?: boolean;
  /** Checked when the job runs; the handler gets what it parsed to. */
  payload: z.ZodType<Payload>;
  handler(deps: Deps): (payload: Payload, job: Job) => Promise<JobResult>;
}

/** A declared kind, its payload type erased: the registry lists these. */
export interface JobKind<Deps> {
  readonly name: string;
  readonly priority: number;
  readonly forgetPayload: boolean;
  readonly inbound: boolean;
  highLevelRequestsOf(job: QueuedJob, context: RequestEstimateContext): Awaitable<number>;
  createHandler(deps: Deps): JobHandler;
}

export function defineJobKind<Deps, Payload>(spec: JobKindSpec<Deps, Payload>): JobKind<Deps> {
  const estimate = spec.highLevelRequests;
  return {
    name: spec.name,
    priority: spec.priority,
    forgetPayload: spec.forgetPayload ?? false,
    inbound: spec.inbound ?? false,
    highLevelRequestsOf: typeof estimate === 'number' ? () => estimate : estimate,
    createHandler(deps) {
      const run = spec.handler(deps);
      return async (job) => run(parsePayload(spec.name, spec.payload, job.payload), job);
    },
  };
}

/** The payload as its schema reads it; a PermanentJobError naming the kind and the fields (never their values) if not. */
export function parsePayload<Payload>(kind: string, schema: z.ZodType<Payload>, payload: unknown): Payload {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
  throw new PermanentJobError(`job kind "${kind}": the payload does not match its schema (${problems.join('; ')})`);
}

/** The payload of kinds that carry none (recurring jobs). */
export const NoPayloadSchema = z.object({});
