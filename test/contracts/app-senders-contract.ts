// The app-wide senders' contract, for every engine: a sender of the app-wide Twilio account is a location's only when
// the operator assigned it to that location or HighLevel lists the number as the location's own; one location each.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { AppSenders } from '../../src/store/app-senders.js';
import { seedLocation, type StoreFixture } from '../helpers/store-engines.js';

export type AppSendersPort = AsyncStore<AppSenders>;

const T0 = 1_700_000_000_000;
const number = (fromNumber: string) => ({ fromNumber, messagingServiceSid: null });
const service = (messagingServiceSid: string) => ({ fromNumber: null, messagingServiceSid });

export function describeAppSendersContract(engine: string, makeStore: () => Promise<StoreFixture<AppSendersPort>> | StoreFixture<AppSendersPort>): void {
  describe(`app senders contract: ${engine}`, () => {
    let fixture: StoreFixture<AppSendersPort>;
    let senders: AppSendersPort;
    beforeEach(async () => {
      fixture = await makeStore();
      senders = fixture.store;
      for (const id of ['loc-a', 'loc-b', 'loc-c']) await seedLocation(fixture.rows, id);
    });
    afterEach(async () => { await fixture.close(); });

    it('when a sender is assigned, then it is the location\'s, with who assigned it and when', async () => {
      expect(await senders.assignment('+15550001111')).toBeNull();
      expect(await senders.assign('+15550001111', 'loc-a', 'cli', T0)).toEqual({ outcome: 'assigned' });
      expect(await senders.assignment('+15550001111')).toEqual({ sender: '+15550001111', locationId: 'loc-a', assignedBy: 'cli', assignedAt: T0 });
    });

    it('when an assigned sender is assigned again, then it is unchanged for its location and taken for any other', async () => {
      await senders.assign('+15550001111', 'loc-a', 'cli', T0);
      expect(await senders.assign('+15550001111', 'loc-a', 'cli', T0 + 1)).toEqual({ outcome: 'unchanged' });
      expect(await senders.assign('+15550001111', 'loc-b', 'cli', T0 + 1)).toEqual({ outcome: 'taken', by: 'loc-a' });
      expect((await senders.assignment('+15550001111'))?.assignedAt).toBe(T0);
    });

    it('when several assigns of one sender race, then exactly one location gets it and the others are told who has it', async () => {
      const outcomes = await Promise.all(['loc-a', 'loc-b', 'loc-c', 'loc-a', 'loc-b', 'loc-c'].map((id, i) => senders.assign('MG123', id, 'cli', T0 + i)));
      const owner = (await senders.assignment('MG123'))!.locationId;
      expect(outcomes.filter((o) => o.outcome === 'assigned')).toHaveLength(1);
      for (const outcome of outcomes) expect(outcome).toEqual(expect.objectContaining({ outcome: expect.stringMatching(/assigned|unchanged|taken/) }));
      expect(outcomes.filter((o) => o.outcome === 'taken').every((o) => 'by' in o && o.by === owner)).toBe(true);
    });

    it('when a sender is unassigned, then only by its own location, and another may have it afterwards', async () => {
      await senders.assign('+15550001111', 'loc-a', 'cli', T0);
      expect(await senders.unassign('+15550001111', 'loc-b')).toBe(false);
      expect(await senders.unassign('+15550001111', 'loc-a')).toBe(true);
      expect(await senders.unassign('+15550001111', 'loc-a')).toBe(false);
      expect(await senders.assign('+15550001111', 'loc-b', 'cli', T0)).toEqual({ outcome: 'assigned' });
    });

    it('when a sender is assigned, then only its location may use it, whatever HighLevel lists', async () => {
      await fixture.rows.insert('location_numbers', { location_id: 'loc-b', phone: '+15550001111' });
      await senders.assign('+15550001111', 'loc-a', 'cli', T0);
      expect(await senders.mayUse('loc-a', number('+15550001111'))).toBe(true);
      expect(await senders.mayUse('loc-b', number('+15550001111'))).toBe(false);
    });

    it('when a number is assigned to nobody, then a location may use it only if HighLevel lists it as that location\'s', async () => {
      await fixture.rows.insert('location_numbers', { location_id: 'loc-a', phone: '+15550002222' });
      expect(await senders.mayUse('loc-a', number('+15550002222'))).toBe(true);
      expect(await senders.mayUse('loc-b', number('+15550002222'))).toBe(false);
      expect(await senders.mayUse('loc-a', number('+15550003333'))).toBe(false);
    });

    it('when a Messaging Service is not assigned, or no sender is given, then nobody may use it', async () => {
      expect(await senders.mayUse('loc-a', service('MG999'))).toBe(false);
      expect(await senders.mayUse('loc-a', { fromNumber: null, messagingServiceSid: null })).toBe(false);
      await senders.assign('MG999', 'loc-a', 'cli', T0);
      expect(await senders.mayUse('loc-a', service('MG999'))).toBe(true);
    });

    it('when other locations chose the app-wide account with this sender saved, then they are named (own-account ones are not)', async () => {
      const account = (id: string, app: number, from: string | null, svc: string | null) => fixture.rows.insert('twilio_accounts', {
        location_id: id, use_app_account: app, credentials: app ? null : 'sealed', has_auth_token: 0,
        from_number: from, messaging_service_sid: svc, verified_at: T0, updated_at: T0,
      });
      await account('loc-a', 1, '+15550001111', null);
      await account('loc-b', 1, '+15550001111', null);
      await account('loc-c', 0, '+15550001111', null);
      expect(await senders.savedByOthers('+15550001111', 'loc-a')).toEqual(['loc-b']);
      expect(await senders.savedByOthers('MG1', 'loc-a')).toEqual([]);
    });
  });
}
