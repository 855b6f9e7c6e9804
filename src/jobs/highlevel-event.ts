// The 'highlevel-event' kind: a HighLevel webhook the intake stored, handled by the workflow's event rules. Its
// payload is the event as HighLevel sent it (attachments dropped): a caller's words, forgotten once handled.
import { z } from 'zod';
import type { Logger } from '../lib/logger.js';
import { andThen, type Awaitable } from '../lib/awaitable.js';
import { NotInstalledError } from '../lib/errors.js';
import { parseEvent } from '../highlevel/events.js';
import type { WorkflowDeps } from '../workflow/deps.js';
import { handleEvent } from '../workflow/handle-event.js';
import { defineJobKind, type QueuedJob, type RequestEstimateContext } from './job-kind.js';
import { WEBHOOK_JOB } from './kind-names.js';
import { PRIORITY, isInboundKeywordText, messageChannelOf } from './priorities.js';

/** Only what the intake checked before storing it; parseEvent reads the rest and ignores what it cannot use. */
export const WebhookEventPayloadSchema = z.looseObject({ type: z.string() });

/**
 * What a stored webhook will ask of its location's HighLevel pace: an inbound keyword text costs one request (the
 * HELP answer or the opt-out confirmation; a DND update after it waits its turn in the pacer), a plain reply one when
 * its location tags replies, none otherwise; calls and the other events cost none.
 */
export function webhookHighLevelRequests(job: QueuedJob, context: RequestEstimateContext): Awaitable<number> {
  const event = job.payload as Record<string, unknown> | null;
  if (!event || event.type !== 'InboundMessage' || messageChannelOf(event) !== 'SMS') return 0;
  if (typeof event.direction !== 'string' || event.direction.toLowerCase() !== 'inbound') return 0;
  if (isInboundKeywordText(event)) return 1;
  if (!job.locationId || typeof event.contactId !== 'string') return 0;
  return andThen(context.tagsReplies(job.locationId), (tags) => (tags ? 1 : 0));
}

export const highLevelEventKind = defineJobKind({
  name: WEBHOOK_JOB,
  // The intake sets each webhook's own level (webhookEventPriority); this is the level of one enqueued without it.
  priority: PRIORITY.urgent,
  highLevelRequests: webhookHighLevelRequests,
  forgetPayload: true,
  inbound: true,
  payload: WebhookEventPayloadSchema,
  handler: (deps: { workflow: WorkflowDeps; logger: Logger }) => async (payload, job) => {
    const event = parseEvent(payload, job.createdAt);
    let outcome: string;
    try {
      outcome = await handleEvent(deps.workflow, event, { recovering: job.attempts > 1 });
    } catch (error) {
      // Uninstalled while the event waited: there is nothing to do for it, now or later.
      if (!(error instanceof NotInstalledError)) throw error;
      outcome = 'ignored:not-installed';
    }
    deps.logger.info({ job: job.id, event: event.kind, locationId: job.locationId, outcome }, 'webhook event handled');
  },
});
