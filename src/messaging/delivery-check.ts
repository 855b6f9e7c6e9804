// Delivery status for texts sent through HighLevel, which has no status webhook: this sender decorator asks, for every
// accepted text, for a durable job that polls the message a few times (the job kind is src/jobs/delivery-check.ts).
import { MINUTE, type Clock } from '../lib/clock.js';
import type { MessageSender } from '../workflow/ports/services.js';
import { DELIVERY_CHECK_JOB } from '../jobs/kind-names.js';

/** After the send: three looks, then the ledger keeps whatever it knows. */
export const DELIVERY_CHECK_AFTER_MS = [30_000, 2 * MINUTE, 10 * MINUTE] as const;

/** The job's payload: which HighLevel message, sent when. */
export interface DeliveryCheckJob { messageId: string; sentAt: number }

/**
 * Wraps the HighLevel sender: every accepted text asks for its delivery checks, which the ledger stores with the
 * send's record (SendLedger.markSent), in the same transaction.
 */
export function withDeliveryCheck(sender: MessageSender, deps: { clock: Clock }): MessageSender {
  return {
    async send(text, settings) {
      const receipt = await sender.send(text, settings);
      if (!receipt.providerMessageId) return receipt;
      const sentAt = deps.clock.now();
      const check = {
        kind: DELIVERY_CHECK_JOB,
        locationId: text.locationId,
        // Its own lane: a status poll never holds up a STOP or a send for the same number.
        subject: `delivery:${receipt.providerMessageId}`,
        dedupeKey: `${DELIVERY_CHECK_JOB}:highlevel:${receipt.providerMessageId}`,
        runAt: sentAt + DELIVERY_CHECK_AFTER_MS[0],
        payload: { messageId: receipt.providerMessageId, sentAt } satisfies DeliveryCheckJob,
      };
      return { ...receipt, jobs: [...receipt.jobs ?? [], check] };
    },
  };
}
