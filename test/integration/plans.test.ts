// Plans through the real app: INSTALL keeps plan and trial, PLAN_CHANGE (signed webhook) switches the follow-up off and on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { HOUR, MINUTE } from '../../src/lib/clock.js';
import { parsePlansTable } from '../../src/workflow/plans.js';

const LOC = 'loc-acme';
let h: Harness;
let texts: { to: string; message: string }[];

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC);
  // The manifest ships without plans; these tests give the running app a table of their own.
  h.app.workflow.plans = parsePlansTable({
    'plan-starter': { name: 'Starter', features: { followUp: false, twilio: false } },
    'plan-pro': { name: 'Pro', features: {} },
  });
  texts = [];
  h.acceptDeliveryChecks();
  for (const n of [1, 2, 3]) {
    h.highLevel().persist().get(`/contacts/contact-${n}`)
      .reply(200, { contact: { id: `contact-${n}`, locationId: LOC, phone: caller(n), firstName: 'Dana' } });
  }
  h.highLevel().persist().post('/conversations/messages', (body) => { texts.push({ to: body.toNumber, message: body.message }); return true; })
    .reply(201, () => ({ conversationId: 'conv-1', messageId: `msg-${texts.length}` }));
});
afterEach(async () => { await h.close(); });

function caller(n: number) { return `+1212555014${n}`; }

async function changePlan(newPlanId: string, currentPlanId = 'whatever') {
  const res = await h.webhook({ type: 'PLAN_CHANGE', appId: 'app123', locationId: LOC, companyId: 'company-1', currentPlanId, newPlanId });
  expect(res.status).toBe(200);
  await h.runJobs();
}

async function missACall(n: number) {
  expect((await h.webhook(missedCall({ locationId: LOC, contactId: `contact-${n}`, from: caller(n), messageId: `call-${n}` }))).status).toBe(200);
  await h.runJobs();
}

const followUpOf = async (n: number) => await h.sql.value('SELECT followup FROM calls WHERE call_key = ?', `call-${n}`);
const pendingFollowUps = async () => await h.sql.value(`SELECT COUNT(*) FROM jobs WHERE kind = 'followup' AND status = 'pending'`);

describe('plans', () => {
  it('when the plan changes to one without the follow-up and back, then the follow-up is not scheduled, then is again', async () => {
    await changePlan('plan-starter');
    expect(await h.sql.value('SELECT plan_id FROM locations WHERE location_id = ?', LOC)).toBe('plan-starter');

    await missACall(1);
    expect(texts.map((t) => t.to)).toEqual([caller(1)]);
    expect(await followUpOf(1)).toBe('skipped:not-in-plan');
    expect(await pendingFollowUps()).toBe(0);
    await h.advance(3 * HOUR);
    expect(texts).toHaveLength(1);

    await changePlan('plan-pro', 'plan-starter');
    await missACall(2);
    expect(await followUpOf(2)).toBe('pending');
    expect(await pendingFollowUps()).toBe(1);
    await h.advance(2 * HOUR + MINUTE);
    expect(texts.map((t) => t.to)).toEqual([caller(1), caller(2), caller(2)]);
    expect(await followUpOf(2)).toBe('sent');
  });

  it('when a follow-up was scheduled and the plan then loses it, then the due follow-up is skipped with that reason', async () => {
    await missACall(3);
    expect(await followUpOf(3)).toBe('pending');
    await changePlan('plan-starter');
    await h.advance(2 * HOUR + MINUTE);
    expect(texts).toHaveLength(1);
    expect(await followUpOf(3)).toBe('skipped:not-in-plan');
  });

  it('when the plan id is one the manifest does not list, then every feature stays (the follow-up goes out)', async () => {
    await changePlan('66a0419a0dffa47fb5f8b22f');
    await missACall(1);
    expect(await followUpOf(1)).toBe('pending');
    await h.advance(2 * HOUR + MINUTE);
    expect(texts).toHaveLength(2);
  });

  it('when the location sends through Twilio but its plan lacks Twilio, then its texts go through HighLevel', async () => {
    await h.seedLocation('loc-twilio', { settings: { provider: 'twilio' } });
    h.highLevel().get('/contacts/contact-9')
      .reply(200, { contact: { id: 'contact-9', locationId: 'loc-twilio', phone: caller(9), firstName: 'Dana' } });
    expect((await h.webhook({ type: 'PLAN_CHANGE', appId: 'app123', locationId: 'loc-twilio', newPlanId: 'plan-starter' })).status).toBe(200);
    await h.webhook(missedCall({ locationId: 'loc-twilio', contactId: 'contact-9', from: caller(9), messageId: 'call-9' }));
    await h.runJobs();
    expect(texts.map((t) => t.to)).toEqual([caller(9)]);
    expect(await h.sql.value(`SELECT provider FROM messages WHERE kind = 'textback'`)).toBe('highlevel');
  });

  it('when INSTALL carries a plan and a trial, then both are kept for the location', async () => {
    h.highLevel().get('/locations/loc-new').optionally().reply(200, { location: { id: 'loc-new', name: 'New Co', timezone: 'America/New_York' } });
    const trial = { onTrial: true, trialDuration: 10, trialStartDate: '2024-07-23T23:54:51.264Z' };
    const res = await h.webhook({ type: 'INSTALL', appId: 'app123', locationId: 'loc-new', companyId: 'company-1', planId: 'plan-starter', trial });
    expect(res.status).toBe(200);
    await h.runJobs();
    const stored = await h.app.storage.locations.get('loc-new');
    expect(stored).toMatchObject({ status: 'installed', planId: 'plan-starter', trial });
  });
});
