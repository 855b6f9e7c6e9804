// GET activity (what happened, newest first, paged by cursor) and GET stats (per day in the location's time zone).
import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../lib/clock.js';
import { decodeCursor, encodeCursor } from '../store/activity.js';
import { sumCounts } from '../store/stats.js';
import type { ActivityLogPort, LocationStorePort, StatsStorePort } from '../store/storage.js';
import { readWallClock, resolveWallClock } from '../workflow/send-window.js';
import { requireLocationSession } from './require-session.js';
import type { SessionTokens } from './session-tokens.js';
import { parseOr422 } from './validation.js';

export interface ActivityRoutesDeps {
  sessionTokens: SessionTokens;
  locations: Pick<LocationStorePort, 'get'>;
  activity: ActivityLogPort;
  stats: StatsStorePort;
  clock: Clock;
}

const FALLBACK_TIME_ZONE = 'America/New_York';
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

const ActivityQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(200).optional().transform((cursor, ctx) => {
    if (cursor === undefined || cursor === '') return null;
    const position = decodeCursor(cursor);
    if (!position) ctx.addIssue({ code: 'custom', message: 'Not a cursor this API handed out' });
    return position;
  }),
});

const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Expected YYYY-MM-DD', abort: true })
  .refine((date) => toUtcDay(date) !== null, 'Not a calendar date');

const StatsQuerySchema = z.object({ from: DateSchema.optional(), to: DateSchema.optional() });

/** Midnight UTC of a YYYY-MM-DD date, or null when it is not a calendar date. */
function toUtcDay(date: string): number | null {
  const at = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== date ? null : at;
}
const daysBetween = (from: string, to: string) => Math.round((toUtcDay(to)! - toUtcDay(from)!) / 86_400_000);
const addDays = (date: string, days: number) => new Date(toUtcDay(date)! + days * 86_400_000).toISOString().slice(0, 10);

export function activityRoutes(deps: ActivityRoutesDeps): Router {
  const router = Router();
  const guard = requireLocationSession(deps.sessionTokens);
  const base = '/api/locations/:locationId';

  router.get(`${base}/activity`, guard, async (req, res) => {
    const query = parseOr422(ActivityQuerySchema, req.query, res);
    if (!query) return;
    const page = await deps.activity.page(req.params.locationId as string, { limit: query.limit, before: query.before });
    res.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
  });

  router.get(`${base}/stats`, guard, async (req, res) => {
    const query = parseOr422(StatsQuerySchema, req.query, res);
    if (!query) return;
    const location = await deps.locations.get(req.params.locationId as string);
    if (!location) return void res.status(404).json({ error: 'not_found', message: 'This location is unknown.' });
    const timeZone = location.settings.timeZone ?? location.timeZone ?? FALLBACK_TIME_ZONE;
    const today = readWallClock(deps.clock.now(), timeZone);
    const to = query.to ?? `${today.year}-${String(today.month).padStart(2, '0')}-${String(today.day).padStart(2, '0')}`;
    const from = query.from ?? addDays(to, -(DEFAULT_DAYS - 1));
    if (from > to) return void res.status(422).json({ error: 'invalid', issues: [{ field: 'from', message: 'from must not be after to' }] });
    if (daysBetween(from, to) >= MAX_DAYS) {
      return void res.status(422).json({ error: 'invalid', issues: [{ field: 'from', message: `At most ${MAX_DAYS} days at once` }] });
    }

    // Day i is [its local midnight, the next one): 23 or 25 hours long across a DST change.
    const dates = Array.from({ length: daysBetween(from, to) + 1 }, (_, i) => addDays(from, i));
    const edges = [...dates, addDays(to, 1)].map((date) =>
      resolveWallClock(timeZone, Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), 0));
    const days = (await deps.stats.buckets(location.locationId, edges)).map((counts, i) => ({ date: dates[i], ...counts }));
    res.json({ from, to, timeZone, totals: sumCounts(days), days });
  });

  return router;
}
