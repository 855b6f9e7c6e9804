// The location's suppression list: search it (each number with its sources and who may lift it), add a number by hand
// (its pending texts are cancelled at once), and lift one with a reason when this user may (403 with the reason when
// not). Changes land in the suppression history (the user as actor) and the audit trail.
import { Router } from 'express';
import { z } from 'zod';
import type { WorkflowDeps } from '../workflow/deps.js';
import type { SuppressionStorePort } from '../store/storage.js';
import { liftByHand, suppressByHand } from '../workflow/manual-suppression.js';
import { judgeLift } from '../workflow/opt-out-ownership.js';
import { requireLocationSession } from './require-session.js';
import type { Session, SessionTokens } from './session-tokens.js';
import { parseOr422 } from './validation.js';
import { PhoneFieldSchema } from './phone-field.js';

export interface SuppressionRoutesDeps {
  sessionTokens: SessionTokens;
  workflow: WorkflowDeps;
  suppressions: Pick<SuppressionStorePort, 'list'>;
}

const ListQuerySchema = z.object({
  search: z.string().trim().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
const ReasonSchema = z.string().trim().min(1, 'Say why').max(500);
const AddSchema = z.object({ phone: PhoneFieldSchema, reason: ReasonSchema.optional() });
const LiftSchema = z.object({ phone: PhoneFieldSchema, reason: ReasonSchema });

/** HighLevel's user context says `role: admin` for a location admin; anyone else signed in is staff. */
const lifterOf = (session: Session) => (session.role === 'admin' ? 'admin' : 'staff') as 'admin' | 'staff';

export function suppressionRoutes(deps: SuppressionRoutesDeps): Router {
  const router = Router();
  const guard = requireLocationSession(deps.sessionTokens);
  const base = '/api/locations/:locationId/suppressions';

  router.get(base, guard, async (req, res) => {
    const query = parseOr422(ListQuerySchema, req.query, res);
    if (!query) return;
    const page = await deps.suppressions.list(req.params.locationId as string, { search: query.search ?? null, limit: query.limit, offset: query.offset });
    const lifter = lifterOf(req.session!);
    // Per number: every source holding it, who may lift it and why, and whether this user may.
    res.json({
      ...page,
      items: page.items.map((item) => {
        const verdict = judgeLift(item.sources.map((hold) => hold.source), lifter);
        return { ...item, lift: { allowed: verdict.allowed, by: verdict.liftableBy, reason: verdict.reason } };
      }),
    });
  });

  router.post(base, guard, async (req, res) => {
    const input = parseOr422(AddSchema, req.body, res);
    if (!input) return;
    const added = await suppressByHand(deps.workflow, {
      locationId: req.params.locationId as string, phone: input.phone, reason: input.reason ?? null, actor: req.session!.userId,
    });
    res.status(201).json({ phone: input.phone, added });
  });

  router.delete(`${base}/:phone`, guard, async (req, res) => {
    const reason = (req.body as { reason?: unknown } | undefined)?.reason ?? req.query.reason;
    const input = parseOr422(LiftSchema, { phone: req.params.phone, reason }, res);
    if (!input) return;
    const result = await liftByHand(deps.workflow, {
      locationId: req.params.locationId as string, phone: input.phone, reason: input.reason, actor: req.session!.userId, lifter: lifterOf(req.session!),
    });
    if (result.outcome === 'not-suppressed') return void res.status(404).json({ error: 'not_found', message: 'This number is not on the suppression list.' });
    if (result.outcome === 'locked') {
      return void res.status(403).json({ error: 'opt_out_locked', message: result.verdict.reason, sources: result.sources, liftableBy: result.verdict.liftableBy });
    }
    res.json({ phone: input.phone, lifted: true, sources: result.sources });
  });

  return router;
}
