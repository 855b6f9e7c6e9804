// Twilio for integration tests: a location's saved account, nock scopes for Twilio's hosts, signed webhook posts.
import nock from 'nock';
import twilio from 'twilio';
import type { Awaitable } from '../../src/lib/awaitable.js';
import type { TwilioCredentials } from '../../src/store/twilio-accounts.js';
import type { Harness } from './harness.js';

export const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
export const AUTH_TOKEN = 'f00dfeedcafe0123456789abcdef4242';
export const APP_ACCOUNT_SID = 'ACfedcba9876543210fedcba9876543210';
export const APP_AUTH_TOKEN = 'a99a99a99a99a99a99a99a99a99a99a9';
export const SERVICE_SID = 'MG0123456789abcdef0123456789abcdef';
export const FROM = '+12125550100';
export const TWILIO_API = 'https://api.twilio.com';
export const LOOKUPS_API = 'https://lookups.twilio.com';
export const MESSAGING_API = 'https://messaging.twilio.com';
export const APP_TWILIO_ENV = { TWILIO_ACCOUNT_SID: APP_ACCOUNT_SID, TWILIO_AUTH_TOKEN: APP_AUTH_TOKEN };

export const messagesPath = (accountSid = ACCOUNT_SID) => `/2010-04-01/Accounts/${accountSid}/Messages.json`;

/** Saves a Twilio account for the location as PUT provider would (without the verification call); a promise on PostgreSQL. */
export function seedTwilioAccount(h: Harness, locationId: string, options: { credentials?: TwilioCredentials | null; from?: string | null; service?: string | null } = {}): Awaitable<void> {
  const accounts = h.app.storage.twilioAccounts;
  const credentials = options.credentials === undefined ? { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN } : options.credentials;
  const service = options.service ?? null;
  return accounts.save(locationId, { credentials, messagingServiceSid: service, fromNumber: service ? null : (options.from ?? FROM) }, h.clock.now());
}

/** A message resource as Twilio answers messages.create. */
export function messageResource(sid: string, fields: Record<string, unknown> = {}) {
  return { sid, account_sid: ACCOUNT_SID, status: 'queued', body: 'text', to: '+12125550147', from: FROM, num_segments: '1', ...fields };
}

/** Twilio's error body: {code, message, more_info, status}. */
export function twilioError(status: number, code: number, message = `error ${code}`) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Records every messages.create body (form-decoded by nock) and answers with the next reply. */
export function interceptSends(options: { accountSid?: string; replies?: Array<[number, unknown]>; persist?: boolean } = {}) {
  const bodies: Record<string, string>[] = [];
  let n = 0;
  const scope = nock(TWILIO_API);
  const interceptor = (options.persist ?? true ? scope.persist() : scope).post(messagesPath(options.accountSid), (body) => { bodies.push(body); return true; });
  interceptor.reply(() => {
    const reply = options.replies?.[Math.min(n, options.replies.length - 1)] ?? [201, messageResource(`SM${String(n + 1).padStart(32, '0')}`)];
    n += 1;
    return reply as [number, Record<string, unknown>];
  });
  return bodies;
}

/** POSTs a form to a Twilio webhook path, signed with `token` over PUBLIC_URL + path unless told otherwise. */
export function postTwilio(h: Harness, path: string, params: Record<string, string>, options: { token?: string | null; signedParams?: Record<string, string>; url?: string } = {}) {
  const req = h.http.post(path).type('form');
  const token = options.token === undefined ? AUTH_TOKEN : options.token;
  if (token) req.set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(token, options.url ?? h.config.publicUrl + path, options.signedParams ?? params));
  return req.send(params);
}
