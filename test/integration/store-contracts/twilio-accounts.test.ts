// The Twilio accounts contract (test/contracts/twilio-accounts-contract.ts) on SQLite, each test on a fresh file.
import { createTwilioAccounts } from '../../../src/store/twilio-accounts.js';
import { describeTwilioAccountsContract } from '../../contracts/twilio-accounts-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeTwilioAccountsContract('SQLite', (box, options) => {
  const engine = openSqliteEngine();
  return { store: createTwilioAccounts(engine.db, box, options), rows: engine.rows, close: engine.close };
});
