// The 'conversation-status' kind keeps a conversation message's status in HighLevel in step with Twilio's: it sends
// the latest status owed (forward only), riding out the few seconds in which HighLevel answers 403 because the
// message has not yet "reached the provider", with backoff and a bounded number of tries.
import { z } from 'zod';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { HighLevelApiError, RetryLaterError } from '../lib/errors.js';
import { PermanentJobError } from '../scheduler/worker.js';
import type { ConversationMessage } from '../store/conversation-messages.js';
import type { ConversationMessagesPort } from '../store/storage.js';
import { isLaterStatus } from '../workflow/message-status.js';
import type { ConversationJobDeps, JobEnqueuer } from './conversation-deps.js';
import { defineJobKind } from './job-kind.js';
import { CONVERSATION_STATUS_JOB } from './kind-names.js';
import { PRIORITY } from './priorities.js';

/** Tries in all: the first at once, then after 2, 4, 8, 16, 32, 60 and 60 s (about three minutes of 403s). */
export const STATUS_ATTEMPTS = 8;
const FIRST_RETRY_MS = 2_000;
const LONGEST_RETRY_MS = 60_000;

export const ConversationStatusPayloadSchema = z.object({ id: z.number().int().positive() });
export type ConversationStatusJob = z.infer<typeof ConversationStatusPayloadSchema>;

/** One job per message: a pending one reads the newest status when it runs; a finished one is brought back. */
export async function scheduleStatusPush(queue: JobEnqueuer, row: Pick<ConversationMessage, 'id' | 'locationId'>, now: number): Promise<void> {
  await queue.enqueue({
    kind: CONVERSATION_STATUS_JOB, locationId: row.locationId, payload: { id: row.id } satisfies ConversationStatusJob,
    runAt: now, dedupeKey: `${CONVERSATION_STATUS_JOB}:${row.id}`, revive: true, maxAttempts: STATUS_ATTEMPTS,
  }, now);
}

/** The wait after the `attempt`-th 403. */
export function statusRetryDelay(attempt: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), LONGEST_RETRY_MS);
}

export const conversationStatusKind = defineJobKind({
  name: CONVERSATION_STATUS_JOB,
  priority: PRIORITY.messages,
  highLevelRequests: 1,
  payload: ConversationStatusPayloadSchema,
  handler: (deps: ConversationJobDeps & { clock: Clock; logger: Logger }) => async ({ id }, job) => {
    const { store, calls } = deps.conversationChannel;
    const row = await store.get(id);
    if (!row || row.state !== 'posted' || !row.hlMessageId) return;
    const status = row.wantedStatus;
    if (!isLaterStatus(status, row.pushedStatus)) return;
    const log = { job: job.id, locationId: row.locationId, conversationMessage: id, status };
    try {
      await calls.updateStatus(row.locationId, row.hlMessageId, status, status === 'failed' ? await failureOf(store, row) : undefined);
    } catch (error) {
      const now = deps.clock.now();
      if (error instanceof HighLevelApiError && error.status === 403) {
        if (job.attempts < job.maxAttempts) throw new RetryLaterError('HighLevel does not take the status yet (403)', statusRetryDelay(job.attempts));
        await store.notePushError(id, `HighLevel refused the status ${job.attempts} times (403): ${error.message}`, now);
        deps.logger.warn({ ...log, attempts: job.attempts }, 'HighLevel kept refusing a conversation message status; given up');
        throw new PermanentJobError(`status ${status} refused by HighLevel (403) ${job.attempts} times`);
      }
      // A request HighLevel will never take (400, 404): noted once, not retried. 429, 5xx and network errors are.
      if (error instanceof HighLevelApiError && !error.retryable && error.status !== null && error.status !== 429) {
        await store.notePushError(id, error.message, now);
        deps.logger.warn({ ...log, httpStatus: error.status, traceId: error.traceId }, 'HighLevel refused a conversation message status');
        return;
      }
      throw error;
    }
    await store.markPushed(id, status, deps.clock.now());
    deps.logger.info(log, 'conversation message status sent to HighLevel');
    // A later status that arrived while this one was on its way: send it too.
    const after = await store.get(id);
    if (after && isLaterStatus(after.wantedStatus, after.pushedStatus)) return { runAgainAt: deps.clock.now() };
  },
});

/** HighLevel's error object for a failed message: the row's own reason (a refusal) or Twilio's from the ledger. */
async function failureOf(store: Pick<ConversationMessagesPort, 'twilioOutcome'>, row: ConversationMessage): Promise<{ code: string; message: string }> {
  if (row.errorMessage) return { code: row.errorCode ?? 'failed', message: row.errorMessage };
  const ledger = row.twilioSid ? await store.twilioOutcome(row.twilioSid) : null;
  return { code: ledger?.errorCode ?? 'failed', message: ledger?.errorMessage ?? 'Twilio could not deliver the text.' };
}
