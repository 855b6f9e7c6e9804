// A text from a caller: opt-out, help, opt-in, or a plain reply, each handled at once and exactly once.
import { JOB, type WorkflowDeps } from './deps.js';
import { classifyReply, normalizeReply, type ReplyClass } from './keywords.js';
import { loadLocation, type LocationContext } from './location-context.js';
import { sendReserved } from './send-reserved.js';
import { renderTemplate } from './templates.js';
import { analyzeText } from './segments.js';
import type { MessageKind } from './ports/services.js';
import { appendOptOutLink, optOutLinkFor } from './web-opt-out.js';
import { featuresFor } from './plans.js';
import { callerPhone } from './caller-phone.js';
import { HighLevelApiError } from '../lib/errors.js';
import type { ReplyAnswer } from './ports/storage.js';

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

/**
 * Each text is recorded once (replyKey). Its state change (suppress, lift) runs once, then the answer it is owed is
 * recorded before any network call: a job retried after a failed send finishes that answer (the send ledger keeps it
 * single), while a redelivery of a text already answered changes nothing.
 */
export async function handleInboundText(deps: WorkflowDeps, text: InboundText): Promise<string> {
  const phone = await callerPhone(deps, text);
  if (!phone) return 'ignored:no-phone';
  const { locationId } = text;
  const suppressed = await deps.suppressions.isSuppressed(locationId, phone);
  const classified = classifyReply(text.body, { suppressed });
  const recorded = await deps.replies.record({ locationId, replyKey: text.replyKey, contactId: text.contactId, phone, meaning: classified, receivedAt: text.receivedAt });
  if (!recorded.fresh) {
    const owed = recorded.answer;
    if (owed === 'done') return `duplicate:${recorded.meaning}`;
    if (owed !== 'pending') return finishAnswer(deps, text, phone, owed);
  }
  // Fresh, or a retry whose rule had not run to the end: the meaning first recorded decides.
  const meaning = recorded.fresh ? classified : (recorded.meaning as ReplyClass);
  const now = deps.clock.now();

  if (meaning === 'opt-out') {
    // Suppress first, in the same second: nothing after this line can text them.
    const changed = await deps.suppressions.suppress({ locationId, phone, source: 'keyword', reason: 'opt-out reply', actor: 'caller' }, now);
    await deps.scheduler.cancel({ locationId, subject: phone });
    deps.signal?.({ type: 'opt-out' });
    // A number suppressed already got its confirmation (and DND) the first time.
    await deps.replies.setAnswer(locationId, text.replyKey, changed ? 'opt-out-confirmation' : 'done');
    return changed ? finishAnswer(deps, text, phone, 'opt-out-confirmation') : 'opt-out';
  }

  const ctx = await loadLocation(deps, locationId);
  if (!ctx) return settle(deps, text, 'ignored:not-installed');

  if (meaning === 'help') {
    await deps.replies.setAnswer(locationId, text.replyKey, 'help');
    return finishAnswer(deps, text, phone, 'help');
  }
  if (meaning === 'opt-in') {
    await deps.suppressions.noteOptIn(locationId, phone, text.receivedAt);
    const ownDnd = (await deps.suppressions.appDndContacts(locationId, phone)).length > 0;
    if (suppressed || ownDnd) {
      if (suppressed && (await liftByCaller(deps, text, phone)) === 'held-by-dnd') return settle(deps, text, 'opt-in:held-by-dnd');
      deps.signal?.({ type: 'opt-in' });
      await deps.replies.setAnswer(locationId, text.replyKey, 'opt-in-confirmation');
      return finishAnswer(deps, text, phone, 'opt-in-confirmation');
    }
  }
  // They wrote back: the conversation is now the staff's, no follow-up.
  const cancelled = await deps.scheduler.cancel({ locationId, subject: phone, kinds: [JOB.followUp] });
  const tag = ctx.location.settings.replyTag;
  if (tag && text.contactId) await bestEffort(deps, 'tag contact', () => deps.contacts.addTag(locationId, text.contactId!, tag));
  return settle(deps, text, cancelled > 0 ? 'reply:follow-up-cancelled' : 'reply');
}

/**
 * The caller's own START lifts every source, their proven opt-outs included (only they may), except HighLevel DND
 * that staff set and that is still on there: the app lifts only the DND it set itself (finishAnswer clears it).
 */
