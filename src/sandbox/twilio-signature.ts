// Signs a webhook the way Twilio does, for the sandbox's stand-in Twilio (never used to verify: the app checks with
// the twilio library). X-Twilio-Signature = base64(HMAC-SHA1(auth token, URL + every POST parameter as name + value,
// names in sorted order)), over the exact URL Twilio was given, query string included.
import { createHmac } from 'node:crypto';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  const names = Object.keys(params).sort();
  const data = names.reduce((signed, name) => signed + name + params[name], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}
