// Quiet hours for the recipient: the text-back waits for the window (unless the location says otherwise), across zones.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';

const LOC = 'loc-acme';
let h: Harness;
let texts: { to: string; at: number }[];

async function setup(caller: string, startAt: number, settings = {}) {
  h = await createHarness({ startAt });
  await h.seedLocation(LOC, { settings });
  h.acceptDeliveryChecks();
  texts = [];
  h.highLevel().persist().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: caller } });
  h.highLevel().persist().post('/conversations/messages').reply(201, () => { texts.push({ to: caller, at: h.clock.now() }); return { conversationId: 'c', messageId: `m${texts.length}` }; });
  await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: caller }));
  await h.runJobs();
}
const decision = async () => await h.sql.value('SELECT decision FROM calls') as string;

afterEach(async () => { await h.close(); });

describe('recipient quiet hours', () => {
  it('when a Florida panhandle number (Central + Eastern) calls at 6:00 Eastern, then the text waits until 9:00 Central', async () => {
    await setup('+18505550100', Date.UTC(2026, 0, 6, 11, 0));
    expect(texts).toHaveLength(0);
    expect(await decision()).toBe('deferred:2026-01-06T15:00:00.000Z');
    h.clock.set(Date.UTC(2026, 0, 6, 14, 59));
    await h.runJobs();
    expect(texts).toHaveLength(0);
    h.clock.set(Date.UTC(2026, 0, 6, 15, 0));
    await h.runJobs();
    expect(texts).toHaveLength(1);
    expect(await decision()).toBe('texted');
  });

  it('when a Los Angeles number calls at 11:30 Eastern (8:30 Pacific), then the text waits until 9:00 Pacific', async () => {
    await setup('+13105550100', Date.UTC(2026, 0, 6, 16, 30));
    expect(await decision()).toBe('deferred:2026-01-06T17:00:00.000Z');
  });

  it('when a Florida number calls at 20:30 on a Saturday, then the text waits until Sunday noon', async () => {
    await setup('+13055550100', Date.UTC(2026, 0, 11, 1, 30));
    expect(await decision()).toBe('deferred:2026-01-11T17:00:00.000Z');
  });

  it('when the location chose "text back immediately, any hour", then the text-back goes out at once at night', async () => {
    await setup('+12125550147', Date.UTC(2026, 0, 6, 7, 0), { textBackPolicy: 'send-immediately' });
    expect(texts).toHaveLength(1);
    expect(await decision()).toBe('texted');
  });
});
