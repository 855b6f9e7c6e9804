// MessageSender over HighLevel's conversations API: the location's own SMS setup sends; failures become SendFailures.
import { HighLevelApiError, NotInstalledError, ReconnectRequiredError, errorMessage } from '../lib/errors.js';
import type { HighLevelApi } from '../highlevel/api-client.js';
import { RateLimitedError } from '../highlevel/api-client.js';
import { SendFailure, type MessageSender, type NumberVerdict } from '../workflow/ports/services.js';

// HighLevel's own refusal: "Cannot send message as DND is active for SMS." It proves nothing about who asked.
const DND_ACTIVE = /\bdnd\b|do[\s-]?not[\s-]?disturb/i;
const OPTED_OUT = /opted[\s-]?out|opt[\s-]?out|unsubscribed/i;
const INVALID_NUMBER = /invalid.{0,24}(phone|number)|(phone|number).{0,24}\binvalid\b|(not|must be) a valid .{0,12}(phone|mobile|number)/i;
const LANDLINE = /landline/i;

export function createHighLevelSender(deps: { api: Pick<HighLevelApi, 'sendSms'> }): MessageSender {
  return {
    async send(text) {
      if (!text.contactId) throw new SendFailure('HighLevel sends only to a contact; none was given', 'rejected', 'no-contact');
      try {
        // toNumber pins the number the ledger and suppressions were checked against, not the contact's primary one.
        const sent = await deps.api.sendSms(text.locationId, { contactId: text.contactId, message: text.body, toNumber: text.to });
        return { provider: 'highlevel', providerMessageId: sent.messageId, status: 'queued' };
      } catch (error) {
        throw toSendFailure(error);
      }
    },
  };
}

/** Every failure of a send, in the workflow's terms; anything unrecognised counts as possibly sent. */
export function toSendFailure(error: unknown): SendFailure {
  if (error instanceof SendFailure) return error;
  if (error instanceof NotInstalledError) return new SendFailure(error.message, 'rejected', 'not-installed');
  if (error instanceof ReconnectRequiredError) return new SendFailure(error.message, 'rejected', 'needs-reconnect');
  if (!(error instanceof HighLevelApiError)) return new SendFailure(errorMessage(error), 'ambiguous', 'unexpected');
  const code = error.status === null ? 'network' : `http_${error.status}`;
  if (error.ambiguous) return new SendFailure(error.message, 'ambiguous', code);
  if (error.retryable) {
    const retryAfterMs = error instanceof RateLimitedError ? error.retryAfterMs : null;
    return new SendFailure(error.message, 'retryable', code, null, retryAfterMs);
  }
  return new SendFailure(error.message, 'rejected', code, verdictOf(error.message));
}

function verdictOf(message: string): NumberVerdict | null {
  if (DND_ACTIVE.test(message)) return 'dnd';
  if (OPTED_OUT.test(message)) return 'opted-out';
  if (LANDLINE.test(message)) return 'landline';
  if (INVALID_NUMBER.test(message)) return 'invalid';
  return null;
}
