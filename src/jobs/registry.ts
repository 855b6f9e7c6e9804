// The job registry: every job kind the app stores, declared once (name, priority, HighLevel requests, payload
// schema, whether its payload is forgotten, its handler). The queue, the worker, the pacer's admission and the data
// rights store learn about kinds from here only. docs/decisions/0009-job-registry.md says how to add one.
import type { JobHandler } from '../scheduler/worker.js';
import type { JobKind, QueuedJob } from './job-kind.js';
import { DEFAULT_PRIORITY } from './priorities.js';
import { highLevelEventKind } from './highlevel-event.js';
import { followUpKind, textBackKind } from './workflow-jobs.js';
import { catchUpKind } from './catch-up.js';
import { deliveryCheckKind, type DeliveryCheckDeps } from './delivery-check.js';
import { twilioInboundKind } from './twilio-inbound.js';
import { tokenKeepaliveKind, type TokenKeepaliveDeps } from './token-keepalive.js';
import { retentionKind, type RetentionDeps } from './retention.js';
import { backupKind, type BackupJob } from './backup.js';
import type { ConversationJobDeps } from './conversation-deps.js';
import { conversationPostKind } from './conversation-post.js';
import { conversationStatusKind } from './conversation-status.js';
import { providerOutboundKind } from './provider-outbound.js';
import type { WorkflowDeps } from '../workflow/deps.js';
import type { Logger } from '../lib/logger.js';
import type { Awaitable } from '../lib/awaitable.js';

export * from './kind-names.js';

/** Everything the handlers are built from; each kind takes the part it names. */
export interface JobDeps extends DeliveryCheckDeps, TokenKeepaliveDeps, ConversationJobDeps {
  workflow: WorkflowDeps;
  logger: Logger;
  retention: RetentionDeps;
  backups: Pick<BackupJob, 'handler'>;
}

/** Every kind, in priority order. A new kind is added here (and its name in kind-names.ts). */
export const JOB_KINDS: readonly JobKind<JobDeps>[] = [
  textBackKind,
  highLevelEventKind,
  twilioInboundKind,
  providerOutboundKind,
  conversationPostKind,
  conversationStatusKind,
  followUpKind,
  deliveryCheckKind,
  catchUpKind,
  tokenKeepaliveKind,
  retentionKind,
  backupKind,
];

const byName = new Map(JOB_KINDS.map((kind) => [kind.name, kind]));

/** A kind's priority, for jobs enqueued without one; unknown kinds run at the follow-up level. */
export function priorityOf(kind: string): number {
  return byName.get(kind)?.priority ?? DEFAULT_PRIORITY;
}

/** What a job will ask of its location's HighLevel pace when it runs (0 for unknown kinds); at once unless it must ask the store. */
export function highLevelRequestsOf(job: QueuedJob, tagsReplies: (locationId: string) => Awaitable<boolean>): Awaitable<number> {
  return byName.get(job.kind)?.highLevelRequestsOf(job, { tagsReplies }) ?? 0;
}

/** Kinds whose payload holds a person's words: erased once the job is done. */
export const forgetPayloadOf: ReadonlySet<string> = new Set(JOB_KINDS.filter((kind) => kind.forgetPayload).map((kind) => kind.name));

/** Inbound events: erasing a number's data leaves a pending one to run (it may be the person's own STOP). */
export const inboundEventKinds: readonly string[] = JOB_KINDS.filter((kind) => kind.inbound).map((kind) => kind.name);

/** The worker's handler for every kind, each built from the part of `deps` it needs (payloads checked when run). */
export function createJobHandlers(deps: JobDeps): Record<string, JobHandler> {
  return Object.fromEntries(JOB_KINDS.map((kind) => [kind.name, kind.createHandler(deps)]));
}
