// Sessions for integration tests: HighLevel's encrypted user context, exchanged through the real POST /api/session.
import { encryptUserContext } from '../../src/highlevel/sso.js';
import type { Harness } from './harness.js';

export interface ContextFields {
  userId?: string;
  companyId?: string;
  role?: string;
  type?: string;
  userName?: string;
  activeLocation?: string | undefined;
}

/** The payload HighLevel's parent page hands the iframe, encrypted with the app's Shared Secret. */
export function userContextPayload(h: Harness, fields: ContextFields = {}): string {
  const context = { userId: 'user-1', companyId: 'company-1', role: 'admin', type: 'agency', userName: 'Pat Admin', email: 'pat@example.com', ...fields };
  if ('activeLocation' in fields && fields.activeLocation === undefined) delete (context as Record<string, unknown>).activeLocation;
  return encryptUserContext(context, h.config.highLevel.sharedSecret);
}

/** A location session token for `locationId`, through the real exchange. */
export async function locationToken(h: Harness, locationId: string, fields: ContextFields = {}): Promise<string> {
  const res = await h.http.post('/api/session').send({ payload: userContextPayload(h, { activeLocation: locationId, ...fields }) });
  if (res.status !== 200) throw new Error(`session exchange failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** An agency session token for `companyId` (the company must be installed: see seedCompany). */
export async function agencyToken(h: Harness, companyId: string, fields: ContextFields = {}): Promise<string> {
  const res = await h.http.post('/api/agency-session').send({ payload: userContextPayload(h, { companyId, activeLocation: undefined, ...fields }) });
  if (res.status !== 200) throw new Error(`agency session exchange failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** An agency install: its Company token and companies row (on either engine). */
export async function seedCompany(h: Harness, companyId: string): Promise<void> {
  const now = h.clock.now();
  await h.app.storage.tokens.save({ ownerId: companyId, ownerType: 'Company', companyId, accessToken: `token-${companyId}`, refreshToken: `refresh-${companyId}`, expiresAt: now + 365 * 86_400_000 }, now);
  await h.sql.run('INSERT INTO companies (company_id, name, installed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', companyId, 'Agency', now);
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
