// What a caller does in the sandbox: the stand-in builds HighLevel's webhook event, the sandbox signs it with its
// private key and POSTs it to the app's own webhook URL over HTTP, exactly as HighLevel would.
import type { KeyObject } from 'node:crypto';
import { signWebhookBody } from '../highlevel/webhook-signer.js';
import type { CallStatus, Contact, StandIn } from './standin/index.js';

export type CallerEntry =
  | { kind: 'call'; at: number; status: CallStatus; callKey: string }
  | { kind: 'text'; at: number; body: string; replyKey: string };

export class WebhookDeliveryError extends Error {
  constructor(readonly status: number) {
    super(`the app answered the webhook with HTTP ${status}`);
    this.name = 'WebhookDeliveryError';
  }
}

export interface CallerActionsDeps {
  standIn: StandIn;
  locationId: string;
  privateKey: KeyObject;
  webhookUrl(): string;
  /** Every contact an event touched (the sandbox persists them). */
  onContact(contact: Contact): void;
  sleep?(ms: number): Promise<void>;
}

/** HighLevel redelivers only after a 429; the sandbox does the same, a few times, quickly. */
const ATTEMPTS = 4;
const RETRY_MS = 250;

export function createCallerActions(deps: CallerActionsDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = new Map<string, CallerEntry[]>(); // E.164 → what that caller did, oldest first

  function remember(phone: string, entry: CallerEntry): void {
    const entries = log.get(phone) ?? [];
    entries.push(entry);
    log.set(phone, entries);
  }

  async function post(event: Record<string, unknown>): Promise<void> {
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
  }

  return {
    /** An inbound call to the business from `phone` (E.164) that ended with `status`. */
    async placeCall(phone: string, status: CallStatus): Promise<{ callKey: string; contactId: string }> {
      const { contact, event } = deps.standIn.placeCall({ locationId: deps.locationId, from: phone, status, direction: 'inbound' });
      deps.onContact(contact);
      const callKey = String(event.messageId);
      remember(contact.phone, { kind: 'call', at: Date.parse(String(event.dateAdded)), status, callKey });
      await post(event);
      return { callKey, contactId: contact.id };
    },
    /** A text from `phone` (E.164) to the business's number. */
    async sendText(phone: string, body: string): Promise<{ replyKey: string; contactId: string }> {
      const { contact, event } = deps.standIn.receiveSms({ locationId: deps.locationId, from: phone, body });
      deps.onContact(contact);
      const replyKey = String(event.messageId);
      remember(contact.phone, { kind: 'text', at: Date.parse(String(event.dateAdded)), body, replyKey });
      await post(event);
      return { replyKey, contactId: contact.id };
    },
    /** Callers in the order they first did something, each with what they did. */
    callers(): { phone: string; entries: CallerEntry[] }[] {
      return [...log].map(([phone, entries]) => ({ phone, entries: [...entries] }));
    },
  };
}
export type CallerActions = ReturnType<typeof createCallerActions>;
