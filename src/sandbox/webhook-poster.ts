// Delivers webhook events to the app the way HighLevel does: Ed25519-signed raw body, POSTed over HTTP to the app's
// own /webhooks/highlevel; after a 429 (only then) the same bytes again ~10 minutes later on the sandbox clock.
import { randomUUID, type KeyObject } from 'node:crypto';
import type { Clock } from '../lib/clock.js';
import { signWebhookBody } from '../highlevel/webhook-signer.js';
import { createWebhookRedelivery } from './standin/index.js';

export class WebhookDeliveryError extends Error {
  constructor(readonly status: number) {
    super(`the app answered the webhook with HTTP ${status}`);
    this.name = 'WebhookDeliveryError';
  }
}

export type PostWebhook = (event: Record<string, unknown>) => Promise<void>;

export interface WebhookPoster extends PostWebhook {
  /** Re-sends what the app answered 429 to, once its next try is due (call it as sandbox time passes). */
  redeliverDue(): Promise<number>;
}

export function createWebhookPoster(deps: { privateKey: KeyObject; webhookUrl(): string; clock: Clock }): WebhookPoster {
  const redelivery = createWebhookRedelivery({
    clock: deps.clock,
    async send(body) {
      const { header, signature } = signWebhookBody(body, deps.privateKey);
      const response = await fetch(deps.webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json', [header]: signature }, body });
      await response.arrayBuffer();
      return response.status;
    },
  });
  const post = async (event: Record<string, unknown>) => {
    const status = await redelivery.deliver(event);
    // 429: HighLevel tries again later (redeliverDue); any other answer but 200 is final, and the event is lost.
    if (status !== 200 && status !== 429) throw new WebhookDeliveryError(status);
  };
  return Object.assign(post, { redeliverDue: () => redelivery.redeliverDue() });
}

/** The envelope HighLevel documents beside its samples: an ISO `timestamp` and a unique `webhookId`. */
export function webhookEnvelope(at: number): { timestamp: string; webhookId: string } {
  return { timestamp: new Date(at).toISOString(), webhookId: randomUUID() };
}
