// Whether a PostgreSQL database holds installs other than a known set: the twin of src/store/foreign-installs.ts
// (sandbox mode's guard on its public shared secret).
import type { AsyncStore } from '../async-store.js';
import type { ForeignInstallCheck } from '../foreign-installs.js';
import type { Postgres } from './pool.js';

export type PostgresForeignInstallCheck = ReturnType<typeof createPostgresForeignInstallCheck>;

export function createPostgresForeignInstallCheck(pg: Pick<Postgres, 'pool'>, ownIds: readonly string[]) {
  const own = [...ownIds];
  return {
    /** True when any location, agency or token in the database is not one of `ownIds`. */
    async hasForeignInstalls(): Promise<boolean> {
      // `<> ALL` of an empty list is true: with no own ids, any install at all is foreign.
      const { rows } = await pg.pool.query<{ found: boolean }>(`
        SELECT EXISTS (SELECT 1 FROM locations WHERE location_id <> ALL ($1::text[]))
          OR EXISTS (SELECT 1 FROM companies WHERE company_id <> ALL ($1::text[]))
          OR EXISTS (SELECT 1 FROM tokens WHERE owner_id <> ALL ($1::text[])) AS found`, [own]);
      return rows[0].found;
    },
  } satisfies AsyncStore<ForeignInstallCheck>;
}
