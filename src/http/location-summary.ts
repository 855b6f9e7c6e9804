// What the settings page shows about its location beside the settings: profile, connection, plan, and warnings.
import { DAY } from '../lib/clock.js';
import type { LocationRecord } from '../store/locations.js';
import type { Connection } from '../store/install-status.js';
import type { FlagSighting } from '../store/location-flags.js';
import { describePlan, type PlansTable } from '../workflow/plans.js';
import { NATIVE_TEXTBACK_FLAG } from '../workflow/native-textback.js';

export interface Warning { code: 'needs-reconnect' | 'native-textback' | 'not-installed'; message: string }

/** A sighting of HighLevel's own text-back this recent still warns; once it is off for this long, the warning goes. */
export const NATIVE_TEXTBACK_WARNING_MS = 14 * DAY;

export const WARNING_MESSAGES: Record<Warning['code'], string> = {
  'needs-reconnect': 'HighLevel no longer accepts TextBack\'s authorisation: missed calls are not texted back until an admin '
    + 'reconnects the app (open it from the HighLevel marketplace and install it again).',
  'native-textback': "HighLevel's own Missed Call Text Back also seems to be on: callers may get two texts. "
    + 'Turn it off in HighLevel → Settings → Phone Numbers.',
  'not-installed': 'TextBack is no longer installed in this sub-account: nothing is sent.',
};

export function describeLocation(input: { location: LocationRecord; connection: Connection; flags: FlagSighting[]; plans: PlansTable | undefined; now: number }) {
  const { location, connection } = input;
  const plan = describePlan(location.planId, input.plans);
  const warnings: Warning[] = [];
  const warn = (code: Warning['code']) => warnings.push({ code, message: WARNING_MESSAGES[code] });
  if (location.status !== 'installed') warn('not-installed');
  if (connection.needsReconnect) warn('needs-reconnect');
  const native = input.flags.find((flag) => flag.flag === NATIVE_TEXTBACK_FLAG);
  if (native && input.now - native.lastSeenAt <= NATIVE_TEXTBACK_WARNING_MS) warn('native-textback');
  return {
    location: {
      id: location.locationId, name: location.name, timeZone: location.timeZone, status: location.status,
      needsReconnect: connection.needsReconnect, reconnectReason: connection.reconnectReason,
      planId: plan.planId, planName: plan.planName, planKnown: plan.planKnown, features: plan.features,
    },
    warnings,
  };
}
