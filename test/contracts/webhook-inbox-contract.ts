// The inbox store's contract, for every engine (the InboxStore of src/scheduler/queue-port.ts): a batch of incoming
// events, each a receipt and a job, committed together; a redelivery is a duplicate however its job has since gone.
import { afterEach, describe, expect, it } from 'vitest';
import type { InboxItem, InboxStore, NewJob } from '../../src/scheduler/queue-port.js';
import type { StoreFixture } from '../helpers/store-engines.js';

/** Which receipts the inbox commits with: HighLevel's webhook ids, or ProviderOutboundMessage ids. */
export type ReceiptKind = 'webhook' | 'provider';

const T0 = 1_700_000_000_000;

export function describeWebhookInboxContract(engine: string, makeStore: (receipts: ReceiptKind) => Promise<StoreFixture<InboxStore>> | StoreFixture<InboxStore>): void {
  describe(`webhook inbox contract: ${engine}`, () => {
    let fixture: StoreFixture<InboxStore> | undefined;
    afterEach(async () => { await fixture?.close(); fixture = undefined; });
    const open = async (receipts: ReceiptKind = 'webhook') => {
      fixture = await makeStore(receipts);
      return fixture;
    };

    const job = (label: string, extra: Partial<NewJob> = {}): NewJob => ({
      kind: 'highlevel-event', payload: { label }, runAt: T0, locationId: 'loc-a', subject: 'caller-1', dedupeKey: `event:${label}`, ...extra,
    });
    const item = (label: string, receiptKey: string | null = `wh-${label}`, extra: Partial<NewJob> = {}): InboxItem => ({ job: job(label, extra), receiptKey });
    const storedLabels = async (f: StoreFixture<InboxStore>) =>
      (await f.rows.all<{ payload: string }>('SELECT payload FROM jobs ORDER BY id')).map((row) => (JSON.parse(row.payload) as { label: string }).label);

    it('when a batch of new events is stored, then each is stored as one job, in the order given', async () => {
      const f = await open();
      expect(await f.store.store([item('a'), item('b'), item('c')], T0)).toEqual(['stored', 'stored', 'stored']);
      expect(await storedLabels(f)).toEqual(['a', 'b', 'c']);
      expect(await f.rows.all('SELECT dedupe_key FROM webhook_receipts ORDER BY dedupe_key')).toEqual([
        { dedupe_key: 'wh-a' }, { dedupe_key: 'wh-b' }, { dedupe_key: 'wh-c' },
      ]);
    });

    it('when an event is redelivered after its job was pruned, then it is a duplicate and no job comes back', async () => {
      const f = await open();
      await f.store.store([item('a')], T0);
      await f.rows.run('DELETE FROM jobs');
      expect(await f.store.store([item('a')], T0 + 60_000)).toEqual(['duplicate']);
      expect(await storedLabels(f)).toEqual([]);
    });

    it('when one batch holds the same event twice, then the first is stored and the second is a duplicate', async () => {
      const f = await open();
      expect(await f.store.store([item('a'), item('b'), item('a', 'wh-a', { dedupeKey: 'other' })], T0)).toEqual(['stored', 'stored', 'duplicate']);
      expect(await storedLabels(f)).toEqual(['a', 'b']);
    });

    it('when an event has no receipt key, then its job\'s dedupe key alone decides', async () => {
      const f = await open();
      expect(await f.store.store([item('a', null), item('a', null), item('x', null, { dedupeKey: null }), item('y', null, { dedupeKey: null })], T0))
        .toEqual(['stored', 'duplicate', 'stored', 'stored']);
      expect(await storedLabels(f)).toEqual(['a', 'x', 'y']);
    });

    it('when a new event\'s job already exists, then it is a duplicate, and its receipt is remembered all the same', async () => {
      const f = await open();
      await f.store.store([item('a', null)], T0);
      expect(await f.store.store([item('a', 'wh-late')], T0 + 1)).toEqual(['duplicate']);
      await f.rows.run('DELETE FROM jobs');
      expect(await f.store.store([item('a', 'wh-late')], T0 + 2)).toEqual(['duplicate']);
    });

    it('when part of a batch cannot be stored, then nothing of it is, and the senders\' next tries are stored', async () => {
      const f = await open();
      const broken = item('b', 'wh-b', { kind: null as unknown as string });
      await expect(Promise.resolve().then(() => f.store.store([item('a'), broken], T0))).rejects.toThrow();
      expect(await storedLabels(f)).toEqual([]);
      expect(await f.rows.all('SELECT dedupe_key FROM webhook_receipts')).toEqual([]);
      expect(await f.store.store([item('a'), item('b')], T0 + 1)).toEqual(['stored', 'stored']);
    });

    it('when the inbox commits with the provider receipts, then message ids are kept there, apart from webhook ids', async () => {
      const f = await open('provider');
      expect(await f.store.store([item('m1', 'msg-1'), item('m1-again', 'msg-1')], T0)).toEqual(['stored', 'duplicate']);
      expect(await f.rows.all('SELECT message_id FROM provider_outbound_receipts')).toEqual([{ message_id: 'msg-1' }]);
      expect(await f.rows.all('SELECT dedupe_key FROM webhook_receipts')).toEqual([]);
    });

    it('when the batch is empty, then nothing is stored', async () => {
      const f = await open();
      expect(await f.store.store([], T0)).toEqual([]);
    });
  });
}
