// The product, end to end through the real app: a missed call in, exactly one text-back out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
let h: Harness;

beforeEach(async () => { h = await createHarness(); await h.seedLocation(LOC); h.acceptDeliveryChecks(); });
afterEach(async () => { await h.close(); });

function contactLookup(times = 1) {
  return h.highLevel().get('/contacts/contact-1').times(times)
    .reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana', dnd: false } });
}

describe('missed-call text-back', () => {
  it('when a missed call arrives, then the caller gets exactly one text naming the business with the opt-out line', async () => {
    contactLookup();
    const sent: Record<string, unknown>[] = [];
    h.highLevel().post('/conversations/messages', (body) => { sent.push(body); return true; })
      .reply(201, { conversationId: 'conv-1', messageId: 'msg-1', msg: 'Message queued successfully.' });

    const res = await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    expect(res.status).toBe(200);
    await h.runJobs();

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'SMS', contactId: 'contact-1' });
    expect(String(sent[0].message)).toContain('Acme Plumbing');
    expect(String(sent[0].message)).toMatch(/Reply STOP to opt out/);
    const row = await h.sql.get(`SELECT status, provider_message_id AS id FROM messages WHERE kind = 'textback'`);
    expect(row).toEqual({ status: 'sent', id: 'msg-1' });
  });

  it('when the same call is delivered 10 times at once, under new webhookIds too, then exactly one text goes out', async () => {
    contactLookup();
    let sends = 0;
    h.highLevel().post('/conversations/messages').reply(201, () => { sends++; return { conversationId: 'c', messageId: `m${sends}` }; });
    const event = missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER, messageId: 'call-same' });
    const sameId = { ...event, webhookId: 'wh-fixed' };
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, () => h.webhook(sameId)),
      ...Array.from({ length: 5 }, () => h.webhook(event)),
    ]);
    expect(answers.map((a) => a.status)).toEqual(Array(15).fill(200));
    await h.runJobs();
    expect(sends).toBe(1);
  });

  it('when an answered or outbound call arrives, then nothing is sent and the reason is recorded', async () => {
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER, status: 'completed' }));
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER, direction: 'outbound', status: 'no-answer' }));
    await h.runJobs();
    const decisions = await h.sql.column('SELECT decision FROM calls ORDER BY id');
    expect(decisions).toEqual(['ignored:answered', 'ignored:outbound']);
  });

  it('when the same caller misses twice within the cooldown, then only the first call is texted', async () => {
    contactLookup(1);
    h.highLevel().post('/conversations/messages').once().reply(201, { conversationId: 'c', messageId: 'm1' });
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    await h.advance(60 * 60_000);
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    const decisions = await h.sql.column('SELECT decision FROM calls ORDER BY id');
    expect(decisions).toEqual(['texted', 'skipped:cooldown']);
  });

  it('when the location is not installed, then nothing is recorded or sent', async () => {
    await h.webhook(missedCall({ locationId: 'loc-unknown', contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    expect(await h.sql.value('SELECT COUNT(*) FROM calls')).toBe(0);
  });
});
