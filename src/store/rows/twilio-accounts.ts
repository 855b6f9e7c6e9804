// The twilio_accounts table's row and how it reads (opened credentials, the secret-free view), shared by the SQLite and
// PostgreSQL Twilio account stores.
import type { SecretBox } from '../../lib/crypto.js';
import type { TwilioSenderId } from '../app-senders.js';

/** What authenticates REST calls. Webhook signatures can only be checked with the account's auth token. */
export interface TwilioCredentials {
  accountSid: string;
  authToken?: string;
  apiKeySid?: string;
  apiKeySecret?: string;
}

/** What the API may show: never a secret, only whether it is set and the SIDs' last four characters. */
export interface TwilioAccountView extends TwilioSenderId {
  account: 'own' | 'app';
  accountSidLast4: string | null;
  apiKeySidLast4: string | null;
  authTokenSet: boolean;
  apiKeySecretSet: boolean;
  verifiedAt: number;
  updatedAt: number;
}

export interface TwilioAccountRow {
  location_id: string; use_app_account: number; credentials: string | null; account_sid_last4: string | null;
  api_key_sid_last4: string | null; has_auth_token: number; messaging_service_sid: string | null; from_number: string | null;
  verified_at: number; updated_at: number;
}

/** The SecretBox context the credentials are sealed under: bound to the location, so a row copied elsewhere will not open. */
export const credentialsContext = (locationId: string) => `twilio:${locationId}`;
export const last4 = (value: string | undefined) => (value ? value.slice(-4) : null);

/** The location's own credentials, opened; null when it uses the app-wide account. */
export const openCredentials = (r: TwilioAccountRow, box: Pick<SecretBox, 'open'>): TwilioCredentials | null =>
  r.credentials ? (JSON.parse(box.open(r.credentials, credentialsContext(r.location_id))) as TwilioCredentials) : null;

export function toAccountView(
  r: TwilioAccountRow, box: Pick<SecretBox, 'open'>, appAccount: { accountSid: string } | null,
): TwilioAccountView {
  const own = r.use_app_account === 0;
  const credentials = own ? openCredentials(r, box) : null;
  return {
    account: own ? 'own' : 'app',
    accountSidLast4: own ? r.account_sid_last4 : last4(appAccount?.accountSid),
    apiKeySidLast4: r.api_key_sid_last4,
    authTokenSet: own ? r.has_auth_token === 1 : appAccount !== null,
    apiKeySecretSet: Boolean(credentials?.apiKeySecret),
    messagingServiceSid: r.messaging_service_sid,
    fromNumber: r.from_number,
    verifiedAt: r.verified_at,
    updatedAt: r.updated_at,
  };
}
