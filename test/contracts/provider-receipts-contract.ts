// The provider receipts' contract, for every engine: a ProviderOutboundMessage id is new once, for good.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { ProviderReceipts } from '../../src/store/provider-receipts.js';
import type { StoreFixture } from '../helpers/store-engines.js';

export type ProviderReceiptsPort = AsyncStore<ProviderReceipts>;

export function describeProviderReceiptsContract(engine: string, makeStore: () => Promise<StoreFixture<ProviderReceiptsPort>> | StoreFixture<ProviderReceiptsPort>): void {
  describe(`provider receipts contract: ${engine}`, () => {
    let fixture: StoreFixture<ProviderReceiptsPort>;
    beforeEach(async () => { fixture = await makeStore(); });
    afterEach(async () => { await fixture.close(); });

    it('when a message id is remembered, then it is new the first time only, however much later it comes again', async () => {
      const receipts = fixture.store;
      expect(await receipts.remember('msg-1', 1000)).toBe(true);
      expect(await receipts.remember('msg-1', 1000 + 365 * 86_400_000)).toBe(false);
      expect(await receipts.remember('msg-2', 1000)).toBe(true);
      expect(await fixture.rows.all('SELECT message_id, received_at FROM provider_outbound_receipts ORDER BY message_id'))
        .toEqual([{ message_id: 'msg-1', received_at: 1000 }, { message_id: 'msg-2', received_at: 1000 }]);
    });
  });
}
