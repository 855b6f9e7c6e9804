// GET/PUT /api/locations/:locationId/provider: HighLevel or Twilio, Twilio credentials checked on save, secrets never returned.
import { Router, type Response } from 'express';
import type { Clock } from '../lib/clock.js';
import type { LocationStorePort, TwilioAccountStorePort } from '../store/storage.js';
import { TwilioUnavailableError, type TwilioVerifier } from '../messaging/twilio-verify.js';
import type { AuditLog } from '../workflow/ports/storage.js';
import { mergeSettings, type LocationSettings } from '../workflow/settings.js';
import { refuseUnlessAdmin, requireLocationSession } from './require-session.js';
import type { SessionTokens } from './session-tokens.js';
import { parseOr422, type FieldIssue } from './validation.js';
import { ProviderUpdateSchema, chooseAccount } from './provider-input.js';
import { TWILIO_INBOUND_PATH, TWILIO_STATUS_PATH } from './twilio-webhooks.js';

export interface ProviderApiDeps {
  sessionTokens: SessionTokens;
  locations: Pick<LocationStorePort, 'get' | 'saveSettings'>;
  accounts: TwilioAccountStorePort;
  verify: TwilioVerifier;
  audit: AuditLog;
  clock: Clock;
  publicUrl: string;
  appAccount: { accountSid: string; authToken: string } | null;
  /** Whether the location's plan includes sending through Twilio. */
  twilioAllowed(planId: string | null): boolean;
}

const APP_SENDER_UNASSIGNED = "This sender of the app-wide Twilio account is not assigned to this location: HighLevel does not list it "
  + "as one of the location's numbers, and the operator has not assigned it (npm run textback -- assign-sender).";

export function providerRoutes(deps: ProviderApiDeps): Router {
  const router = Router();
  const path = '/api/locations/:locationId/provider';
  const guard = requireLocationSession(deps.sessionTokens);

  async function view(locationId: string, settings: LocationSettings) {
    const account = await deps.accounts.view(locationId);
    const usable = (await deps.accounts.resolve(locationId)) !== null;
    const warnings: { code: string; message: string }[] = [];
    if (settings.provider === 'twilio' && !usable) warnings.push({ code: 'twilio-unusable', message: 'Twilio is chosen but no usable Twilio account is saved: texts will fail until one is.' });
    if (account?.account === 'app' && deps.appAccount && !await deps.accounts.mayUseAppSender(locationId, account)) {
      warnings.push({ code: 'app-sender-unassigned', message: APP_SENDER_UNASSIGNED });
    }
    if (account && !account.authTokenSet) warnings.push({ code: 'twilio-webhooks-unverifiable', message: 'Without the Auth Token, delivery reports and replies from Twilio cannot be verified and are refused.' });
    if (settings.landlineCheck && !await deps.accounts.lookupCredentials(locationId)) warnings.push({ code: 'landline-check-unavailable', message: 'The landline check needs a Twilio account; none is available.' });
    return {
      provider: settings.provider,
      landlineCheck: settings.landlineCheck,
      appAccountAvailable: deps.appAccount !== null,
      twilio: account && {
        account: account.account,
        accountSid: { set: account.accountSidLast4 !== null, last4: account.accountSidLast4 },
        authToken: { set: account.authTokenSet },
        apiKey: { set: account.apiKeySidLast4 !== null, sidLast4: account.apiKeySidLast4, secretSet: account.apiKeySecretSet },
        messagingServiceSid: account.messagingServiceSid,
        fromNumber: account.fromNumber,
        verifiedAt: account.verifiedAt,
      },
      webhooks: { statusCallbackUrl: deps.publicUrl + TWILIO_STATUS_PATH, inboundUrl: deps.publicUrl + TWILIO_INBOUND_PATH },
      warnings,
    };
  }

  const installed = async (locationId: string) => {
    const location = await deps.locations.get(locationId);
    return location && location.status === 'installed' ? location : null;
  };
  const rejected = (res: Response, issues: FieldIssue[], error = 'invalid') => void res.status(422).json({ error, issues });

  router.get(path, guard, async (req, res) => {
    const location = await installed(String(req.params.locationId));
    if (!location) return void res.status(404).json({ error: 'not_installed' });
    res.json(await view(location.locationId, location.settings));
  });

  router.put(path, guard, async (req, res) => {
    const location = await installed(String(req.params.locationId));
    if (!location) return void res.status(404).json({ error: 'not_installed' });
    const update = parseOr422(ProviderUpdateSchema, req.body, res);
    if (!update) return;
    if (update.twilio && refuseUnlessAdmin(req, res, 'Only a sub-account admin can save Twilio credentials or senders. Ask an admin of this sub-account.')) return;
    const { locationId } = location;
    if (update.provider === 'twilio' && !deps.twilioAllowed(location.planId)) {
      return void res.status(403).json({ error: 'not_in_plan', message: "Sending through Twilio is not included in this location's plan." });
    }

    if (update.twilio) {
      const chosen = await chooseAccount(deps, locationId, update.twilio);
      if ('issue' in chosen) return rejected(res, [chosen.issue]);
      // The app-wide account's numbers are shared by every location: saving one first must not make it yours.
      if (!chosen.credentials && !await deps.accounts.mayUseAppSender(locationId, chosen.sender)) {
        const field = chosen.sender.fromNumber ? 'twilio.fromNumber' : 'twilio.messagingServiceSid';
        return rejected(res, [{ field, message: APP_SENDER_UNASSIGNED }], 'sender_not_assigned');
      }
      const takenBy = await deps.accounts.senderTakenBy(locationId, chosen.sender);
      if (takenBy) {
        const field = chosen.sender.fromNumber ? 'twilio.fromNumber' : 'twilio.messagingServiceSid';
        return rejected(res, [{ field, message: 'Another location already sends from this; replies could not be told apart.' }]);
      }
      let verdict;
      try {
        verdict = await deps.verify(chosen.credentials ?? deps.appAccount!, chosen.sender);
      } catch (error) {
        if (error instanceof TwilioUnavailableError) return void res.status(502).json({ error: 'twilio_unavailable', message: error.message });
        throw error;
      }
      if (!verdict.ok) return rejected(res, [{ field: verdict.field, message: verdict.message }], 'twilio_rejected');
      await deps.accounts.save(locationId, { credentials: chosen.credentials, ...chosen.sender }, deps.clock.now());
    } else if (update.provider === 'twilio' && !await deps.accounts.resolve(locationId)) {
      return rejected(res, [{ field: 'twilio', message: 'Save a Twilio account and a sender (Messaging Service or number) first.' }]);
    }

    const settings = mergeSettings(location.settings, { provider: update.provider, ...(update.landlineCheck === undefined ? {} : { landlineCheck: update.landlineCheck }) });
    await deps.locations.saveSettings(locationId, settings, deps.clock.now());
    const saved = update.twilio ? await deps.accounts.view(locationId) : null;
    await deps.audit.record({
      locationId, actor: req.session?.userId ?? 'unknown', action: 'provider.update',
      detail: {
        provider: settings.provider, landlineCheck: settings.landlineCheck,
        ...(update.twilio ? { twilio: { account: update.twilio.account, credentialsReplaced: Boolean(update.twilio.accountSid), sender: saved?.messagingServiceSid ? 'messaging-service' : 'from-number' } } : {}),
      },
    }, deps.clock.now());
    res.json(await view(locationId, settings));
  });

  return router;
}
