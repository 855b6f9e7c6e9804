// The sandbox's demo world: one agency and two sub-accounts in the stand-in, installed in the app through the real
// OAuth callback: "Acme Plumbing" texts through HighLevel, "Bright Smile Dental" through its own (stand-in) Twilio
// account, its texts shown in HighLevel's conversations through the app's custom channel. Ids are fixed so a restart
// (the stand-in forgets everything) finds the same world.
import type { Logger } from '../lib/logger.js';
import type { ComposedApp } from '../compose.js';
import { mergeSettings } from '../workflow/settings.js';
import type { StandIn } from './standin/index.js';
import type { SandboxState } from './sandbox-files.js';
import { webhookEnvelope, type PostWebhook } from './webhook-poster.js';

export interface DemoCaller { contactId: string; phone: string; label: string }
export interface DemoLocation {
  locationId: string;
  businessName: string;
  timeZone: string;
  /** The business's number: calls come to it, and texts (HighLevel's, or the Twilio account's). */
  number: string;
  /** Who sends the sub-account's texts. */
  route: 'highlevel' | 'twilio';
  callers: readonly DemoCaller[];
}

export const DEMO = {
  companyId: 'SbxAgency00000000001',
  companyName: 'Sandbox Agency',
  locationId: 'SbxAcmePlumbing00001',
  businessName: 'Acme Plumbing',
  timeZone: 'America/New_York',
  number: '+12125550100',
  route: 'highlevel',
  user: { userId: 'SbxUser0000000000001', userName: 'Sam Rivera', email: 'sam@acme-plumbing.example' },
  /** Suggested callers, already contacts of the sub-account (New York area codes: quiet hours are Eastern time). */
  callers: [
    { contactId: 'SbxContactJordan0001', phone: '+12125550142', label: 'Jordan' },
    { contactId: 'SbxContactTaylor0001', phone: '+16465550123', label: 'Taylor' },
    { contactId: 'SbxContactCasey00001', phone: '+17185550188', label: 'Casey' },
  ],
} as const satisfies DemoLocation & Record<string, unknown>;

/** The sub-account on the Twilio route, with its stand-in Twilio account (sealed in the app's store at first install). */
export const TWILIO_DEMO = {
  locationId: 'SbxBrightDental00001',
  businessName: 'Bright Smile Dental',
  timeZone: 'America/New_York',
  number: '+16465550100',
  route: 'twilio',
  twilio: { accountSid: 'AC5a4db0c0ffee5a4db0c0ffee5a4db0c0', authToken: 'sandbox-twilio-auth-token-0001' },
  callers: [
    { contactId: 'SbxContactRiley00001', phone: '+12125550163', label: 'Riley' },
    { contactId: 'SbxContactMorgan0001', phone: '+19175550134', label: 'Morgan' },
  ],
} as const satisfies DemoLocation & Record<string, unknown>;

export const DEMO_LOCATIONS: readonly DemoLocation[] = [DEMO, TWILIO_DEMO];

/** The sandbox's value of HIGHLEVEL_CONVERSATION_PROVIDER_ID (the stand-in takes any id), unless one is configured. */
export const SANDBOX_CONVERSATION_PROVIDER_ID = 'SbxTextBackChannel01';

export function demoLocation(locationId: string): DemoLocation | undefined {
  return DEMO_LOCATIONS.find((location) => location.locationId === locationId);
}

/** Builds the agency, the sub-accounts, their suggested callers and every contact seen before into a fresh stand-in. */
export function seedStandIn(standIn: StandIn, state: SandboxState): void {
  standIn.createCompany({ id: DEMO.companyId, name: DEMO.companyName });
  for (const location of DEMO_LOCATIONS) {
    standIn.createLocation({
      id: location.locationId, companyId: DEMO.companyId, name: location.businessName, timezone: location.timeZone,
      phone: location.number, numbers: [location.number],
    });
    for (const caller of location.callers) {
      standIn.createContact(location.locationId, { id: caller.contactId, phone: caller.phone, firstName: caller.label });
    }
  }
  for (const contact of state.contacts) {
    const locationId = contact.locationId ?? DEMO.locationId;
    if (!isDemoContact(contact.id) && demoLocation(locationId)) standIn.createContact(locationId, { id: contact.id, phone: contact.phone });
  }
}

/** The suggested callers' contacts are rebuilt from the demo world at every start; only others need remembering. */
export function isDemoContact(contactId: string): boolean {
  return DEMO_LOCATIONS.some((location) => location.callers.some((caller) => caller.contactId === contactId));
}

interface InstallDeps { standIn: StandIn; app: ComposedApp; selfUrl: string; appId: string; post: PostWebhook; logger: Logger }

/**
 * Installs each sub-account the way HighLevel does: an auth code, a GET of the app's own /oauth/callback over HTTP,
 * then the signed INSTALL webhook and a LocationUpdate (the stand-in's world was just built), whose jobs run before
 * this returns. Runs at every start: the stand-in's tokens are in memory, so the app needs fresh ones. On the first
 * install only, the demo may text back at any hour: text-back policy 'send-immediately' (follow-ups still honour
 * quiet hours), and the Twilio sub-account sends through its Twilio account, saved (sealed) as PUT provider would;
 * a location's later choices survive restarts.
 */
export async function installDemo(deps: InstallDeps): Promise<void> {
  for (const location of DEMO_LOCATIONS) await installLocation(deps, location);
  await settle(deps.app);
}

async function installLocation(deps: InstallDeps, demo: DemoLocation): Promise<void> {
  const { app } = deps;
  const { locations, twilioAccounts } = app.storage;
  const { locationId } = demo;
  const firstInstall = (await locations.get(locationId)) === null;
  const code = deps.standIn.issueAuthCode({ userType: 'Location', companyId: DEMO.companyId, locationId });
  const response = await fetch(`${deps.selfUrl}/oauth/callback?code=${encodeURIComponent(code)}`);
  await response.arrayBuffer();
  if (response.status !== 200) {
    throw new Error(`sandbox: installing ${demo.businessName} failed (the OAuth callback answered ${response.status})`);
  }
  const installed = await locations.get(locationId);
  if (!installed || installed.status !== 'installed') throw new Error(`sandbox: the OAuth callback did not install ${demo.businessName}`);
  if (firstInstall) {
    if (demo.route === 'twilio') {
      await twilioAccounts.save(locationId, { credentials: { ...TWILIO_DEMO.twilio }, messagingServiceSid: null, fromNumber: demo.number }, app.clock.now());
    }
    const settings = mergeSettings(installed.settings, { textBackPolicy: 'send-immediately', ...(demo.route === 'twilio' ? { provider: 'twilio' as const } : {}) });
    await locations.saveSettings(locationId, settings, app.clock.now());
  }
  await deps.post({
    type: 'INSTALL', appId: deps.appId, locationId, companyId: DEMO.companyId, userId: DEMO.user.userId,
    companyName: DEMO.companyName, ...webhookEnvelope(app.clock.now()),
  });
  await deps.post({ type: 'LocationUpdate', id: locationId, locationId, name: demo.businessName, ...webhookEnvelope(app.clock.now()) });
  deps.logger.info({ locationId, firstInstall }, 'sandbox: demo sub-account installed through the OAuth callback');
}

/** Runs due jobs until none is left (the background worker may be draining at the same time). */
async function settle(app: ComposedApp): Promise<void> {
  let idle = 0;
  for (let round = 0; round < 20 && idle < 2; round++) idle = (await app.worker.runDue()) === 0 ? idle + 1 : 0;
}
