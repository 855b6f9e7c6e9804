// A text that reached a location's Twilio number, handled by the same reply rules as one arriving through HighLevel.
import type { Logger } from '../lib/logger.js';
import type { Job } from '../store/job-queue.js';
import type { JobHandler } from '../scheduler/worker.js';
import type { WorkflowDeps } from '../workflow/deps.js';
import { handleInboundText } from '../workflow/replies.js';

export const TWILIO_INBOUND_JOB = 'twilio-inbound';

export interface TwilioInboundJob {
  locationId: string;
  messageSid: string;
  /** E.164 */
  from: string;
  body: string;
  receivedAt: number;
}

/** The contact lookup only adds HighLevel's DND and reply tag: it may not hold an opt-out up for long. */
const CONTACT_LOOKUP_BUDGET_MS = 3_000;

export function createTwilioInboundHandler(deps: WorkflowDeps, logger: Logger): JobHandler {
  return async (job: Job) => {
    const text = job.payload as TwilioInboundJob;
    const contactId = await findContactId(deps, logger, text);
    const outcome = await handleInboundText(deps, {
      locationId: text.locationId, contactId, replyKey: `twilio:${text.messageSid}`, from: text.from, body: text.body,
      receivedAt: text.receivedAt, via: 'twilio',
    });
    logger.info({ job: job.id, locationId: text.locationId, outcome }, 'twilio inbound text handled');
  };
}

async function findContactId(deps: WorkflowDeps, logger: Logger, text: TwilioInboundJob): Promise<string | null> {
  const lookup = deps.contacts.findByPhone(text.locationId, text.from).then(
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
