// The 'conversation-post' kind puts one Twilio text into the contact's HighLevel conversation: a text the app sent
// (outbound) or one a caller sent to the location's Twilio number (inbound). HighLevel's add-message call takes no
// idempotency key, so it follows the send ledger's discipline (docs/decisions/0002): the intent row is written before
// the call and marked posted with HighLevel's messageId after; a call whose answer was lost is 'unknown', reported,
// and never made again. The payload holds the text's words: forgotten once done.
import { z } from 'zod';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { HighLevelApiError, RetryLaterError, errorMessage } from '../lib/errors.js';
import { PermanentJobError } from '../scheduler/worker.js';
import type { ConversationMessage } from '../store/conversation-messages.js';
import { fromLedgerStatus, isLaterStatus } from '../workflow/message-status.js';
import type { WorkflowDeps } from '../workflow/deps.js';
import type { ConversationJobDeps } from './conversation-deps.js';
import { scheduleStatusPush } from './conversation-status.js';
import { defineJobKind } from './job-kind.js';
import { CONVERSATION_POST_JOB } from './kind-names.js';
import { PRIORITY } from './priorities.js';

export const ConversationPostPayloadSchema = z.object({
  /** out:<SID> for a text the app sent, in:<SID> for a caller's. */
  key: z.string().min(1),
  origin: z.enum(['app', 'caller']),
  locationId: z.string().min(1),
  sid: z.string().min(1),
  contactId: z.string().nullable(),
  /** The caller's number, E.164. */
  phone: z.string().min(1),
  body: z.string(),
  at: z.number(),
});
export type ConversationPostJob = z.infer<typeof ConversationPostPayloadSchema>;

/** What a failed add-message call means: HighLevel certainly did nothing (try again), refused it, or may have added it. */
type Verdict = 'not-sent' | 'refused' | 'unknown';

function verdictOf(error: unknown): Verdict {
  if (!(error instanceof HighLevelApiError)) return 'refused'; // token or configuration: thrown before anything was sent
  if (error.status === 429) return 'not-sent';
  if (error.status === null) return error.ambiguous ? 'unknown' : 'not-sent';
  // Any 5xx (not only 504) and 408 may come after HighLevel stored the message: with no idempotency key, never again.
  if (error.status >= 500 || error.status === 408) return 'unknown';
  return 'refused';
}

type Deps = ConversationJobDeps & { workflow: WorkflowDeps; clock: Clock; logger: Logger };

/** A caller's text waits this long between looks for its reply rules to have run (keywords first)… */
export const KEYWORDS_FIRST_RECHECK_MS = 2_000;
/** …but no longer than this: a text whose handling failed for good is still shown. */
const KEYWORDS_FIRST_MAX_WAIT_MS = 10 * 60_000;

