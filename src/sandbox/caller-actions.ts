// What a caller does in the sandbox: the stand-in records it and builds HighLevel's webhook event, which is signed
// and POSTed to the app's own webhook URL over HTTP, exactly as HighLevel would. At a sub-account that texts through
// Twilio, the caller's texts go to its Twilio number instead: the stand-in Twilio POSTs them to the app.
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
  /** Set at a Twilio-route sub-account: delivers a caller's text as Twilio's inbound webhook; `replyKey` as the app keys it. */
  textViaTwilio?(phone: string, body: string): Promise<{ replyKey: string; at: number }>;
}

export function createCallerActions(deps: CallerActionsDeps) {
  const log = new Map<string, CallerEntry[]>(); // E.164 → what that caller did, oldest first
  const contacts = new Map<string, string>(); // E.164 → the contact a call made or found

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
      contacts.set(contact.phone, contact.id);
      const callKey = String(event.messageId);
      remember(contact.phone, { kind: 'call', at: Date.parse(String(event.dateAdded)), status, callKey });
      await deps.post(event);
      return { callKey, contactId: contact.id };
    },
    /** A text from `phone` (E.164) to the business's number. */
    async sendText(phone: string, body: string): Promise<{ replyKey: string; contactId: string | null }> {
      if (deps.textViaTwilio) {
        const { replyKey, at } = await deps.textViaTwilio(phone, body);
        remember(phone, { kind: 'text', at, body, replyKey });
        return { replyKey, contactId: contacts.get(phone) ?? null };
      }
      const { contact, event } = deps.standIn.receiveSms({ locationId: deps.locationId, from: phone, body });
      deps.onContact(contact);
      contacts.set(contact.phone, contact.id);
      const replyKey = String(event.messageId);
      remember(contact.phone, { kind: 'text', at: Date.parse(String(event.dateAdded)), body, replyKey });
      await deps.post(event);
      return { replyKey, contactId: contact.id };
    },
    /** The stand-in contact of a caller who called, if any. */
    contactOf: (phone: string): string | null => contacts.get(phone) ?? null,
    /** Callers in the order they first did something, each with what they did. */
    callers(): { phone: string; entries: CallerEntry[] }[] {
      return [...log].map(([phone, entries]) => ({ phone, entries: [...entries] }));
    },
  };
}
export type CallerActions = ReturnType<typeof createCallerActions>;
