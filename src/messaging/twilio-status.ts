// Twilio status callbacks applied to the ledger: statuses only move forward; error codes teach what they teach at send.
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { DeliveryStatus, SentMessage } from '../store/delivery.js';
import type { DeliveryLogPort, LineTypeCachePort } from '../store/storage.js';
import type { Suppressions } from '../workflow/ports/storage.js';
import { ruleForTwilioCode } from './twilio-errors.js';

export interface TwilioStatusReport {
  status: string;
  /** The ErrorCode parameter, when Twilio sent one. */
  errorCode: string | null;
}

const STATUS: Record<string, DeliveryStatus> = {
  accepted: 'queued', scheduled: 'queued', queued: 'queued', sending: 'queued',
  sent: 'sent',
  delivered: 'delivered', read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed', canceled: 'failed',
};

export interface TwilioStatusDeps {
  delivery: Pick<DeliveryLogPort, 'advance'>;
  suppressions: Pick<Suppressions, 'suppress'>;
  lineTypes: Pick<LineTypeCachePort, 'remember'>;
  clock: Clock;
  logger: Logger;
}

export type TwilioStatusRecorder = ReturnType<typeof createTwilioStatusRecorder>;

export function createTwilioStatusRecorder(deps: TwilioStatusDeps) {
  return {
    /** 'recorded' when the ledger moved forward; 'ignored' for a status it has already passed (out of order). */
    async record(message: SentMessage, report: TwilioStatusReport): Promise<'recorded' | 'ignored'> {
      const now = deps.clock.now();
      const code = report.errorCode && report.errorCode !== '0' ? report.errorCode : null;
      const rule = ruleForTwilioCode(code);
      const errorMessage = code ? `Twilio ${code}: ${rule?.message ?? 'delivery error'}` : null;

      // What the error says about the number holds whatever order the callbacks came in.
      if (rule?.verdict === 'opted-out') {
        await deps.suppressions.suppress({ locationId: message.locationId, phone: message.phone, source: 'provider', reason: errorMessage ?? undefined, actor: 'twilio' }, now);
      }
      if (rule?.verdict === 'landline') await deps.lineTypes.remember(message.locationId, message.phone, 'landline', `error:${code}`, now);

      const status = STATUS[report.status.toLowerCase()];
      if (!status) {
        deps.logger.info({ messageId: message.id, status: report.status }, 'twilio status not tracked');
        return 'ignored';
      }
      return await deps.delivery.advance(message.id, status, { code, message: errorMessage }, now) ? 'recorded' : 'ignored';
    },
  };
}
