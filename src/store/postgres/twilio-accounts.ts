// Each location's Twilio account on PostgreSQL: credentials sealed with the SecretBox (bound to the location id), sender
// in clear; the app-wide account stands in when the location chose it and may use the sender (app-senders.ts).
import type { AsyncStore } from '../async-store.js';
import type { SecretBox } from '../../lib/crypto.js';
import type { ResolvedTwilioAccount, TwilioAccountStore } from '../twilio-accounts.js';
import { credentialsContext, last4, openCredentials, toAccountView, type TwilioAccountRow } from '../rows/twilio-accounts.js';
import { createPostgresAppSenders } from './app-senders.js';
import type { Postgres } from './pool.js';

const UPSERT = /* sql */ `
  INSERT INTO twilio_accounts (location_id, use_app_account, credentials, account_sid_last4, api_key_sid_last4, has_auth_token,
    messaging_service_sid, from_number, verified_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
  ON CONFLICT (location_id) DO UPDATE SET use_app_account = EXCLUDED.use_app_account, credentials = EXCLUDED.credentials,
    account_sid_last4 = EXCLUDED.account_sid_last4, api_key_sid_last4 = EXCLUDED.api_key_sid_last4,
    has_auth_token = EXCLUDED.has_auth_token, messaging_service_sid = EXCLUDED.messaging_service_sid,
    from_number = EXCLUDED.from_number, verified_at = EXCLUDED.verified_at, updated_at = EXCLUDED.updated_at`;

export type PostgresTwilioAccountStore = AsyncStore<TwilioAccountStore>;

export function createPostgresTwilioAccounts(
  pg: Pick<Postgres, 'pool'>, box: SecretBox, options: { appAccount: { accountSid: string; authToken: string } | null },
): PostgresTwilioAccountStore {
  const db = pg.pool;
  const appSenders = createPostgresAppSenders(pg);
  const row = async (locationId: string) =>
    (await db.query<TwilioAccountRow>('SELECT * FROM twilio_accounts WHERE location_id = $1', [locationId])).rows[0];
  const open = (r: TwilioAccountRow) => openCredentials(r, box);
  const firstLocation = async (column: 'from_number' | 'messaging_service_sid', value: string) =>
    (await db.query<{ location_id: string }>(
      `SELECT location_id FROM twilio_accounts WHERE ${column} = $1 ORDER BY location_id COLLATE "C" LIMIT 1`, [value])).rows[0]?.location_id;

  async function resolve(locationId: string): Promise<ResolvedTwilioAccount | null> {
    const r = await row(locationId);
    if (!r) return null;
    const sender = { messagingServiceSid: r.messaging_service_sid, fromNumber: r.from_number };
    if (r.use_app_account === 1) {
      const app = options.appAccount;
      if (!app || !(await appSenders.mayUse(locationId, sender))) return null;
      return { locationId, credentials: { ...app }, authToken: app.authToken, usesAppAccount: true, ...sender };
    }
    const credentials = open(r);
    if (!credentials) return null;
    return { locationId, credentials, authToken: credentials.authToken ?? null, usesAppAccount: false, ...sender };
  }

  return {
    async ownCredentials(locationId) {
      const r = await row(locationId);
      return r ? open(r) : null;
    },
    async view(locationId) {
      const r = await row(locationId);
      return r ? toAccountView(r, box, options.appAccount) : null;
    },
    resolve,
    async lookupCredentials(locationId) {
      const resolved = await resolve(locationId);
      return resolved?.credentials ?? (options.appAccount ? { ...options.appAccount } : null);
    },
    async save(locationId, input, now) {
      const { credentials } = input;
      await db.query(UPSERT, [
        locationId,
        credentials ? 0 : 1,
        credentials ? box.seal(JSON.stringify(credentials), credentialsContext(locationId)) : null,
        last4(credentials?.accountSid),
        last4(credentials?.apiKeySid),
        credentials?.authToken ? 1 : 0,
        input.messagingServiceSid,
        input.fromNumber,
        now,
      ]);
    },
    async remove(locationId) {
      return (await db.query('DELETE FROM twilio_accounts WHERE location_id = $1', [locationId])).rowCount === 1;
    },
    mayUseAppSender: (locationId, sender) => appSenders.mayUse(locationId, sender),
    async senderTakenBy(locationId, sender) {
      const { rows } = await db.query<{ location_id: string }>(`
        SELECT location_id FROM twilio_accounts WHERE location_id <> $1
          AND (($2::text IS NOT NULL AND from_number = $2) OR ($3::text IS NOT NULL AND messaging_service_sid = $3)) LIMIT 1`,
      [locationId, sender.fromNumber, sender.messagingServiceSid]);
      return rows[0]?.location_id ?? null;
    },
    async locationForInbound(to, messagingServiceSid) {
      const byNumber = to ? await firstLocation('from_number', to) : undefined;
      if (byNumber) return byNumber;
      return messagingServiceSid ? ((await firstLocation('messaging_service_sid', messagingServiceSid)) ?? null) : null;
    },
  };
}
