// The workflow's ContactDirectory over HighLevel's contacts API.
import { HighLevelApiError } from '../lib/errors.js';
import type { Contact, ContactDirectory } from '../workflow/ports/services.js';
import type { HighLevelApi } from './api-client.js';
import type { HighLevelContact } from './api-schemas.js';

type ContactsApi = Pick<HighLevelApi, 'getContact' | 'findContactByPhone' | 'setSmsDnd' | 'clearSmsDnd' | 'addContactTags' | 'upsertContact'>;

export function createContactDirectory(api: ContactsApi): ContactDirectory {
  return {
    async getContact(locationId, contactId) {
      try {
        return toContact(await api.getContact(locationId, contactId));
      } catch (error) {
        if (error instanceof HighLevelApiError && error.status === 404) return null;
        throw error;
      }
    },
    async findByPhone(locationId, phone) {
      const found = await api.findContactByPhone(locationId, phone);
      return found ? toContact(found) : null;
    },
    setSmsDnd: (locationId, contactId, message) => api.setSmsDnd(locationId, contactId, message),
    clearSmsDnd: (locationId, contactId, message) => api.clearSmsDnd(locationId, contactId, message),
    addTag: (locationId, contactId, tag) => api.addContactTags(locationId, contactId, [tag]),
    ensureContact: async (locationId, phone) => toContact(await api.upsertContact(locationId, phone)),
  };
}

/** SMS do-not-disturb is on when the contact is DND on every channel, or its SMS status is anything but `inactive`. */
export function toContact(contact: HighLevelContact): Contact {
  return {
    id: contact.id,
    phone: contact.phone ?? null,
    firstName: contact.firstName ?? null,
    smsDnd: contact.dnd === true || isDndStatus(contact.dndSettings?.SMS?.status),
  };
}

/** HighLevel's statuses are active, inactive and permanent: any status but inactive means don't send. */
export function isDndStatus(status: string | null | undefined): boolean {
  const normalized = status?.trim().toLowerCase();
  return normalized !== undefined && normalized !== '' && normalized !== 'inactive';
}
