// Revocation by any reasonable means: the web opt-out page's rules (a number typed in is suppressed in TextBack
// only, never written into HighLevel: the form proves nothing about who typed it), and the personalised link that
// HELP replies and opt-out confirmations may carry (it proves the number: it was texted to it).
import { maskPhone, toE164 } from '../lib/phone.js';
import type { WorkflowDeps } from './deps.js';
import type { LocationSettings } from './settings.js';
import type { SuppressionSource } from './ports/storage.js';

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

/**
 * The typed form: suppresses the number for this location in TextBack only. It never reads or writes the HighLevel
 * contact (an unauthenticated form must not set DND in the CRM nor spend the location's API budget); the caller's
 * own STOP by text still does both.
 */
export async function optOutByWeb(deps: WorkflowDeps, input: { locationId: string; phone: string }): Promise<WebOptOutResult> {
  const location = await deps.installations.get(input.locationId);
  if (!location || location.status !== 'installed') return 'not-installed';
  const phone = readPhone(input.phone);
  if (!phone) return 'invalid-number';
  await suppressFromPage(deps, { locationId: location.locationId, phone, source: 'web', reason: 'web opt-out page', action: 'web-opt-out' });
  return 'opted-out';
}

/** A number typed into the form, as E.164, or null when it is not one. */
export function readPhone(raw: string): string | null {
  return raw.length <= MAX_INPUT ? toE164(raw) : null;
}

/** The personalised link's one click: the number it was sent to is suppressed (a proven opt-out, source 'link'). */
export async function optOutByLink(deps: WorkflowDeps, input: { locationId: string; phone: string }): Promise<Exclude<WebOptOutResult, 'invalid-number'>> {
  const location = await deps.installations.get(input.locationId);
  if (!location || location.status !== 'installed') return 'not-installed';
  await suppressFromPage(deps, { locationId: location.locationId, phone: input.phone, source: 'link', reason: 'personalised opt-out link', action: 'link-opt-out' });
  return 'opted-out';
}

async function suppressFromPage(deps: WorkflowDeps, input: { locationId: string; phone: string; source: SuppressionSource; reason: string; action: string }): Promise<void> {
  const { locationId, phone } = input;
  const now = deps.clock.now();
  // Suppress first: from this line on nothing can text the number, whatever else fails below.
  const changed = await deps.suppressions.suppress({ locationId, phone, source: input.source, reason: input.reason, actor: 'web' }, now);
  await deps.scheduler.cancel({ locationId, subject: phone });
  await deps.audit.record({ locationId, actor: 'web', action: input.action, detail: { phone: maskPhone(phone), changed } }, now);
  if (changed) deps.signal?.({ type: 'opt-out' });
}

/** `PUBLIC_URL/optout/<locationId>`. */
export function optOutLink(publicUrl: string, locationId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/optout/${encodeURIComponent(locationId)}`;
}

/**
 * The link a HELP reply or opt-out confirmation carries: null unless the location asked for it (includeOptOutLink,
 * off by default: a link in a text must be declared on the business's 10DLC campaign) and a public URL is known.
 * Given the number the text goes to, and the app able to seal it, it is that number's personalised one-click link
 * (an opaque token, no number in the URL); otherwise the page where a number is typed.
 */
export function optOutLinkFor(
  deps: Pick<WorkflowDeps, 'publicUrl' | 'optOutLinks'>, locationId: string, settings: Pick<LocationSettings, 'includeOptOutLink'>, phone?: string,
): string | null {
  if (!settings.includeOptOutLink || !deps.publicUrl) return null;
  return (phone && deps.optOutLinks?.linkFor(locationId, phone)) || optOutLink(deps.publicUrl, locationId);
}

const PLACEHOLDER = /\{\{\s*optout_link\s*\}\}/i;

/** Appends the link to a rendered text whose template had no {{optout_link}} to put it in. */
export function appendOptOutLink(rendered: string, template: string, link: string | null): string {
  if (!link || PLACEHOLDER.test(template) || rendered.includes(link)) return rendered;
  return `${rendered.trimEnd()} Opt out online: ${link}`;
}
