// The processed Twilio messages contract (test/contracts/twilio-processed-contract.ts) on PostgreSQL.
import { describe } from 'vitest';
import { createPostgresProcessedTwilioMessages } from '../../../src/store/postgres/twilio-processed.js';
import { describeProcessedTwilioMessagesContract } from '../../contracts/twilio-processed-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL processed Twilio messages', () => {
  const engine = usePostgresEngine();
  describeProcessedTwilioMessagesContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresProcessedTwilioMessages(pg), rows, close() {} };
  });
});
