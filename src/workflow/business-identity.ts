// How a text names the business (carriers expect a first text to say who sends it): by its HighLevel name, else by
// its phone number, else by nothing, in which case no first text goes out. And whether a template names it at all.
import { formatNational } from '../lib/phone.js';
import type { TemplateKey } from './templates.js';

/** name: HighLevel's name for the location; phone: its number (formatted nationally) stands in; none: unknown. */
export type IdentifiedBy = 'name' | 'phone' | 'none';

export interface BusinessIdentity {
  /** What {{business_name}} renders as: '' when nothing identifies the business. */
  text: string;
  by: IdentifiedBy;
}

/** The templates a caller may read without ever having heard of the app: each must say whose text it is. */
export const IDENTIFYING_TEMPLATES = ['textBackInHours', 'textBackAfterHours', 'followUp', 'help'] as const satisfies readonly TemplateKey[];
export type IdentifyingTemplate = (typeof IDENTIFYING_TEMPLATES)[number];

const BUSINESS_NAME_VARIABLE = /\{\{\s*business_name\s*\}\}/i;
const squash = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/** The location's name when HighLevel gave one; else its phone, else its first own number; else none. */
export function identifyBusiness(location: { name: string | null; phone: string | null }, ownNumbers: readonly string[] = []): BusinessIdentity {
  const name = location.name?.replace(/\s+/g, ' ').trim();
  if (name) return { text: name, by: 'name' };
  const phone = location.phone ?? ownNumbers[0] ?? null;
  return phone ? { text: formatNational(phone), by: 'phone' } : { text: '', by: 'none' };
}

/** Whether the text names the business: {{business_name}}, or the business's name written out (any case). */
export function namesBusiness(template: string, businessName: string | null): boolean {
  if (BUSINESS_NAME_VARIABLE.test(template)) return true;
  const name = businessName ? squash(businessName) : '';
  return name !== '' && squash(template).includes(name);
}

/** Of the given templates, the identifying ones that name no business (for a location named `businessName`). */
export function templatesNamingNoBusiness(templates: Partial<Record<TemplateKey, string>>, businessName: string | null): IdentifyingTemplate[] {
  return IDENTIFYING_TEMPLATES.filter((key) => templates[key] !== undefined && !namesBusiness(templates[key], businessName));
}

/** Why such a template is refused, for the 422 answer and the page's warning. */
export function namesNoBusinessReason(businessName: string | null): string {
  const name = businessName?.trim();
  return name
    ? `Name the business: include {{business_name}} or "${name}". Carriers expect every text to say who sends it.`
    : 'Name the business: include {{business_name}}. Carriers expect every text to say who sends it.';
}

/**
 * The 422 issues for identifying templates that a save changes to text naming no business. Templates left as they
 * were stored are not judged again: they keep sending, and the page warns about them instead.
 */
export function unnamedTemplateIssues(
  before: Partial<Record<TemplateKey, string>>, after: Partial<Record<TemplateKey, string>>, businessName: string | null,
): { field: string; message: string }[] {
  const changed = Object.fromEntries(IDENTIFYING_TEMPLATES.filter((key) => after[key] !== undefined && after[key] !== before[key]).map((key) => [key, after[key]]));
  return templatesNamingNoBusiness(changed, businessName).map((key) => ({ field: `templates.${key}`, message: namesNoBusinessReason(businessName) }));
}
