// At most once: a crash between reserving a send and recording its result leaves it "unknown", never resent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { composeApp, openConfiguredStorage, type ComposedApp } from '../../src/compose.js';
import { INTERRUPTED_AFTER_MS } from '../../src/store/postgres/ledger.js';
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
    expect(await h.sql.value('SELECT status FROM messages')).toBe('sending');

    if (h.engine === 'postgres') {
      // Another instance starting while the send is still leased leaves it to its owner (it may be alive): neither
      // marked nor taken over. Its worker's start-up recovery runs in the background: here the same one, awaited.
      await startInstance(async (live) => { await live.storage.queue.recoverAfterRestart(h.clock.now()); await live.worker.runDue(); });
      expect(sends).toBe(1);
      expect(await h.sql.value('SELECT status FROM messages')).toBe('sending');
      expect(await h.sql.value('SELECT decision FROM calls')).toBe('pending');
      // The dead process never renews its lease: once it and the reservation are old enough, it is recovered. (Meanwhile
      // the periodic catch-up scan fell due: it finds no calls.)
      h.clock.advance(INTERRUPTED_AFTER_MS + 1);
      h.highLevel().persist().get('/conversations/search').query(true).reply(200, { conversations: [], total: 0 });
    }

    // A new process over the same database, as after kill -9 and a restart. On SQLite it has recovered the job and run
    // it again by the time runDue answers; on PostgreSQL its worker recovers the expired lease in the background.
    await startInstance(() => waitFor(async () => (await h.sql.value('SELECT decision FROM calls')) !== 'pending'));

    expect(sends).toBe(1);
    expect(await h.sql.column('SELECT status FROM messages')).toEqual(['unknown']);
    expect(await h.sql.value('SELECT decision FROM calls')).toBe('unknown:already-unknown');
    answerLate([504, { statusCode: 504, message: 'Gateway Timeout' }]); // lets the "dead" process's request end
  });

  it('when HighLevel times out on the send, then the text is unknown and not retried', async () => {
    h.highLevel().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER } });
    h.highLevel().post('/conversations/messages').replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    await h.advance(10 * 60_000);
    expect(await h.sql.column('SELECT status FROM messages')).toEqual(['unknown']);
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
    expect(await h.sql.column('SELECT status FROM messages')).toEqual(['sent']);
  });
});

/**
 * Starts another instance of the app on the harness's database (the SQLite file, or the PostgreSQL database
 * DATABASE_URL names, opened as main.ts opens it), lets it run what is due, waits for `settled`, and stops it.
 */
async function startInstance(settled: (app: ComposedApp) => Promise<unknown>): Promise<void> {
  const storage = await openConfiguredStorage(h.config, { clock: h.clock });
  const app = composeApp({ config: h.config, clock: h.clock, logger: silentLogger, sleep: async () => {}, webhookKeysPem: generateWebhookKeyPair().publicKeyPem, ...storage });
  try {
    await app.start();
    await app.worker.runDue();
    await settled(app);
  } finally {
    await app.stop();
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  // Waits for loopback I/O (the request reaching nock, another instance's queries), not for the app's clock: bounded at ~5 s.
  for (let i = 0; i < 1000 && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!(await condition())) throw new Error('condition not reached');
}
