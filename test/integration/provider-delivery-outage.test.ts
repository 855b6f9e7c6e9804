// A database outage at the conversation channel's Delivery URL: a message that could not be stored is answered 429
// with Retry-After (as the webhook intake does), and the redelivery is stored once the database answers again.
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createProviderDelivery, PROVIDER_DELIVERY_PATH } from '../../src/http/conversation-provider.js';
import { STORAGE_RETRY_AFTER_SECONDS } from '../../src/http/webhook-intake.js';
import { createInbox } from '../../src/scheduler/inbox.js';
import type { InboxItem, InboxResult, InboxStore } from '../../src/scheduler/queue-port.js';
import { createWebhookVerifier, parsePublicKeys } from '../../src/highlevel/webhook-signature.js';
import { generateWebhookKeyPair, signWebhookBody } from '../../src/highlevel/webhook-signer.js';
import { createManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { providerMessage } from '../helpers/conversation-channel.js';

const keys = generateWebhookKeyPair();
const verify = createWebhookVerifier(parsePublicKeys(keys.publicKeyPem));
const body = JSON.stringify(providerMessage({ messageId: 'hl-outage-1' }));

/** A store that fails like `failure` until `up`, then stores each receipt key once. */
function flakyStore(failure: () => InboxResult[] | Promise<InboxResult[]>) {
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

function deliveryOver(store: InboxStore) {
  const clock = createManualClock();
  const handle = createProviderDelivery({ verify, inbox: createInbox({ store, clock }), clock, logger: silentLogger });
  const http = supertest((req: Parameters<typeof handle>[0], res: Parameters<typeof handle>[1]) => handle(req, res));
  return (raw: string) => {
    const { header, signature } = signWebhookBody(raw, keys.privateKey);
    return http.post(PROVIDER_DELIVERY_PATH).set('content-type', 'application/json').set(header, signature).send(raw);
  };
}

describe('conversation provider delivery during a database outage', () => {
  it('when the inbox store throws, then 429 with Retry-After: 60 and an error body', async () => {
    const { store } = flakyStore(() => { throw new Error('SQLITE_IOERR: disk I/O error'); });
    const res = await deliveryOver(store)(body);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe(String(STORAGE_RETRY_AFTER_SECONDS));
    expect(STORAGE_RETRY_AFTER_SECONDS).toBe(60);
    expect(res.body).toEqual({ error: 'storage-failed' });
  });

  it('when the inbox store rejects, then 429 with Retry-After, and the redelivery is stored (no Retry-After) once the database is back', async () => {
    const { store, state } = flakyStore(() => Promise.reject(new Error('Connection terminated unexpectedly')));
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
  });

  it('when a delivery is refused for another reason (unsigned), then no Retry-After is sent', async () => {
    const { store } = flakyStore(() => { throw new Error('not reached'); });
    const clock = createManualClock();
    const handle = createProviderDelivery({ verify, inbox: createInbox({ store, clock }), clock, logger: silentLogger });
    const res = await supertest((req: Parameters<typeof handle>[0], res: Parameters<typeof handle>[1]) => handle(req, res))
      .post(PROVIDER_DELIVERY_PATH).set('content-type', 'application/json').send(body);
    expect(res.status).toBe(401);
    expect(res.headers['retry-after']).toBeUndefined();
  });
});
