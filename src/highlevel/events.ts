// HighLevel webhook payload → one of the workflow's events (src/workflow/events.ts); lenient parse, strict on what is used.
import { z } from 'zod';
import { normalizeCallStatus } from '../workflow/call-status.js';
import type { WorkflowEvent } from '../workflow/events.js';

/** Event types worth storing; anything else is acknowledged and dropped at the door. */
export const HANDLED_EVENT_TYPES: ReadonlySet<string> = new Set([
  'INSTALL', 'UNINSTALL', 'InboundMessage', 'OutboundMessage', 'ContactDndUpdate', 'LocationUpdate', 'PLAN_CHANGE',
]);

const id = z.string().min(1).max(128);
const optionalText = z.string().max(4096).nullish();

const InstallSchema = z.object({
  type: z.literal('INSTALL'),
  appId: id.optional(),
  locationId: id.nullish(),
  companyId: id.nullish(),
  userId: id.nullish(),
  planId: id.nullish(),
  trial: z.unknown().optional(),
  companyName: optionalText,
  // The agency's white-label CRM; read leniently (a malformed one must not lose the install).
  whitelabelDetails: z.unknown().optional(),
});

const UninstallSchema = z.object({
  type: z.literal('UNINSTALL'),
  appId: id.optional(),
  locationId: id.nullish(),
  companyId: id.nullish(),
});

const MessageSchema = z.object({
  type: z.enum(['InboundMessage', 'OutboundMessage']),
  locationId: id,
  contactId: id.nullish(),
  conversationId: id.nullish(),
  messageId: id.nullish(),
  messageType: z.string().max(64).nullish(),
  direction: z.string().max(32).nullish(),
  status: z.string().max(64).nullish(),
  callStatus: z.string().max(64).nullish(),
  callDuration: z.number().nullish(),
  body: optionalText,
  from: z.string().max(64).nullish(),
  to: z.string().max(64).nullish(),
  dateAdded: z.string().max(64).nullish(),
});

const DndSchema = z.object({
  type: z.literal('ContactDndUpdate'),
  locationId: id,
  id: id,
  phone: z.string().max(64).nullish(),
  dnd: z.boolean().nullish(),
  dndSettings: z.object({ SMS: z.object({ status: z.string() }).partial().nullish() }).partial().nullish(),
  // When the change happened: the contact's dateUpdated when present, else the envelope's timestamp.
  dateUpdated: z.union([z.string().max(64), z.number()]).nullish(),
  timestamp: z.union([z.string().max(64), z.number()]).nullish(),
});

const LocationUpdateSchema = z.object({ type: z.literal('LocationUpdate'), id: id.optional(), locationId: id.optional() });

const PlanChangeSchema = z.object({
  type: z.literal('PLAN_CHANGE'),
  locationId: id.nullish(),
  companyId: id.nullish(),
  currentPlanId: id.nullish(),
  newPlanId: id.nullish(),
});

/**
 * Reads one webhook payload. `receivedAt` stands in for a missing or unparseable dateAdded.
 * Calls arrive as messages with messageType CALL; some deliveries label an inbound call "OutboundMessage",
 * so `direction` decides, never `type`.
 */
