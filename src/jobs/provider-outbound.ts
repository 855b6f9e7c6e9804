// The 'provider-outbound' kind: one ProviderOutboundMessage (a message typed in the app's conversation channel in
// HighLevel, stored by the delivery URL). A staff member's text goes to the caller through Twilio, anything else is
// refused; either way HighLevel's message then shows the outcome (delivered, or failed with the reason) through the
// status kind. The payload holds the number and the words: forgotten once done.
import { z } from 'zod';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { fromLedgerStatus, isLaterStatus } from '../workflow/message-status.js';
import type { WorkflowDeps } from '../workflow/deps.js';
import { sendStaffReply } from '../workflow/staff-reply.js';
import type { ConversationJobDeps } from './conversation-deps.js';
import { scheduleStatusPush } from './conversation-status.js';
import { defineJobKind } from './job-kind.js';
import { PROVIDER_OUTBOUND_JOB } from './kind-names.js';
import { PRIORITY } from './priorities.js';

/** What the delivery URL stores: the fields the job needs, never the attachments' URLs (only how many). */
export const ProviderOutboundPayloadSchema = z.object({
  messageId: z.string().min(1),
  locationId: z.string().min(1),
  contactId: z.string().nullable(),
  phone: z.string().nullable(),
  body: z.string(),
  userId: z.string().nullable(),
  type: z.string(),
  attachments: z.number().int().min(0),
});
export type ProviderOutboundJob = z.infer<typeof ProviderOutboundPayloadSchema>;

const NOT_KNOWN = 'Twilio did not answer: the text may or may not have reached the caller. It is not sent again.';

export const providerOutboundKind = defineJobKind({
  name: PROVIDER_OUTBOUND_JOB,
  // A person typed it and waits to see it go: as urgent as a text-back (quiet hours never hold it).
  priority: PRIORITY.urgent,
  // A Twilio send; HighLevel hears of the outcome through the status kind.
  highLevelRequests: 0,
  forgetPayload: true,
  payload: ProviderOutboundPayloadSchema,
  handler: (deps: ConversationJobDeps & { workflow: WorkflowDeps; clock: Clock; logger: Logger }) => async (message, job) => {
    const { store, queue } = deps.conversationChannel;
    const outcome = await sendStaffReply(deps.workflow, message);
    const now = deps.clock.now();
    const ledger = outcome.result === 'refused' ? null : await store.sendOutcome(outcome.sendKey);
    const row = await store.open({
      locationId: message.locationId, messageKey: `staff:${message.messageId}`, origin: 'staff', twilioSid: ledger?.sid ?? null,
      contactId: message.contactId, hlMessageId: message.messageId, state: 'posted',
    }, now);

    if (outcome.result === 'sent') {
      // Twilio's callbacks move it on from here; any that came before this row existed are in the ledger already.
      if (ledger) await store.advanceWanted(row.id, fromLedgerStatus(ledger.status), null, now);
    } else if (outcome.result === 'refused') {
      await store.advanceWanted(row.id, 'failed', { code: outcome.code, message: outcome.reason }, now);
    } else if (outcome.result === 'failed') {
      const reason = ledger?.errorMessage ?? `Twilio refused it (${outcome.code})`;
      await store.advanceWanted(row.id, 'failed', { code: ledger?.errorCode ?? outcome.code, message: `Not sent: ${reason}` }, now);
    } else {
      await store.advanceWanted(row.id, 'failed', { code: 'unknown', message: NOT_KNOWN }, now);
    }
    const current = (await store.get(row.id))!;
    if (isLaterStatus(current.wantedStatus, current.pushedStatus)) await scheduleStatusPush(queue, current, now);
    const fields = { job: job.id, locationId: message.locationId, outcome: outcome.result, ...('code' in outcome ? { code: outcome.code } : {}) };
    if (outcome.result === 'sent' || outcome.result === 'refused') deps.logger.info(fields, 'conversation channel message handled');
    else deps.logger.warn(fields, 'conversation channel message not delivered');
  },
});
