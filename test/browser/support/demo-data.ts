// Three weeks of believable traffic for screenshots, played through the real app: missed calls, replies, STOPs,
// a failed send and a late-night call, with nock standing in for HighLevel's contacts and conversations APIs.
import { DAY, HOUR, MINUTE } from '../../../src/lib/clock.js';
import { createSecretBox } from '../../../src/lib/crypto.js';
import { createTokenStore } from '../../../src/store/tokens.js';
import { createLocationStore } from '../../../src/store/locations.js';
import { inboundSms, missedCall, type Harness } from '../../helpers/harness.js';

const FIRST_NAMES = ['Maria', 'James', 'Priya', 'Luis', 'Emma', 'Noah', 'Aisha', 'Chen', 'Olivia', 'Sam', 'Grace', 'Diego'];
const REPLIES = ['Yes please call me back', 'Hi, my kitchen sink is leaking', 'Can someone come out tomorrow?', 'Thanks! What are your rates?', 'Call me at 3'];

/** A small deterministic generator, so the screenshots are the same every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

interface Step { at: number; run(): Promise<unknown> }

/**
 * Plays `days` days of traffic for `locationId` ending at the harness clock's start time (which it returns to).
 * `dayStartAt` is midnight of the first day in the location's zone.
 */
export async function playDemoTraffic(h: Harness, input: { locationId: string; dayStartAt: number; days: number }): Promise<void> {
  const { locationId } = input;
  const endAt = h.clock.now();
  const next = random(7);
  const contacts = new Map<string, { phone: string; firstName: string }>();
  const failing = new Set<string>();

  const hl = h.highLevel().persist();
  hl.get(/^\/contacts\/[^/]+$/).reply((uri) => {
    const id = uri.split('/').pop()!.split('?')[0];
    const contact = contacts.get(id);
    return [200, { contact: { id, locationId, phone: contact?.phone, firstName: contact?.firstName, dnd: false } }];
  });
  let sent = 0;
  hl.post('/conversations/messages').reply((_uri, body) => {
    const contactId = (body as { contactId?: string }).contactId ?? '';
    if (failing.has(contactId)) return [422, { message: 'The number is not SMS capable' }];
    sent += 1;
    return [201, { conversationId: `conv-${contactId}`, messageId: `msg-${sent}`, msg: 'Message queued successfully.' }];
  });
  hl.get(/^\/conversations\/messages\/[^/]+$/).reply((uri) => [200, { message: { id: uri.split('/').pop(), status: 'delivered', type: 1, messageType: 'TYPE_SMS' } }]);
  hl.post(/^\/contacts\/[^/]+\/tags$/).reply(201, { tags: ['missed-call-replied'] });
  hl.put(/^\/contacts\/[^/]+$/).reply(200, { succeded: true, contact: {} });

  const steps: Step[] = [];
  let callers = 0;
  for (let day = 0; day < input.days; day += 1) {
    const weekday = new Date(input.dayStartAt + day * DAY).getUTCDay();
    const count = weekday === 0 ? Math.floor(next() * 2) : 2 + Math.floor(next() * (weekday === 1 ? 6 : 4));
    for (let i = 0; i < count; i += 1) {
      callers += 1;
      const contactId = `contact-${callers}`;
      const phone = `+1212555${String(1000 + ((callers * 37) % 9000)).padStart(4, '0')}`;
      contacts.set(contactId, { phone, firstName: FIRST_NAMES[callers % FIRST_NAMES.length] });
      const lateNight = callers % 17 === 0;
      const at = input.dayStartAt + day * DAY + (lateNight ? 22 * HOUR + 40 * MINUTE : (9 + Math.floor(next() * 10)) * HOUR + Math.floor(next() * 60) * MINUTE);
      if (at >= endAt - 20 * MINUTE) continue;
      if (callers % 23 === 0) failing.add(contactId);
      steps.push({ at, run: () => h.webhook(missedCall({ locationId, contactId, from: phone })) });
      const roll = next();
      const replyAt = at + (5 + Math.floor(next() * 40)) * MINUTE;
      if (replyAt >= endAt) continue;
      if (roll < 0.07) steps.push({ at: replyAt, run: () => h.webhook(inboundSms({ locationId, contactId, from: phone, body: 'STOP' })) });
      else if (roll < 0.52) steps.push({ at: replyAt, run: () => h.webhook(inboundSms({ locationId, contactId, from: phone, body: REPLIES[callers % REPLIES.length] })) });
    }
  }
  steps.sort((a, b) => a.at - b.at);

  h.clock.set(input.dayStartAt);
  for (const step of steps) {
    while (h.clock.now() + 15 * MINUTE < step.at) await h.advance(15 * MINUTE);
    h.clock.set(step.at);
    await step.run();
    await h.runJobs();
  }
  while (h.clock.now() + 15 * MINUTE < endAt) await h.advance(15 * MINUTE);
  h.clock.set(endAt);
  await h.runJobs();
}

/** Makes the harness's company an agency install (a Company token), so the agency view opens. */
export function installAgency(h: Harness, companyId: string): void {
  const now = h.clock.now();
  createLocationStore(h.app.db).installCompany(companyId, 'Bright Local Agency', now);
  createTokenStore(h.app.db, createSecretBox(h.config.encryptionKey!)).save({
    ownerId: companyId, ownerType: 'Company', companyId, accessToken: `token-${companyId}`, refreshToken: `refresh-${companyId}`, expiresAt: now + 365 * DAY,
  }, now);
}
