// Revocation by any reasonable means: the web opt-out page's rule (a number typed in is suppressed exactly as STOP
// suppresses it) and the page's link that HELP replies and opt-out confirmations may carry.
import { maskPhone, toE164 } from '../lib/phone.js';
import type { WorkflowDeps } from './deps.js';
import type { LocationSettings } from './settings.js';

/**
 * - opted-out: the number is suppressed now (whether or not it was before, or was ever texted: the answer is the
 *   same so the page reveals nothing about who the business knows);
 * - invalid-number: not a phone number we can read, nothing changed;
 * - not-installed: the app is not installed for that location.
 */
export type WebOptOutResult = 'opted-out' | 'invalid-number' | 'not-installed';

const MAX_INPUT = 40;

/** What the page shows, or null when the app is not installed there (the page answers 404). */
export async function describeOptOutPage(deps: WorkflowDeps, locationId: string): Promise<{ businessName: string } | null> {
  const location = await deps.installations.get(locationId);
  if (!location || location.status !== 'installed') return null;
  return { businessName: location.name?.trim() || 'this business' };
}

export async function optOutByWeb(deps: WorkflowDeps, input: { locationId: string; phone: string }): Promise<WebOptOutResult> {
  const location = await deps.installations.get(input.locationId);
  if (!location || location.status !== 'installed') return 'not-installed';
  const phone = input.phone.length <= MAX_INPUT ? toE164(input.phone) : null;
  if (!phone) return 'invalid-number';
  const { locationId } = location;
  const now = deps.clock.now();

  // Suppress first: from this line on nothing can text the number, whatever else fails below.
  const changed = await deps.suppressions.suppress({ locationId, phone, source: 'web', reason: 'web opt-out page', actor: 'web' }, now);
  await deps.scheduler.cancel({ locationId, subject: phone });
  await deps.audit.record({ locationId, actor: 'web', action: 'web-opt-out', detail: { phone: maskPhone(phone), changed } }, now);
  if (!changed) return 'opted-out';
  deps.signal?.({ type: 'opt-out' });
  try {
    const contact = await deps.contacts.findByPhone(locationId, phone);
    if (contact && !contact.smsDnd) await deps.contacts.setSmsDnd(locationId, contact.id, 'Opted out on the web opt-out page');
  } catch (error) {
    deps.log.warn({ locationId, err: error }, "could not set SMS DND in HighLevel after a web opt-out; the app's suppression list already holds the number");
  }
  return 'opted-out';
}

/** `PUBLIC_URL/optout/<locationId>`. */
export function optOutLink(publicUrl: string, locationId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/optout/${encodeURIComponent(locationId)}`;
}

/** The link a HELP reply or opt-out confirmation carries: null unless the location asked for it and a public URL is known. */
export function optOutLinkFor(deps: Pick<WorkflowDeps, 'publicUrl'>, locationId: string, settings: Pick<LocationSettings, 'includeOptOutLink'>): string | null {
  return settings.includeOptOutLink && deps.publicUrl ? optOutLink(deps.publicUrl, locationId) : null;
}

const PLACEHOLDER = /\{\{\s*optout_link\s*\}\}/i;

/** Appends the link to a rendered text whose template had no {{optout_link}} to put it in. */
export function appendOptOutLink(rendered: string, template: string, link: string | null): string {
  if (!link || PLACEHOLDER.test(template) || rendered.includes(link)) return rendered;
  return `${rendered.trimEnd()} Opt out online: ${link}`;
}
