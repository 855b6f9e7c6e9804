// Twilio's error codes in the workflow's terms: what a failure means for the send, and what it teaches about the number.
import { MINUTE } from '../lib/clock.js';
import { errorMessage } from '../lib/errors.js';
import { SendFailure, type NumberVerdict, type SendFailureKind } from '../workflow/ports/services.js';

export interface TwilioErrorRule {
  kind: SendFailureKind;
  verdict: NumberVerdict | null;
  /** Shown to the business in the activity log. */
  message: string;
  retryAfterMs?: number;
}

const CARRIER_LIMIT_BACKOFF_MS = 15 * MINUTE;

const RULES: Record<number, TwilioErrorRule> = {
  21610: { kind: 'rejected', verdict: 'opted-out', message: 'The recipient has replied STOP to this sender; Twilio blocks texts to them' },
  21211: { kind: 'rejected', verdict: 'invalid', message: 'Not a valid phone number' },
  21614: { kind: 'rejected', verdict: 'landline', message: 'Not a mobile number: it cannot receive texts (landline)' },
  30006: { kind: 'rejected', verdict: 'landline', message: 'Landline or unreachable carrier: the number cannot receive texts' },
  30003: { kind: 'rejected', verdict: 'unreachable', message: 'Unreachable handset (switched off or out of coverage)' },
  30005: { kind: 'rejected', verdict: 'unreachable', message: 'Unknown handset: the number may no longer exist' },
  30007: { kind: 'rejected', verdict: 'filtered', message: 'Filtered by the carrier as spam; review the message wording' },
  30034: {
    kind: 'rejected', verdict: 'unregistered-sender',
    message: 'The sending number is not in an approved A2P 10DLC campaign; register it in a Messaging Service with an approved campaign',
  },
  30022: { kind: 'retryable', verdict: null, message: 'A2P 10DLC throughput limit exceeded; sending again later', retryAfterMs: CARRIER_LIMIT_BACKOFF_MS },
  30026: { kind: 'retryable', verdict: null, message: 'Carrier sending limit reached; sending again later', retryAfterMs: CARRIER_LIMIT_BACKOFF_MS },
  30027: { kind: 'retryable', verdict: null, message: 'Carrier daily message limit reached; sending again later', retryAfterMs: CARRIER_LIMIT_BACKOFF_MS },
  20429: { kind: 'retryable', verdict: null, message: 'Twilio rate limit; sending again shortly', retryAfterMs: MINUTE },
  20003: { kind: 'rejected', verdict: null, message: 'Twilio rejected the credentials saved for this location; check them in the provider settings' },
};

/** The rule for a Twilio error code (also those arriving later in status callbacks), or null for one without a rule. */
export function ruleForTwilioCode(code: number | string | null | undefined): TwilioErrorRule | null {
  const n = typeof code === 'string' ? Number(code) : code;
  return n !== null && n !== undefined && Number.isInteger(n) ? (RULES[n] ?? null) : null;
}

// The request never reached Twilio: nothing was created, so sending again is safe.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

interface TwilioRestError { status: number; code?: number; message?: string }

const isRestError = (error: unknown): error is TwilioRestError =>
  error instanceof Error && typeof (error as Partial<TwilioRestError>).status === 'number';

/** Any failure of `messages.create` as a SendFailure; what cannot be classified counts as possibly sent. */
export function toTwilioSendFailure(error: unknown): SendFailure {
  if (error instanceof SendFailure) return error;
  if (isRestError(error)) {
    const rule = ruleForTwilioCode(error.code);
    const code = error.code !== undefined ? String(error.code) : `http_${error.status}`;
    const detail = error.message ? `: ${error.message}` : '';
    if (rule) return new SendFailure(`Twilio ${code}: ${rule.message}`, rule.kind, code, rule.verdict, rule.retryAfterMs ?? null);
    if (error.status === 429) return new SendFailure(`Twilio rate limit${detail}`, 'retryable', code, null, MINUTE);
    // 503: Twilio did not take the request. Other 5xx: it may have created the message before failing to answer.
    if (error.status === 503) return new SendFailure(`Twilio unavailable${detail}`, 'retryable', code);
    if (error.status >= 500) return new SendFailure(`Twilio answered ${error.status}${detail}`, 'ambiguous', code);
    return new SendFailure(`Twilio ${code}${detail}`, 'rejected', code);
  }
  const networkCode = (error as { code?: unknown } | null)?.code;
  if (typeof networkCode === 'string' && NOT_SENT.has(networkCode)) {
    return new SendFailure(`Twilio not reachable (${networkCode})`, 'retryable', 'network');
  }
  return new SendFailure(`Twilio send outcome unknown: ${errorMessage(error)}`, 'ambiguous', typeof networkCode === 'string' ? networkCode : 'unexpected');
}
