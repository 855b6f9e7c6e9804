// The processed Twilio messages' contract, for every engine: a MessageSid once accepted is seen ever after.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { ProcessedTwilioMessages } from '../../src/store/twilio-processed.js';
import type { StoreFixture } from '../helpers/store-engines.js';

export type ProcessedTwilioMessagesPort = AsyncStore<ProcessedTwilioMessages>;

export function describeProcessedTwilioMessagesContract(engine: string, makeStore: () => Promise<StoreFixture<ProcessedTwilioMessagesPort>> | StoreFixture<ProcessedTwilioMessagesPort>): void {
  describe(`processed Twilio messages contract: ${engine}`, () => {
    let fixture: StoreFixture<ProcessedTwilioMessagesPort>;
    beforeEach(async () => { fixture = await makeStore(); });
    afterEach(async () => { await fixture.close(); });

    it('when a message is remembered, then it is seen, others are not, and remembering it again keeps the first arrival', async () => {
      const processed = fixture.store;
      expect(await processed.seen('SM1')).toBe(false);
      await processed.remember('SM1', 1000);
      await processed.remember('SM1', 2000);
      expect(await processed.seen('SM1')).toBe(true);
      expect(await processed.seen('SM2')).toBe(false);
      expect(await fixture.rows.all('SELECT message_sid, received_at FROM twilio_processed_messages')).toEqual([{ message_sid: 'SM1', received_at: 1000 }]);
    });
  });
}
