// The caller's number in E.164: from the event when HighLevel sent it, else from the HighLevel contact.
import { toE164 } from '../lib/phone.js';
import type { WorkflowDeps } from './deps.js';

export async function callerPhone(deps: WorkflowDeps, event: { locationId: string; contactId: string | null; from: string | null }): Promise<string | null> {
  const direct = event.from ? toE164(event.from) : null;
  if (direct) return direct;
  if (!event.contactId) return null;
  const contact = await deps.contacts.getContact(event.locationId, event.contactId);
  return contact?.phone ? toE164(contact.phone) : null;
}
