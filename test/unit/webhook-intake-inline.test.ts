// Where the intake has a signature checked: a delivery alone on the event loop, with others waiting on the thread pool.
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createWebhookIntake, INLINE_AFTER_QUIET_MS } from '../../src/http/webhook-intake.js';
import type { Inbox } from '../../src/scheduler/inbox.js';
import type { VerifyOptions, WebhookVerifier } from '../../src/highlevel/webhook-signature.js';
import { createManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { missedCall } from '../helpers/harness.js';

const T0 = Date.UTC(2026, 0, 6, 16, 0, 0);

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => { release = resolve; });
  return { promise, release };
}

function intake(options: { holdFirst?: Promise<void>; failStore?: boolean } = {}) {
  const seen: (boolean | undefined)[] = [];
  const verify: WebhookVerifier = async (_raw, _headers, verifyOptions?: VerifyOptions) => {
    seen.push(verifyOptions?.inline);
    if (seen.length === 1 && options.holdFirst) await options.holdFirst;
    return { ok: true, scheme: 'ed25519' };
  };
  const inbox = { add: async () => { if (options.failStore) throw new Error('database down'); return 'stored'; } } as unknown as Inbox;
  const clock = createManualClock(T0);
  const handle = createWebhookIntake({ verify, inbox, clock, logger: silentLogger, appId: 'app123' });
  const http = supertest((req: Parameters<typeof handle>[0], res: Parameters<typeof handle>[1]) => handle(req, res));
  let n = 0;
  const post = (afterMs = INLINE_AFTER_QUIET_MS) => {
    clock.advance(afterMs);
    n += 1;
    const body = JSON.stringify({ ...missedCall({ locationId: 'loc-1', contactId: `c-${n}`, from: '+12125550147' }), timestamp: new Date(T0).toISOString(), webhookId: `wh-${n}` });
    return http.post('/webhooks/highlevel').set('content-type', 'application/json').set('x-ghl-signature', 'sig').send(body).then((res) => res.status);
  };
  return { post, seen, clock };
}

describe('webhook intake: where signatures are checked', () => {
  it('when a delivery arrives alone, then its signature is checked inline, and so is the next one after it was answered', async () => {
    const { post, seen } = intake();
    expect(await post()).toBe(200);
    expect(await post()).toBe(200);
    expect(seen).toEqual([true, true]);
  });

  it('when a delivery arrives while another is still unanswered, then its signature goes to the thread pool', async () => {
    const hold = deferred();
    const { post, seen } = intake({ holdFirst: hold.promise });
    const first = post();
    await expect.poll(() => seen.length).toBe(1);
    const second = post();
    await expect.poll(() => seen.length).toBe(2);
    hold.release();
    expect(await Promise.all([first, second])).toEqual([200, 200]);
    expect(seen).toEqual([true, false]);
    // Both answered: the count is back to none.
    expect(await post()).toBe(200);
    expect(seen[2]).toBe(true);
  });

  it('when a delivery follows the last one within the quiet time, then its signature goes to the thread pool', async () => {
    const { post, seen } = intake();
    expect(await post()).toBe(200);
    expect(await post(INLINE_AFTER_QUIET_MS - 1)).toBe(200);
    expect(await post(INLINE_AFTER_QUIET_MS)).toBe(200);
    expect(seen).toEqual([true, false, true]);
  });

  it('when storing fails (429), then the delivery no longer counts as waiting', async () => {
    const { post, seen } = intake({ failStore: true });
    expect(await post()).toBe(429);
    expect(await post()).toBe(429);
    expect(seen).toEqual([true, true]);
  });
});
