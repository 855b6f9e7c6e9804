// The provider form's input: its schema, and how new values combine with the Twilio account already saved.
import { z } from 'zod';
import { toE164 } from '../lib/phone.js';
import type { TwilioCredentials, TwilioSenderId } from '../store/twilio-accounts.js';
import type { TwilioAccountStorePort } from '../store/storage.js';
import type { FieldIssue } from './validation.js';

const sid = (prefix: string, what: string) =>
  z.string().trim().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `${what} is ${prefix} followed by 32 hex characters`);
const secret = z.string().trim().min(8, 'Too short to be a Twilio secret').max(200);

const TwilioInputSchema = z
  .strictObject({
    /** own: the location's account (credentials below, or the ones saved before); app: the app-wide TWILIO_* account. */
    account: z.enum(['own', 'app']).default('own'),
    accountSid: sid('AC', 'An Account SID').optional(),
    authToken: secret.optional(),
    apiKeySid: sid('SK', 'An API key SID').optional(),
    apiKeySecret: secret.optional(),
    messagingServiceSid: sid('MG', 'A Messaging Service SID').optional(),
    fromNumber: z.string().trim().optional().refine((n) => n === undefined || toE164(n) !== null, 'Not a valid phone number'),
  })
  .superRefine((input, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (input.messagingServiceSid && input.fromNumber) issue('fromNumber', 'Give a Messaging Service or a from-number, not both');
    if (Boolean(input.apiKeySid) !== Boolean(input.apiKeySecret)) issue(input.apiKeySid ? 'apiKeySecret' : 'apiKeySid', 'An API key needs both its SID and its secret');
    const anyCredential = input.accountSid || input.authToken || input.apiKeySid || input.apiKeySecret;
    if (input.account === 'app' && anyCredential) issue('account', 'The app-wide account needs no credentials');
    if (input.account === 'own' && anyCredential) {
      if (!input.accountSid) issue('accountSid', 'Required with new credentials');
      else if (!input.authToken && !input.apiKeySid) issue('authToken', 'Give the Auth Token, or an API key SID and secret');
    }
  });

export const ProviderUpdateSchema = z.strictObject({
  provider: z.enum(['highlevel', 'twilio']),
  landlineCheck: z.boolean().optional(),
  twilio: TwilioInputSchema.optional(),
});
export type ProviderUpdate = z.infer<typeof ProviderUpdateSchema>;

interface ChooseDeps {
  accounts: Pick<TwilioAccountStorePort, 'ownCredentials' | 'view'>;
  appAccount: { accountSid: string; authToken: string } | null;
}

type TwilioInput = NonNullable<ProviderUpdate['twilio']>;
export type Chosen = { credentials: TwilioCredentials | null; sender: TwilioSenderId } | { issue: FieldIssue };

/** New values where given, the saved ones where not; secrets are replaced whole, never merged field by field. */
export async function chooseAccount(deps: ChooseDeps, locationId: string, input: TwilioInput): Promise<Chosen> {
  let credentials: TwilioCredentials | null = null;
  if (input.account === 'app') {
    if (!deps.appAccount) return { issue: { field: 'twilio.account', message: 'This server has no app-wide Twilio account.' } };
  } else if (input.accountSid) {
    credentials = { accountSid: input.accountSid };
    if (input.authToken) credentials.authToken = input.authToken;
    if (input.apiKeySid && input.apiKeySecret) Object.assign(credentials, { apiKeySid: input.apiKeySid, apiKeySecret: input.apiKeySecret });
  } else {
    credentials = await deps.accounts.ownCredentials(locationId);
    if (!credentials) return { issue: { field: 'twilio.accountSid', message: 'Required: no Twilio account is saved for this location yet.' } };
  }

  const saved = await deps.accounts.view(locationId);
  const sender: TwilioSenderId | null = input.messagingServiceSid ? { messagingServiceSid: input.messagingServiceSid, fromNumber: null }
    : input.fromNumber ? { messagingServiceSid: null, fromNumber: toE164(input.fromNumber) }
      : saved ? { messagingServiceSid: saved.messagingServiceSid, fromNumber: saved.fromNumber } : null;
  if (!sender) return { issue: { field: 'twilio.fromNumber', message: 'Give a Messaging Service SID or the number to send from.' } };
  return { credentials, sender };
}
