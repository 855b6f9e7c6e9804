// A test text a signed-in user sends to a number they typed in: the location's real template, through the same
// reserve → send → record path as every text, never to a suppressed number.
import { randomId } from '../lib/ids.js';
import { maskPhone } from '../lib/phone.js';
import { RetryLaterError } from '../lib/errors.js';
import type { WorkflowDeps } from './deps.js';
import type { Contact } from './ports/services.js';
import { featuresFor } from './plans.js';
import { renderForLocation } from './preview.js';
import { sendReserved } from './send-reserved.js';
import { analyzeText } from './segments.js';

export const TEST_TEMPLATES = ['textBackInHours', 'textBackAfterHours', 'followUp'] as const;
export type TestTemplate = (typeof TEST_TEMPLATES)[number];

export type TestMessageResult =
  | { status: 'sent' | 'failed' | 'unknown'; text: string; reason?: string }
  | { status: 'suppressed' }
  | { status: 'not-installed' };

/** `phone` is E.164 already; `actor` is the user who asked (audit trail). */
export async function sendTestMessage(
  deps: WorkflowDeps, input: { locationId: string; phone: string; template: TestTemplate; actor: string },
): Promise<TestMessageResult> {
  const { locationId, phone } = input;
  const location = await deps.installations.get(locationId);
  if (!location || location.status !== 'installed') return { status: 'not-installed' };
  // Checked before HighLevel is asked for a contact, so a suppressed number is not even created there.
  if (await deps.suppressions.isSuppressed(locationId, phone)) return { status: 'suppressed' };
  const { settings } = location;
  const twilioAllowed = featuresFor(location.planId, deps.plans).features.twilio;

  let contact: Contact | null = null;
  let lookupError: unknown = null;
  try {
    contact = await deps.contacts.ensureContact(locationId, phone);
  } catch (error) {
    lookupError = error;
  }
  const text = renderForLocation(deps, location, settings.templates[input.template], input.template, {
    firstName: contact?.firstName ?? null, optOutLine: !settings.highLevelAppendsOptOut,
  });
  const result = contact ? await send(contact.id) : { status: 'failed' as const, text, reason: 'contact-unavailable' };
  if (lookupError) deps.log.warn({ locationId, err: lookupError }, 'test message: HighLevel contact could not be found or created');
  if (result.status !== 'suppressed') {
    await deps.audit.record({
      locationId, actor: input.actor, action: 'test-message',
      detail: { template: input.template, phone: maskPhone(phone), status: result.status },
    }, deps.clock.now());
  }
  return result;

  async function send(contactId: string): Promise<TestMessageResult> {
    try {
      const outcome = await sendReserved(deps, settings, {
        locationId, sendKey: `test:${locationId}:${randomId()}`, kind: 'test', callId: null, contactId, phone,
        body: text, segments: analyzeText(text).segments, checkSuppression: true,
        twilioAllowed,
      });
      if (outcome.result === 'skipped') return { status: 'suppressed' };
      if (outcome.result === 'sent') return { status: 'sent', text };
      if (outcome.result === 'failed' || outcome.result === 'unknown') return { status: outcome.result, text, reason: outcome.reason };
      return { status: 'failed', text, reason: outcome.result };
    } catch (error) {
      // Not accepted yet (rate limit, provider down): nothing went out and nothing will retry a test on its own.
      if (error instanceof RetryLaterError) return { status: 'failed', text, reason: 'provider-busy' };
      throw error;
    }
  }
}
