// The white-label frame origins' contract, for every engine: what an INSTALL's domain teaches the page's framing
// check (docs/decisions/0007-white-label-frame-ancestors.md).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore, Awaitable } from '../../src/store/async-store.js';
import type { FrameOrigins } from '../../src/store/frame-origins.js';
import type { StoreFixture } from '../helpers/store-engines.js';
import { T0 } from './seed-rows.js';

export type FrameOriginsPort = AsyncStore<FrameOrigins>;

export function describeFrameOriginsContract(engine: string, makeStore: () => Awaitable<StoreFixture<FrameOriginsPort>>): void {
  describe(`frame origins contract: ${engine}`, () => {
    let fixture: StoreFixture<FrameOriginsPort>;
    let origins: FrameOriginsPort;
    beforeEach(async () => {
      fixture = await makeStore();
      origins = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });
    const stored = () => fixture.rows.all<{ origin: string; company_id: string | null; learned_at: number }>(
      'SELECT origin, company_id, learned_at FROM frame_origins ORDER BY origin');

    it('when a white-label domain is learned, then its https origin in lower case is answered and known, and no other origin is', async () => {
      expect(await origins.learn(' CRM.Agency-One.com/ ', 'company-1', T0)).toBe('https://crm.agency-one.com');
      expect(await origins.has('https://crm.agency-one.com')).toBe(true);
      expect(await origins.has('https://agency-one.com')).toBe(false);
      expect(await origins.has('http://crm.agency-one.com')).toBe(false);
    });

    it('when the domain is not a plain host name, then null is answered and nothing is stored', async () => {
      for (const domain of ['http://crm.agency.com', 'crm.agency.com/app', 'localhost', '10.0.0.1', 'user@crm.agency.com', '']) {
        expect(await origins.learn(domain, 'company-1', T0), domain).toBeNull();
      }
      expect(await stored()).toEqual([]);
    });

    it('when an origin is learned again, then it stays one row: a later company replaces the agency, a missing one keeps it, and the time moves on', async () => {
      await origins.learn('crm.agency.com', 'company-1', T0);
      await origins.learn('crm.agency.com', null, T0 + 1);
      expect(await stored()).toEqual([{ origin: 'https://crm.agency.com', company_id: 'company-1', learned_at: T0 + 1 }]);
      await origins.learn('https://crm.agency.com', 'company-2', T0 + 2);
      expect(await stored()).toEqual([{ origin: 'https://crm.agency.com', company_id: 'company-2', learned_at: T0 + 2 }]);
    });
  });
}
