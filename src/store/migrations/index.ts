// The schema's history, in order: migration N brings user_version from N-1 to N. Append only; never edit a shipped one.
import { sql as initial } from './001-initial.js';
import { sql as locationFlags } from './002-location-flags.js';
import { sql as twilio } from './003-twilio.js';
import { sql as installEdges } from './004-install-edges.js';
import { sql as dndAndOptOuts } from './005-dnd-and-opt-outs.js';
import { sql as trust } from './006-trust.js';
import { sql as businessIdentity } from './007-business-identity.js';
import { sql as queueFairness } from './008-queue-fairness.js';
import { sql as webhookDedupe } from './009-webhook-dedupe.js';
import { sql as conversationChannel } from './010-conversation-channel.js';
import { sql as sharedPacing } from './011-shared-pacing.js';
import { sql as reserveSend } from './012-reserve-send.js';
import { sql as plannedOnce } from './013-planned-once.js';
import { sql as refreshLease } from './014-refresh-lease.js';
import { sql as claimByLevel } from './015-claim-by-level.js';
import { sql as oneRunningPerLine } from './016-one-running-per-line.js';

export const MIGRATIONS: readonly string[] = [initial, locationFlags, twilio, installEdges, dndAndOptOuts, trust, businessIdentity, queueFairness, webhookDedupe, conversationChannel, sharedPacing, reserveSend, plannedOnce, refreshLease, claimByLevel, oneRunningPerLine];
