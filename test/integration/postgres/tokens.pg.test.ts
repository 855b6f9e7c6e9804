// The token store contract (test/contracts/tokens-contract.ts) on PostgreSQL, and the refresh compare-and-swap across
// instances: two pools racing to save the same rotation, or to insert the same minted token, exactly one wins; a
// reconnect mark racing a rotation of the same token never outlives it (docs/decisions/0003).
import { describe, expect, it } from 'vitest';
import { createSecretBox, generateKey } from '../../../src/lib/crypto.js';
import { DAY } from '../../../src/lib/clock.js';
import { createPostgresTokenStore } from '../../../src/store/postgres/tokens.js';
import type { TokenGrant } from '../../../src/store/tokens.js';
import { describeTokenStoreContract } from '../../contracts/tokens-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL token store', () => {
  const engine = usePostgresEngine();

  describeTokenStoreContract('PostgreSQL', async (box) => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresTokenStore(pg, box), rows, close() {} };
  });

  describe('two instances', () => {
    const T0 = 1_700_000_000_000;
    const grant = (ownerId: string, pair: string): TokenGrant => ({
      ownerId, ownerType: 'Location', companyId: null, accessToken: `access-${pair}`, refreshToken: `refresh-${pair}`,
      expiresAt: T0 + DAY, scope: null, userId: null,
    });

    it('when two pools save a refresh of the same rotation at once, then exactly one wins and its pair is the one stored, every time', async () => {
      await engine.fresh();
      const box = createSecretBox(generateKey());
      const first = createPostgresTokenStore(engine.pg(), box);
      const second = createPostgresTokenStore(engine.open(), box);
      const owners = Array.from({ length: 40 }, (_, i) => `loc-${i}`);
      for (const owner of owners) await first.save(grant(owner, 'old'), T0);
      for (let rotation = 1; rotation <= 5; rotation += 1) {
        const outcomes = await Promise.all(owners.map(async (owner) => {
          // Both instances read the same row, refresh, and race to save their own new pair against it.
          const [readA, readB] = await Promise.all([first.get(owner), second.get(owner)]);
          expect(readA?.revision).toBe(readB?.revision);
          const [wonA, wonB] = await Promise.all([
            first.swap(readA!.revision, grant(owner, `a${rotation}`), T0 + rotation),
            second.swap(readB!.revision, grant(owner, `b${rotation}`), T0 + rotation),
          ]);
          const stored = await first.get(owner);
          return { wins: Number(wonA) + Number(wonB), stored: stored?.refreshToken, winner: wonA ? `refresh-a${rotation}` : `refresh-b${rotation}` };
        }));
        for (const outcome of outcomes) {
          expect(outcome.wins).toBe(1);
          expect(outcome.stored).toBe(outcome.winner);
        }
      }
    });

    it('when one pool marks a refused token for reconnect while another saves its rotation of that token, then the rotation is stored unmarked, whichever commits first', async () => {
      await engine.fresh();
      const box = createSecretBox(generateKey());
      const marker = createPostgresTokenStore(engine.pg(), box);
      const rotator = createPostgresTokenStore(engine.open(), box);
      const owners = Array.from({ length: 40 }, (_, i) => `loc-${i}`);
      for (const owner of owners) await marker.save(grant(owner, 'old'), T0);
      const outcomes = await Promise.all(owners.map(async (owner) => {
        const read = (await marker.get(owner))!;
        const [marked, swapped] = await Promise.all([
          marker.markNeedsReconnect(owner, 'refresh rejected', T0 + 1, read.revision),
          rotator.swap(read.revision, grant(owner, 'new'), T0 + 1),
        ]);
        return { marked, swapped, stored: (await marker.get(owner))! };
      }));
      for (const { swapped, stored } of outcomes) {
        expect(swapped).toBe(true);
        expect(stored).toMatchObject({ refreshToken: 'refresh-new', needsReconnect: false, reconnectReason: null });
      }
    });

    it('when two pools insert a minted token for the same locations at once, then exactly one stores each and its token is kept', async () => {
      await engine.fresh();
      const box = createSecretBox(generateKey());
      const first = createPostgresTokenStore(engine.pg(), box);
      const second = createPostgresTokenStore(engine.open(), box);
      const minted = (ownerId: string, by: string): TokenGrant => ({ ...grant(ownerId, by), refreshToken: null, accessToken: `minted-${by}` });
      const owners = Array.from({ length: 200 }, (_, i) => `loc-${i}`);
      const outcomes = await Promise.all(owners.map(async (owner) => {
        const [wonA, wonB] = await Promise.all([first.insertIfAbsent(minted(owner, 'a'), T0), second.insertIfAbsent(minted(owner, 'b'), T0)]);
        return { wins: Number(wonA) + Number(wonB), winner: wonA ? 'minted-a' : 'minted-b', stored: (await second.get(owner))?.accessToken };
      }));
      for (const outcome of outcomes) {
        expect(outcome.wins).toBe(1);
        expect(outcome.stored).toBe(outcome.winner);
      }
    });
  });
});
