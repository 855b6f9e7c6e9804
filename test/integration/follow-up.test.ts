// The one follow-up: sent once after the delay, never after a reply, STOP, an answered call-back, disable or uninstall.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';
import { HOUR, MINUTE } from '../../src/lib/clock.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
let h: Harness;
let texts: string[];

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC);
  texts = [];
  h.highLevel().persist().get('/contacts/contact-1')
    .reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } });
  h.highLevel().persist().post('/conversations/messages', (body) => { texts.push(body.message); return true; })
    .reply(201, () => ({ conversationId: 'conv-1', messageId: `msg-${texts.length}` }));
  h.highLevel().persist().put('/contacts/contact-1').reply(200, { contact: { id: 'contact-1' } });
  h.highLevel().persist().post('/contacts/contact-1/tags').reply(201, { tags: ['missed-call-replied'] });
  h.acceptDeliveryChecks();
});
afterEach(async () => { await h.close(); });

async function missACall(id = 'call-1') {
  expect((await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER, messageId: id }))).status).toBe(200);
  await h.runJobs();
}

async function reply(body: string) {
  expect((await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body }))).status).toBe(200);
  await h.runJobs();
}

const followUpState = async () => await h.sql.value('SELECT followup FROM calls ORDER BY id DESC LIMIT 1');

describe('follow-up', () => {
  it('when the caller does not reply, then exactly one follow-up goes out after two hours', async () => {
    await missACall();
    expect(texts).toHaveLength(1);
    await h.advance(119 * MINUTE);
    expect(texts).toHaveLength(1);
    await h.advance(2 * MINUTE);
    expect(texts).toHaveLength(2);
    expect(await followUpState()).toBe('sent');
    await h.advance(48 * HOUR);
    expect(texts).toHaveLength(2);
  });

  it('when the caller replies, then the follow-up is cancelled and the contact tagged', async () => {
    await missACall();
    await reply('Yes please call me back about the leak');
    await h.advance(3 * HOUR);
    expect(texts).toHaveLength(1);
    const pending = await h.sql.value(`SELECT COUNT(*) FROM jobs WHERE kind = 'followup' AND status = 'pending'`);
    expect(pending).toBe(0);
  });

  it('when the caller calls back and is answered, then no follow-up is sent', async () => {
    await missACall();
    await h.advance(30 * MINUTE);
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER, status: 'completed', messageId: 'call-answered' }));
    await h.runJobs();
    await h.advance(3 * HOUR);
    expect(texts).toHaveLength(1);
  });

  it('when the location is disabled before the follow-up falls due, then it is not sent', async () => {
    await missACall();
    const settings = JSON.parse(await h.sql.value('SELECT settings FROM locations WHERE location_id = ?', LOC) as string);
    await h.sql.run('UPDATE locations SET settings = ? WHERE location_id = ?', JSON.stringify({ ...settings, enabled: false }), LOC);
    await h.advance(3 * HOUR);
    expect(texts).toHaveLength(1);
    expect(await followUpState()).toBe('cancelled:disabled');
  });

  it('when the location uninstalls, then its pending follow-up is cancelled and its token deleted at once', async () => {
    await missACall();
    expect((await h.webhook({ type: 'UNINSTALL', appId: 'app123', locationId: LOC })).status).toBe(200);
    await h.runJobs();
    expect(await h.sql.value('SELECT COUNT(*) FROM tokens WHERE owner_id = ?', LOC)).toBe(0);
    await h.advance(3 * HOUR);
    expect(texts).toHaveLength(1);
  });

  it('when the follow-up falls due at night, then it waits for the recipient window to open', async () => {
    // 18:30 New York: the text-back goes out, the follow-up would be 20:30 — outside 9:00–20:00.
    h.clock.set(Date.UTC(2026, 0, 6, 23, 30));
    await missACall();
    expect(texts).toHaveLength(1);
    await h.advance(2 * HOUR + MINUTE);
    expect(texts).toHaveLength(1);
    expect(await followUpState()).toMatch(/^deferred:2026-01-07T14:00/);
    h.clock.set(Date.UTC(2026, 0, 7, 14, 0, 30));
    await h.runJobs();
    expect(texts).toHaveLength(2);
  });

  it('when the app restarts while a follow-up is pending, then the new process sends it on time', async () => {
    await missACall();
    await h.app.worker.stop();
    // A fresh process over the same database (file, or DATABASE_URL): nothing in memory survives.
    const { composeApp, openConfiguredStorage } = await import('../../src/compose.js');
    const { generateWebhookKeyPair } = await import('../../src/highlevel/webhook-signer.js');
    const { silentLogger } = await import('../../src/lib/logger.js');
    const second = composeApp({ config: h.config, clock: h.clock, logger: silentLogger, sleep: async () => {}, webhookKeysPem: generateWebhookKeyPair().publicKeyPem, ...await openConfiguredStorage(h.config, { clock: h.clock }) });
    h.clock.advance(2 * HOUR + MINUTE);
    await second.worker.runDue();
    expect(texts).toHaveLength(2);
    await second.stop();
  });
});
