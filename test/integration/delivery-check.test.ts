// Delivery status for texts sent through HighLevel: the message is polled at +30 s, +2 min and +10 min, then left be.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { MINUTE } from '../../src/lib/clock.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC);
  h.highLevel().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } });
  h.highLevel().post('/conversations/messages').reply(201, { conversationId: 'conv-1', messageId: 'msg-1' });
  await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
  await h.runJobs();
});
afterEach(async () => { await h.close(); });

const message = (status: string, extra: Record<string, unknown> = {}) => ({
  id: 'msg-1', type: 2, messageType: 'TYPE_SMS', locationId: LOC, contactId: 'contact-1', conversationId: 'conv-1',
  dateAdded: '2026-01-06T16:00:00.000Z', direction: 'outbound', contentType: 'text/plain', status, ...extra,
});
const row = async () => await h.sql.get(`SELECT status, error_code AS code, error_message AS error FROM messages WHERE provider_message_id = 'msg-1'`);
const polls: string[] = [];
function answer(...statuses: Array<string | [string, Record<string, unknown>]>) {
  for (const entry of statuses) {
    const [status, extra] = typeof entry === 'string' ? [entry, {}] : entry;
    h.highLevel().get('/conversations/messages/msg-1').reply(200, () => { polls.push(status); return message(status, extra); });
  }
}

describe('HighLevel delivery checks', () => {
  beforeEach(() => { polls.length = 0; });

  it('when HighLevel reports "sent" and later "delivered", then the ledger ends at delivered after the second look', async () => {
    answer('sent', 'delivered');
    await h.advance(30_000 - 1);
    expect(polls).toEqual([]);
    await h.advance(1);
    expect(polls).toEqual(['sent']);
    expect(await row()).toMatchObject({ status: 'sent' });
    await h.advance(90_000);
    expect(polls).toEqual(['sent', 'delivered']);
    expect(await row()).toEqual({ status: 'delivered', code: null, error: null });
    await h.advance(30 * MINUTE);
    expect(polls).toHaveLength(2);
  });

  it('when HighLevel reports the text failed with an error, then the ledger records failed with that error', async () => {
    answer(['failed', { error: 'Carrier rejected the message' }]);
    await h.advance(30_000);
    expect(await row()).toEqual({ status: 'failed', code: 'highlevel_failed', error: 'HighLevel: Carrier rejected the message' });
  });

  it('when HighLevel reports undelivered, then the ledger records undelivered', async () => {
    answer('undelivered');
    await h.advance(30_000);
    expect(await row()).toMatchObject({ status: 'undelivered', code: 'highlevel_undelivered' });
  });

  it('when HighLevel reports opt_out, then the text counts as failed and the number is suppressed', async () => {
    answer('opt_out');
    await h.advance(30_000);
    expect(await row()).toMatchObject({ status: 'failed' });
    expect(await h.sql.value('SELECT source FROM suppressions WHERE location_id = ? AND phone = ?', LOC, CALLER)).toBe('provider');
  });

  it('when the status never settles, then it is looked at three times and then left as it is', async () => {
    answer('pending', 'pending', 'pending');
    await h.advance(30_000);
    await h.advance(90_000);
    await h.advance(8 * MINUTE);
    expect(polls).toHaveLength(3);
    await h.advance(60 * MINUTE);
    expect(polls).toHaveLength(3);
    expect(await row()).toMatchObject({ status: 'sent' });
  });
});
