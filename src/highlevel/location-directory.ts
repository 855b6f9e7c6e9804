// The workflow's LocationDirectory over HighLevel: profile from the location, sending numbers from the phone system.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { HighLevelApiError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { LocationDirectory } from '../workflow/ports/services.js';
import type { HighLevelApi } from './api-client.js';

type LocationsApi = Pick<HighLevelApi, 'getLocation' | 'listLocationNumbers'>;

export function createLocationDirectory(deps: { api: LocationsApi; logger: Logger }): LocationDirectory {
  const { api, logger } = deps;
  return {
    async getProfile(locationId) {
      const location = await api.getLocation(locationId);
      const phone = toE164(location.phone);
      let numbers: string[];
      try {
        numbers = (await api.listLocationNumbers(locationId)).map(toE164).filter((n): n is string => n !== null);
      } catch (error) {
        // Installs made before the phonenumbers.read scope was added cannot list numbers: the location's phone stands in.
        if (!(error instanceof HighLevelApiError && (error.status === 401 || error.status === 403))) throw error;
        logger.warn({ locationId, status: error.status, traceId: error.traceId }, 'cannot list location numbers; using the location phone');
        numbers = phone ? [phone] : [];
      }
      return { name: location.name ?? '', timeZone: location.timezone ?? '', phone, numbers: [...new Set(numbers)] };
    },
  };
}

function toE164(raw: string | null): string | null {
  return raw ? (parsePhoneNumberFromString(raw, 'US')?.number ?? null) : null;
}
