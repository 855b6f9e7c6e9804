// The data rights contract (test/contracts/data-rights-contract.ts) on SQLite, each test on a fresh file.
import { createDataRights } from '../../../src/store/data-rights.js';
import { describeDataRightsContract } from '../../contracts/data-rights-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeDataRightsContract('SQLite', (options) => {
  const engine = openSqliteEngine();
  return {
    store: createDataRights(engine.db, options), rows: engine.rows, close: engine.close,
    async refuseDeletesFrom(table) {
      engine.db.exec(`CREATE TRIGGER refuse_${table} BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, 'deletes refused'); END;`);
    },
  };
});
