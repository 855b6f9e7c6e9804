// GET/DELETE /api/locations/:locationId/data?phone=…: a person's copy of their data (JSON or CSV) and its erasure.
// Both are audited with the signed-in user and the masked number; answers are never cached.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Clock } from '../lib/clock.js';
import { maskPhone } from '../lib/phone.js';
import type { AuditLog } from '../workflow/ports/storage.js';
import type { DataRightsPort } from '../store/storage.js';
import { exportToCsv } from '../store/data-export-csv.js';
import { requireAdmin, requireLocationSession } from './require-session.js';
import type { SessionTokens } from './session-tokens.js';
import { parseOr422 } from './validation.js';
import { PhoneFieldSchema } from './phone-field.js';

export interface DataApiDeps {
  sessionTokens: SessionTokens;
  dataRights: DataRightsPort;
  audit: AuditLog;
  clock: Clock;
}

/** An unencoded "+" in a query string arrives as a space ("?phone=+1555…" → " 1555…"): put it back. */
export function restorePlus(raw: string): string {
  return /^\s+\d/.test(raw) ? `+${raw.trim()}` : raw;
}

const PhoneSchema = z.string({ error: 'Enter a phone number' }).transform(restorePlus).pipe(PhoneFieldSchema);

export const ExportQuerySchema = z.object({ phone: PhoneSchema, format: z.enum(['json', 'csv']).default('json') });
export const EraseQuerySchema = z.object({ phone: PhoneSchema });

export function dataRoutes(deps: DataApiDeps): Router {
  const router = Router();
  // A person's whole record leaves, or is destroyed: only a sub-account admin may do either.
  const session = requireLocationSession(deps.sessionTokens);
  const admin = requireAdmin("Only a sub-account admin can export or erase a person's data. Ask an admin of this sub-account.");
  const actor = (req: Request) => req.session!.userId;

  router.get('/api/locations/:locationId/data', session, admin, async (req, res) => {
    const query = parseOr422(ExportQuerySchema, req.query, res);
    if (!query) return;
    const locationId = req.params.locationId as string;
    const now = deps.clock.now();
    const data = await deps.dataRights.exportNumber(locationId, query.phone, now);
    await deps.audit.record({
      locationId, actor: actor(req), action: 'data.export',
      detail: { phone: maskPhone(query.phone), format: query.format, calls: data.calls.length, messages: data.messages.length, replies: data.replies.length },
    }, now);
    res.set('Cache-Control', 'no-store');
    if (query.format === 'csv') {
      const file = `textback-${locationId.replace(/[^\w-]/g, '_')}-${maskPhone(query.phone).replace(/\*/g, '')}.csv`;
      res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${file}"`).send(exportToCsv(data));
      return;
    }
    res.json(data);
  });

  router.delete('/api/locations/:locationId/data', session, admin, async (req, res) => {
    const query = parseOr422(EraseQuerySchema, req.query, res);
    if (!query) return;
    const locationId = req.params.locationId as string;
    const erased = await deps.dataRights.eraseNumber(locationId, query.phone);
    const now = deps.clock.now();
    const suppression = await deps.dataRights.suppressionOf(locationId, query.phone);
    await deps.audit.record({ locationId, actor: actor(req), action: 'data.erase', detail: { phone: maskPhone(query.phone), ...erased, suppressionKept: suppression.suppressed } }, now);
    res.set('Cache-Control', 'no-store').json({ erased, suppression });
  });

  return router;
}
