// Checks Twilio credentials and sender with one cheap read before they are saved: the Messaging Service, or the number.
import type { TwilioCredentials, TwilioSenderId } from '../store/twilio-accounts.js';
import type { TwilioClients } from './twilio-client.js';

export type TwilioVerdict =
  | { ok: true }
  /** The field of the provider form that is wrong, and why, in words for the business. */
  | { ok: false; field: string; message: string };

/** Twilio could not be asked (network, 5xx): nothing is known about the credentials. */
export class TwilioUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwilioUnavailableError';
  }
}

export type TwilioVerifier = (credentials: TwilioCredentials, sender: TwilioSenderId) => Promise<TwilioVerdict>;

export function createTwilioVerifier(clients: TwilioClients): TwilioVerifier {
  return async (credentials, sender) => {
    const secretField = credentials.apiKeySid ? 'twilio.apiKeySecret' : 'twilio.authToken';
    try {
      const client = clients.clientFor(credentials);
      if (sender.messagingServiceSid) {
        await client.messaging.v1.services(sender.messagingServiceSid).fetch();
        return { ok: true };
      }
      const numbers = await client.incomingPhoneNumbers.list({ phoneNumber: sender.fromNumber!, limit: 1 });
      return numbers.length > 0 ? { ok: true } : { ok: false, field: 'twilio.fromNumber', message: 'This number is not a phone number of this Twilio account.' };
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 401 || status === 403) {
        return { ok: false, field: secretField, message: 'Twilio rejected these credentials: check the Account SID and the Auth Token (or API key and secret).' };
      }
      if (status === 404 && sender.messagingServiceSid) {
        return { ok: false, field: 'twilio.messagingServiceSid', message: 'This Twilio account has no Messaging Service with this SID.' };
      }
      if (typeof status === 'number' && status >= 400 && status < 500) {
        return { ok: false, field: secretField, message: `Twilio refused the check (HTTP ${status}).` };
      }
      throw new TwilioUnavailableError(`Twilio could not be reached to check the credentials: ${(error as Error)?.message ?? String(error)}`);
    }
  };
}
