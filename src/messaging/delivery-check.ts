// Delivery status for texts sent through HighLevel, which has no status webhook: this sender decorator schedules, for
// every accepted text, a durable job that polls the message a few times (the job kind is src/jobs/delivery-check.ts).
import { MINUTE, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { MessageSender } from '../workflow/ports/services.js';
import type { Scheduler } from '../workflow/ports/storage.js';
import { DELIVERY_CHECK_JOB } from '../jobs/kind-names.js';

/** After the send: three looks, then the ledger keeps whatever it knows. */
export const DELIVERY_CHECK_AFTER_MS = [30_000, 2 * MINUTE, 10 * MINUTE] as const;

/** The job's payload: which HighLevel message, sent when. */
export interface DeliveryCheckJob { messageId: string; sentAt: number }

/** Wraps the HighLevel sender: every accepted text gets its delivery checks scheduled (never failing the send). */
export function withDeliveryCheck(sender: MessageSender, deps: { scheduler: Pick<Scheduler, 'schedule'>; clock: Clock; logger: Logger }): MessageSender {
  return {
    async send(text, settings) {
      const receipt = await sender.send(text, settings);
      if (receipt.providerMessageId) {
        const sentAt = deps.clock.now();
        try {
          await deps.scheduler.schedule({
            kind: DELIVERY_CHECK_JOB,
            locationId: text.locationId,
            // Its own lane: a status poll never holds up a STOP or a send for the same number.
            subject: `delivery:${receipt.providerMessageId}`,
            dedupeKey: `${DELIVERY_CHECK_JOB}:highlevel:${receipt.providerMessageId}`,
            runAt: sentAt + DELIVERY_CHECK_AFTER_MS[0],
            payload: { messageId: receipt.providerMessageId, sentAt } satisfies DeliveryCheckJob,
          });
        } catch (error) {
          deps.logger.warn({ locationId: text.locationId, err: error }, 'could not schedule the delivery check; the text was sent');
        }
      }
      return receipt;
    },
  };
}
