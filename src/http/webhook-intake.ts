// POST /webhooks/highlevel on the bare node:http path: verify the raw bytes, parse, store durably, then answer.
// Kept off express's generic body parsing: this route is the app's hottest and must acknowledge in ~1 ms.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Inbox } from '../scheduler/inbox.js';
import type { WebhookVerifier } from '../highlevel/webhook-signature.js';
import { HANDLED_EVENT_TYPES } from '../highlevel/events.js';
import { WEBHOOK_JOB } from '../jobs/kind-names.js';
import { webhookEventPriority } from '../jobs/priorities.js';

export type IntakeOutcome = 'stored' | 'duplicate' | 'ignored' | 'unsigned' | 'bad-signature' | 'undated' | 'stale' | 'malformed' | 'too-large' | 'storage-failed';

export interface IntakeDeps {
  verify: WebhookVerifier;
  inbox: Inbox;
  clock: Clock;
  logger: Logger;
  /** This app's id: INSTALL, UNINSTALL and PLAN_CHANGE naming another app (or none) are someone else's. */
  appId: string;
  /**
   * HIGHLEVEL_CONVERSATION_PROVIDER_ID: messages in the app's own conversation channel were put there by the app (a
   * Twilio text, handled when Twilio brought it) or typed by staff (a ProviderOutboundMessage): their echo is ignored.
   */
  conversationProviderId?: string | null;
  maxBodyBytes?: number;
  /** How old a signed event may be: HighLevel re-sends the same payload, timestamp included, for about an hour. */
  maxAgeMs?: number;
  /** How far ahead of our clock an event's timestamp may be (clock skew). */
  maxAheadMs?: number;
  onOutcome?: (outcome: IntakeOutcome) => void;
  onStored?: () => void;
}

const STATUS: Record<IntakeOutcome, number> = {
  stored: 200, duplicate: 200, ignored: 200, unsigned: 401, 'bad-signature': 401, undated: 401, stale: 401,
  malformed: 400, 'too-large': 413, 'storage-failed': 429,
};

/**
 * Sent with the 429 of a delivery that could not be stored (the database is unreachable or failing): HighLevel
 * redelivers only after a 429, on its own schedule (about 10 minutes apart); the header says when to try at the earliest.
 */
export const STORAGE_RETRY_AFTER_SECONDS = 60;

/** How long the intake must have been without a delivery for the next one to be checked inline (see `quiet`). */
export const INLINE_AFTER_QUIET_MS = 2;

/** Escapes JSON.stringify never writes for a character it can write as is (`\/`, and `\u` but for control characters). */
const ESCAPED_AS_IS = /\\(?:\/|u(?!00[01]|d[89a-f]))/i;

const APP_LIFECYCLE_TYPES: ReadonlySet<string> = new Set(['INSTALL', 'UNINSTALL', 'PLAN_CHANGE']);

