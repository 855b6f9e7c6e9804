// Suppressions a signed-in user makes by hand: adding a number stops everything pending for it at once, exactly as
// an opt-out does; lifting one needs a reason and the right to lift each source holding it. Both are kept in the
// suppression history and the audit trail.
import { maskPhone } from '../lib/phone.js';
import type { WorkflowDeps } from './deps.js';
import { judgeLift, type LiftVerdict } from './opt-out-ownership.js';
import type { SuppressionSource } from './ports/storage.js';

/** What a suppression by hand touches: the list, the pending jobs to the number, the audit trail, the time. */
export type ManualSuppressionDeps = Pick<WorkflowDeps, 'clock' | 'suppressions' | 'scheduler' | 'audit'>;

/** `phone` is E.164 already. Returns whether the number was not suppressed before. */
export async function suppressByHand(deps: ManualSuppressionDeps, input: { locationId: string; phone: string; reason: string | null; actor: string }): Promise<boolean> {
  const { locationId, phone } = input;
  const now = deps.clock.now();
  // Suppress first: from this line on nothing can text the number.
  const added = await deps.suppressions.suppress({ locationId, phone, source: 'manual', reason: input.reason ?? 'added by hand', actor: input.actor }, now);
  const cancelled = await deps.scheduler.cancel({ locationId, subject: phone });
  await deps.audit.record({ locationId, actor: input.actor, action: 'suppression.add', detail: { phone: maskPhone(phone), added, cancelledJobs: cancelled } }, now);
  return added;
}

export type LiftByHandResult =
  | { outcome: 'lifted'; sources: SuppressionSource[] }
  | { outcome: 'not-suppressed' }
  /** Refused: nothing changed. */
  | { outcome: 'locked'; verdict: LiftVerdict; sources: SuppressionSource[] };

/**
 * Lifts every source holding the number, or nothing: a source the lifter may not lift (src/workflow/opt-out-ownership.ts)
 * refuses the whole lift. `force` (an operator's explicit override, with a reason) lifts anyway and is audited as such.
 */
export async function liftByHand(
  deps: ManualSuppressionDeps,
  input: { locationId: string; phone: string; reason: string; actor: string; lifter: 'admin' | 'staff'; force?: boolean },
): Promise<LiftByHandResult> {
  const { locationId, phone } = input;
  const now = deps.clock.now();
  const sources = (await deps.suppressions.holdsOf(locationId, phone)).map((hold) => hold.source);
  if (sources.length === 0 && !(await deps.suppressions.isSuppressed(locationId, phone))) return { outcome: 'not-suppressed' };
  const verdict = judgeLift(sources, input.lifter);
  if (!verdict.allowed && !input.force) return { outcome: 'locked', verdict, sources };
  const lifted = await deps.suppressions.lift({ locationId, phone, reason: input.reason, actor: input.actor }, now);
  if (!lifted) return { outcome: 'not-suppressed' };
  const forced = !verdict.allowed;
  await deps.audit.record({ locationId, actor: input.actor, action: 'suppression.lift', detail: { phone: maskPhone(phone), sources, ...(forced ? { forced: true, reason: input.reason } : {}) } }, now);
  return { outcome: 'lifted', sources };
}
