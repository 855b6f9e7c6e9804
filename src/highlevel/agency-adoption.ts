// Finds the agency install that covers a sub-account the app has not seen an INSTALL for, by minting its token.
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { TokenStore } from '../store/tokens.js';
import type { AccessTokens } from './access-tokens.js';
import { OAuthError, toTokenGrant, type OAuthClient } from './oauth-client.js';

export function createAgencyAdoption(deps: {
  tokens: Pick<TokenStore, 'activeCompanyIds' | 'save'>;
  accessTokens: Pick<AccessTokens, 'forCompany'>;
  oauth: Pick<OAuthClient, 'mintLocationToken'>;
  clock: Clock;
  logger: Logger;
}) {
  return async function adoptFromAgency(locationId: string): Promise<{ companyId: string } | null> {
    for (const companyId of deps.tokens.activeCompanyIds()) {
      try {
        const companyToken = await deps.accessTokens.forCompany(companyId);
        const minted = await deps.oauth.mintLocationToken(companyToken, companyId, locationId);
        deps.tokens.save({ ...toTokenGrant({ ...minted, userType: 'Location', locationId, companyId }, deps.clock.now()), refreshToken: null }, deps.clock.now());
        deps.logger.info({ locationId, companyId }, 'sub-account adopted from its agency install');
        return { companyId };
      } catch (error) {
        // A 400/401/403 means this agency does not cover the location (or did not install the app there): try the next.
        if (error instanceof OAuthError && error.retryable) throw error;
      }
    }
    return null;
  };
}
