// Call states as HighLevel really reports them: a call can be seen ringing or in progress (by webhook or by the
// catch-up scan) before its final status; only the final one decides, once, and "in progress" is not "answered".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { ensureCatchUp } from '../../src/workflow/catch-up.js';
import { MINUTE } from '../../src/lib/clock.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
let h: Harness;
let texts: string[];

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC);
  texts = [];
  h.highLevel().persist().get('/contacts/c-1').reply(200, { contact: { id: 'c-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } });
  h.highLevel().persist().post('/conversations/messages', (body) => { texts.push(body.message); return true; })
    .reply(201, () => ({ conversationId: 'conv-1', messageId: `msg-${texts.length}` }));
  h.acceptDeliveryChecks();
});
afterEach(async () => { await h.close(); });

/** One sighting of call `callKey` by webhook (each delivery has its own webhookId, as HighLevel's do). */
async function sighting(callKey: string, status: string, extra: Record<string, unknown> = {}) {
  const res = await h.webhook({ ...missedCall({ locationId: LOC, contactId: 'c-1', from: CALLER, messageId: callKey }), status, callStatus: status, ...extra });
  expect(res.status).toBe(200);
  await h.runJobs();
}

const call = async (callKey: string) => await h.sql.get('SELECT status, missed, decision FROM calls WHERE call_key = ?', callKey);
const followUps = async () => await h.sql.column(`SELECT status FROM jobs WHERE kind = 'followup'`);

/** HighLevel's conversations search and call messages as the live API nests them, for one call. */
function scanShows(callKey: string, meta: Record<string, unknown>, status?: string) {
  const at = new Date(h.clock.now()).toISOString();
  h.highLevel().get('/conversations/search').query(true)
    .reply(200, { conversations: [{ id: 'conv-1', contactId: 'c-1', locationId: LOC, lastMessageType: 'TYPE_CALL', lastMessageDate: at }], total: 1 });
  h.highLevel().get('/conversations/conv-1/messages').query(true)
    .reply(200, { messages: { messages: [{ id: callKey, type: 1, messageType: 'TYPE_CALL', direction: 'inbound', contactId: 'c-1', conversationId: 'conv-1', locationId: LOC, dateAdded: at, ...(status ? { status } : {}), meta }], nextPage: false, lastMessageId: callKey } });
}

describe('webhook sightings', () => {
  it('when a call is first delivered ringing and then as no-answer, then the caller is texted once and the call counts as missed', async () => {
    await sighting('call-1', 'ringing');
    expect(texts).toHaveLength(0);
    expect(await call('call-1')).toMatchObject({ status: 'ringing', missed: 0 });

    await sighting('call-1', 'no-answer');
    await sighting('call-1', 'no-answer'); // a second delivery of the final status
    expect(texts).toHaveLength(1);
    expect(await call('call-1')).toEqual({ status: 'no-answer', missed: 1, decision: 'texted' });
  });

  it('when a call seen "in progress" ends in voicemail, then it is texted back, and only "completed" cancels the follow-up of an earlier miss', async () => {
    await sighting('call-1', 'no-answer');
    expect(texts).toHaveLength(1);
    expect(await followUps()).toEqual(['pending']);

    // The caller rings again: the call is in progress, nobody has answered yet.
    await sighting('call-2', 'in-progress');
    await sighting('call-3', 'In Progress');
    expect(await followUps()).toEqual(['pending']);
    expect(await call('call-2')).toMatchObject({ missed: 0, status: 'in-progress' });

    await sighting('call-2', 'voicemail');
    expect(await call('call-2')).toMatchObject({ status: 'voicemail', missed: 1 });
    expect(await followUps()).toEqual(['pending']);

    await sighting('call-3', 'completed');
    expect(await call('call-3')).toMatchObject({ status: 'completed', missed: 0, decision: 'ignored:answered' });
    expect(await followUps()).toEqual(['cancelled']);
  });
});

describe('catch-up scan sightings', () => {
  beforeEach(async () => { await ensureCatchUp(h.app.workflow, LOC); });

  it('when the scan finds a missed call whose status the live API reports under meta.call.status, then the caller is texted', async () => {
    h.clock.advance(10 * MINUTE - 1);
    scanShows('call-scan', { call: { status: 'no-answer', duration: 0 } });
    await h.advance(1);
    expect(texts).toHaveLength(1);
    expect(await call('call-scan')).toEqual({ status: 'no-answer', missed: 1, decision: 'texted' });
  });

  it('when the scan sees a call still ringing and its final webhook says no-answer, then the caller is texted once', async () => {
    h.clock.advance(10 * MINUTE - 1);
    scanShows('call-1', { call: { status: 'ringing', duration: 0 } }, 'ringing');
    await h.advance(1);
    expect(texts).toHaveLength(0);
    expect(await call('call-1')).toMatchObject({ status: 'ringing', missed: 0 });

    await sighting('call-1', 'no-answer');
    expect(texts).toHaveLength(1);
    expect(await call('call-1')).toEqual({ status: 'no-answer', missed: 1, decision: 'texted' });
  });

  it('when a webhook said in progress and the next scan sees the call final as voicemail, then the scan texts the caller once', async () => {
    await sighting('call-1', 'in-progress');
    h.clock.advance(10 * MINUTE - 1);
    scanShows('call-1', { call: { status: 'voicemail', duration: 0 } }, 'voicemail');
    await h.advance(1);
    expect(texts).toHaveLength(1);
    // A late final webhook for the same call changes nothing.
    await sighting('call-1', 'voicemail');
    expect(texts).toHaveLength(1);
    expect(await call('call-1')).toEqual({ status: 'voicemail', missed: 1, decision: 'texted' });
  });
});
