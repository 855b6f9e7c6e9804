// HighLevel's OAuth endpoints: code exchange, refresh (refresh tokens rotate) and agency → location token minting.
import axios, { isAxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { z } from 'zod';
import type { OwnerType, TokenGrant } from '../store/tokens.js';

const LOCATION_TOKEN_VERSION = '2021-07-28';

/** What /oauth/token and /oauth/locationToken answer; unknown fields pass through, absent optional ones are tolerated. */
export const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  // ≈ 86399 s; a missing value is treated as a day: the API client's 401 handling corrects a wrong guess.
  expires_in: z.coerce.number().positive().default(86_399),
  refresh_token: z.string().min(1).nullish(),
  scope: z.string().nullish(),
  userType: z.string().nullish(),
  locationId: z.string().nullish(),
  companyId: z.string().nullish(),
  userId: z.string().nullish(),
  planId: z.string().nullish(),
  approvedLocations: z.array(z.string()).nullish(),
  isBulkInstallation: z.boolean().nullish(),
  installToFutureLocations: z.boolean().nullish(),
  approveAllLocations: z.boolean().nullish(),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

/**
 * A failed OAuth call. `code` is HighLevel's OAuth error ('invalid_grant', 'invalid_client', …) when it gave one,
 * else 'network' (no answer), 'server' (5xx), 'rate_limited' (429), 'unauthorized' (401 on a bearer call),
 * 'invalid_response' (2xx that does not parse) or 'http_<status>'.
 */
export class OAuthError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number | null,
    readonly retryable: boolean,
    readonly traceId?: string,
  ) {
    super(message);
    this.name = 'OAuthError';
  }
}

export interface OAuthClientOptions {
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  http?: AxiosInstance;
  timeoutMs?: number;
}

export type OAuthClient = ReturnType<typeof createOAuthClient>;

export function createOAuthClient(options: OAuthClientOptions) {
  const http = options.http ?? axios.create();
  const apiUrl = options.apiUrl.replace(/\/+$/, '');

  async function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<TokenResponse> {
    let response: AxiosResponse;
    try {
      response = await http.post(`${apiUrl}${path}`, new URLSearchParams(form).toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...headers },
        timeout: options.timeoutMs ?? 15_000,
        validateStatus: () => true,
      });
    } catch (error) {
      const code = isAxiosError(error) ? error.code : undefined;
      throw new OAuthError(`HighLevel ${path} unreachable (${code ?? 'network error'})`, 'network', null, true);
    }
    if (response.status >= 200 && response.status < 300) {
      const parsed = TokenResponseSchema.safeParse(response.data);
      if (parsed.success) return parsed.data;
      throw new OAuthError(`HighLevel ${path} answered an unexpected body`, 'invalid_response', response.status, true, traceIdOf(response));
    }
    throw errorFrom(path, response);
  }

  return {
    /** Trades the install's authorization code for a token; HighLevel infers the user type from the code. */
    exchangeCode(code: string): Promise<TokenResponse> {
      return post('/oauth/token', {
        client_id: options.clientId, client_secret: options.clientSecret, grant_type: 'authorization_code',
        code, redirect_uri: options.redirectUri,
      });
    },
    /** Rotates the pair: the returned refresh_token replaces the one sent, which dies. */
    refresh(refreshToken: string, userType: OwnerType): Promise<TokenResponse> {
      return post('/oauth/token', {
        client_id: options.clientId, client_secret: options.clientSecret, grant_type: 'refresh_token',
        refresh_token: refreshToken, user_type: userType,
      });
    },
    /** A Location token minted from an agency (Company) token; it carries no refresh token. */
    mintLocationToken(companyAccessToken: string, companyId: string, locationId: string): Promise<TokenResponse> {
      return post('/oauth/locationToken', { companyId, locationId }, {
        Authorization: `Bearer ${companyAccessToken}`, Version: LOCATION_TOKEN_VERSION,
      });
    },
  };
}

/** The grant to store for a token response: owned by its location, or by its company for Company tokens. */
export function toTokenGrant(response: TokenResponse, now: number): TokenGrant {
  const ownerType: OwnerType = response.userType === 'Company' ? 'Company' : 'Location';
  const ownerId = ownerType === 'Company' ? response.companyId : response.locationId;
  if (!ownerId) throw new OAuthError(`token response names no ${ownerType === 'Company' ? 'companyId' : 'locationId'}`, 'invalid_response', 200, false);
  return {
    ownerId, ownerType, companyId: response.companyId ?? null,
    accessToken: response.access_token, refreshToken: response.refresh_token ?? null,
    expiresAt: now + response.expires_in * 1000, scope: response.scope ?? null, userId: response.userId ?? null,
  };
}

const INVALID_GRANT = /invalid[\s_-]*grant|refresh[\s_-]*token.*\b(invalid|expired|revoked|not found)\b|\b(invalid|expired|revoked)\b.*refresh[\s_-]*token/i;
const INVALID_CLIENT = /invalid[\s_-]*client|client[\s_-]*(credentials|secret)/i;

function errorFrom(path: string, response: AxiosResponse): OAuthError {
  const status = response.status;
  const body: Record<string, unknown> = response.data && typeof response.data === 'object' ? response.data : {};
  const oauthCode = typeof body.error === 'string' ? body.error : '';
  const text = [body.error_description, body.message].flat().filter((part) => typeof part === 'string').join('; ');
  const message = `HighLevel ${path} answered ${status}${text ? `: ${text}` : oauthCode ? `: ${oauthCode}` : ''}`;
  const traceId = traceIdOf(response);
  // HighLevel answers a dead refresh token either OAuth-style ({error:"invalid_grant"}) or Nest-style
  // ({statusCode:400|401, message:"…invalid grant…"}).
  if (oauthCode === 'invalid_grant' || (status >= 400 && status < 500 && INVALID_GRANT.test(text))) {
    return new OAuthError(message, 'invalid_grant', status, false, traceId);
  }
  if (oauthCode === 'invalid_client' || ((status === 400 || status === 401) && INVALID_CLIENT.test(text))) {
    return new OAuthError(message, 'invalid_client', status, false, traceId);
  }
  if (status === 429) return new OAuthError(message, 'rate_limited', status, true, traceId);
  if (status >= 500) return new OAuthError(message, 'server', status, true, traceId);
  if (status === 401) return new OAuthError(message, 'unauthorized', status, false, traceId);
  const code = /^[a-z_]+$/.test(oauthCode) ? oauthCode : `http_${status}`;
  return new OAuthError(message, code, status, false, traceId);
}

function traceIdOf(response: AxiosResponse): string | undefined {
  const fromBody = response.data && typeof response.data === 'object' ? (response.data as { traceId?: unknown }).traceId : undefined;
  const fromHeader = response.headers?.['x-trace-id'] ?? response.headers?.['traceid'];
  const value = typeof fromBody === 'string' ? fromBody : fromHeader;
  return typeof value === 'string' ? value : undefined;
}
