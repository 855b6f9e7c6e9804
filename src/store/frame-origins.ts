// White-label CRM origins learned from INSTALL events: the embedded page may be framed by them (see
// docs/decisions/0007-white-label-frame-ancestors.md). Looked up one origin at a time, so the header never lists them all.
import type { Db } from './db.js';

export type FrameOrigins = ReturnType<typeof createFrameOrigins>;

/**
 * `whitelabelDetails.domain` as a browser names the page's parent: https://host[:port], lower case. Null for anything
 * that is not a plain host name (a path, credentials, a non-https scheme, an IP address, a single label).
 */
export function whiteLabelOrigin(domain: string): string | null {
  const trimmed = domain.trim().toLowerCase().replace(/\/+$/, '');
  if (!trimmed || trimmed.length > 253) return null;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.pathname !== '/' || url.search || url.hash) return null;
  const host = url.hostname;
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(host)) return null;
  return url.origin;
}

export function createFrameOrigins(db: Db) {
  const upsert = db.prepare(`
    INSERT INTO frame_origins (origin, company_id, learned_at) VALUES (@origin, @companyId, @now)
    ON CONFLICT (origin) DO UPDATE SET company_id = COALESCE(excluded.company_id, company_id), learned_at = excluded.learned_at`);
  const known = db.prepare('SELECT 1 FROM frame_origins WHERE origin = ?').pluck();

  return {
    /** Returns the origin learned, or null when the domain is not a usable host name. */
    learn(domain: string, companyId: string | null, now: number): string | null {
      const origin = whiteLabelOrigin(domain);
      if (origin) upsert.run({ origin, companyId, now });
      return origin;
    },
    has(origin: string): boolean {
      return known.get(origin) === 1;
    },
  };
}
