// Suppressions a signed-in user makes by hand: adding a number stops everything pending for it at once, exactly as
// an opt-out does; lifting one needs a reason. Both are kept in the suppression history and the audit trail.
import { maskPhone } from '../lib/phone.js';
import type { WorkflowDeps } from './deps.js';

/** `phone` is E.164 already. Returns whether the number was not suppressed before. */
export async function suppressByHand(deps: WorkflowDeps, input: { locationId: string; phone: string; reason: string | null; actor: string }): Promise<boolean> {
  const { locationId, phone } = input;
  const now = deps.clock.now();
  // Suppress first: from this line on nothing can text the number.
  const added = await deps.suppressions.suppress({ locationId, phone, source: 'manual', reason: input.reason ?? 'added by hand', actor: input.actor }, now);
  const cancelled = await deps.scheduler.cancel({ locationId, subject: phone });
  await deps.audit.record({ locationId, actor: input.actor, action: 'suppression.add', detail: { phone: maskPhone(phone), added, cancelledJobs: cancelled } }, now);
  return added;
}

/** Returns false when the number was not suppressed (nothing changed, nothing recorded). */
export async function liftByHand(deps: WorkflowDeps, input: { locationId: string; phone: string; reason: string; actor: string }): Promise<boolean> {
  const { locationId, phone } = input;
  const now = deps.clock.now();
  const lifted = await deps.suppressions.lift({ locationId, phone, source: 'manual', reason: input.reason, actor: input.actor }, now);
  if (lifted) await deps.audit.record({ locationId, actor: input.actor, action: 'suppression.lift', detail: { phone: maskPhone(phone) } }, now);
  return lifted;
}
