// ContactDndUpdate as HighLevel sends it (payloads/contact-dnd-update.json, inside the envelope): whenever a contact's
// SMS do-not-disturb changes, through the API (the app's own PUT) or by staff in HighLevel.
import type { Clock } from '../../lib/clock.js';
import { createTraceId } from './ids.js';
import type { Contact, DndChannel } from './types.js';

/** What sending an SMS depends on: `dnd` (every channel) and the SMS channel's status. */
export function smsDndState(contact: Contact): string {
  return `${contact.dnd}:${contact.dndSettings.SMS?.status ?? 'none'}`;
}

export function createDndEvents(deps: { clock: Clock }) {
  return {
    dndUpdate(contact: Contact): Record<string, unknown> {
      const at = deps.clock.now();
      return {
        type: 'ContactDndUpdate',
        locationId: contact.locationId,
        id: contact.id,
        phone: contact.phone,
        firstName: contact.firstName,
        lastName: contact.lastName,
        dnd: contact.dnd,
        dndSettings: structuredClone(contact.dndSettings) as Record<string, DndChannel>,
        dateUpdated: contact.dateUpdated,
        timestamp: new Date(at).toISOString(),
        webhookId: createTraceId(),
      };
    },
  };
}
