// The reply log contract (test/contracts/replies-contract.ts) on SQLite, each test on a fresh file.
import { createReplyLog } from '../../../src/store/replies.js';
import { describeReplyLogContract } from '../../contracts/replies-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeReplyLogContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createReplyLog(engine.db), rows: engine.rows, close: engine.close };
});
