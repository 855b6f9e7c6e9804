// The embedded page's short-lived session tokens: HS256 JWTs, algorithm pinned, audience and issuer checked.
import { hkdfSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { Awaitable } from '../lib/awaitable.js';

const ISSUER = 'textback';
export const LOCATION_AUDIENCE = 'textback:location';
export const AGENCY_AUDIENCE = 'textback:agency';
const MAX_TTL_SECONDS = 3600;

const ClaimsSchema = z.object({
  sub: z.string().min(1),
  aud: z.string(),
  name: z.string().optional(),
  role: z.string().optional(),
  loc: z.string().optional(),
  cid: z.string().optional(),
  exp: z.number(),
});

export interface Session {
  userId: string;
  userName: string | null;
  role: string | null;
  scope: 'location' | 'agency';
  /** Set for location sessions: the one location this token may act on. */
  locationId: string | null;
  companyId: string | null;
  expiresAt: number;
}

export type SessionTokens = ReturnType<typeof createSessionTokens>;

/**
 * The signing key is derived from ENCRYPTION_KEY, so no further secret needs configuring. `stillActive` is asked on
 * every request (require-session.ts): a location session ends when its location is uninstalled, an agency session
 * when its agency install is gone, whatever the token's expiry says.
 */
export function createSessionTokens(
  encryptionKey: string,
  options: { ttlSeconds?: number; now?: () => number; stillActive?: (session: Session) => Awaitable<boolean> } = {},
) {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(encryptionKey, 'base64'), Buffer.alloc(0), 'textback session tokens v1', 32));
  const ttl = Math.min(options.ttlSeconds ?? MAX_TTL_SECONDS, MAX_TTL_SECONDS);
  const now = options.now ?? Date.now;

  return {
    /** Whether the install the session acts for is still there (always true when no check was configured). */
    stillActive: (session: Session): Awaitable<boolean> => options.stillActive?.(session) ?? true,
    issue(session: Omit<Session, 'expiresAt'>): { token: string; expiresAt: number } {
      const issuedAt = Math.floor(now() / 1000);
      const expiresAt = (issuedAt + ttl) * 1000;
      const claims = {
        sub: session.userId, name: session.userName ?? undefined, role: session.role ?? undefined,
        loc: session.locationId ?? undefined, cid: session.companyId ?? undefined, iat: issuedAt, exp: issuedAt + ttl,
      };
      const token = jwt.sign(claims, key, {
        algorithm: 'HS256', issuer: ISSUER, audience: session.scope === 'location' ? LOCATION_AUDIENCE : AGENCY_AUDIENCE,
      });
      return { token, expiresAt };
    },
    /** Null for anything not a valid, unexpired token of the given scope. */
    verify(token: string, scope: 'location' | 'agency'): Session | null {
      try {
        const decoded = jwt.verify(token, key, {
          algorithms: ['HS256'], issuer: ISSUER, audience: scope === 'location' ? LOCATION_AUDIENCE : AGENCY_AUDIENCE,
          clockTimestamp: Math.floor(now() / 1000),
        });
        const claims = ClaimsSchema.parse(decoded);
        if (scope === 'location' && !claims.loc) return null;
        if (scope === 'agency' && !claims.cid) return null;
        return {
          userId: claims.sub, userName: claims.name ?? null, role: claims.role ?? null, scope,
          locationId: claims.loc ?? null, companyId: claims.cid ?? null, expiresAt: claims.exp * 1000,
        };
      } catch {
        return null;
      }
    },
  };
}
