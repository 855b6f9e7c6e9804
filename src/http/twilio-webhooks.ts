// Twilio's webhooks: delivery status callbacks and inbound texts, each signed with the account's auth token (else 403).
import { Router, type Request, type Response } from 'express';
import twilio from 'twilio';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { toE164 } from '../lib/phone.js';
import type { DeliveryLogPort, ProcessedTwilioMessagesPort, TwilioAccountStorePort } from '../store/storage.js';
import type { TwilioStatusRecorder } from '../messaging/twilio-status.js';
import { TWILIO_INBOUND_JOB } from '../jobs/kind-names.js';
import type { TwilioInboundJob } from '../jobs/twilio-inbound.js';
import type { Scheduler } from '../workflow/ports/storage.js';

export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';
export const TWILIO_INBOUND_PATH = '/webhooks/twilio/inbound';

export interface TwilioWebhookDeps {
  /** PUBLIC_URL: Twilio signs the URL it was given, not the one the proxy forwards to. */
  publicUrl: string;
  accounts: Pick<TwilioAccountStorePort, 'resolve' | 'locationForInbound'>;
  /** The app-wide account's auth token (TWILIO_AUTH_TOKEN), if any. */
  appAuthToken: string | null;
  delivery: Pick<DeliveryLogPort, 'findByProviderMessageId'>;
  /** MessageSids already accepted: kept beyond erasure and retention, so a replayed signed text changes nothing. */
  processed: Pick<ProcessedTwilioMessagesPort, 'seen' | 'remember'>;
  status: TwilioStatusRecorder;
  scheduler: Pick<Scheduler, 'schedule'>;
  /** The custom conversation channel: callers' texts shown in HighLevel, statuses passed on. Absent: neither. */
  conversation?: {
    recordInbound(text: { locationId: string; messageSid: string; from: string; body: string; receivedAt: number }): Promise<void>;
    noteTwilioStatus(sid: string, status: string): Promise<void>;
  };
  clock: Clock;
  logger: Logger;
}

type Params = Record<string, string>;

function formParams(body: unknown): Params {
  if (!body || typeof body !== 'object') return {};
  const out: Params = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') out[key] = value;
  return out;
}

export function twilioWebhookRoutes(deps: TwilioWebhookDeps): Router {
  const router = Router();

  /** Valid under the location's auth token or, failing that, the app-wide one (both are Twilio's secrets with us). */
  async function isSigned(req: Request, params: Params, locationId: string | null): Promise<boolean> {
    const signature = req.header('x-twilio-signature');
    if (!signature) return false;
    const account = locationId ? await deps.accounts.resolve(locationId) : null;
    const tokens = [account?.authToken, deps.appAuthToken].filter((t): t is string => Boolean(t));
    const url = deps.publicUrl + req.originalUrl;
    return tokens.some((token) => twilio.validateRequest(token, signature, url, params));
  }

  function refuse(res: Response): void {
    res.status(403).type('text/plain').send('invalid Twilio signature');
  }

  router.post(TWILIO_STATUS_PATH, async (req, res) => {
    const params = formParams(req.body);
    const sid = params.MessageSid ?? params.SmsSid;
    const message = sid ? await deps.delivery.findByProviderMessageId('twilio', sid) : null;
    if (!await isSigned(req, params, message?.locationId ?? null)) return refuse(res);
    if (!message) {
      // Not a text this app sent (or its record is gone): nothing to update, and Twilio must not retry.
      res.status(204).end();
      return;
    }
    const status = params.MessageStatus ?? params.SmsStatus ?? '';
    const outcome = await deps.status.record(message, { status, errorCode: params.ErrorCode ?? null });
    await deps.conversation?.noteTwilioStatus(sid!, status);
    deps.logger.info({ locationId: message.locationId, messageId: message.id, status, errorCode: params.ErrorCode, outcome }, 'twilio status callback');
    res.status(204).end();
  });

  router.post(TWILIO_INBOUND_PATH, async (req, res) => {
    const params = formParams(req.body);
    const to = params.To ? toE164(params.To) : null;
    const locationId = await deps.accounts.locationForInbound(to, params.MessagingServiceSid ?? null);
    if (!await isSigned(req, params, locationId)) return refuse(res);
    const from = params.From ? toE164(params.From) : null;
    if (locationId && from && params.MessageSid && await deps.processed.seen(params.MessageSid)) {
      // Twilio's signature carries no time: the same signed request may come back months later (a replayed START).
      deps.logger.info({ locationId }, 'twilio inbound text already processed; ignored');
    } else if (locationId && from && params.MessageSid) {
      await deps.scheduler.schedule({
        kind: TWILIO_INBOUND_JOB,
        locationId,
        // Same lane as the sends to this number: an opt-out never races a text to it.
        subject: from,
        dedupeKey: `${TWILIO_INBOUND_JOB}:${params.MessageSid}`,
        runAt: deps.clock.now(),
        payload: { locationId, messageSid: params.MessageSid, from, body: params.Body ?? '', receivedAt: deps.clock.now() } satisfies TwilioInboundJob,
      });
      // Same line as the job above, so the text reaches HighLevel's conversation after its keywords were handled.
      await deps.conversation?.recordInbound({ locationId, messageSid: params.MessageSid, from, body: params.Body ?? '', receivedAt: deps.clock.now() });
      // After the job is stored (its dedupe key covers a retry until then), so a failure here never loses the text.
      await deps.processed.remember(params.MessageSid, deps.clock.now());
    } else {
      deps.logger.info({ known: Boolean(locationId) }, 'twilio inbound text not for a configured location; ignored');
    }
    // An empty answer: the app replies (HELP, confirmations) through the API, never in TwiML.
    res.status(200).type('text/xml').send(new twilio.twiml.MessagingResponse().toString());
  });

  return router;
}