export function parseEvent(payload: unknown, receivedAt: number): WorkflowEvent {
  const type = (payload as { type?: unknown } | null)?.type;
  const invalid = (error: z.ZodError) => ({ kind: 'ignored' as const, reason: `invalid ${String(type)}: ${error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` });
  switch (type) {
    case 'INSTALL': {
      const r = InstallSchema.safeParse(payload);
      if (!r.success) return invalid(r.error);
      return { kind: 'install', locationId: r.data.locationId ?? null, companyId: r.data.companyId ?? null, planId: r.data.planId ?? null, trial: r.data.trial ?? null, companyName: r.data.companyName ?? null, whiteLabelDomain: whiteLabelDomainOf(r.data.whitelabelDetails) };
    }
    case 'UNINSTALL': {
      const r = UninstallSchema.safeParse(payload);
      if (!r.success) return invalid(r.error);
      return { kind: 'uninstall', locationId: r.data.locationId ?? null, companyId: r.data.companyId ?? null };
    }
    case 'InboundMessage':
    case 'OutboundMessage': {
      const r = MessageSchema.safeParse(payload);
      if (!r.success) return invalid(r.error);
      return readMessage(r.data, receivedAt);
    }
    case 'ContactDndUpdate': {
      const r = DndSchema.safeParse(payload);
      if (!r.success) return invalid(r.error);
      return { kind: 'dnd', locationId: r.data.locationId, contactId: r.data.id, phone: r.data.phone ?? null, smsDnd: smsDndOf(r.data), occurredAt: dndChangedAt(r.data, receivedAt) };
    }
    case 'LocationUpdate': {
      const r = LocationUpdateSchema.safeParse(payload);
      const locationId = r.success ? r.data.locationId ?? r.data.id : undefined;
      return locationId ? { kind: 'location-update', locationId } : { kind: 'ignored', reason: 'LocationUpdate without a location id' };
    }
    case 'PLAN_CHANGE': {
      const r = PlanChangeSchema.safeParse(payload);
      if (!r.success) return invalid(r.error);
      return { kind: 'plan-change', locationId: r.data.locationId ?? null, companyId: r.data.companyId ?? null, planId: r.data.newPlanId ?? null };
    }
    default:
      return { kind: 'ignored', reason: `event type ${String(type)} is not used` };
  }
}

function readMessage(m: z.infer<typeof MessageSchema>, receivedAt: number): WorkflowEvent {
  const channel = (m.messageType ?? '').toUpperCase().replace(/^TYPE_/, '');
  const direction = (m.direction ?? '').toLowerCase();
  const parsedAt = m.dateAdded ? Date.parse(m.dateAdded) : NaN;
  const occurredAt = Number.isFinite(parsedAt) ? parsedAt : receivedAt;
  const from = m.from ?? null;
  const to = m.to ?? null;
  if (channel === 'CALL' || channel === 'IVR') {
    if (channel === 'IVR') return { kind: 'ignored', reason: 'IVR-only event' };
    if (!m.messageId) return { kind: 'ignored', reason: 'call without a messageId' };
    // callStatus is the call's own field; status is the message's and only stands in when callStatus is absent.
    // Non-final statuses (ringing, in progress…) pass through: the workflow records them and waits for the final one.
    const status = normalizeCallStatus(m.callStatus ?? m.status);
    return { kind: 'call', locationId: m.locationId, contactId: m.contactId ?? null, callKey: m.messageId, direction, status, occurredAt, from, to };
  }
  if (channel === 'SMS') {
    const messageKey = m.messageId ?? `${m.contactId}:${occurredAt}`;
    return { kind: 'sms', locationId: m.locationId, contactId: m.contactId ?? null, messageKey, direction, body: m.body ?? '', occurredAt, from, to };
  }
  return { kind: 'ignored', reason: `${channel || 'unknown'} channel is not used` };
}

/** `whitelabelDetails.domain` when it is a short string; the store decides whether it is a usable host name. */
function whiteLabelDomainOf(details: unknown): string | null {
  const domain = details && typeof details === 'object' ? (details as { domain?: unknown }).domain : undefined;
  return typeof domain === 'string' && domain.trim() && domain.length <= 300 ? domain.trim() : null;
}

/** `dnd: true` (every channel) or an SMS status other than inactive (active, permanent) means don't send. */
function smsDndOf(d: z.infer<typeof DndSchema>): boolean | null {
  if (d.dnd === true) return true;
  const status = d.dndSettings?.SMS?.status?.trim().toLowerCase();
  if (status) return status !== 'inactive';
  // dnd: false alone does not say the SMS channel is off: nothing is lifted on it.
  return null;
}

function dndChangedAt(d: z.infer<typeof DndSchema>, receivedAt: number): number {
  for (const at of [d.dateUpdated, d.timestamp]) {
    const parsed = typeof at === 'number' ? at : at ? Date.parse(at) : NaN;
    if (Number.isFinite(parsed)) return parsed;
  }
  return receivedAt;
}
