// A database outage at the conversation channel's Delivery URL: a message that could not be stored is answered 429
// with Retry-After (as the webhook intake does), and the redelivery is stored once the database answers again. The
// app's own inbox store on the harness's database, SQLite or PostgreSQL (TEST_ENGINE=postgres).
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviderDelivery, PROVIDER_DELIVERY_PATH } from '../../src/http/conversation-provider.js';
import { STORAGE_RETRY_AFTER_SECONDS } from '../../src/http/webhook-intake.js';
import { createInbox } from '../../src/scheduler/inbox.js';
import type { InboxItem, InboxStore } from '../../src/scheduler/queue-port.js';
import { createWebhookVerifier, parsePublicKeys } from '../../src/highlevel/webhook-signature.js';
import { generateWebhookKeyPair, signWebhookBody } from '../../src/highlevel/webhook-signer.js';
import { silentLogger } from '../../src/lib/logger.js';
import { deliver, providerMessage } from '../helpers/conversation-channel.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const keys = generateWebhookKeyPair();
const verify = createWebhookVerifier(parsePublicKeys(keys.publicKeyPem));
const body = JSON.stringify(providerMessage({ messageId: 'hl-outage-1' }));

let h: Harness;
beforeEach(async () => { h = await createHarness(); });
afterEach(async () => { await h.close(); });

/** What the database kept of deliveries: their jobs and their receipts. */
async function kept() {
  return {
    jobs: await h.sql.column('SELECT payload FROM jobs WHERE kind = ?', 'provider-outbound'),
    receipts: await h.sql.column('SELECT message_id FROM provider_outbound_receipts'),
  };
}

/** The app's inbox store, failing like `failure` until `up`. */
function flakyStore(store: InboxStore, failure: () => never | Promise<never>) {
  const state = { up: false, calls: 0 };
  const flaky: InboxStore = {
    store(items: readonly InboxItem[], now: number) {
      state.calls += 1;
      if (!state.up) return failure();
      return store.store(items, now);
    },
  };
  return { store: flaky, state };
}

function deliveryOver(store: InboxStore) {
  const handle = createProviderDelivery({ verify, inbox: createInbox({ store, clock: h.clock }), clock: h.clock, logger: silentLogger });
  const http = supertest((req: Parameters<typeof handle>[0], res: Parameters<typeof handle>[1]) => handle(req, res));
  return (raw: string) => {
    const { header, signature } = signWebhookBody(raw, keys.privateKey);
    return http.post(PROVIDER_DELIVERY_PATH).set('content-type', 'application/json').set(header, signature).send(raw);
  };
}

describe('conversation provider delivery during a database outage', () => {
  it('when the database refuses the write, then 429 with Retry-After: 60 and an error body, nothing of it is kept, and the redelivery is stored', async () => {
    // On SQLite the store throws at once; on PostgreSQL it rejects. The receipt written before the job rolls back with it.
    const undo = await h.refuseInserts('jobs');
    const res = await deliver(h, body);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe(String(STORAGE_RETRY_AFTER_SECONDS));
    expect(STORAGE_RETRY_AFTER_SECONDS).toBe(60);
    expect(res.body).toEqual({ error: 'storage-failed' });
    expect(await kept()).toEqual({ jobs: [], receipts: [] });

    await undo();
    const redelivered = await deliver(h, body);
    expect(redelivered.status).toBe(200);
    expect(redelivered.body).toEqual({ status: 'stored' });
    expect((await kept()).receipts).toEqual(['hl-outage-1']);
    expect((await kept()).jobs).toHaveLength(1);
  });

  it('when the inbox store rejects, then 429 with Retry-After, and the redelivery is stored (no Retry-After) once the database is back', async () => {
    const { store, state } = flakyStore(h.app.storage.providerInbox, () => Promise.reject(new Error('Connection terminated unexpectedly')));
    const post = deliveryOver(store);
    const first = await post(body);
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('60');
    state.up = true;
    const redelivered = await post(body);
    expect(redelivered.status).toBe(200);
    expect(redelivered.body).toEqual({ status: 'stored' });
    expect(redelivered.headers['retry-after']).toBeUndefined();
    expect(state.calls).toBe(2);
    // A third delivery of the same message is the database's duplicate: one job for it.
    expect((await post(body)).body).toEqual({ status: 'duplicate' });
    expect((await kept()).jobs).toHaveLength(1);
  });

  it('when a delivery is refused for another reason (unsigned), then no Retry-After is sent', async () => {
    const res = await deliver(h, body, { sign: false });
    expect(res.status).toBe(401);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(await kept()).toEqual({ jobs: [], receipts: [] });
  });
});
