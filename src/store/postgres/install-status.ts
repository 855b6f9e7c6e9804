// Whether an installation can act, on PostgreSQL: the twin of src/store/install-status.ts. Reads token rows without
// opening the sealed tokens.
import type { AsyncStore } from '../async-store.js';
import type { InstallStatus } from '../install-status.js';
import type { Connection } from '../../workflow/ports/storage.js';
import type { Postgres } from './pool.js';

type TokenRow = { owner_type: string; needs_reconnect: number; reconnect_reason: string | null };

export type PostgresInstallStatus = ReturnType<typeof createPostgresInstallStatus>;

export function createPostgresInstallStatus(pg: Pick<Postgres, 'pool'>) {
  const db = pg.pool;
  const tokenOf = async (ownerId: string): Promise<TokenRow | undefined> =>
    (await db.query<TokenRow>('SELECT owner_type, needs_reconnect, reconnect_reason FROM tokens WHERE owner_id = $1', [ownerId])).rows[0];

  return {
    /** The location's own token decides; a location without one acts through its agency's Company token. */
    async connection(locationId: string, companyId: string | null): Promise<Connection> {
      const row = (await tokenOf(locationId)) ?? (companyId ? await tokenOf(companyId) : undefined);
      if (!row) return { needsReconnect: true, reconnectReason: 'No HighLevel authorisation is stored for this location.' };
      const needsReconnect = row.needs_reconnect === 1;
      return { needsReconnect, reconnectReason: needsReconnect ? row.reconnect_reason : null };
    },
    /** An agency install: a Company token, and no uninstall recorded for the company since. */
    async companyInstalled(companyId: string): Promise<boolean> {
      const { rows } = await db.query<{ installed: boolean }>(`
        SELECT EXISTS (SELECT 1 FROM tokens WHERE owner_id = $1 AND owner_type = 'Company')
          AND NOT EXISTS (SELECT 1 FROM companies WHERE company_id = $1 AND uninstalled_at IS NOT NULL) AS installed`, [companyId]);
      return rows[0].installed;
    },
    /** The companies row agency defaults are kept on (an install from before that row existed may lack it). */
    async ensureCompany(companyId: string, now: number): Promise<void> {
      await db.query('INSERT INTO companies (company_id, installed_at) VALUES ($1, $2) ON CONFLICT (company_id) DO NOTHING', [companyId, now]);
    },
  } satisfies AsyncStore<InstallStatus>;
}
