// POST /webhooks/highlevel/conversation-provider: the delivery URL of the app's custom conversation channel, where
// HighLevel sends a ProviderOutboundMessage when someone sends a message in that channel. Served on the bare
// node:http path like the webhook intake: the X-GHL-Signature (Ed25519, same keys as the webhooks) is checked over
// the raw bytes, the payload read with zod, and the message stored (deduplicated on messageId for good) before 200.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Logger } from '../lib/logger.js';
import { toE164 } from '../lib/phone.js';
import type { Inbox } from '../scheduler/inbox.js';
import type { WebhookVerifier } from '../highlevel/webhook-signature.js';
import { PROVIDER_OUTBOUND_JOB } from '../jobs/kind-names.js';
import type { ProviderOutboundJob } from '../jobs/provider-outbound.js';
import { STORAGE_RETRY_AFTER_SECONDS } from './webhook-intake.js';

export const PROVIDER_DELIVERY_PATH = '/webhooks/highlevel/conversation-provider';

const id = z.string().min(1).max(128);

/** HighLevel's ProviderOutboundMessage (SMS or Email); unlike its webhooks: no appId, timestamp or webhookId. */
export const ProviderOutboundMessageSchema = z.looseObject({
  type: z.string().min(1).max(32),
  locationId: id,
  messageId: id,
  contactId: id.nullish(),
  phone: z.string().max(64).nullish(),
  message: z.string().max(20_000).nullish(),
  attachments: z.array(z.unknown()).max(100).nullish(),
  /** The staff member who typed it; absent for workflows and bulk actions. */
  userId: id.nullish(),
});
export type ProviderOutboundMessage = z.infer<typeof ProviderOutboundMessageSchema>;

export type DeliveryOutcome = 'stored' | 'duplicate' | 'unsigned' | 'bad-signature' | 'malformed' | 'too-large' | 'storage-failed';

const STATUS: Record<DeliveryOutcome, number> = {
  stored: 200, duplicate: 200, unsigned: 401, 'bad-signature': 401, malformed: 400, 'too-large': 413, 'storage-failed': 429,
};

export interface ProviderDeliveryDeps {
  verify: WebhookVerifier;
  /** Commits the job and the messageId receipt together (a receipt kept for good). */
  inbox: Pick<Inbox, 'add'>;
  clock: { now(): number };
  logger: Logger;
  maxBodyBytes?: number;
}

export function createProviderDelivery(deps: ProviderDeliveryDeps) {
  const maxBodyBytes = deps.maxBodyBytes ?? 128 * 1024;

  function answer(res: ServerResponse, outcome: DeliveryOutcome): void {
    const body = STATUS[outcome] === 200 ? `{"status":"${outcome}"}` : `{"error":"${outcome}"}`;
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    // As at the webhook intake: HighLevel redelivers after a 429, no earlier than this.
    if (outcome === 'storage-failed') headers['retry-after'] = STORAGE_RETRY_AFTER_SECONDS;
    res.writeHead(STATUS[outcome], headers);
    res.end(body);
  }

  async function accept(raw: Buffer, req: IncomingMessage): Promise<DeliveryOutcome> {
    // Only the current Ed25519 header is sent to a delivery URL: the legacy RSA one is not accepted here.
    const header = req.headers['x-ghl-signature'];
    const signature = await deps.verify(raw, { 'x-ghl-signature': header });
    if (!signature.ok) return signature.reason === 'missing' ? 'unsigned' : 'bad-signature';
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return 'malformed';
    }
    const parsed = ProviderOutboundMessageSchema.safeParse(body);
    if (!parsed.success) {
      deps.logger.warn({ fields: parsed.error.issues.map((issue) => issue.path.join('.')) }, 'conversation provider delivery not understood');
      return 'malformed';
    }
    const message = parsed.data;
    const phone = message.phone ? toE164(message.phone) : null;
    const payload: ProviderOutboundJob = {
      messageId: message.messageId, locationId: message.locationId, contactId: message.contactId ?? null,
      phone: phone ?? message.phone ?? null, body: message.message ?? '', userId: message.userId ?? null, type: message.type,
      attachments: message.attachments?.length ?? 0,
    };
    try {
      return await deps.inbox.add({
        kind: PROVIDER_OUTBOUND_JOB, payload, runAt: deps.clock.now(), locationId: message.locationId,
        // The caller's line: never racing their STOP, nor a text-back to them.
        subject: phone ?? message.contactId ?? null,
        dedupeKey: `${PROVIDER_OUTBOUND_JOB}:${message.messageId}`,
      }, message.messageId);
    } catch (error) {
      deps.logger.error({ err: error }, 'conversation provider delivery could not be stored; answering 429');
      return 'storage-failed';
    }
  }

  return function handleDelivery(req: IncomingMessage, res: ServerResponse): void {
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      answer(res, 'too-large');
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > maxBodyBytes) return answer(res, 'too-large');
      accept(Buffer.concat(chunks), req).then((outcome) => {
        deps.logger.info({ outcome }, 'conversation provider delivery');
        answer(res, outcome);
      }, (error: unknown) => {
        deps.logger.error({ err: error }, 'conversation provider delivery failed');
        answer(res, 'storage-failed');
      });
    });
    req.on('error', () => res.destroy());
  };
}

/** The server's request handler with the delivery URL in front (off express, for the raw body). */
export function withProviderDelivery(
  next: (req: IncomingMessage, res: ServerResponse) => void,
  delivery: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = req.url?.split('?')[0];
    if (req.method === 'POST' && path === PROVIDER_DELIVERY_PATH) delivery(req, res);
    else next(req, res);
  };
}
