// What the settings page shows about its location beside the settings: profile, connection, plan, and warnings.
import { DAY } from '../lib/clock.js';
import type { Connection, FlagSighting, InstalledLocation } from './ports/storage.js';
import { describePlan, type PlansTable } from './plans.js';
import { NATIVE_TEXTBACK_FLAG } from './native-textback.js';
import { identifyBusiness, templatesNamingNoBusiness, type IdentifyingTemplate } from './business-identity.js';

export interface Warning {
  code: 'needs-reconnect' | 'native-textback' | 'not-installed' | 'business-name-unknown' | 'business-unidentified' | 'templates-name-no-business'
    | 'twilio-not-in-highlevel';
  message: string;
}

/** The page's names for the templates that must name the business. */
const TEMPLATE_LABELS: Record<IdentifyingTemplate, string> = {
  textBackInHours: '“When you’re open”', textBackAfterHours: '“When you’re closed”', followUp: 'the follow-up', help: 'the answer to HELP',
};

/** A sighting of HighLevel's own text-back this recent still warns; once it is off for this long, the warning goes. */
export const NATIVE_TEXTBACK_WARNING_MS = 14 * DAY;

export const WARNING_MESSAGES: Record<Warning['code'], string> = {
  'needs-reconnect': 'HighLevel no longer accepts TextBack\'s authorisation: missed calls are not texted back until an admin '
    + 'reconnects the app (open it from the HighLevel marketplace and install it again).',
  'native-textback': "HighLevel's own Missed Call Text Back also seems to be on: callers may get two texts. "
    + 'Turn it off in HighLevel → Settings → Phone Numbers.',
  'not-installed': 'TextBack is no longer installed in this sub-account: nothing is sent.',
  'business-name-unknown': 'HighLevel has no business name for this sub-account, so texts name the business by its phone number instead. '
    + 'Add the name in HighLevel → Settings → Business Profile.',
  'business-unidentified': 'HighLevel has neither a business name nor a phone number for this sub-account: missed callers are not '
    + 'texted, because a text must say who sends it. Add them in HighLevel → Settings → Business Profile.',
  'twilio-not-in-highlevel': "Texts go out through your Twilio account, so callers' replies do not show in HighLevel's Conversations "
    + "(nor do the texts): read them in TextBack's activity log. TextBack's operator can show them in HighLevel by setting up its conversation channel.",
  'templates-name-no-business': 'Some texts do not name the business. They are still sent, but carriers expect every text to say who '
    + 'sends it: add {{business_name}} to them.',
};

export function describeLocation(input: { location: InstalledLocation; connection: Connection; flags: FlagSighting[]; plans: PlansTable | undefined; now: number; numbers?: string[];
  /** Whether Twilio texts are shown in HighLevel's conversations (the app's conversation channel is configured). */
  conversationChannel?: boolean }) {
  const { location, connection } = input;
  const plan = describePlan(location.planId, input.plans);
  const warnings: Warning[] = [];
  const warn = (code: Warning['code']) => warnings.push({ code, message: WARNING_MESSAGES[code] });
  if (location.status !== 'installed') warn('not-installed');
  if (connection.needsReconnect) warn('needs-reconnect');
  const native = input.flags.find((flag) => flag.flag === NATIVE_TEXTBACK_FLAG);
  if (native && input.now - native.lastSeenAt <= NATIVE_TEXTBACK_WARNING_MS) warn('native-textback');
  // Only once HighLevel was asked: before the first profile read, the name may simply not be fetched yet.
  const identity = identifyBusiness(location, input.numbers ?? []);
  if (location.profileSyncedAt !== null && identity.by === 'phone') {
    warnings.push({ code: 'business-name-unknown', message: WARNING_MESSAGES['business-name-unknown'].replace('its phone number', `its phone number, ${identity.text},`) });
  }
  if (location.profileSyncedAt !== null && identity.by === 'none') warn('business-unidentified');
  if (location.settings.provider === 'twilio' && input.conversationChannel === false) warn('twilio-not-in-highlevel');
  const unnamed = templatesNamingNoBusiness(location.settings.templates, location.name);
  if (unnamed.length > 0) {
    const which = unnamed.map((key) => TEMPLATE_LABELS[key]).join(', ');
    warnings.push({ code: 'templates-name-no-business', message: WARNING_MESSAGES['templates-name-no-business'].replace('Some texts', `Some texts (${which})`) });
  }
  return {
    location: {
      id: location.locationId, name: location.name, timeZone: location.timeZone, status: location.status,
      needsReconnect: connection.needsReconnect, reconnectReason: connection.reconnectReason,
      planId: plan.planId, planName: plan.planName, planKnown: plan.planKnown, features: plan.features,
    },
    warnings,
  };
}
