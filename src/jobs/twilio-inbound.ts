// The 'twilio-inbound' kind: a text that reached a location's Twilio number, handled by the same reply rules as one
// arriving through HighLevel. Its payload is the caller's words: forgotten once handled.
import { z } from 'zod';
import type { Logger } from '../lib/logger.js';
import type { WorkflowDeps } from '../workflow/deps.js';
import { handleInboundText } from '../workflow/replies.js';
import { defineJobKind } from './job-kind.js';
import { TWILIO_INBOUND_JOB } from './kind-names.js';
import { PRIORITY } from './priorities.js';

export const TwilioInboundPayloadSchema = z.object({
  locationId: z.string().min(1),
  messageSid: z.string().min(1),
  /** E.164 */
  from: z.string().min(1),
  body: z.string(),
  receivedAt: z.number(),
});
export type TwilioInboundJob = z.infer<typeof TwilioInboundPayloadSchema>;

/** The contact lookup only adds HighLevel's DND and reply tag: it may not hold an opt-out up for long. */
const CONTACT_LOOKUP_BUDGET_MS = 3_000;

interface TwilioInboundDeps { workflow: WorkflowDeps; logger: Logger }

export const twilioInboundKind = defineJobKind({
  name: TWILIO_INBOUND_JOB,
  priority: PRIORITY.urgent,
  // The contact lookup is bounded by its own budget and waits in the pacer like any request.
  highLevelRequests: 0,
  forgetPayload: true,
  inbound: true,
  payload: TwilioInboundPayloadSchema,
  handler: (deps: TwilioInboundDeps) => async (text, job) => {
    const contactId = await findContactId(deps, text);
    const outcome = await handleInboundText(deps.workflow, {
      locationId: text.locationId, contactId, replyKey: `twilio:${text.messageSid}`, from: text.from, body: text.body,
      receivedAt: text.receivedAt, via: 'twilio',
    });
    deps.logger.info({ job: job.id, locationId: text.locationId, outcome }, 'twilio inbound text handled');
  },
});

async function findContactId({ workflow, logger }: TwilioInboundDeps, text: TwilioInboundJob): Promise<string | null> {
  const lookup = workflow.contacts.findByPhone(text.locationId, text.from).then(
    (contact) => contact?.id ?? null,
    (error: unknown) => {
      logger.warn({ locationId: text.locationId, err: error }, 'contact lookup for a Twilio text failed; handling it without the contact');
      return null;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), CONTACT_LOOKUP_BUDGET_MS); timer.unref(); });
  try {
    return await Promise.race([lookup, budget]);
  } finally {
    clearTimeout(timer);
  }
}
