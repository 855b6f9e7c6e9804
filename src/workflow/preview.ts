// What a template becomes for one location: rendered with its name and phone, plus the lines the real text would
// carry (the opt-out line on a first text, the web opt-out link on HELP and opt-out confirmations), and its cost.
import type { WorkflowDeps } from './deps.js';
import type { InstalledLocation } from './ports/storage.js';
import { ensureOptOutLine, renderTemplate, type TemplateKey } from './templates.js';
import { analyzeText, replaceLookalikes, type TextAnalysis } from './segments.js';
import { appendOptOutLink, optOutLinkFor } from './web-opt-out.js';
import { identifyBusiness } from './business-identity.js';

/** The sample contact a preview is rendered for. */
export const SAMPLE_FIRST_NAME = 'Jordan';

/** The text-backs are a number's first text from the location, so they carry the opt-out line. */
export const FIRST_TEXT_KINDS: ReadonlySet<TemplateKey> = new Set(['textBackInHours', 'textBackAfterHours']);

export interface RenderOptions {
  firstName: string | null;
  /** Add the opt-out line to a first text (false when HighLevel appends its own and the text is really sent). */
  optOutLine: boolean;
}

type Location = Pick<InstalledLocation, 'locationId' | 'name' | 'phone' | 'settings'>;

export function renderForLocation(deps: Pick<WorkflowDeps, 'publicUrl'>, location: Location, template: string, kind: TemplateKey, options: RenderOptions): string {
  const { settings } = location;
  const link = kind === 'help' || kind === 'optOutConfirmation' ? optOutLinkFor(deps, location.locationId, settings) : null;
  const rendered = renderTemplate(template, {
    businessName: identifyBusiness(location).text, firstName: options.firstName, businessPhone: location.phone, optOutLink: link,
  }, { firstNameFallback: settings.firstNameFallback });
  const withLink = appendOptOutLink(rendered, template, link);
  return options.optOutLine && FIRST_TEXT_KINDS.has(kind) ? ensureOptOutLine(withLink) : withLink;
}

export interface Preview {
  text: string;
  analysis: TextAnalysis;
  /** The template with every GSM-7 look-alike replaced (what the editor offers to switch to). */
  replaced: string;
}

/**
 * The text as the sample caller would get it. The opt-out line is always shown on a first text: if the app does not
 * add it, HighLevel does (highLevelAppendsOptOut), and either way it counts towards the segments.
 */
export function previewTemplate(deps: Pick<WorkflowDeps, 'publicUrl'>, location: Location, template: string, kind: TemplateKey): Preview {
  const text = renderForLocation(deps, location, template, kind, { firstName: SAMPLE_FIRST_NAME, optOutLine: true });
  return { text, analysis: analyzeText(text), replaced: replaceLookalikes(template) };
}
