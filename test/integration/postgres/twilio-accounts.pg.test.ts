// The Twilio accounts contract (test/contracts/twilio-accounts-contract.ts) on PostgreSQL.
import { describe } from 'vitest';
import { createPostgresTwilioAccounts } from '../../../src/store/postgres/twilio-accounts.js';
import { describeTwilioAccountsContract } from '../../contracts/twilio-accounts-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL Twilio accounts', () => {
  const engine = usePostgresEngine();
  describeTwilioAccountsContract('PostgreSQL', async (box, options) => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresTwilioAccounts(pg, box, options), rows, close() {} };
  });
});