export function createWebhookIntake(deps: IntakeDeps) {
  const maxBodyBytes = deps.maxBodyBytes ?? 256 * 1024;
  const maxAgeMs = deps.maxAgeMs ?? 2 * 60 * 60_000;
  const maxAheadMs = deps.maxAheadMs ?? 5 * 60_000;

  function answer(res: ServerResponse, outcome: IntakeOutcome): void {
    deps.onOutcome?.(outcome);
    const body = STATUS[outcome] === 200 ? `{"status":"${outcome}"}` : `{"error":"${outcome}"}`;
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (outcome === 'storage-failed') headers['retry-after'] = STORAGE_RETRY_AFTER_SECONDS;
    res.writeHead(STATUS[outcome], headers);
    res.end(body);
  }

  // A delivery that finds the intake quiet (none other unanswered, none other for INLINE_AFTER_QUIET_MS) has its
  // signature checked on the event loop: at a steady trickle the hop to another thread costs more CPU than it saves.
  // Under load, where the event loop is the limit, the signature thread (the other core) checks them in batches (verify-thread.ts).
  let unanswered = 0;
  let lastArrival = Number.NEGATIVE_INFINITY;
  function quiet(): boolean {
    const now = deps.clock.now();
    const alone = unanswered === 1 && now - lastArrival >= INLINE_AFTER_QUIET_MS;
    lastArrival = now;
    return alone;
  }

  async function accept(raw: Buffer, req: IncomingMessage): Promise<IntakeOutcome> {
    const signature = await deps.verify(raw, {
      'x-ghl-signature': header(req, 'x-ghl-signature'),
      'x-wh-signature': header(req, 'x-wh-signature'),
    }, { inline: quiet() });
    if (!signature.ok) return signature.reason === 'missing' ? 'unsigned' : 'bad-signature';

    const text = raw.toString('utf8');
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      return 'malformed';
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return 'malformed';
    const fields = event as Record<string, unknown>;

    // HighLevel dates every delivery; without a timestamp nothing bounds how long a captured event could be replayed.
    if (fields.timestamp === undefined || fields.timestamp === null) {
      deps.logger.warn({ type: typeof fields.type === 'string' ? fields.type.slice(0, 64) : typeof fields.type }, 'signed webhook without a timestamp refused');
      return 'undated';
    }
    const at = typeof fields.timestamp === 'number' ? fields.timestamp : Date.parse(String(fields.timestamp));
    const age = deps.clock.now() - at;
    if (!Number.isFinite(at) || age > maxAgeMs || -age > maxAheadMs) return 'stale';
    if (typeof fields.type !== 'string' || !HANDLED_EVENT_TYPES.has(fields.type)) return 'ignored';
    // Every marketplace app's webhooks carry the same HighLevel signature: another app's lifecycle events change nothing.
    if (APP_LIFECYCLE_TYPES.has(fields.type) && fields.appId !== deps.appId) return 'ignored';
    if (deps.conversationProviderId && fields.conversationProviderId === deps.conversationProviderId) return 'ignored';

    // Voicemail and recording URLs are never kept, not even in the queue. A body without any (no attachments, or none
    // listed) is stored as received, not serialized again, unless it escapes characters JSON.stringify would write as
    // they are: a number must stay findable as written (data-rights.ts looks for it in waiting payloads).
    let payloadJson: string | undefined = text;
    if (fields.attachments !== undefined && !(Array.isArray(fields.attachments) && fields.attachments.length === 0)) {
      delete fields.attachments;
      payloadJson = undefined;
    } else if (ESCAPED_AS_IS.test(text)) payloadJson = undefined;
    const webhookId = typeof fields.webhookId === 'string' && fields.webhookId ? fields.webhookId : null;
    const receiptKey = `webhook:${webhookId ?? createHash('sha256').update(raw).digest('base64url')}`;
    try {
      return await deps.inbox.add({
        kind: WEBHOOK_JOB,
        payload: event,
        payloadJson,
        runAt: deps.clock.now(),
        locationId: typeof fields.locationId === 'string' ? fields.locationId : null,
        // Events about one contact run in order (a STOP is handled before a later call from the same person).
        subject: typeof fields.contactId === 'string' ? fields.contactId : null,
        priority: webhookEventPriority(fields),
        // The receipt, committed with the job, is the event's one dedupe key: a second copy on the job would add a
        // random-key index entry per event (a page written at every commit) and prevent nothing the receipt does not.
        dedupeKey: null,
      }, receiptKey);
    } catch (error) {
      deps.logger.error({ err: error }, 'webhook could not be stored; answering 429 so HighLevel redelivers');
      return 'storage-failed';
    }
  }

  return function handleWebhook(req: IncomingMessage, res: ServerResponse): void {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) {
      answer(res, 'too-large');
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return answer(res, 'too-large');
      unanswered += 1;
      accept(Buffer.concat(chunks, size), req).then((outcome) => {
        unanswered -= 1;
        answer(res, outcome);
        if (outcome === 'stored') deps.onStored?.();
      }, (error) => {
        unanswered -= 1;
        deps.logger.error({ err: error }, 'webhook intake failed');
        answer(res, 'storage-failed');
      });
    });
    req.on('error', () => res.destroy());
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
