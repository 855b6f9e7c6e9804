// Contacts endpoints the app uses: get, find by phone, upsert, update (DND merge), add tags.
import { assertLocationToken, requireGrant } from './access.js';
import { createBodyChecks, type Body } from './body-checks.js';
import { apiError, type Reply } from './http-io.js';
import type { Route, RouteContext } from './router.js';
import type { Contact, DndChannel } from './types.js';
import { smsDndState } from './dnd-events.js';
import { toWireContact } from './wire-shapes.js';
import type { ContactPatch, World } from './world.js';

// Accepted properties per the OpenAPI spec; anything else is HighLevel's 422 "should not exist".
const UPDATE_FIELDS = ['firstName', 'lastName', 'name', 'email', 'phone', 'address1', 'city', 'state', 'postalCode',
  'website', 'timezone', 'dnd', 'dndSettings', 'inboundDndSettings', 'tags', 'customFields', 'source', 'dateOfBirth',
  'country', 'assignedTo'];
const UPSERT_FIELDS = new Set([...UPDATE_FIELDS, 'locationId', 'gender', 'companyName', 'createNewIfDuplicateAllowed']);
const PUT_FIELDS = new Set(UPDATE_FIELDS);
const DND_CHANNELS = new Set(['Call', 'Email', 'SMS', 'WhatsApp', 'GMB', 'FB']);
const DND_STATUSES = new Set(['active', 'inactive', 'permanent']);

export function createContactRoutes(deps: { world: World; onDndChange?: (contact: Contact) => void }): Route[] {
  const { world } = deps;

  /** Applies a patch; HighLevel sends ContactDndUpdate when it changed whether the contact may be texted. */
  function update(contact: Contact, patch: ContactPatch): void {
    const before = smsDndState(contact);
    world.updateContact(contact, patch);
    if (smsDndState(contact) !== before) deps.onDndChange?.(contact);
  }

  function ownContact(ctx: RouteContext): Contact {
    const grant = requireGrant(ctx);
    const contact = world.contact(ctx.params.contactId);
    if (contact === undefined) throw apiError(400, 'Contact not found');
    assertLocationToken(grant, contact.locationId);
    return contact;
  }

  function readPatch(body: Body, allowed: ReadonlySet<string>): ContactPatch {
    const checks = createBodyChecks(body);
    checks.allowOnly(allowed);
    const patch: ContactPatch = {
      firstName: checks.optionalString('firstName'),
      lastName: checks.optionalString('lastName'),
      name: checks.optionalString('name'),
      email: checks.optionalString('email'),
      phone: checks.optionalString('phone'),
      dnd: checks.optionalBoolean('dnd'),
      tags: checks.optionalStringArray('tags'),
      source: checks.optionalString('source'),
      dndSettings: readDndSettings(body.dndSettings, checks.problems),
    };
    checks.throwIfAny();
    return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as ContactPatch;
  }

  const getContact = (ctx: RouteContext): Reply => ({ status: 200, body: { contact: toWireContact(ownContact(ctx)) } });

  function findDuplicate(ctx: RouteContext): Reply {
    const grant = requireGrant(ctx);
    const locationId = ctx.query.get('locationId');
    if (!locationId) throw apiError(422, ['locationId must be a string']);
    assertLocationToken(grant, locationId);
    const number = ctx.query.get('number');
    const email = ctx.query.get('email');
    const found = (number ? world.findContactByPhone(locationId, number) : undefined)
      ?? (email ? world.findContactByEmail(locationId, email) : undefined);
    return { status: 200, body: { contact: found ? toWireContact(found) : null } };
  }

  function upsertContact(ctx: RouteContext): Reply {
    const grant = requireGrant(ctx);
    const checks = createBodyChecks(ctx.body);
    const locationId = checks.requiredString('locationId');
    checks.throwIfAny();
    assertLocationToken(grant, locationId);
    const patch = readPatch(ctx.body, UPSERT_FIELDS);
    if (!patch.phone && !patch.email) throw apiError(400, 'Either phone or email is required');
    const existing = (patch.phone ? world.findContactByPhone(locationId, patch.phone) : undefined)
      ?? (patch.email ? world.findContactByEmail(locationId, patch.email) : undefined);
    const contact = existing ?? world.createContact(locationId, { phone: patch.phone ?? '', source: 'public api' });
    update(contact, patch);
    return { status: 200, body: { new: existing === undefined, contact: toWireContact(contact) } };
  }

  function updateContact(ctx: RouteContext): Reply {
    const contact = ownContact(ctx);
    update(contact, readPatch(ctx.body, PUT_FIELDS));
    return { status: 200, body: { succeded: true, contact: toWireContact(contact) } };
  }

  function addTags(ctx: RouteContext): Reply {
    const contact = ownContact(ctx);
    const checks = createBodyChecks(ctx.body);
    checks.allowOnly(new Set(['tags']));
    const tags = checks.optionalStringArray('tags');
    if (tags === undefined) checks.problems.push('tags must be an array');
    checks.throwIfAny();
    return { status: 201, body: { tags: [...world.addTags(contact, tags ?? [])] } };
  }

  return [
    { method: 'GET', pattern: '/contacts/search/duplicate', family: 'contacts', body: 'none', handle: findDuplicate },
    { method: 'POST', pattern: '/contacts/upsert', family: 'contacts', body: 'json', handle: upsertContact },
    { method: 'GET', pattern: '/contacts/:contactId', family: 'contacts', body: 'none', handle: getContact },
    { method: 'PUT', pattern: '/contacts/:contactId', family: 'contacts', body: 'json', handle: updateContact },
    { method: 'POST', pattern: '/contacts/:contactId/tags', family: 'contacts', body: 'json', handle: addTags },
  ];
}

function readDndSettings(value: unknown, problems: string[]): Record<string, DndChannel> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push('dndSettings must be an object');
    return undefined;
  }
  const settings: Record<string, DndChannel> = {};
  for (const [channel, raw] of Object.entries(value)) {
    const setting = raw as Partial<DndChannel> | null;
    if (!DND_CHANNELS.has(channel)) problems.push(`dndSettings.property ${channel} should not exist`);
    else if (setting === null || typeof setting !== 'object' || !DND_STATUSES.has(setting.status as string)) {
      problems.push(`dndSettings.${channel}.status must be one of the following values: active, inactive, permanent`);
    } else {
      settings[channel] = { status: setting.status!, ...pickStrings(setting, ['message', 'code']) };
    }
  }
  return settings;
}

function pickStrings(source: object, keys: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of keys) {
    const value = (source as Record<string, unknown>)[key];
    if (typeof value === 'string') picked[key] = value;
  }
  return picked;
}
