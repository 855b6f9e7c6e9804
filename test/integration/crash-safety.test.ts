// At most once: a crash between reserving a send and recording its result leaves it "unknown", never resent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { composeApp } from '../../src/compose.js';
import { silentLogger } from '../../src/lib/logger.js';
import { generateWebhookKeyPair } from '../../src/highlevel/webhook-signer.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
let h: Harness;

beforeEach(async () => { h = await createHarness(); await h.seedLocation(LOC); h.acceptDeliveryChecks(); });
afterEach(async () => { await h.close(); });

describe('crash between reserve and send', () => {
  it('when the process dies while the send is in flight, then after restart the text is marked unknown and never resent', async () => {
    let sends = 0;
    h.highLevel().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER } });
    // The provider never answers: this process is "killed" while the request is in flight.
    let answerLate: (reply: [number, object]) => void = () => {};
    h.highLevel().post('/conversations/messages').reply(() => { sends++; return new Promise((resolve) => { answerLate = resolve; }) as never; });
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    void h.runJobs();
    await waitFor(() => sends === 1);
    expect(h.app.db.prepare('SELECT status FROM messages').pluck().get()).toBe('sending');

    // A new process over the same file, as after kill -9 and a restart.
    const restarted = composeApp({ config: h.config, clock: h.clock, logger: silentLogger, sleep: async () => {}, webhookKeysPem: generateWebhookKeyPair().publicKeyPem });
    restarted.start();
    await restarted.worker.runDue();
    await restarted.worker.stop();
    restarted.db.close();

    expect(sends).toBe(1);
    expect(h.app.db.prepare('SELECT status FROM messages').pluck().all()).toEqual(['unknown']);
    expect(h.app.db.prepare('SELECT decision FROM calls').pluck().get()).toBe('unknown:already-unknown');
    answerLate([504, { statusCode: 504, message: 'Gateway Timeout' }]); // lets the "dead" process's request end
  });

  it('when HighLevel times out on the send, then the text is unknown and not retried', async () => {
    h.highLevel().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER } });
    h.highLevel().post('/conversations/messages').replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    await h.advance(10 * 60_000);
    expect(h.app.db.prepare('SELECT status FROM messages').pluck().all()).toEqual(['unknown']);
  });

  it('when HighLevel answers 429 on the send, then it is retried later and sent once', async () => {
    h.highLevel().persist().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER } });
    let attempts = 0;
    h.highLevel().post('/conversations/messages').times(6).reply(429, { statusCode: 429, message: 'Too many requests' }, { 'X-RateLimit-Interval-Milliseconds': '10000' });
    h.highLevel().post('/conversations/messages').reply(201, () => { attempts++; return { conversationId: 'c', messageId: 'm-ok' }; });
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    for (let i = 0; i < 5 && attempts === 0; i++) await h.advance(60_000);
    expect(attempts).toBe(1);
    expect(h.app.db.prepare('SELECT status FROM messages').pluck().all()).toEqual(['sent']);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  // Waits for loopback I/O (the request reaching nock), not for the app's clock: bounded at ~5 s.
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition not reached');
}
