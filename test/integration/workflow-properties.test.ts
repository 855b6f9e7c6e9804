// Property: for any interleaving of missed calls, replies, opt-outs, opt-ins and passing time, no text-back or
// follow-up ever reaches a number while it is opted out, and no call is ever texted back twice.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';
import { MINUTE } from '../../src/lib/clock.js';

const CALLERS = ['+12125550101', '+12125550102', '+12125550103'];
let h: Harness;
const sent: { messageId: string; to: string }[] = [];

beforeAll(async () => {
  h = await createHarness();
  h.acceptDeliveryChecks();
  // A day later each location's profile is read again.
  h.highLevel().persist().get(/^\/locations\/loc-prop-\d+$/).reply(200, { location: { name: 'Acme Plumbing', timezone: 'America/New_York', phone: '+15550000000' } });
  h.highLevel().persist().get(/^\/phone-system\/numbers\/location\/loc-prop-\d+$/).reply(200, { numbers: [] });
  h.highLevel().persist().get(/\/contacts\/c-\d$/).reply(200, (uri) => {
    const index = Number(uri.slice(-1));
    return { contact: { id: `c-${index}`, phone: CALLERS[index], firstName: 'Sam' } };
  });
  h.highLevel().persist().put(/\/contacts\/c-\d$/).reply(200, { contact: { id: 'c' } });
  h.highLevel().persist().post(/\/contacts\/c-\d\/tags$/).reply(201, { tags: [] });
  h.highLevel().persist().post('/conversations/messages').reply(201, (_uri, body) => {
    const messageId = `m-${sent.length + 1}`;
    sent.push({ messageId, to: (body as { toNumber: string }).toNumber });
    return { conversationId: 'conv', messageId };
  });
});
afterAll(async () => { await h.close(); });

type Step =
  | { type: 'call'; caller: number; status: 'no-answer' | 'voicemail' | 'completed' }
  | { type: 'reply'; caller: number; text: string }
  | { type: 'wait'; minutes: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ type: fc.constant('call' as const), caller: fc.integer({ min: 0, max: 2 }), status: fc.constantFrom('no-answer' as const, 'voicemail' as const, 'completed' as const) }),
  fc.record({ type: fc.constant('reply' as const), caller: fc.integer({ min: 0, max: 2 }), text: fc.constantFrom('STOP', 'stop texting me', 'START', 'YES', 'HELP', 'ok thanks', 'wrong number') }),
  fc.record({ type: fc.constant('wait' as const), minutes: fc.constantFrom(1, 30, 90, 130, 60 * 25) }),
);

let run = 0;

describe('workflow invariants', () => {
  it('when anything happens in any order, then opted-out numbers get no text-back or follow-up and no call is texted twice', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
      const location = `loc-prop-${++run}`;
      await h.seedLocation(location, { settings: { textBackPolicy: 'send-immediately', cooldownHours: 0 } });
      const optedOut = new Set<string>();
      let callNo = 0;
      for (const s of steps) {
        const before = sent.length;
        if (s.type === 'call') {
          await h.webhook(missedCall({ locationId: location, contactId: `c-${s.caller}`, from: CALLERS[s.caller], status: s.status, messageId: `${location}-call-${++callNo}` }));
        } else if (s.type === 'reply') {
          await h.webhook(inboundSms({ locationId: location, contactId: `c-${s.caller}`, from: CALLERS[s.caller], body: s.text }));
        } else {
          h.clock.advance(s.minutes * MINUTE);
        }
        await h.runJobs();
        // The model: what each step means for the number, per COMPLIANCE.md.
        if (s.type === 'reply') {
          const phone = CALLERS[s.caller];
          if (['STOP', 'stop texting me', 'wrong number'].includes(s.text)) optedOut.add(phone);
          else if (s.text === 'START' || (s.text === 'YES' && optedOut.has(phone))) optedOut.delete(phone);
        }
        for (const message of sent.slice(before)) {
          // Earlier runs' locations keep their own pending follow-ups; only this location's texts are judged here.
          const kind = await h.sql.value('SELECT kind FROM messages WHERE provider_message_id = ? AND location_id = ?', message.messageId, location);
          if (kind === 'textback' || kind === 'followup') expect(optedOut.has(message.to), `${kind} to opted-out ${message.to}`).toBe(false);
        }
      }
      const perCall = await h.sql.value(`SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM messages WHERE location_id = ? AND kind = 'textback' GROUP BY call_id) AS per_call`, location) as number | null;
      expect(perCall ?? 0).toBeLessThanOrEqual(1);
      const followUps = await h.sql.value(`SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM messages WHERE location_id = ? AND kind = 'followup' GROUP BY call_id) AS per_call`, location) as number | null;
      expect(followUps ?? 0).toBeLessThanOrEqual(1);
    }), { numRuns: 40 });
  }, 120_000);
});
