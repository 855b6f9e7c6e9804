// Each location's Twilio account: credentials sealed with the SecretBox (bound to the location id), sender in clear.
import type { Db } from './db.js';
import type { SecretBox } from '../lib/crypto.js';
import { createAppSenders, type TwilioSenderId } from './app-senders.js';
import {
  credentialsContext, last4, openCredentials, toAccountView,
  type TwilioAccountRow, type TwilioAccountView, type TwilioCredentials,
} from './rows/twilio-accounts.js';

export type { TwilioAccountView, TwilioCredentials, TwilioSenderId };

/** A location's account as the app uses it: the app-wide account stands in when the location chose it. */
export interface ResolvedTwilioAccount extends TwilioSenderId {
  locationId: string;
  credentials: TwilioCredentials;
  /** Null when only an API key is known: Twilio's callbacks for this account cannot be verified. */
  authToken: string | null;
  usesAppAccount: boolean;
}

export type TwilioAccountStore = ReturnType<typeof createTwilioAccounts>;

export function createTwilioAccounts(db: Db, box: SecretBox, options: { appAccount: { accountSid: string; authToken: string } | null }) {
  const select = db.prepare('SELECT * FROM twilio_accounts WHERE location_id = ?');
  const upsert = db.prepare(`
    INSERT INTO twilio_accounts (location_id, use_app_account, credentials, account_sid_last4, api_key_sid_last4, has_auth_token,
      messaging_service_sid, from_number, verified_at, updated_at)
    VALUES (@locationId, @useApp, @credentials, @accountLast4, @keyLast4, @hasToken, @service, @from, @verifiedAt, @now)
    ON CONFLICT (location_id) DO UPDATE SET use_app_account = excluded.use_app_account, credentials = excluded.credentials,
      account_sid_last4 = excluded.account_sid_last4, api_key_sid_last4 = excluded.api_key_sid_last4,
      has_auth_token = excluded.has_auth_token, messaging_service_sid = excluded.messaging_service_sid,
      from_number = excluded.from_number, verified_at = excluded.verified_at, updated_at = excluded.updated_at`);
  const remove = db.prepare('DELETE FROM twilio_accounts WHERE location_id = ?');
  const byFromNumber = db.prepare('SELECT location_id FROM twilio_accounts WHERE from_number = ? ORDER BY location_id LIMIT 1').pluck();
  const byService = db.prepare('SELECT location_id FROM twilio_accounts WHERE messaging_service_sid = ? ORDER BY location_id LIMIT 1').pluck();
  const senderTaken = db.prepare(`
    SELECT location_id FROM twilio_accounts WHERE location_id <> @locationId
      AND ((@from IS NOT NULL AND from_number = @from) OR (@service IS NOT NULL AND messaging_service_sid = @service)) LIMIT 1`).pluck();

  const appSenders = createAppSenders(db);
  const row = (locationId: string) => select.get(locationId) as TwilioAccountRow | undefined;
  const open = (r: TwilioAccountRow) => openCredentials(r, box);

  /**
   * Null when the location has no Twilio account, or chose the app-wide one and none is configured, or its app-wide
   * sender is not (or no longer) its own: assigned by the operator or listed by HighLevel as the location's number.
   */
  function resolve(locationId: string): ResolvedTwilioAccount | null {
    const r = row(locationId);
    if (!r) return null;
    const sender = { messagingServiceSid: r.messaging_service_sid, fromNumber: r.from_number };
    if (r.use_app_account === 1) {
      const app = options.appAccount;
      if (!app || !appSenders.mayUse(locationId, sender)) return null;
      return { locationId, credentials: { ...app }, authToken: app.authToken, usesAppAccount: true, ...sender };
    }
    const credentials = open(r);
    if (!credentials) return null;
    return { locationId, credentials, authToken: credentials.authToken ?? null, usesAppAccount: false, ...sender };
  }

  return {
    /** The location's own credentials, opened (for a save that keeps them); null for none or the app account. */
    ownCredentials(locationId: string): TwilioCredentials | null {
      const r = row(locationId);
      return r ? open(r) : null;
    },
    view(locationId: string): TwilioAccountView | null {
      const r = row(locationId);
      return r ? toAccountView(r, box, options.appAccount) : null;
    },
    resolve,
    /** Credentials for a lookup on the location's behalf: its own account, else the app-wide one. */
    lookupCredentials(locationId: string): TwilioCredentials | null {
      const resolved = resolve(locationId);
      return resolved?.credentials ?? (options.appAccount ? { ...options.appAccount } : null);
    },
    save(locationId: string, input: { credentials: TwilioCredentials | null } & TwilioSenderId, now: number): void {
      const { credentials } = input;
      upsert.run({
        locationId,
        useApp: credentials ? 0 : 1,
        credentials: credentials ? box.seal(JSON.stringify(credentials), credentialsContext(locationId)) : null,
        accountLast4: last4(credentials?.accountSid),
        keyLast4: last4(credentials?.apiKeySid),
        hasToken: credentials?.authToken ? 1 : 0,
        service: input.messagingServiceSid,
        from: input.fromNumber,
        verifiedAt: now,
        now,
      });
    },
    remove(locationId: string): boolean {
      return remove.run(locationId).changes === 1;
    },
    /** Whether the location may send from this sender of the app-wide account (see app-senders.ts). */
    mayUseAppSender(locationId: string, sender: TwilioSenderId): boolean {
      return appSenders.mayUse(locationId, sender);
    },
    /** Another location already sending from this number or service: inbound texts could not be told apart. */
    senderTakenBy(locationId: string, sender: TwilioSenderId): string | null {
      return (senderTaken.get({ locationId, from: sender.fromNumber, service: sender.messagingServiceSid }) as string | undefined) ?? null;
    },
    /** The location an inbound text belongs to: by the number it was sent to, else by the Messaging Service. */
    locationForInbound(to: string | null, messagingServiceSid: string | null): string | null {
      const byNumber = to ? (byFromNumber.get(to) as string | undefined) : undefined;
      if (byNumber) return byNumber;
      return messagingServiceSid ? ((byService.get(messagingServiceSid) as string | undefined) ?? null) : null;
    },
  };
}
