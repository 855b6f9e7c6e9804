// Sandbox mode's stand-in Twilio. The app's own Twilio clients (the real library) talk to it through an in-memory
// HTTP client instead of api.twilio.com; like Twilio it answers a send "queued", then POSTs the status callbacks
// (sent, then delivered) to the URL the send named, and POSTs a caller's text to the number's SMS webhook, each
// signed with the account's auth token. Only the sandbox builds it (ComposeOptions.twilioClients).
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { TwilioClients } from '../messaging/twilio-client.js';
import { answerTwilioRequest, messageResource, type AcceptedSend, type FakeTwilioAccount } from './fake-twilio-api.js';
import { signTwilioRequest, TWILIO_SIGNATURE_HEADER } from './twilio-signature.js';

export type { FakeTwilioAccount };

export interface FakeTwilioMessage {
  sid: string;
  accountSid: string;
  direction: 'outbound-api' | 'inbound';
  from: string;
  to: string;
  body: string;
  /** queued → sent → delivered (outbound); received (inbound). */
  status: string;
  at: number;
}

/** After a send was accepted: when Twilio reports it sent, then delivered (ms of sandbox time). */
export const SENT_AFTER_MS = 1_000;
export const DELIVERED_AFTER_MS = 2_000;

interface Callback { dueAt: number; url: string; message: FakeTwilioMessage; status: string }

export class TwilioWebhookError extends Error {
  constructor(readonly status: number) {
    super(`the app answered Twilio's webhook with HTTP ${status}`);
    this.name = 'TwilioWebhookError';
  }
}

/** `connectTo` maps the URL Twilio was given (signed as is) to the address it connects to (the app on loopback). */
export function createFakeTwilio(deps: { clock: Clock; logger: Logger; connectTo?(url: string): string }) {
  const accounts = new Map<string, FakeTwilioAccount>();
  const messages: FakeTwilioMessage[] = [];
  const callbacks: Callback[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  const newSid = () => `SM${randomBytes(16).toString('hex')}`;

  async function post(account: FakeTwilioAccount, url: string, params: Record<string, string>): Promise<number> {
    const response = await fetch(deps.connectTo?.(url) ?? url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', [TWILIO_SIGNATURE_HEADER]: signTwilioRequest(account.authToken, url, params) },
      body: new URLSearchParams(params).toString(),
    });
    await response.arrayBuffer();
    return response.status;
  }

  function accept(send: AcceptedSend): Record<string, unknown> {
    const at = deps.clock.now();
    const message: FakeTwilioMessage = {
      sid: newSid(), accountSid: send.account.accountSid, direction: 'outbound-api', from: send.from, to: send.to,
      body: send.body, status: 'queued', at,
    };
    messages.push(message);
    if (send.statusCallback) {
      callbacks.push({ dueAt: at + SENT_AFTER_MS, url: send.statusCallback, message, status: 'sent' });
      callbacks.push({ dueAt: at + DELIVERED_AFTER_MS, url: send.statusCallback, message, status: 'delivered' });
    }
    return messageResource(message);
  }

  /** The library's HTTP client, answering from memory: the library itself builds the requests and reads the answers. */
  const httpClient = Object.assign(new twilio.RequestClient({ keepAlive: false }), {
    async request<TData>(opts: { method: string; uri: string; username?: string; password?: string; data?: TData }) {
      const reply = answerTwilioRequest(opts, { account: (sid) => accounts.get(sid), accept });
      return { statusCode: reply.statusCode, body: JSON.stringify(reply.body) as unknown as TData, headers: { 'content-type': 'application/json' } };
    },
  });

  const clients: TwilioClients = {
    clientFor(credentials) {
      const secret = credentials.authToken ?? credentials.apiKeySecret;
      if (!secret) throw new Error('Twilio credentials need an auth token or an API key and secret');
      return twilio(credentials.apiKeySid ?? credentials.accountSid, secret, { accountSid: credentials.accountSid, httpClient, autoRetry: false, env: {} });
    },
  };

  /** Posts every callback due by `until` in order, one run at a time (a run waits for the one before to finish). */
  function deliverDue(until = deps.clock.now()): Promise<number> {
    const run = chain.then(async () => {
      const due = callbacks.filter((callback) => callback.dueAt <= until).sort((a, b) => a.dueAt - b.dueAt);
      for (const callback of due) callbacks.splice(callbacks.indexOf(callback), 1);
      for (const { url, message, status } of due) {
        message.status = status;
        const account = accounts.get(message.accountSid)!;
        const params = {
          AccountSid: message.accountSid, ApiVersion: '2010-04-01', From: message.from, To: message.to,
          MessageSid: message.sid, SmsSid: message.sid, MessageStatus: status, SmsStatus: status,
        };
        // Twilio does not retry a status callback the app refused: logged, the status stays with Twilio.
        const answer = await post(account, url, params).catch((error: unknown) => { deps.logger.warn({ err: error }, 'sandbox twilio: status callback not delivered'); return 0; });
        if (answer >= 300) deps.logger.warn({ status: answer, messageStatus: status }, 'sandbox twilio: the app refused a status callback');
      }
      return due.length;
    });
    chain = run.catch(() => undefined);
    return run;
  }

  return {
    clients,
    addAccount(account: FakeTwilioAccount): void {
      accounts.set(account.accountSid, { ...account, numbers: account.numbers.map((number) => ({ ...number })) });
    },
    /** A caller texts one of the accounts' numbers: Twilio POSTs it, signed, to that number's SMS webhook. */
    async receiveText(input: { from: string; to: string; body: string }): Promise<{ messageSid: string }> {
      const account = [...accounts.values()].find((a) => a.numbers.some((n) => n.phoneNumber === input.to));
      const number = account?.numbers.find((n) => n.phoneNumber === input.to);
      if (!account || !number) throw new Error(`sandbox twilio: no account has the number ${input.to}`);
      const message: FakeTwilioMessage = {
        sid: newSid(), accountSid: account.accountSid, direction: 'inbound', from: input.from, to: input.to, body: input.body,
        status: 'received', at: deps.clock.now(),
      };
      messages.push(message);
      const status = await post(account, number.smsUrl, {
        AccountSid: account.accountSid, ApiVersion: '2010-04-01', Body: input.body, From: input.from, To: input.to,
        MessageSid: message.sid, SmsMessageSid: message.sid, SmsSid: message.sid, SmsStatus: 'received', NumMedia: '0', NumSegments: '1',
      });
      if (status !== 200) throw new TwilioWebhookError(status);
      return { messageSid: message.sid };
    },
    deliverDue,
    /** Every message the accounts sent and received, oldest first (copies). */
    messages: (filter: { accountSid?: string } = {}): FakeTwilioMessage[] =>
      messages.filter((m) => filter.accountSid === undefined || m.accountSid === filter.accountSid).map((m) => ({ ...m })),
    /** Status callbacks still to come. */
    pendingCallbacks: () => callbacks.length,
  };
}
export type FakeTwilio = ReturnType<typeof createFakeTwilio>;
