// The REST side of the sandbox's stand-in Twilio: what the app's Twilio clients call (messages.create; a Lookup v2
// when a location asks for landline checks), answered in Twilio's JSON shapes and error codes, with Basic auth checked
// against the account's auth token. Anything else answers Twilio's 404.

export interface FakeTwilioAccount {
  accountSid: string;
  authToken: string;
  /** The account's numbers, each with the webhook Twilio POSTs texts to it to. */
  numbers: { phoneNumber: string; smsUrl: string }[];
}

export interface ApiRequest {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  data?: unknown;
}

export interface ApiReply {
  statusCode: number;
  body: Record<string, unknown>;
}

/** What a messages.create asked for, once Twilio accepted it (the caller records it and queues the callbacks). */
export interface AcceptedSend {
  account: FakeTwilioAccount;
  from: string;
  to: string;
  body: string;
  statusCallback: string | null;
}

const MESSAGES = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;
const LOOKUP = /^\/v2\/PhoneNumbers\/([^/]+)$/;
const E164 = /^\+[1-9]\d{7,14}$/;

export function twilioError(status: number, code: number, message: string): ApiReply {
  return { statusCode: status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

/** RFC 2822, as Twilio writes its dates. */
export const twilioDate = (at: number) => new Date(at).toUTCString().replace('GMT', '+0000');

export function messageResource(input: { sid: string; accountSid: string; from: string; to: string; body: string; status: string; at: number; direction: string }) {
  const uri = `/2010-04-01/Accounts/${input.accountSid}/Messages/${input.sid}.json`;
  return {
    account_sid: input.accountSid, api_version: '2010-04-01', body: input.body, date_created: twilioDate(input.at),
    date_sent: null, date_updated: twilioDate(input.at), direction: input.direction, error_code: null, error_message: null,
    from: input.from, messaging_service_sid: null, num_media: '0', num_segments: '1', price: null, price_unit: 'USD',
    sid: input.sid, status: input.status, subresource_uris: { media: uri.replace('.json', '/Media.json') }, to: input.to, uri,
  };
}

function formOf(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (data && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) if (value !== undefined && value !== null) out[key] = String(value);
  }
  return out;
}

/**
 * Routes one request. `accept` is called for a valid messages.create and returns the message resource to answer with
 * (201); a Lookup answers every valid number as a mobile line.
 */
export function answerTwilioRequest(
  request: ApiRequest,
  deps: { account(accountSid: string): FakeTwilioAccount | undefined; accept(send: AcceptedSend): Record<string, unknown> },
): ApiReply {
  const url = new URL(request.uri);
  const account = request.username ? deps.account(request.username) : undefined;
  // Twilio answers 401 / 20003 to a wrong or missing secret, before anything else.
  if (!account || account.authToken !== request.password) return twilioError(401, 20003, 'Authenticate');
  const method = request.method.toLowerCase();

  const messages = url.hostname === 'api.twilio.com' ? MESSAGES.exec(url.pathname) : null;
  if (messages && method === 'post') {
    if (messages[1] !== account.accountSid) return twilioError(401, 20003, 'Authenticate');
    const form = formOf(request.data);
    const to = form.To ?? '';
    if (!E164.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (form.MessagingServiceSid) return twilioError(400, 21705, 'The Messaging Service Sid is invalid (the sandbox has none).');
    const from = form.From ?? '';
    if (!account.numbers.some((number) => number.phoneNumber === from)) {
      return twilioError(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`);
    }
    if (!form.Body?.trim()) return twilioError(400, 21602, 'Message body is required.');
    return { statusCode: 201, body: deps.accept({ account, from, to, body: form.Body, statusCallback: form.StatusCallback ?? null }) };
  }

  const lookup = url.hostname === 'lookups.twilio.com' ? LOOKUP.exec(url.pathname) : null;
  if (lookup && method === 'get') {
    const phone = decodeURIComponent(lookup[1]);
    const valid = E164.test(phone);
    return {
      statusCode: 200,
      body: {
        phone_number: phone, valid, validation_errors: valid ? [] : ['INVALID_BUT_POSSIBLE'], country_code: valid ? 'US' : null,
        calling_country_code: valid ? '1' : null, national_format: valid ? phone : null, caller_name: null, sim_swap: null,
        call_forwarding: null, url: url.origin + url.pathname,
        line_type_intelligence: valid ? { type: 'mobile', carrier_name: 'Sandbox Wireless', mobile_country_code: '310', mobile_network_code: '000', error_code: null } : null,
      },
    };
  }
  return twilioError(404, 20404, `The requested resource ${url.pathname} was not found`);
}
