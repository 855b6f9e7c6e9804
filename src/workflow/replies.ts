// A text from a caller: opt-out, help, opt-in, or a plain reply, each handled at once and exactly once.
import { JOB, type WorkflowDeps } from './deps.js';
import { classifyReply, normalizeReply } from './keywords.js';
import { loadLocation, type LocationContext } from './location-context.js';
import { sendReserved } from './send-reserved.js';
import { renderTemplate } from './templates.js';
import { analyzeText } from './segments.js';
import type { MessageKind } from './ports.js';
import { appendOptOutLink, optOutLinkFor } from './web-opt-out.js';
import { featuresFor } from './plans.js';
import { callerPhone } from './caller-phone.js';

export interface InboundText {
  locationId: string;
  contactId: string | null;
  /** Unique per inbound message (HighLevel messageId or Twilio MessageSid). */
  replyKey: string;
  from: string | null;
  body: string;
  receivedAt: number;
  /** The provider it came through; carriers and Twilio confirm the standard keywords themselves. */
  via: 'highlevel' | 'twilio';
}

// The keywords carriers and Twilio (incl. its 2025 additions) already answer with their own confirmation.
const PROVIDER_CONFIRMED = new Set(['stop', 'stopall', 'stop all', 'unsubscribe', 'cancel', 'end', 'quit', 'revoke', 'optout']);

export async function handleInboundText(deps: WorkflowDeps, text: InboundText): Promise<string> {
  const phone = await callerPhone(deps, text);
  if (!phone) return 'ignored:no-phone';
  const { locationId } = text;
  const suppressed = await deps.suppressions.isSuppressed(locationId, phone);
  const meaning = classifyReply(text.body, { suppressed });
  const fresh = await deps.replies.record({ locationId, replyKey: text.replyKey, contactId: text.contactId, phone, meaning, receivedAt: text.receivedAt });
  if (!fresh) return `duplicate:${meaning}`;
  const now = deps.clock.now();

  if (meaning === 'opt-out') {
    // Suppress first, in the same second: nothing after this line can text them.
    const changed = await deps.suppressions.suppress({ locationId, phone, source: 'keyword', reason: 'opt-out reply', actor: 'caller' }, now);
    await deps.scheduler.cancel({ locationId, subject: phone });
    deps.signal?.({ type: 'opt-out' });
    const ctx = await loadLocation(deps, locationId);
    if (ctx && changed) {
      const providerConfirms = PROVIDER_CONFIRMED.has(normalizeReply(text.body));
      if (ctx.location.settings.sendOptOutConfirmation && !providerConfirms) {
        await answer(deps, ctx, text, phone, 'opt-out-confirmation', ctx.location.settings.templates.optOutConfirmation);
      }
      if (text.contactId) await bestEffort(deps, 'set SMS DND', () => deps.contacts.setSmsDnd(locationId, text.contactId!, 'Opted out by text reply'));
    }
    return 'opt-out';
  }

  const ctx = await loadLocation(deps, locationId);
  if (!ctx) return `ignored:not-installed`;

  if (meaning === 'help') {
    await answer(deps, ctx, text, phone, 'help', ctx.location.settings.templates.help);
    return 'help';
  }
  if (meaning === 'opt-in') {
    const lifted = await deps.suppressions.lift({ locationId, phone, source: 'keyword', reason: 'opt-in reply', actor: 'caller' }, now);
    if (lifted) {
      deps.signal?.({ type: 'opt-in' });
      await answer(deps, ctx, text, phone, 'opt-in-confirmation', ctx.location.settings.templates.optInConfirmation);
      return 'opt-in';
    }
  }
  // They wrote back: the conversation is now the staff's, no follow-up.
  const cancelled = await deps.scheduler.cancel({ locationId, subject: phone, kinds: [JOB.followUp] });
  const tag = ctx.location.settings.replyTag;
  if (tag && text.contactId) await bestEffort(deps, 'tag contact', () => deps.contacts.addTag(locationId, text.contactId!, tag));
  return cancelled > 0 ? 'reply:follow-up-cancelled' : 'reply';
}

async function answer(deps: WorkflowDeps, ctx: LocationContext, text: InboundText, phone: string, kind: MessageKind, template: string): Promise<void> {
  const settings = ctx.location.settings;
  // Only HELP and the opt-out confirmation offer the web opt-out page; an opt-in confirmation never does.
  const link = kind === 'help' || kind === 'opt-out-confirmation' ? optOutLinkFor(deps, ctx.location.locationId, settings) : null;
  const rendered = renderTemplate(template, { businessName: ctx.businessName, businessPhone: ctx.businessPhone, optOutLink: link }, { firstNameFallback: settings.firstNameFallback });
  const body = appendOptOutLink(rendered, template, link);
  await sendReserved(deps, settings, {
    locationId: ctx.location.locationId,
    sendKey: `${kind}:${ctx.location.locationId}:${text.replyKey}`,
    kind,
    callId: null,
    contactId: text.contactId,
    phone,
    body,
    segments: analyzeText(body).segments,
    // These answer a text from the number itself, so they reach it even when it is suppressed.
    checkSuppression: false,
    twilioAllowed: featuresFor(ctx.location.planId, deps.plans).features.twilio,
  });
}

async function bestEffort(deps: WorkflowDeps, what: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    deps.log.warn({ err: error }, `could not ${what} in HighLevel; the app's own records are already up to date`);
  }
}
