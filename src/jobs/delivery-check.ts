// The 'delivery-check' kind: delivery status for texts sent through HighLevel, which has no status webhook. The job
// (asked for by messaging/delivery-check.ts's sender decorator, stored with the send's record) polls the message a few times.
import { z } from 'zod';
import { MINUTE, type Clock } from '../lib/clock.js';
import { HighLevelApiError, RetryLaterError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { HighLevelApi } from '../highlevel/api-client.js';
import { RateLimitedError } from '../highlevel/api-client.js';
import { isFinalStatus, type DeliveryStatus } from '../store/delivery.js';
import type { DeliveryLogPort } from '../store/storage.js';
import { DELIVERY_CHECK_AFTER_MS, type DeliveryCheckJob } from '../messaging/delivery-check.js';
import type { Suppressions } from '../workflow/ports/storage.js';
import { defineJobKind } from './job-kind.js';
import { DELIVERY_CHECK_JOB } from './kind-names.js';
import { PRIORITY } from './priorities.js';

export const DeliveryCheckPayloadSchema = z.object({ messageId: z.string().min(1), sentAt: z.number() }) satisfies z.ZodType<DeliveryCheckJob>;

const HIGHLEVEL_STATUS: Record<string, DeliveryStatus> = {
  sent: 'sent', delivered: 'delivered', read: 'delivered', undelivered: 'undelivered', failed: 'failed', opt_out: 'failed',
};

export interface DeliveryCheckDeps {
  api: Pick<HighLevelApi, 'getMessage'>;
  delivery: Pick<DeliveryLogPort, 'findByProviderMessageId' | 'advance'>;
  suppressions: Pick<Suppressions, 'suppress'>;
  clock: Clock;
  logger: Logger;
}

export const deliveryCheckKind = defineJobKind({
  name: DELIVERY_CHECK_JOB,
  priority: PRIORITY.deliveryCheck,
  // One status read.
  highLevelRequests: 1,
  payload: DeliveryCheckPayloadSchema,
  handler: (deps: DeliveryCheckDeps) => async ({ messageId, sentAt }, job) => {
    const sent = await deps.delivery.findByProviderMessageId('highlevel', messageId);
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
      await deps.delivery.advance(sent.id, status, { code: status === 'delivered' ? null : `highlevel_${raw}`, message: error }, now);
      if (raw === 'opt_out') {
        await deps.suppressions.suppress({ locationId: sent.locationId, phone: sent.phone, source: 'provider', reason: error ?? undefined, actor: 'highlevel' }, now);
      }
      deps.logger.info({ job: job.id, locationId: job.locationId, status }, 'delivery status recorded');
      return;
    }
    if (status) await deps.delivery.advance(sent.id, status, { code: null, message: null }, now);
    const next = DELIVERY_CHECK_AFTER_MS.map((after) => sentAt + after).find((at) => at > now);
    return next === undefined ? undefined : { runAgainAt: next };
  },
});
