// MessageSender over a location's Twilio account: status callbacks, a validity period for the send window, error mapping.
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { ResolvedTwilioAccount } from '../store/twilio-accounts.js';
import type { Awaitable } from '../lib/awaitable.js';
import type { LineTypeCachePort } from '../store/storage.js';
import { SendFailure, type MessageSender, type OutgoingText } from '../workflow/ports/services.js';
import type { ScheduledJob } from '../workflow/ports/jobs.js';
import type { TwilioClients } from './twilio-client.js';
import { toTwilioSendFailure } from './twilio-errors.js';

/** Twilio accepts 1 s to 10 h; a text that would wait longer in its queue is dropped rather than sent late. */
const MAX_VALIDITY_S = 36_000;
const MIN_VALIDITY_S = 5;

/** Records a text sent outside HighLevel in the contact's HighLevel conversation, so staff see it where they work. */
export interface ConversationLog {
  /**
   * The job that shows a text the app sent in the contact's HighLevel conversation, stored with the send's record (in
   * the same transaction: a fast status callback finds it, and the copy is never lost); null when texts are not posted.
   * `externalId`: Twilio's SID; `to`: E.164. A contactId the text was sent for, else null (found by number later).
   */
  postFor(input: { locationId: string; contactId: string | null; to: string; body: string; externalId: string; sentAt: number }): Omit<ScheduledJob, 'revive'> | null;
}

export interface TwilioSenderDeps {
  accounts: { resolve(locationId: string): Awaitable<ResolvedTwilioAccount | null> };
  clients: TwilioClients;
  /** PUBLIC_URL + /webhooks/twilio/status */
  statusCallbackUrl: string;
  lineTypes: Pick<LineTypeCachePort, 'remember'>;
  clock: Clock;
  logger: Logger;
  conversationLog?: ConversationLog;
}

export function createTwilioSender(deps: TwilioSenderDeps): MessageSender {
  return {
    async send(text) {
      const account = await deps.accounts.resolve(text.locationId);
      if (!account) {
        throw new SendFailure('This location sends through Twilio but has no usable Twilio account; save one in the provider settings', 'rejected', 'twilio-not-configured');
      }
      const validityPeriod = validitySeconds(text, deps.clock.now());
      const params = {
        to: text.to,
        body: text.body,
        statusCallback: deps.statusCallbackUrl,
        ...(validityPeriod === undefined ? {} : { validityPeriod }),
        ...(account.messagingServiceSid ? { messagingServiceSid: account.messagingServiceSid } : { from: account.fromNumber! }),
      };
      let message: { sid: string; status: string };
      try {
        message = await deps.clients.clientFor(account.credentials).messages.create(params);
      } catch (error) {
        const failure = toTwilioSendFailure(error);
        if (failure.verdict === 'landline') await deps.lineTypes.remember(text.locationId, text.to, 'landline', `error:${failure.code}`, deps.clock.now());
        throw failure;
      }
      // A staff reply came from HighLevel's conversation: it is there already.
      const post = deps.conversationLog && text.kind !== 'staff-reply'
        ? deps.conversationLog.postFor({ locationId: text.locationId, contactId: text.contactId, to: text.to, body: text.body, externalId: message.sid, sentAt: deps.clock.now() })
        : null;
      return { provider: 'twilio', providerMessageId: message.sid, status: message.status, ...(post ? { jobs: [post] } : {}) };
    },
  };
}

/** Seconds until `deliverBy`; a window that has already closed means not sending now (the job re-decides later). */
function validitySeconds(text: OutgoingText, now: number): number | undefined {
  if (text.deliverBy === undefined) return undefined;
  const seconds = Math.floor((text.deliverBy - now) / 1000);
  if (seconds < MIN_VALIDITY_S) throw new SendFailure('The send window closes before Twilio could deliver the text', 'retryable', 'window-closing', null, 60_000);
  return Math.min(seconds, MAX_VALIDITY_S);
}
