// The audit log contract (test/contracts/audit-contract.ts) on SQLite, each test on a fresh file.
import { createAuditLog } from '../../../src/store/audit.js';
import { describeAuditLogContract } from '../../contracts/audit-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeAuditLogContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createAuditLog(engine.db), rows: engine.rows, close: engine.close };
});
