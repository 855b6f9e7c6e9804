// Twilio REST clients built from a location's credentials (auth token, or API key + secret), never from the environment.
import twilio from 'twilio';
import type { TwilioCredentials } from '../store/twilio-accounts.js';

export type TwilioClient = twilio.Twilio;

export type TwilioClients = ReturnType<typeof createTwilioClients>;

export function createTwilioClients(options: { timeoutMs?: number } = {}) {
  const timeout = options.timeoutMs ?? 15_000;
  return {
    /** A client per call: cheap to build, and a changed credential can never linger in a cache. */
    clientFor(credentials: TwilioCredentials): TwilioClient {
      // `env: {}` and explicit credentials: the library must not pick up TWILIO_* from process.env on its own.
      // No keep-alive: a client used once has no pool worth keeping, and an idle pooled socket only lingers.
      const opts = { accountSid: credentials.accountSid, timeout, autoRetry: false, keepAlive: false, env: {} };
      if (credentials.apiKeySid && credentials.apiKeySecret) return twilio(credentials.apiKeySid, credentials.apiKeySecret, opts);
      if (credentials.authToken) return twilio(credentials.accountSid, credentials.authToken, opts);
      throw new Error('Twilio credentials need an auth token or an API key and secret');
    },
  };
}