export const conversationPostKind = defineJobKind({
  name: CONVERSATION_POST_JOB,
  // Plain conversation: behind text-backs and opt-outs; the caller's line keeps it after their own text's handling.
  priority: PRIORITY.messages,
  // The conversation search and the add (a contact lookup or a create now and then).
  highLevelRequests: 2,
  forgetPayload: true,
  payload: ConversationPostPayloadSchema,
  handler: (deps: Deps) => async (post, job) => {
    const { store, calls, queue } = deps.conversationChannel;
    const { locationId } = post;
    const log = { job: job.id, locationId, origin: post.origin };
    // A caller's text is shown only once the reply rules have run on it (src/jobs/twilio-inbound.ts records it under
    // twilio:<SID>): an opt-out is in effect before anything else happens about it.
    const waited = deps.clock.now() - post.at;
    if (post.origin === 'caller' && waited < KEYWORDS_FIRST_MAX_WAIT_MS && !await store.replyHandled(locationId, `twilio:${post.sid}`)) {
      return { runAgainAt: deps.clock.now() + KEYWORDS_FIRST_RECHECK_MS };
    }
    const row = await store.open({ locationId, messageKey: post.key, origin: post.origin, twilioSid: post.sid, contactId: post.contactId }, deps.clock.now());
    if (row.state === 'posting') return await reportUnknown(deps, row, 'interrupted while HighLevel was being asked; never posted again');
    if (row.state !== 'pending') {
      deps.logger.info({ ...log, state: row.state }, 'conversation message already settled');
      return;
    }

    let target: { contactId: string; conversationId: string };
    try {
      const contactId = post.contactId ?? await contactFor(deps.workflow, locationId, post.phone);
      target = { contactId, conversationId: await calls.ensureConversation(locationId, contactId) };
    } catch (error) {
      // Nothing was added yet: a passing failure tries again, and so does a lost answer (a conversation or contact it
      // may have created is found by the next search, HighLevel keeping one conversation per contact).
      if (error instanceof HighLevelApiError && (error.retryable || error.ambiguous)) throw error;
      await store.settle(row.id, 'failed', { code: codeOf(error), message: errorMessage(error) }, deps.clock.now());
      deps.logger.warn({ ...log, err: error }, 'text not shown in HighLevel: its contact or conversation could not be had');
      return;
    }

    if (!await store.claimPosting(row.id, deps.clock.now())) return;
    let added;
    try {
      added = await calls.addMessage(locationId, {
        ...target, direction: post.origin === 'app' ? 'outbound' : 'inbound', body: post.body, altId: post.sid, at: post.at,
      });
    } catch (error) {
      const verdict = verdictOf(error);
      if (verdict === 'not-sent') {
        await store.release(row.id, deps.clock.now());
        throw new RetryLaterError(`HighLevel did not take the message yet: ${errorMessage(error)}`, 30_000);
      }
      if (verdict === 'unknown') {
        return await reportUnknown(deps, row, `HighLevel's answer was lost (${errorMessage(error)}); it may show the message, which is never posted again`);
      }
      await store.settle(row.id, 'failed', { code: codeOf(error), message: errorMessage(error) }, deps.clock.now());
      deps.logger.warn({ ...log, err: error }, 'HighLevel refused to show a Twilio text in the conversation');
      return;
    }

    const now = deps.clock.now();
    await store.markPosted(row.id, { hlMessageId: added.messageId, conversationId: added.conversationId, contactId: target.contactId }, now);
    // Twilio may have reported on the text already, before there was a HighLevel message to tell.
    const ledger = post.origin === 'app' ? await store.twilioOutcome(post.sid) : null;
    if (ledger) await store.advanceWanted(row.id, fromLedgerStatus(ledger.status), null, now);
    const posted = (await store.get(row.id))!;
    if (isLaterStatus(posted.wantedStatus, posted.pushedStatus)) await scheduleStatusPush(queue, posted, now);
    deps.logger.info({ ...log, status: posted.wantedStatus }, 'Twilio text shown in the HighLevel conversation');
  },
});

/** The caller's contact: found by number, or created (HighLevel keeps conversations per contact only). */
async function contactFor(workflow: WorkflowDeps, locationId: string, phone: string): Promise<string> {
  return (await workflow.contacts.findByPhone(locationId, phone))?.id ?? (await workflow.contacts.ensureContact(locationId, phone)).id;
}

/** Recorded, logged and failed for good (the job metrics count it): the one thing it must never do is post again. */
async function reportUnknown(deps: Deps, row: ConversationMessage, message: string): Promise<never> {
  await deps.conversationChannel.store.settle(row.id, 'unknown', { code: 'unknown', message }, deps.clock.now());
  deps.logger.error({ locationId: row.locationId, conversationMessage: row.id, origin: row.origin }, `conversation message outcome unknown: ${message}`);
  throw new PermanentJobError(`conversation message ${row.id} outcome unknown: ${message}`);
}

function codeOf(error: unknown): string {
  return error instanceof HighLevelApiError && error.status !== null ? `highlevel-${error.status}` : 'error';
}
