// Lost webhooks: the periodic scan of HighLevel's recent calls texts a caller whose webhook never arrived, once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { ensureCatchUp } from '../../src/workflow/catch-up.js';
import { MINUTE } from '../../src/lib/clock.js';

const LOC = 'loc-acme';
let h: Harness;
let sends: number;

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC);
  h.acceptDeliveryChecks();
  sends = 0;
  await ensureCatchUp(h.app.workflow, LOC);
});
afterEach(async () => { await h.close(); });

describe('catch-up scan', () => {
  it('when a missed call\'s webhook was lost, then the scan finds it and texts the caller once, and a late webhook changes nothing', async () => {
    const callAt = new Date(h.clock.now() + 5 * MINUTE).toISOString();
    h.highLevel().get('/conversations/search').query(true)
      .reply(200, { conversations: [{ id: 'conv-1', contactId: 'c-1', locationId: LOC, lastMessageType: 'TYPE_CALL', lastMessageDate: callAt }], total: 1 });
    h.highLevel().get('/conversations/conv-1/messages').query({ type: 'TYPE_CALL', limit: '5' })
      .reply(200, { messages: { messages: [{ id: 'call-lost', type: 1, messageType: 'TYPE_CALL', direction: 'inbound', status: 'voicemail', contactId: 'c-1', conversationId: 'conv-1', locationId: LOC, dateAdded: callAt, meta: { callStatus: 'voicemail' } }], nextPage: false, lastMessageId: 'call-lost' } });
    h.highLevel().persist().get('/contacts/c-1').reply(200, { contact: { id: 'c-1', phone: '+12125550147' } });
    h.highLevel().persist().post('/conversations/messages').reply(201, () => { sends++; return { conversationId: 'conv-1', messageId: `m${sends}` }; });

    await h.advance(10 * MINUTE);
    expect(sends).toBe(1);
    expect(await h.sql.get('SELECT call_key, decision FROM calls')).toEqual({ call_key: 'call-lost', decision: 'texted' });

    await h.webhook(missedCall({ locationId: LOC, contactId: 'c-1', from: '+12125550147', messageId: 'call-lost' }));
    await h.runJobs();
    expect(sends).toBe(1);
    expect(await h.sql.value(`SELECT run_at - ? FROM jobs WHERE kind = 'catch-up' AND status = 'pending'`, h.clock.now())).toBe(10 * MINUTE);
  });

  it('when the location uninstalls, then its scan stops', async () => {
    await h.webhook({ type: 'UNINSTALL', appId: 'app123', locationId: LOC });
    await h.runJobs();
    await h.advance(30 * MINUTE);
    expect(await h.sql.value(`SELECT COUNT(*) FROM jobs WHERE kind = 'catch-up' AND status = 'pending'`)).toBe(0);
  });
});
