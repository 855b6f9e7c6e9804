// The reply log's contract, for every engine: each inbound text recorded once with what it is still owed, and the
// "replied since" look-up follow-ups are checked against.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { ReplyLog } from '../../src/workflow/ports/storage.js';
import type { StoreFixture } from '../helpers/store-engines.js';

export type ReplyLogPort = AsyncStore<ReplyLog>;

const T0 = 1_700_000_000_000;
type ReplyInput = Parameters<ReplyLogPort['record']>[0];

export function describeReplyLogContract(engine: string, makeStore: () => Promise<StoreFixture<ReplyLogPort>> | StoreFixture<ReplyLogPort>): void {
  describe(`reply log contract: ${engine}`, () => {
    let fixture: StoreFixture<ReplyLogPort>;
    let replies: ReplyLogPort;
    beforeEach(async () => {
      fixture = await makeStore();
      replies = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });

    const reply = (extra: Partial<ReplyInput> = {}): ReplyInput => ({
      locationId: 'loc-1', replyKey: 'msg-1', contactId: 'contact-1', phone: '+15550001111', meaning: 'opt-out', receivedAt: T0, ...extra,
    });

    it('when a text is recorded, then it is fresh once; a redelivery answers its recorded meaning and what it is still owed', async () => {
      expect(await replies.record(reply())).toEqual({ fresh: true });
      expect(await replies.record(reply({ meaning: 'reply' }))).toEqual({ fresh: false, meaning: 'opt-out', answer: 'pending' });
      await replies.setAnswer('loc-1', 'msg-1', 'opt-out-confirmation');
      expect(await replies.record(reply())).toEqual({ fresh: false, meaning: 'opt-out', answer: 'opt-out-confirmation' });
      await replies.setAnswer('loc-1', 'msg-1', 'done');
      expect(await replies.record(reply())).toEqual({ fresh: false, meaning: 'opt-out', answer: 'done' });
      // The key is per location.
      expect(await replies.record(reply({ locationId: 'loc-2' }))).toEqual({ fresh: true });
      const [row] = await fixture.rows.all('SELECT contact_id, phone, received_at FROM replies WHERE location_id = ? AND reply_key = ?', ['loc-1', 'msg-1']);
      expect(row).toEqual({ contact_id: 'contact-1', phone: '+15550001111', received_at: T0 });
    });

    it('when the same text is delivered many times at once, then exactly one recording is fresh', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => replies.record(reply({ replyKey: 'race' }))));
      expect(results.filter((result) => result.fresh)).toHaveLength(1);
      for (const result of results) if (!result.fresh) expect(result).toEqual({ fresh: false, meaning: 'opt-out', answer: 'pending' });
    });

    it('when a caller replied at or after the time asked about, then they replied since; earlier, elsewhere or another number not', async () => {
      await replies.record(reply({ replyKey: 'a', meaning: 'reply', receivedAt: T0 + 100 }));
      expect(await replies.repliedSince('loc-1', '+15550001111', T0 + 100)).toBe(true);
      expect(await replies.repliedSince('loc-1', '+15550001111', T0 + 101)).toBe(false);
      expect(await replies.repliedSince('loc-2', '+15550001111', T0)).toBe(false);
      expect(await replies.repliedSince('loc-1', '+15550002222', T0)).toBe(false);
    });
  });
}
