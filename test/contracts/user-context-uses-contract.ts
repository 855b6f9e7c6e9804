// The user-context first-use contract, for every engine: when a HighLevel user context was first exchanged for a
// session, decided once (whichever caller comes first), keyed by a hash of its bytes, and forgotten after the memory.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AsyncStore, Awaitable } from '../../src/store/async-store.js';
import type { UserContextUses } from '../../src/store/user-context-uses.js';
import type { StoreFixture } from '../helpers/store-engines.js';
import { T0 } from './seed-rows.js';

export type UserContextUsesPort = AsyncStore<UserContextUses>;

const HOUR = 3_600_000;
const PAYLOAD = Buffer.from('{"iv":"abc","cipherText":"sealed user context","tag":"t"}').toString('base64');

export function describeUserContextUsesContract(engine: string, makeStore: (options: { memoryMs?: number }) => Awaitable<StoreFixture<UserContextUsesPort>>): void {
  describe(`user context uses contract: ${engine}`, () => {
    let fixture: StoreFixture<UserContextUsesPort> | undefined;
    afterEach(async () => { await fixture?.close(); });
    const open = async (options: { memoryMs?: number } = {}) => (fixture = await makeStore(options));

    it('when a context is used for the first time, then that time is answered, and every later use answers the same time', async () => {
      const { store } = await open();
      expect(await store.firstUse(PAYLOAD, T0)).toBe(T0);
      expect(await store.firstUse(PAYLOAD, T0 + HOUR)).toBe(T0);
      expect(await store.firstUse(Buffer.from('another context').toString('base64'), T0 + HOUR)).toBe(T0 + HOUR);
    });

    it('when the same context comes spaced or wrapped differently, then it is the same context', async () => {
      const { store } = await open();
      await store.firstUse(PAYLOAD, T0);
      const wrapped = `${PAYLOAD.slice(0, 10)}\n ${PAYLOAD.slice(10, 30)}\r\n${PAYLOAD.slice(30)}  `;
      expect(await store.firstUse(wrapped, T0 + 5)).toBe(T0);
    });

    it('when a context is remembered, then only the SHA-256 of its bytes is stored, never the payload', async () => {
      const { store, rows } = await open();
      await store.firstUse(PAYLOAD, T0);
      const stored = await rows.all<{ payload_hash: string; first_used_at: number }>('SELECT payload_hash, first_used_at FROM user_context_uses');
      expect(stored).toEqual([{ payload_hash: createHash('sha256').update(Buffer.from(PAYLOAD, 'base64')).digest('hex'), first_used_at: T0 }]);
      expect(JSON.stringify(stored)).not.toContain(PAYLOAD.slice(0, 12));
    });

    it('when a first use is older than the memory, then the next hourly prune forgets it and the context counts as new', async () => {
      const { store, rows } = await open({ memoryMs: 2 * HOUR });
      await store.firstUse(PAYLOAD, T0);
      expect(await store.firstUse(PAYLOAD, T0 + HOUR + HOUR / 2)).toBe(T0);
      expect(await store.firstUse(Buffer.from('fresh').toString('base64'), T0 + 2 * HOUR)).toBe(T0 + 2 * HOUR);
      expect(await store.firstUse(PAYLOAD, T0 + 3 * HOUR)).toBe(T0 + 3 * HOUR);
      expect(await rows.all('SELECT first_used_at FROM user_context_uses ORDER BY first_used_at')).toEqual([
        { first_used_at: T0 + 2 * HOUR }, { first_used_at: T0 + 3 * HOUR },
      ]);
    });

    it('when many uses of one context arrive at once, then all of them answer the same first use and one row is kept', async () => {
      const { store, rows } = await open();
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => store.firstUse(PAYLOAD, T0 + i)));
      expect(new Set(answers).size).toBe(1);
      expect(answers[0]).toBeGreaterThanOrEqual(T0);
      expect(await rows.all('SELECT first_used_at FROM user_context_uses')).toEqual([{ first_used_at: answers[0] }]);
    });
  });
}
