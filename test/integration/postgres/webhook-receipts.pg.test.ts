// The webhook receipts contract (test/contracts/webhook-receipts-contract.ts) on PostgreSQL, plus what only this engine
// does: remembering many keys in one statement, and pruning in bounded batches.
import { describe, expect, it } from 'vitest';
import { DAY } from '../../../src/lib/clock.js';
import { createPostgresWebhookReceipts } from '../../../src/store/postgres/webhook-receipts.js';
import { WEBHOOK_RECEIPT_KEEP_DAYS } from '../../../src/store/webhook-receipts.js';
import { describeWebhookReceiptsContract } from '../../contracts/webhook-receipts-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL webhook receipts', () => {
  const engine = usePostgresEngine();
  describeWebhookReceiptsContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresWebhookReceipts(pg), rows, close() {} };
  });

  it('when many keys are remembered at once, then each is new only the first time, within the batch too', async () => {
    const { pg } = await engine.fresh();
    const receipts = createPostgresWebhookReceipts(pg);
    expect(await receipts.remember('seen', 1)).toBe(true);
    expect(await receipts.rememberAll(['a', 'seen', 'b', 'a', 'c'], 2)).toEqual([true, false, true, false, true]);
    expect(await receipts.rememberAll([], 2)).toEqual([]);
  });

  it('when more old keys than one batch are pruned, then all of them go and are counted', async () => {
    const { pg, rows } = await engine.fresh();
    const receipts = createPostgresWebhookReceipts(pg);
    const T0 = 1_700_000_000_000;
    await receipts.rememberAll(Array.from({ length: 12_345 }, (_, i) => `old-${i}`), T0);
    await receipts.rememberAll(['young'], T0 + DAY);
    expect(await receipts.prune(T0 + 1 + WEBHOOK_RECEIPT_KEEP_DAYS * DAY)).toBe(12_345);
    expect(await rows.all('SELECT dedupe_key FROM webhook_receipts')).toEqual([{ dedupe_key: 'young' }]);
  });
});
