// The delivery log's contract, for every engine: a sent text found by its provider's id, and its status moved forward
// only, whatever order the provider's reports arrive in.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { DeliveryLog } from '../../src/store/delivery.js';
import type { StoreFixture } from '../helpers/store-engines.js';

export type DeliveryLogPort = AsyncStore<DeliveryLog>;

const T0 = 1_700_000_000_000;
const noError = { code: null, message: null };

export function describeDeliveryLogContract(engine: string, makeStore: () => Promise<StoreFixture<DeliveryLogPort>> | StoreFixture<DeliveryLogPort>): void {
  describe(`delivery log contract: ${engine}`, () => {
    let fixture: StoreFixture<DeliveryLogPort>;
    let delivery: DeliveryLogPort;
    let sends = 0;
    beforeEach(async () => { fixture = await makeStore(); delivery = fixture.store; });
    afterEach(async () => { await fixture.close(); });

    /** A ledger row as the sender leaves it; returns its id. */
    async function sent(columns: Record<string, unknown>): Promise<number> {
      sends += 1;
      const row = {
        location_id: 'loc-a', send_key: `textback:loc-a:${sends}`, kind: 'textback', phone: '+15550001111', body: 'hi',
        status: 'sent', provider: 'twilio', provider_message_id: `SM${sends}`, created_at: T0, sent_at: T0, updated_at: T0, ...columns,
      };
      await fixture.rows.insert('messages', row);
      const [stored] = await fixture.rows.all<{ id: number }>('SELECT id FROM messages WHERE send_key = ?', [row.send_key]);
      return stored.id;
    }
    const statusOf = async (id: number) =>
      (await fixture.rows.all<{ status: string; error_code: string | null; error_message: string | null }>(
        'SELECT status, error_code, error_message FROM messages WHERE id = ?', [id]))[0];

    it('when a provider reports on its message id, then the newest text of that provider with that id is found', async () => {
      await sent({ provider_message_id: 'SMX', send_key: 'old' });
      const newer = await sent({ provider_message_id: 'SMX', phone: '+15550002222', sent_at: T0 + 5 });
      await sent({ provider_message_id: 'SMY' });
      expect(await delivery.findByProviderMessageId('twilio', 'SMX')).toEqual({
        id: newer, locationId: 'loc-a', phone: '+15550002222', provider: 'twilio', status: 'sent', sentAt: T0 + 5,
      });
      expect(await delivery.findByProviderMessageId('highlevel', 'SMX')).toBeNull();
      expect(await delivery.findByProviderMessageId('twilio', 'SMZ')).toBeNull();
    });

    it('when reports arrive in order, then each moves the text on, and the error is kept', async () => {
      const id = await sent({ status: 'sending', sent_at: null });
      expect(await delivery.advance(id, 'queued', noError, T0 + 1)).toBe(true);
      expect(await delivery.advance(id, 'sent', noError, T0 + 2)).toBe(true);
      expect(await delivery.advance(id, 'undelivered', { code: '30006', message: 'landline' }, T0 + 3)).toBe(true);
      expect(await statusOf(id)).toEqual({ status: 'undelivered', error_code: '30006', error_message: 'landline' });
    });

    it('when a report is late or repeated, then nothing moves back and it says so', async () => {
      const id = await sent({ status: 'sent' });
      expect(await delivery.advance(id, 'queued', noError, T0 + 1)).toBe(false);
      expect(await delivery.advance(id, 'sent', noError, T0 + 1)).toBe(false);
      expect(await delivery.advance(id, 'delivered', noError, T0 + 2)).toBe(true);
      expect(await delivery.advance(id, 'failed', { code: '1', message: 'x' }, T0 + 3)).toBe(false);
      expect(await delivery.advance(id, 'sent', noError, T0 + 4)).toBe(false);
      expect(await statusOf(id)).toEqual({ status: 'delivered', error_code: null, error_message: null });
    });

    it('when a text whose outcome was unknown is reported, then a final status lands but a plain "sent" does not', async () => {
      const id = await sent({ status: 'unknown' });
      expect(await delivery.advance(id, 'sent', noError, T0 + 1)).toBe(false);
      expect(await delivery.advance(id, 'delivered', noError, T0 + 2)).toBe(true);
    });

    it('when a later report has no error, then the earlier error stays', async () => {
      const id = await sent({ status: 'queued', error_code: '30003', error_message: 'unreachable' });
      expect(await delivery.advance(id, 'failed', noError, T0 + 1)).toBe(true);
      expect(await statusOf(id)).toEqual({ status: 'failed', error_code: '30003', error_message: 'unreachable' });
    });

    it('when the text does not exist, then nothing is advanced', async () => {
      expect(await delivery.advance(424242, 'delivered', noError, T0)).toBe(false);
    });
  });
}
