// Delivery status for texts sent through HighLevel, which has no status webhook: a durable job polls the message a few times.
import { MINUTE, type Clock } from '../lib/clock.js';
import { HighLevelApiError, RetryLaterError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { HighLevelApi } from '../highlevel/api-client.js';
import { RateLimitedError } from '../highlevel/api-client.js';
import type { Job } from '../store/job-queue.js';
import type { JobHandler } from '../scheduler/worker.js';
import { isFinalStatus, type DeliveryLog, type DeliveryStatus } from '../store/delivery.js';
import type { MessageSender } from '../workflow/ports/services.js';
import type { Scheduler, Suppressions } from '../workflow/ports/storage.js';

export const DELIVERY_CHECK_JOB = 'delivery-check';

/** After the send: three looks, then the ledger keeps whatever it knows. */
export const DELIVERY_CHECK_AFTER_MS = [30_000, 2 * MINUTE, 10 * MINUTE] as const;

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

const HIGHLEVEL_STATUS: Record<string, DeliveryStatus> = {
  sent: 'sent', delivered: 'delivered', read: 'delivered', undelivered: 'undelivered', failed: 'failed', opt_out: 'failed',
};

export interface DeliveryCheckDeps {
  api: Pick<HighLevelApi, 'getMessage'>;
  delivery: Pick<DeliveryLog, 'findByProviderMessageId' | 'advance'>;
  suppressions: Pick<Suppressions, 'suppress'>;
  clock: Clock;
  logger: Logger;
}

export function createDeliveryCheckHandler(deps: DeliveryCheckDeps): JobHandler {
  return async (job: Job) => {
    const { messageId, sentAt } = job.payload as DeliveryCheckJob;
    const sent = deps.delivery.findByProviderMessageId('highlevel', messageId);
    if (!sent || isFinalStatus(sent.status) || !job.locationId) return;

    let message;
    try {
      message = await deps.api.getMessage(job.locationId, messageId);
    } catch (error) {
      if (error instanceof RateLimitedError) throw new RetryLaterError('HighLevel rate limit', error.retryAfterMs ?? MINUTE);
      if (error instanceof HighLevelApiError && error.status === 404) return;
      throw error;
    }
    const now = deps.clock.now();
    const raw = (message.status ?? '').toLowerCase();
    const status = HIGHLEVEL_STATUS[raw];
    if (status && isFinalStatus(status)) {
      const reported = (message as { error?: unknown }).error;
      const error = status === 'delivered' ? null
        : raw === 'opt_out' ? 'HighLevel did not send it: the contact has opted out'
          : typeof reported === 'string' && reported ? `HighLevel: ${reported}` : `HighLevel reported the text ${raw}`;
      deps.delivery.advance(sent.id, status, { code: status === 'delivered' ? null : `highlevel_${raw}`, message: error }, now);
      if (raw === 'opt_out') {
        await deps.suppressions.suppress({ locationId: sent.locationId, phone: sent.phone, source: 'provider', reason: error ?? undefined, actor: 'highlevel' }, now);
      }
      deps.logger.info({ job: job.id, locationId: job.locationId, status }, 'delivery status recorded');
      return;
    }
    if (status) deps.delivery.advance(sent.id, status, { code: null, message: null }, now);
    const next = DELIVERY_CHECK_AFTER_MS.map((after) => sentAt + after).find((at) => at > now);
    return next === undefined ? undefined : { runAgainAt: next };
  };
}
