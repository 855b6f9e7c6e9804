// A database outage at the HighLevel webhook intake, whatever the engine: an event that could not be stored is
// answered 429 with Retry-After (HighLevel redelivers only after a 429; any other answer loses the event), and the
// redelivery is stored once the database answers again.
import supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createWebhookIntake } from '../../src/http/webhook-intake.js';
import { createInbox } from '../../src/scheduler/inbox.js';
import type { InboxItem, InboxResult, InboxStore } from '../../src/scheduler/queue-port.js';
import { createWebhookVerifier, parsePublicKeys } from '../../src/highlevel/webhook-signature.js';
import { generateWebhookKeyPair, signWebhookBody } from '../../src/highlevel/webhook-signer.js';
import { createManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { openPostgres } from '../../src/store/postgres/pool.js';
import { createPostgresWebhookInbox } from '../../src/store/postgres/webhook-inbox.js';
import { createPostgresWebhookReceipts } from '../../src/store/postgres/webhook-receipts.js';
import { missedCall } from '../helpers/harness.js';

const T0 = Date.UTC(2026, 0, 6, 16, 0, 0);
const keys = generateWebhookKeyPair();
const verify = createWebhookVerifier(parsePublicKeys(keys.publicKeyPem));

function intakeOver(store: InboxStore) {
  const clock = createManualClock(T0);
  const handle = createWebhookIntake({ verify, inbox: createInbox({ store, clock }), clock, logger: silentLogger, appId: 'app123' });
  const http = supertest((req: Parameters<typeof handle>[0], res: Parameters<typeof handle>[1]) => handle(req, res));
  return (body: string) => {
    const { header, signature } = signWebhookBody(body, keys.privateKey);
    return http.post('/webhooks/highlevel').set('content-type', 'application/json').set(header, signature).send(body);
  };
}

const body = JSON.stringify({ ...missedCall({ locationId: 'loc-1', contactId: 'c-1', from: '+12125550147' }), timestamp: new Date(T0).toISOString(), webhookId: 'wh-outage-1' });

/** A store that remembers receipt keys in memory once `up` is true, and fails like `failure` while it is not. */
function flakyStore(failure: () => Promise<InboxResult[]>) {
  const seen = new Set<string>();
  const state = { up: false, calls: 0 };
  const store: InboxStore = {
    store(items: readonly InboxItem[]) {
      state.calls += 1;
      if (!state.up) return failure();
      return items.map((item) => (item.receiptKey !== null && seen.has(item.receiptKey) ? 'duplicate' : (seen.add(item.receiptKey ?? ''), 'stored')));
    },
  };
  return { store, state };
}

describe('webhook intake during a database outage', () => {
  it('when the inbox store throws, then 429 with Retry-After and an error body', async () => {
    const { store } = flakyStore(() => { throw new Error('SQLITE_IOERR: disk I/O error'); });
    const res = await intakeOver(store)(body);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toEqual({ error: 'storage-failed' });
  });

  it('when the inbox store rejects (an asynchronous engine), then 429 with Retry-After, and the redelivery is stored once the database is back', async () => {
    const { store, state } = flakyStore(() => Promise.reject(new Error('Connection terminated unexpectedly')));
    const post = intakeOver(store);
    const first = await post(body);
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBeDefined();
    state.up = true;
    const redelivered = await post(body);
    expect(redelivered.status).toBe(200);
    expect(redelivered.body).toEqual({ status: 'stored' });
    expect(redelivered.headers['retry-after']).toBeUndefined();
    expect(state.calls).toBe(2);
  });

  describe('on PostgreSQL that does not answer', () => {
    // Nothing listens on port 1: every connection is refused, as when the database server is down.
    const pg = openPostgres('postgres://textback@127.0.0.1:1/textback', { connectTimeoutMs: 2_000 });
    afterAll(async () => { await pg.close(); });

    it('when no connection can be made, then 429 with Retry-After', async () => {
      const store = createPostgresWebhookInbox(pg, { receipts: createPostgresWebhookReceipts(pg), priorityOf: () => 0 });
      const res = await intakeOver(store)(body);
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    });
  });
});
