// The location flags' contract, for every engine: sightings counted with first and last time, and the look-ups that
// notice HighLevel's own text-back (a recent missed call, whether an outbound text was the app's own).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { LocationFlagStore } from '../../src/store/location-flags.js';
import type { StoreFixture } from '../helpers/store-engines.js';

export type LocationFlagsPort = AsyncStore<LocationFlagStore>;

const T0 = 1_700_000_000_000;

export function describeLocationFlagsContract(engine: string, makeStore: () => Promise<StoreFixture<LocationFlagsPort>> | StoreFixture<LocationFlagsPort>): void {
  describe(`location flags contract: ${engine}`, () => {
    let fixture: StoreFixture<LocationFlagsPort>;
    let flags: LocationFlagsPort;
    beforeEach(async () => {
      fixture = await makeStore();
      flags = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });

    let seq = 0;
    const call = (extra: Record<string, unknown>) => fixture.rows.insert('calls', {
      location_id: 'loc-1', call_key: `call-${++seq}`, contact_id: 'contact-1', phone: '+15550001111', status: 'no-answer', missed: 1,
      occurred_at: T0, decision: 'texted', decision_at: T0, ...extra,
    });
    const message = (extra: Record<string, unknown>) => fixture.rows.insert('messages', {
      location_id: 'loc-1', send_key: `send-${++seq}`, kind: 'textback', contact_id: 'contact-1', phone: '+15550001111',
      body: 'Sorry we missed your call!', status: 'sent', provider: 'highlevel', provider_message_id: null, created_at: T0, updated_at: T0, ...extra,
    });

    it('when a flag is raised several times, in any time order, then it has its first and latest sighting and the count', async () => {
      expect(await flags.list('loc-1')).toEqual([]);
      await flags.raise('loc-1', 'native-textback', T0 + 10);
      await flags.raise('loc-1', 'native-textback', T0 + 30);
      await flags.raise('loc-1', 'native-textback', T0 + 20);
      await flags.raise('loc-2', 'native-textback', T0);
      expect(await flags.list('loc-1')).toEqual([{ flag: 'native-textback', firstSeenAt: T0 + 10, lastSeenAt: T0 + 30, hits: 3 }]);
    });

    it('when a flag is raised many times at once, then every sighting counts', async () => {
      await Promise.all(Array.from({ length: 12 }, (_, i) => flags.raise('loc-1', 'native-textback', T0 + i)));
      expect(await flags.list('loc-1')).toEqual([{ flag: 'native-textback', firstSeenAt: expect.any(Number), lastSeenAt: T0 + 11, hits: 12 }]);
    });

    it('when the contact had a missed call inside the window (bounds included), then it counts; answered, outside or another contact not', async () => {
      await call({ occurred_at: T0 + 100 });
      await call({ occurred_at: T0 + 500, missed: 0, status: 'completed', contact_id: 'contact-2' });
      expect(await flags.hadMissedCall('loc-1', 'contact-1', T0 + 100, T0 + 200)).toBe(true);
      expect(await flags.hadMissedCall('loc-1', 'contact-1', T0, T0 + 100)).toBe(true);
      expect(await flags.hadMissedCall('loc-1', 'contact-1', T0 + 101, T0 + 900)).toBe(false);
      expect(await flags.hadMissedCall('loc-1', 'contact-2', T0, T0 + 900)).toBe(false);
      expect(await flags.hadMissedCall('loc-2', 'contact-1', T0, T0 + 900)).toBe(false);
    });

    it('when an outbound text carries a provider id the app recorded, then it is the app\'s own', async () => {
      await message({ provider_message_id: 'hl-msg-1' });
      const text = { contactId: 'contact-9', body: 'unrelated', since: T0 + 1_000 };
      expect(await flags.isOwnText('loc-1', { ...text, messageId: 'hl-msg-1' })).toBe(true);
      expect(await flags.isOwnText('loc-2', { ...text, messageId: 'hl-msg-1' })).toBe(false);
      expect(await flags.isOwnText('loc-1', { ...text, messageId: 'hl-msg-2' })).toBe(false);
    });

    it('when an outbound text contains the words the app recently sent the contact, whitespace aside, then it is the app\'s own', async () => {
      await message({ body: 'Sorry   we missed\nyour call!', created_at: T0 + 50 });
      await message({ body: '   ', created_at: T0 + 50 });
      const own = (body: string, extra: { contactId?: string; since?: number } = {}) =>
        flags.isOwnText('loc-1', { messageId: null, contactId: extra.contactId ?? 'contact-1', body, since: extra.since ?? T0 });
      expect(await own('Acme: Sorry we missed your call! Reply STOP to opt out')).toBe(true);
      expect(await own('Sorry we missed your call!', { since: T0 + 51 })).toBe(false);
      expect(await own('Sorry we missed your call!', { contactId: 'contact-2' })).toBe(false);
      expect(await own('Something else entirely')).toBe(false);
      expect(await own('   ')).toBe(false);
    });
  });
}
