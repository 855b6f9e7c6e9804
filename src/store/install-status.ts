// Whether an installation can act: a location's connection to HighLevel (its own token, else its agency's) and
// whether an agency has the app installed. Reads token rows without opening the sealed tokens.
import type { Db } from './db.js';
import type { Connection } from '../workflow/ports/storage.js';

export function createInstallStatus(db: Db) {
  const token = db.prepare(`SELECT owner_type AS ownerType, needs_reconnect AS needsReconnect, reconnect_reason AS reason FROM tokens WHERE owner_id = ?`);
  const companyToken = db.prepare(`SELECT 1 FROM tokens WHERE owner_id = ? AND owner_type = 'Company'`).pluck();
  const companyGone = db.prepare(`SELECT 1 FROM companies WHERE company_id = ? AND uninstalled_at IS NOT NULL`).pluck();
  const ensureCompany = db.prepare(`INSERT INTO companies (company_id, installed_at) VALUES (?, ?) ON CONFLICT (company_id) DO NOTHING`);

  type TokenRow = { ownerType: string; needsReconnect: number; reason: string | null };
  return {
    /** The location's own token decides; a location without one acts through its agency's Company token. */
    connection(locationId: string, companyId: string | null): Connection {
      const own = token.get(locationId) as TokenRow | undefined;
      const row = own ?? (companyId ? (token.get(companyId) as TokenRow | undefined) : undefined);
      if (!row) return { needsReconnect: true, reconnectReason: 'No HighLevel authorisation is stored for this location.' };
      return { needsReconnect: row.needsReconnect === 1, reconnectReason: row.needsReconnect === 1 ? row.reason : null };
    },
    /** An agency install: a Company token, and no uninstall recorded for the company since. */
    companyInstalled(companyId: string): boolean {
      return companyToken.get(companyId) === 1 && companyGone.get(companyId) !== 1;
    },
    /** The companies row agency defaults are kept on (an install from before that row existed may lack it). */
    ensureCompany(companyId: string, now: number): void {
      ensureCompany.run(companyId, now);
    },
  };
}
export type InstallStatus = ReturnType<typeof createInstallStatus>;
