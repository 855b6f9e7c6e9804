// Noticing HighLevel's own Missed Call Text Back beside the app: a text the app did not send, to a caller who just
// missed a call, raises a warning on the settings page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
const NATIVE_WARNING = "HighLevel's own Missed Call Text Back also seems to be on: callers may get two texts. Turn it off in HighLevel → Settings → Phone Numbers.";
let h: Harness;

beforeEach(async () => { h = await createHarness(); await h.seedLocation(LOC); });
afterEach(async () => { await h.close(); });

function outboundSms(input: { contactId: string; messageId: string; body: string }) {
  return {
    type: 'OutboundMessage', locationId: LOC, attachments: [], body: input.body, contactId: input.contactId, contentType: 'text/plain',
    conversationId: `conv-${input.contactId}`, direction: 'outbound', messageType: 'SMS', messageId: input.messageId, status: 'delivered',
  };
}

/** A missed call from the caller, texted back by the app as msg-ours. */
async function missedCallTextedBack(): Promise<void> {
  h.highLevel().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', phone: CALLER, firstName: 'Dana' } })
    .post('/conversations/messages').reply(201, { conversationId: 'conv-contact-1', messageId: 'msg-ours' })
    .get('/conversations/messages/msg-ours').times(3).reply(200, { message: { id: 'msg-ours', status: 'delivered' } });
  await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
  await h.runJobs();
}

async function deliver(payload: Record<string, unknown>): Promise<void> {
  expect((await h.webhook(payload)).status).toBe(200);
  await h.runJobs();
}

const warnings = async () => {
  const res = await h.http.get(`/api/locations/${LOC}/settings`).set(bearer(await locationToken(h, LOC)));
  return res.body.warnings as { code: string; message: string }[];
};
const ourBody = async () => await h.sql.value(`SELECT body FROM messages WHERE provider_message_id = 'msg-ours'`) as string;

describe('native Missed Call Text Back detection', () => {
  it('when a text the app did not send reaches a caller a minute after their missed call, then the settings page warns', async () => {
    await missedCallTextedBack();
    await deliver(outboundSms({ contactId: 'contact-1', messageId: 'msg-ours', body: await ourBody() }));
    expect(await warnings()).toEqual([]);

    h.clock.advance(60_000);
    await deliver(outboundSms({ contactId: 'contact-1', messageId: 'native-1', body: 'Sorry we missed your call. How can we help?' }));
    expect(await warnings()).toEqual([{ code: 'native-textback', message: NATIVE_WARNING }]);
    expect(await h.sql.all('SELECT location_id AS locationId, flag, hits FROM location_flags')).toEqual([{ locationId: LOC, flag: 'native-textback', hits: 1 }]);
  });

  it("when the app's own text comes back before its send was recorded (another id, the same words plus HighLevel's line), then nothing is flagged", async () => {
    await missedCallTextedBack();
    await deliver(outboundSms({ contactId: 'contact-1', messageId: 'not-yet-recorded', body: `${await ourBody()}\nReply STOP to unsubscribe` }));
    expect(await warnings()).toEqual([]);
  });

  it('when the outbound text comes more than 3 minutes after the call, or goes to someone who did not just call, then nothing is flagged', async () => {
    await missedCallTextedBack();
    h.clock.advance(4 * 60_000);
    await deliver(outboundSms({ contactId: 'contact-1', messageId: 'staff-1', body: 'Hi Dana, Mike here, calling you back in 5' }));
    await deliver(outboundSms({ contactId: 'contact-2', messageId: 'staff-2', body: 'Your appointment is confirmed' }));
    expect(await warnings()).toEqual([]);
    expect(await h.sql.value('SELECT COUNT(*) FROM location_flags')).toBe(0);
  });

  it('when HighLevel has not been seen texting callers for two weeks, then the warning goes away', async () => {
    await missedCallTextedBack();
    await deliver(outboundSms({ contactId: 'contact-1', messageId: 'native-1', body: 'We missed your call!' }));
    expect((await warnings()).map((w) => w.code)).toEqual(['native-textback']);
    h.clock.advance(15 * 86_400_000);
    expect(await warnings()).toEqual([]);
  });
});
