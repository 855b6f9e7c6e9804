// Whether a database holds installs other than a known set: sandbox mode's public shared secret may open sessions
// only on a database whose every install is the sandbox's own (its stand-in's sub-account and agency).
import type { Db } from './db.js';

export type ForeignInstallCheck = ReturnType<typeof createForeignInstallCheck>;

export function createForeignInstallCheck(db: Db, ownIds: readonly string[]) {
  const foreign = db.prepare(`
    SELECT EXISTS (SELECT 1 FROM locations WHERE location_id NOT IN (SELECT value FROM json_each(@own)))
      OR EXISTS (SELECT 1 FROM companies WHERE company_id NOT IN (SELECT value FROM json_each(@own)))
      OR EXISTS (SELECT 1 FROM tokens WHERE owner_id NOT IN (SELECT value FROM json_each(@own)))`).pluck();
  const own = JSON.stringify(ownIds);
  return {
    /** True when any location, agency or token in the database is not one of `ownIds`. */
    hasForeignInstalls: (): boolean => foreign.get({ own }) === 1,
  };
}
