// The conversation messages contract (test/contracts/conversation-messages-contract.ts) on PostgreSQL, plus two
// instances running the same post at once: one row, and one claim of the call to HighLevel.
import { describe, expect, it } from 'vitest';
import { createPostgresConversationMessages } from '../../../src/store/postgres/conversation-messages.js';
import { describeConversationMessagesContract } from '../../contracts/conversation-messages-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL conversation messages', () => {
  const engine = usePostgresEngine();
  describeConversationMessagesContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresConversationMessages(pg), rows, close() {} };
  });

  it('when two instances open and claim the same messages at once, then each message has one row and one claim', async () => {
    await engine.fresh();
    const instances = [createPostgresConversationMessages(engine.pg()), createPostgresConversationMessages(engine.open())];
    const keys = Array.from({ length: 25 }, (_, i) => `out:SM${i}`);
    const runs = await Promise.all(keys.flatMap((messageKey) => instances.map(async (store) => {
      const row = await store.open({ locationId: 'loc-a', messageKey, origin: 'app', twilioSid: messageKey.slice(4) }, 1);
      return { messageKey, id: row.id, claimed: await store.claimPosting(row.id, 2) };
    })));
    for (const messageKey of keys) {
      const mine = runs.filter((run) => run.messageKey === messageKey);
      expect(new Set(mine.map((run) => run.id)).size).toBe(1);
      expect(mine.filter((run) => run.claimed)).toHaveLength(1);
    }
  });
});
