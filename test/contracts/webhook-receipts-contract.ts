// The webhook receipts' contract, for every engine: an event id is new once within the keep period, and pruning
// forgets only ids older than that.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import { WEBHOOK_RECEIPT_KEEP_DAYS, type WebhookReceipts } from '../../src/store/webhook-receipts.js';
import { DAY } from '../../src/lib/clock.js';
import type { StoreFixture } from '../helpers/store-engines.js';

export type WebhookReceiptsPort = AsyncStore<WebhookReceipts>;

const T0 = 1_700_000_000_000;
const KEEP = WEBHOOK_RECEIPT_KEEP_DAYS * DAY;

export function describeWebhookReceiptsContract(engine: string, makeStore: () => Promise<StoreFixture<WebhookReceiptsPort>> | StoreFixture<WebhookReceiptsPort>): void {
  describe(`webhook receipts contract: ${engine}`, () => {
    let fixture: StoreFixture<WebhookReceiptsPort>;
    let receipts: WebhookReceiptsPort;
    beforeEach(async () => { fixture = await makeStore(); receipts = fixture.store; });
    afterEach(async () => { await fixture.close(); });

    it('when a key is remembered, then it is new the first time only', async () => {
      expect(await receipts.remember('wh-1', T0)).toBe(true);
      expect(await receipts.remember('wh-1', T0 + 1)).toBe(false);
      expect(await receipts.remember('wh-2', T0 + 1)).toBe(true);
    });

    it('when pruned, then keys older than the keep period are forgotten and counted; a dry run only counts them', async () => {
      await receipts.remember('old-1', T0);
      await receipts.remember('old-2', T0 + 1);
      await receipts.remember('kept', T0 + 2);
      const now = T0 + 2 + KEEP;
      expect(await receipts.prune(now, true)).toBe(2);
      expect(await receipts.remember('old-1', T0)).toBe(false);
      expect(await receipts.prune(now)).toBe(2);
      expect(await receipts.prune(now)).toBe(0);
      expect(await receipts.remember('old-1', now)).toBe(true);
      expect(await receipts.remember('kept', now)).toBe(false);
    });
  });
}
