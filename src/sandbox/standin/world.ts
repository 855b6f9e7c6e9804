// The simulated HighLevel account tree held in memory: companies (agencies), their locations and contacts.
import type { Clock } from '../../lib/clock.js';
import { createId } from './ids.js';
import { normalizePhone } from './phone.js';
import type { Company, Contact, DndChannel, Location } from './types.js';

export interface ContactPatch {
  firstName?: string;
  lastName?: string;
  name?: string;
  email?: string;
  phone?: string;
  dnd?: boolean;
  /** Merged channel by channel: channels not named keep their setting. */
  dndSettings?: Record<string, DndChannel>;
  /** Replaces every tag (HighLevel's upsert/PUT semantics); use addTags to add. */
  tags?: string[];
  source?: string;
}

export type World = ReturnType<typeof createWorld>;

export function createWorld(clock: Clock) {
  const companies = new Map<string, Company>();
  const locations = new Map<string, Location>();
  const contacts = new Map<string, Contact>();
  const contactIdByPhone = new Map<string, Map<string, string>>(); // locationId → E.164 → contactId

  function createCompany(input: { id?: string; name?: string; whiteLabelDomain?: string } = {}): Company {
    const id = input.id ?? createId();
    if (companies.has(id)) throw new Error(`stand-in: company ${id} already exists`);
    const company: Company = { id, name: input.name ?? 'Sandbox Agency' };
    if (input.whiteLabelDomain !== undefined) company.whiteLabelDomain = input.whiteLabelDomain;
    companies.set(id, company);
    return company;
  }

  function createLocation(input: {
    id?: string; companyId: string; name: string; timezone: string; phone?: string; numbers?: string[];
  }): Location {
    if (!companies.has(input.companyId)) throw new Error(`stand-in: unknown company ${input.companyId}`);
    const id = input.id ?? createId();
    if (locations.has(id)) throw new Error(`stand-in: location ${id} already exists`);
    const numbers = (input.numbers ?? (input.phone ? [input.phone] : [])).map(normalizePhone);
    const phone = input.phone ? normalizePhone(input.phone) : (numbers[0] ?? '');
    const location: Location = { id, companyId: input.companyId, name: input.name, timezone: input.timezone, phone, numbers };
    locations.set(id, location);
    contactIdByPhone.set(id, new Map());
    return location;
  }

  function requireLocation(locationId: string): Location {
    const location = locations.get(locationId);
    if (!location) throw new Error(`stand-in: unknown location ${locationId}`);
    return location;
  }

  function createContact(
    locationId: string,
    input: { phone: string; firstName?: string; lastName?: string; id?: string; email?: string; source?: string },
  ): Contact {
    requireLocation(locationId);
    const id = input.id ?? createId();
    if (contacts.has(id)) throw new Error(`stand-in: contact ${id} already exists`);
    const at = new Date(clock.now()).toISOString();
    const firstName = input.firstName ?? '';
    const lastName = input.lastName ?? '';
    const contact: Contact = {
      id, locationId, firstName, lastName, name: `${firstName} ${lastName}`.trim(), phone: '',
      tags: [], dnd: false, dndSettings: {}, source: input.source ?? 'sandbox', type: 'lead', dateAdded: at, dateUpdated: at,
    };
    if (input.email !== undefined) contact.email = input.email;
    contacts.set(id, contact);
    setPhone(contact, input.phone);
    return contact;
  }

  function setPhone(contact: Contact, raw: string): void {
    const index = contactIdByPhone.get(contact.locationId)!;
    if (contact.phone && index.get(contact.phone) === contact.id) index.delete(contact.phone);
    contact.phone = normalizePhone(raw);
    if (contact.phone && !index.has(contact.phone)) index.set(contact.phone, contact.id);
  }

  function findContactByPhone(locationId: string, phone: string): Contact | undefined {
    const id = contactIdByPhone.get(locationId)?.get(normalizePhone(phone));
    return id === undefined ? undefined : contacts.get(id);
  }

  function findContactByEmail(locationId: string, email: string): Contact | undefined {
    const wanted = email.toLowerCase();
    for (const contact of contacts.values()) {
      if (contact.locationId === locationId && contact.email?.toLowerCase() === wanted) return contact;
    }
    return undefined;
  }

  /** The caller's contact, created on first sight as HighLevel does for an unknown number. */
  function ensureContact(locationId: string, phone: string): Contact {
    return findContactByPhone(locationId, phone) ?? createContact(locationId, { phone });
  }

  function updateContact(contact: Contact, patch: ContactPatch): Contact {
    if (patch.firstName !== undefined) contact.firstName = patch.firstName;
    if (patch.lastName !== undefined) contact.lastName = patch.lastName;
    if (patch.firstName !== undefined || patch.lastName !== undefined) {
      contact.name = `${contact.firstName} ${contact.lastName}`.trim();
    }
    if (patch.name !== undefined) contact.name = patch.name;
    if (patch.email !== undefined) contact.email = patch.email;
    if (patch.phone !== undefined) setPhone(contact, patch.phone);
    if (patch.dnd !== undefined) contact.dnd = patch.dnd;
    if (patch.dndSettings !== undefined) contact.dndSettings = { ...contact.dndSettings, ...patch.dndSettings };
    if (patch.tags !== undefined) contact.tags = [...new Set(patch.tags)];
    if (patch.source !== undefined) contact.source = patch.source;
    contact.dateUpdated = new Date(clock.now()).toISOString();
    return contact;
  }

  function addTags(contact: Contact, tags: string[]): string[] {
    contact.tags = [...new Set([...contact.tags, ...tags])];
    contact.dateUpdated = new Date(clock.now()).toISOString();
    return contact.tags;
  }

  return {
    createCompany, createLocation, createContact, ensureContact, updateContact, addTags,
    findContactByPhone, findContactByEmail, requireLocation,
    company: (id: string) => companies.get(id),
    location: (id: string) => locations.get(id),
    contact: (id: string) => contacts.get(id),
    locationsOfCompany: (companyId: string) => [...locations.values()].filter((l) => l.companyId === companyId),
  };
}
