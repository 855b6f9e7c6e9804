// The processed Twilio messages contract (test/contracts/twilio-processed-contract.ts) on SQLite, each test on a fresh file.
import { createProcessedTwilioMessages } from '../../../src/store/twilio-processed.js';
import { describeProcessedTwilioMessagesContract } from '../../contracts/twilio-processed-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeProcessedTwilioMessagesContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createProcessedTwilioMessages(engine.db), rows: engine.rows, close: engine.close };
});
