// Whose opt-out it is: an opt-out the caller proved is lifted only by the caller; one that proves nothing about who
// asked may be lifted by a location admin (with a reason) or follows HighLevel's DND; staff may lift what staff added.
import type { SuppressionSource } from './ports/storage.js';

/** Who asks to lift: the caller themself (START…), a location admin, any other signed-in user, or HighLevel's DND. */
export type Lifter = 'caller' | 'admin' | 'staff' | 'highlevel-dnd';

/** The least a lifter must be to lift a source; a caller may lift any of them. */
type Needs = 'caller' | 'admin' | 'staff';

const NEEDS: Record<SuppressionSource, Needs> = {
  keyword: 'caller',
  link: 'caller',
  provider: 'caller',
  web: 'admin',
  dnd: 'admin',
  manual: 'staff',
};

/** Why each source is held, in the words the settings page shows. */
const EXPLANATION: Record<SuppressionSource, string> = {
  keyword: 'The caller texted STOP: only they can opt back in, by texting START.',
  link: 'The caller opted out with their personal link: only they can opt back in, by texting START.',
  provider: 'The carrier reported that this caller opted out: only they can opt back in, by texting START.',
  web: 'Someone typed this number into the web opt-out form, which proves nothing about who asked: an admin can remove it, with a reason.',
  dnd: 'Do Not Disturb is on for this contact in HighLevel: it is lifted when DND is turned off there, or an admin can remove it, with a reason.',
  manual: 'Added by your team: anyone on your team can remove it, with a reason.',
};

export const SOURCE_LABEL: Record<SuppressionSource, string> = {
  keyword: 'Texted STOP',
  link: 'Personal opt-out link',
  provider: 'Carrier report',
  web: 'Web opt-out form',
  dnd: 'HighLevel Do Not Disturb',
  manual: 'Added by your team',
};

const RANK: Record<Needs, number> = { staff: 0, admin: 1, caller: 2 };

export function mayLiftSource(source: SuppressionSource, lifter: Lifter): boolean {
  if (lifter === 'caller') return true;
  if (lifter === 'highlevel-dnd') return source === 'dnd';
  const needs = NEEDS[source];
  return needs === 'staff' || (needs === 'admin' && lifter === 'admin');
}

export interface LiftVerdict {
  allowed: boolean;
  /** The source that decides who may lift (the strictest one holding the number); null when none holds it. */
  lockedBy: SuppressionSource | null;
  /** Who may lift the number as a whole: the caller only, an admin (or the caller), or anyone on the team. */
  liftableBy: Needs | null;
  /** Why, in plain words: the strictest source's explanation. */
  reason: string;
}

/** Whether `lifter` may lift a number held by `sources`: all of them or nothing. */
export function judgeLift(sources: readonly SuppressionSource[], lifter: Lifter): LiftVerdict {
  const strictest = [...sources].sort((a, b) => RANK[NEEDS[b]] - RANK[NEEDS[a]])[0] ?? null;
  if (strictest === null) return { allowed: true, lockedBy: null, liftableBy: null, reason: 'This number is not on the opt-out list.' };
  return {
    allowed: sources.every((source) => mayLiftSource(source, lifter)),
    lockedBy: strictest,
    liftableBy: NEEDS[strictest],
    reason: EXPLANATION[strictest],
  };
}
