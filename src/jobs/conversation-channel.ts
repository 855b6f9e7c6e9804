// The app's custom conversation channel as the Twilio side sees it: every text Twilio accepted and every text a caller
// sent to a Twilio number is queued to appear in the contact's HighLevel conversation, and Twilio's delivery reports
// are passed on to HighLevel's copy of the message.
import type { Clock } from '../lib/clock.js';
import type { ConversationLog } from '../messaging/twilio-sender.js';
import type { ConversationMessagesPort } from '../store/storage.js';
import { fromTwilioStatus } from '../workflow/message-status.js';
import type { ConversationPostJob } from './conversation-post.js';
import type { JobEnqueuer } from './conversation-deps.js';
import { scheduleStatusPush } from './conversation-status.js';
import { CONVERSATION_POST_JOB } from './kind-names.js';

export interface InboundTwilioText {
  locationId: string;
  messageSid: string;
  /** E.164 */
  from: string;
  body: string;
  receivedAt: number;
}

export type ConversationChannel = ReturnType<typeof createConversationChannel>;

export function createConversationChannel(deps: {
  queue: JobEnqueuer;
  store: Pick<ConversationMessagesPort, 'findBySid' | 'advanceWanted'>;
  clock: Clock;
  /** HIGHLEVEL_CONVERSATION_PROVIDER_ID is set: texts are posted. Without it only staff messages' statuses flow. */
  posting: boolean;
  /** Wakes the worker (a job due now). */
  nudge?(): void;
}) {
  const postJob = (post: ConversationPostJob, now: number) => ({
    kind: CONVERSATION_POST_JOB, locationId: post.locationId,
    // A line of its own per caller, so the caller's texts and the app's show in order. Not the caller's own line:
    // an opt-out cancels what is pending there, and their STOP must still show in HighLevel (the post waits for it).
    subject: `conversation:${post.phone}`,
    dedupeKey: `${CONVERSATION_POST_JOB}:${post.key}`, runAt: now, payload: post,
  });

  async function schedulePost(post: ConversationPostJob): Promise<void> {
    if (!deps.posting) return;
    const now = deps.clock.now();
    if (await deps.queue.enqueue(postJob(post, now), now)) deps.nudge?.();
  }

  const log: ConversationLog = {
    postFor: (text) => (deps.posting ? postJob({
      key: `out:${text.externalId}`, origin: 'app', locationId: text.locationId, sid: text.externalId,
      contactId: text.contactId, phone: text.to, body: text.body, at: text.sentAt,
    }, text.sentAt) : null),
  };

  return {
    /** The Twilio sender's port: texts the app sent through Twilio. */
    log,
    /** A text a caller sent to the location's Twilio number (stored before Twilio is answered). */
    recordInbound: (text: InboundTwilioText) => schedulePost({
      key: `in:${text.messageSid}`, origin: 'caller', locationId: text.locationId, sid: text.messageSid, contactId: null,
      phone: text.from, body: text.body, at: text.receivedAt,
    }),
    /**
     * A Twilio status callback. Moves the status owed to HighLevel forward (never back) and, once the message is in
     * HighLevel, schedules sending it; before that, the post job reads the ledger when it is done.
     */
    async noteTwilioStatus(sid: string, twilioStatus: string): Promise<void> {
      const row = await deps.store.findBySid(sid);
      const status = fromTwilioStatus(twilioStatus);
      if (!row || !status) return;
      const now = deps.clock.now();
      if (await deps.store.advanceWanted(row.id, status, null, now) && row.state === 'posted' && row.hlMessageId) {
        await scheduleStatusPush(deps.queue, row, now);
        deps.nudge?.();
      }
    },
  };
}
