// How HighLevel delivers a webhook: once, and after a 429 (only then) the same bytes again, timestamp and webhookId
// included, about 10 minutes apart on the stand-in's clock, at most six more times. Any other answer is final.
import type { Clock } from '../../lib/clock.js';

export const REDELIVERY_INTERVAL_MS = 10 * 60_000;
export const MAX_REDELIVERIES = 6;

interface Waiting {
  body: string;
  webhookId: string | null;
  redeliveries: number;
  dueAt: number;
}

export type WebhookRedelivery = ReturnType<typeof createWebhookRedelivery>;

/** `send` POSTs the raw body to the app (signing it) and returns the HTTP status. */
export function createWebhookRedelivery(deps: { clock: Clock; send(body: string): Promise<number> }) {
  const waiting: Waiting[] = [];

  async function attempt(item: Waiting): Promise<number> {
    const status = await deps.send(item.body);
    if (status === 429 && item.redeliveries < MAX_REDELIVERIES) {
      item.dueAt = deps.clock.now() + REDELIVERY_INTERVAL_MS;
      waiting.push(item);
    }
    return status;
  }

  return {
    /** The first delivery; a 429 schedules the next try. Returns the app's answer. */
    deliver(event: Record<string, unknown>): Promise<number> {
      const webhookId = typeof event.webhookId === 'string' ? event.webhookId : null;
      return attempt({ body: JSON.stringify(event), webhookId, redeliveries: 0, dueAt: 0 });
    },
    /** Re-sends every delivery whose next try is due by the clock; returns how many were re-sent. */
    async redeliverDue(): Promise<number> {
      const now = deps.clock.now();
      const due = waiting.filter((item) => item.dueAt <= now);
      for (const item of due) waiting.splice(waiting.indexOf(item), 1);
      for (const item of due) {
        item.redeliveries += 1;
        await attempt(item);
      }
      return due.length;
    },
    /** Deliveries waiting for their next try (for tests and the sandbox). */
    waiting: () => waiting.map(({ webhookId, redeliveries, dueAt }) => ({ webhookId, redeliveries, dueAt })),
  };
}