async function liftByCaller(deps: WorkflowDeps, text: InboundText, phone: string): Promise<'lifted' | 'held-by-dnd'> {
  const { locationId } = text;
  const holds = await deps.suppressions.holdsOf(locationId, phone);
  const appDnd = (await deps.suppressions.appDndContacts(locationId, phone)).length > 0;
  let keepDnd = holds.some((hold) => hold.source === 'dnd') && !appDnd;
  if (keepDnd && text.contactId) keepDnd = (await deps.contacts.getContact(locationId, text.contactId))?.smsDnd ?? true;
  const sources = holds.map((hold) => hold.source).filter((source) => source !== 'dnd' || !keepDnd);
  const lifted = await deps.suppressions.lift({ locationId, phone, sources: holds.length > 0 ? sources : undefined, reason: 'opt-in reply', actor: 'caller' }, deps.clock.now());
  return lifted ? 'lifted' : 'held-by-dnd';
}

/** Sends the answer a text is owed (again, after a failed attempt: the ledger keeps it to one), then marks it done. */
async function finishAnswer(deps: WorkflowDeps, text: InboundText, phone: string, owed: Exclude<ReplyAnswer, 'pending' | 'done'>): Promise<string> {
  const { locationId } = text;
  // A retry that comes after the caller changed their mind again (STOP after START, or START after STOP) owes nothing.
  if (owed !== 'help' && (await deps.suppressions.isSuppressed(locationId, phone)) !== (owed === 'opt-out-confirmation')) {
    return settle(deps, text, `superseded:${owed}`);
  }
  const ctx = await loadLocation(deps, locationId);
  if (!ctx) return settle(deps, text, owed === 'opt-out-confirmation' ? 'opt-out' : 'ignored:not-installed');
  const { templates } = ctx.location.settings;
  if (owed === 'help') {
    await answer(deps, ctx, text, phone, 'help', templates.help);
    return settle(deps, text, 'help');
  }
  if (owed === 'opt-in-confirmation') {
    // HighLevel refuses every text to a contact with SMS DND: the DND the app set on STOP goes first.
    await clearAppDnd(deps, locationId, phone);
    await answer(deps, ctx, text, phone, 'opt-in-confirmation', templates.optInConfirmation);
    return settle(deps, text, 'opt-in');
  }
  const providerConfirms = PROVIDER_CONFIRMED.has(normalizeReply(text.body));
  if (ctx.location.settings.sendOptOutConfirmation && !providerConfirms) {
    await answer(deps, ctx, text, phone, 'opt-out-confirmation', templates.optOutConfirmation);
  }
  // After the confirmation: HighLevel would refuse it once DND is on.
  const contactId = text.contactId;
  if (contactId) {
    await bestEffort(deps, 'set SMS DND', async () => {
      await deps.contacts.setSmsDnd(locationId, contactId, 'Opted out by text reply');
      await deps.suppressions.noteAppDnd({ locationId, contactId, phone }, deps.clock.now());
    });
  }
  return settle(deps, text, 'opt-out');
}

/** Lifts the SMS DND the app set on this number's contacts; a failure HighLevel may recover from retries the job. */
async function clearAppDnd(deps: WorkflowDeps, locationId: string, phone: string): Promise<void> {
  for (const contactId of await deps.suppressions.appDndContacts(locationId, phone)) {
    try {
      await deps.contacts.clearSmsDnd(locationId, contactId, 'Opted back in by text reply');
      await deps.suppressions.forgetAppDnd(locationId, contactId);
    } catch (error) {
      if (error instanceof HighLevelApiError && error.retryable) throw error;
      deps.log.warn({ err: error, locationId }, 'could not lift the SMS DND the app set in HighLevel; the confirmation is tried anyway');
    }
  }
}

async function settle(deps: WorkflowDeps, text: InboundText, outcome: string): Promise<string> {
  await deps.replies.setAnswer(text.locationId, text.replyKey, 'done');
  return outcome;
}

async function answer(deps: WorkflowDeps, ctx: LocationContext, text: InboundText, phone: string, kind: MessageKind, template: string): Promise<void> {
  const settings = ctx.location.settings;
  // Only HELP and the opt-out confirmation offer the web opt-out page; an opt-in confirmation never does.
  const link = kind === 'help' || kind === 'opt-out-confirmation' ? optOutLinkFor(deps, ctx.location.locationId, settings, phone) : null;
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
