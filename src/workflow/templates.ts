// Message templates: the default texts, {{variable}} rendering, unknown-variable checks, the opt-out line.

export const TEMPLATE_KEYS = [
  'textBackInHours', 'textBackAfterHours', 'followUp', 'help', 'optOutConfirmation', 'optInConfirmation',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

/** GSM-7 only (straight quotes, plain hyphens) so that a text stays in 160-character segments. */
export const DEFAULT_TEMPLATES: Readonly<Record<TemplateKey, string>> = Object.freeze({
  textBackInHours:
    'Hi {{first_name}}, this is {{business_name}}. Sorry we missed your call! How can we help? Reply STOP to opt out.',
  textBackAfterHours:
    "Hi {{first_name}}, this is {{business_name}}. Sorry we missed your call! We're closed now but will get back to " +
    'you when we open. Reply STOP to opt out.',
  followUp:
    'Hi {{first_name}}, {{business_name}} here, following up on your missed call. Is there anything we can help with? ' +
    'Reply STOP to opt out.',
  help:
    '{{business_name}}: for help, call us at {{business_phone}} or reply to this text. Msg & data rates may apply. ' +
    'Reply STOP to opt out.',
  optOutConfirmation:
    "You're unsubscribed from {{business_name}} texts. No more messages will be sent. Reply START to resubscribe.",
  optInConfirmation:
    "You're resubscribed to {{business_name}} texts. Msg & data rates may apply. Reply HELP for help, STOP to opt out.",
});

// optout_link: the web opt-out page; only the HELP reply and the opt-out confirmation fill it in (see replies.ts).
export const TEMPLATE_VARIABLES = ['business_name', 'first_name', 'business_phone', 'optout_link'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export type TemplateVars = { businessName: string; firstName?: string | null; businessPhone?: string | null; optOutLink?: string | null };

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const EMPTY = '\u0000'; // marks an empty substitution so the whitespace around it can be tidied

const isKnown = (name: string): name is TemplateVariable =>
  (TEMPLATE_VARIABLES as readonly string[]).includes(name.toLowerCase());
const clean = (value: string | null | undefined) => (value ?? '').replace(/\s+/g, ' ').trim();

/**
 * Substitutes {{business_name}}, {{first_name}} (the fallback when the contact has none) and {{business_phone}};
 * variable names tolerate inner spaces and any case. Unknown variables are left as written (settings reject them).
 */
export function renderTemplate(template: string, vars: TemplateVars, opts: { firstNameFallback: string }): string {
  const values: Record<TemplateVariable, string> = {
    business_name: clean(vars.businessName),
    first_name: clean(vars.firstName) || clean(opts.firstNameFallback),
    business_phone: clean(vars.businessPhone),
    optout_link: clean(vars.optOutLink),
  };
  const substituted = template.replace(VARIABLE, (whole, name: string) =>
    isKnown(name) ? values[name.toLowerCase() as TemplateVariable] || EMPTY : whole,
  );
  return substituted
    // eslint-disable-next-line no-control-regex -- NUL marks an emptied variable
    .replace(/[ \t]*\u0000[ \t]*(?=[.,!?;:])/g, '') // "Hi {{first_name}}," with no name → "Hi,"
    // eslint-disable-next-line no-control-regex -- NUL marks an emptied variable
    .replace(/\u0000/g, '')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

/** Variables (and stray braces) a template uses that rendering would not replace: `['{{firstname}}']`. */
export function findUnknownVariables(template: string): string[] {
  const unknown = new Set<string>();
  for (const match of template.matchAll(VARIABLE)) {
    if (!isKnown(match[1])) unknown.add(`{{${match[1]}}}`);
  }
  const rest = template.replace(VARIABLE, ' ');
  for (const match of rest.matchAll(/\S*(?:\{\{|\}\})\S*/g)) unknown.add(match[0]);
  return [...unknown];
}

// "Reply STOP", "Text STOP to …", "STOP to opt out/unsubscribe/end/cancel/quit".
const OPT_OUT_SENSE =
  /\b(?:reply|text|txt|send|respond|answer)(?: with)?\s+["'\u2018\u2019\u201C\u201D]?stop\b|\bstop\b["'\u2019\u201D]?\s+(?:to\s+)?(?:opt[\s-]?out|unsubscribe|end|cancel|quit|stop)/i;

/** Appends " Reply STOP to opt out." unless the text already offers STOP as the way to opt out. */
export function ensureOptOutLine(text: string): string {
  if (OPT_OUT_SENSE.test(text)) return text;
  const trimmed = text.trimEnd();
  return trimmed === '' ? 'Reply STOP to opt out.' : `${trimmed} Reply STOP to opt out.`;
}
