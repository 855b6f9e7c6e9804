// The conversation messages contract (test/contracts/conversation-messages-contract.ts) on SQLite, each test on a fresh file.
import { createConversationMessages } from '../../../src/store/conversation-messages.js';
import { describeConversationMessagesContract } from '../../contracts/conversation-messages-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeConversationMessagesContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createConversationMessages(engine.db), rows: engine.rows, close: engine.close };
});
