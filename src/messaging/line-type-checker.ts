// The workflow's LineTypeChecker: the location's own 180-day cache first, then (when it asks for it) a Twilio Lookup v2.
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { LineType } from '../store/line-types.js';
import type { TwilioCredentials } from '../store/twilio-accounts.js';
import type { Awaitable } from '../lib/awaitable.js';
import type { LineTypeCachePort } from '../store/storage.js';
import type { LineTypeChecker } from '../workflow/ports/services.js';
import type { TwilioClients } from './twilio-client.js';

export interface LineTypeCheckerDeps {
  cache: Pick<LineTypeCachePort, 'get' | 'remember'>;
  /** The location's own Twilio account, else the app-wide one; null: no lookup possible. */
  lookupCredentials(locationId: string): Awaitable<TwilioCredentials | null>;
  clients: TwilioClients;
  clock: Clock;
  logger: Logger;
}

/** Lookup v2 line_type_intelligence types → what the app cares about. */
function toLineType(type: string | undefined): LineType | null {
  if (!type) return null;
  if (type === 'landline') return 'landline';
  if (type === 'mobile') return 'mobile';
  if (type === 'fixedVoip' || type === 'nonFixedVoip') return 'voip';
  return 'other';
}

export function createLineTypeChecker(deps: LineTypeCheckerDeps): LineTypeChecker {
  async function lookUp(credentials: TwilioCredentials, phone: string): Promise<LineType | null> {
    const result = await deps.clients.clientFor(credentials).lookups.v2.phoneNumbers(phone).fetch({ fields: 'line_type_intelligence' });
    return toLineType(result.lineTypeIntelligence?.type);
  }

  return {
    async isLandline({ locationId, phone, settings, lookupAllowed, known: read }) {
      const known = read !== undefined ? read : (await deps.cache.get(locationId, phone, deps.clock.now()))?.lineType ?? null;
      if (known) return known === 'landline';
      if (!settings.landlineCheck || lookupAllowed === false) return false;
      const credentials = await deps.lookupCredentials(locationId);
      if (!credentials) return false;
      try {
        const lineType = await lookUp(credentials, phone);
        if (!lineType) return false;
        await deps.cache.remember(locationId, phone, lineType, 'lookup', deps.clock.now());
        return lineType === 'landline';
      } catch (error) {
        // A lookup is an optimisation: when it fails the text goes out, and a landline teaches us by its error.
        deps.logger.warn({ locationId, err: error }, 'line type lookup failed; texting without it');
        return false;
      }
    },
  };
}
