// Delivers webhook events to the app the way HighLevel does: Ed25519-signed raw body, POSTed over HTTP to the app's
// own /webhooks/highlevel, redelivered only after a 429.
import { randomUUID, type KeyObject } from 'node:crypto';
import { signWebhookBody } from '../highlevel/webhook-signer.js';

export class WebhookDeliveryError extends Error {
  constructor(readonly status: number) {
    super(`the app answered the webhook with HTTP ${status}`);
    this.name = 'WebhookDeliveryError';
  }
}

export type PostWebhook = (event: Record<string, unknown>) => Promise<void>;

/** HighLevel redelivers only after a 429; the sandbox does the same, a few times, quickly. */
const ATTEMPTS = 4;
const RETRY_MS = 250;

export function createWebhookPoster(deps: {
  privateKey: KeyObject;
  webhookUrl(): string;
  sleep?(ms: number): Promise<void>;
}): PostWebhook {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async (event) => {
    const body = JSON.stringify(event);
    const { header, signature } = signWebhookBody(body, deps.privateKey);
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(deps.webhookUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [header]: signature },
        body,
      });
      await response.arrayBuffer();
      if (response.status === 200) return;
      if (response.status !== 429 || attempt >= ATTEMPTS) throw new WebhookDeliveryError(response.status);
      await sleep(RETRY_MS * attempt);
    }
  };
}

/** The envelope HighLevel documents beside its samples: an ISO `timestamp` and a unique `webhookId`. */
export function webhookEnvelope(at: number): { timestamp: string; webhookId: string } {
  return { timestamp: new Date(at).toISOString(), webhookId: randomUUID() };
}
