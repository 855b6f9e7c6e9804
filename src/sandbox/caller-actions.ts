// What a caller does in the sandbox: the stand-in records it and builds HighLevel's webhook event, which is signed
// and POSTed to the app's own webhook URL over HTTP, exactly as HighLevel would.
import type { CallStatus, Contact, StandIn } from './standin/index.js';
import type { PostWebhook } from './webhook-poster.js';

export type CallerEntry =
  | { kind: 'call'; at: number; status: CallStatus; callKey: string }
  | { kind: 'text'; at: number; body: string; replyKey: string };

export interface CallerActionsDeps {
  standIn: StandIn;
  locationId: string;
  post: PostWebhook;
  /** Every contact an event touched (the sandbox persists them). */
  onContact(contact: Contact): void;
}

export function createCallerActions(deps: CallerActionsDeps) {
  const log = new Map<string, CallerEntry[]>(); // E.164 → what that caller did, oldest first

  function remember(phone: string, entry: CallerEntry): void {
    const entries = log.get(phone) ?? [];
    entries.push(entry);
    log.set(phone, entries);
  }

  return {
    /** An inbound call to the business from `phone` (E.164) that ended with `status`. */
    async placeCall(phone: string, status: CallStatus): Promise<{ callKey: string; contactId: string }> {
      const { contact, event } = deps.standIn.placeCall({ locationId: deps.locationId, from: phone, status, direction: 'inbound' });
      deps.onContact(contact);
      const callKey = String(event.messageId);
      remember(contact.phone, { kind: 'call', at: Date.parse(String(event.dateAdded)), status, callKey });
      await deps.post(event);
      return { callKey, contactId: contact.id };
    },
    /** A text from `phone` (E.164) to the business's number. */
    async sendText(phone: string, body: string): Promise<{ replyKey: string; contactId: string }> {
      const { contact, event } = deps.standIn.receiveSms({ locationId: deps.locationId, from: phone, body });
      deps.onContact(contact);
      const replyKey = String(event.messageId);
      remember(contact.phone, { kind: 'text', at: Date.parse(String(event.dateAdded)), body, replyKey });
      await deps.post(event);
      return { replyKey, contactId: contact.id };
    },
    /** Callers in the order they first did something, each with what they did. */
    callers(): { phone: string; entries: CallerEntry[] }[] {
      return [...log].map(([phone, entries]) => ({ phone, entries: [...entries] }));
    },
  };
}
export type CallerActions = ReturnType<typeof createCallerActions>;
