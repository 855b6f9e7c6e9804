// The conversation messages' contract, for every engine: the intent row written once before HighLevel's add-message
// call, one run claiming that call, outcomes that never reopen a settled row, and statuses owed moving forward only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { ConversationMessages, NewConversationMessage } from '../../src/store/conversation-messages.js';
import type { StoreFixture } from '../helpers/store-engines.js';

export type ConversationMessagesPort = AsyncStore<ConversationMessages>;

const T0 = 1_700_000_000_000;
const posted = { hlMessageId: 'hl-1', conversationId: 'conv-1', contactId: 'contact-1' };

export function describeConversationMessagesContract(engine: string, makeStore: () => Promise<StoreFixture<ConversationMessagesPort>> | StoreFixture<ConversationMessagesPort>): void {
  describe(`conversation messages contract: ${engine}`, () => {
    let fixture: StoreFixture<ConversationMessagesPort>;
    let store: ConversationMessagesPort;
    beforeEach(async () => { fixture = await makeStore(); store = fixture.store; });
    afterEach(async () => { await fixture.close(); });

    const outbound = (sid = 'SM1', extra: Partial<NewConversationMessage> = {}): NewConversationMessage =>
      ({ locationId: 'loc-a', messageKey: `out:${sid}`, origin: 'app', twilioSid: sid, ...extra });
    const postedRow = async (sid = 'SM1') => {
      const row = await store.open(outbound(sid), T0);
      await store.claimPosting(row.id, T0);
      await store.markPosted(row.id, posted, T0);
      return row.id;
    };

    it('when a row is opened, then it starts pending with nothing owed, and opening it again returns the same row', async () => {
      const row = await store.open(outbound(), T0);
      expect(row).toEqual({
        id: row.id, locationId: 'loc-a', messageKey: 'out:SM1', origin: 'app', twilioSid: 'SM1', contactId: null, conversationId: null,
        hlMessageId: null, state: 'pending', wantedStatus: 'pending', pushedStatus: null, errorCode: null, errorMessage: null,
      });
      expect(typeof row.id).toBe('number');
      await store.claimPosting(row.id, T0 + 1);
      expect(await store.open(outbound('SM1', { contactId: 'other' }), T0 + 2)).toEqual({ ...row, state: 'posting' });
      expect(await store.get(row.id)).toEqual({ ...row, state: 'posting' });
      expect(await store.get(row.id + 1000)).toBeNull();
    });

    it('when a staff message is opened, then it starts posted with HighLevel\'s id', async () => {
      const row = await store.open({ locationId: 'loc-a', messageKey: 'staff:hl-9', origin: 'staff', hlMessageId: 'hl-9', state: 'posted' }, T0);
      expect(row).toMatchObject({ origin: 'staff', state: 'posted', hlMessageId: 'hl-9', twilioSid: null });
    });

    it('when several runs claim the call to HighLevel, then exactly one gets it', async () => {
      const row = await store.open(outbound(), T0);
      const claims = await Promise.all(Array.from({ length: 6 }, () => store.claimPosting(row.id, T0 + 1)));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('when HighLevel certainly did not act, then the claim is released and may be made again', async () => {
      const row = await store.open(outbound(), T0);
      expect(await store.claimPosting(row.id, T0)).toBe(true);
      await store.release(row.id, T0 + 1);
      expect((await store.get(row.id))?.state).toBe('pending');
      expect(await store.claimPosting(row.id, T0 + 2)).toBe(true);
    });

    it('when posted, then HighLevel\'s ids are kept; a row not being posted is not marked posted', async () => {
      const row = await store.open(outbound(), T0);
      await store.markPosted(row.id, posted, T0);
      expect((await store.get(row.id))?.state).toBe('pending');
      const id = await postedRow('SM2');
      expect(await store.get(id)).toMatchObject({ state: 'posted', hlMessageId: 'hl-1', conversationId: 'conv-1', contactId: 'contact-1' });
    });

    it('when an outcome is settled, then it keeps its reason, and a posted or settled row is never reopened', async () => {
      const row = await store.open(outbound(), T0);
      await store.claimPosting(row.id, T0);
      await store.settle(row.id, 'unknown', { code: 'unknown', message: 'answer lost' }, T0 + 1);
      expect(await store.get(row.id)).toMatchObject({ state: 'unknown', errorCode: 'unknown', errorMessage: 'answer lost' });
      await store.settle(row.id, 'failed', { code: 'x', message: 'y' }, T0 + 2);
      await store.release(row.id, T0 + 2);
      expect(await store.claimPosting(row.id, T0 + 3)).toBe(false);
      expect((await store.get(row.id))?.state).toBe('unknown');
      const id = await postedRow('SM2');
      await store.settle(id, 'failed', { code: null, message: 'late' }, T0 + 4);
      expect(await store.get(id)).toMatchObject({ state: 'posted', errorMessage: null });
    });

    it('when Twilio reports statuses, then the one owed moves forward only, keeping the first error', async () => {
      const id = await postedRow();
      expect(await store.advanceWanted(id, 'pending', null, T0)).toBe(false);
      expect(await store.advanceWanted(id, 'failed', { code: '30006', message: 'landline' }, T0 + 1)).toBe(true);
      expect(await store.advanceWanted(id, 'read', null, T0 + 2)).toBe(false);
      expect(await store.advanceWanted(id, 'delivered', null, T0 + 3)).toBe(false);
      expect(await store.get(id)).toMatchObject({ wantedStatus: 'failed', errorCode: '30006', errorMessage: 'landline' });
      const other = await postedRow('SM2');
      expect(await store.advanceWanted(other, 'delivered', null, T0)).toBe(true);
      expect(await store.advanceWanted(other, 'read', { code: null, message: null }, T0 + 1)).toBe(true);
      expect(await store.advanceWanted(424242, 'read', null, T0)).toBe(false);
    });

    it('when several statuses race for one message, then it ends at the furthest, each step taken once', async () => {
      const id = await postedRow();
      const moved = await Promise.all((['delivered', 'read', 'delivered', 'read'] as const).map((status, i) => store.advanceWanted(id, status, null, T0 + i)));
      expect((await store.get(id))?.wantedStatus).toBe('read');
      expect(moved.filter(Boolean).length).toBeGreaterThanOrEqual(1);
      expect(moved.filter(Boolean).length).toBeLessThanOrEqual(2);
    });

    it('when HighLevel accepts a status, then it is recorded and the last push error cleared', async () => {
      const id = await postedRow();
      await store.notePushError(id, 'refused (403)', T0);
      await store.markPushed(id, 'delivered', T0 + 1);
      expect((await store.get(id))?.pushedStatus).toBe('delivered');
      expect(await fixture.rows.all('SELECT push_error FROM conversation_messages WHERE id = ?', [id])).toEqual([{ push_error: null }]);
      await store.notePushError(id, 'gave up', T0 + 2);
      expect(await fixture.rows.all('SELECT push_error FROM conversation_messages WHERE id = ?', [id])).toEqual([{ push_error: 'gave up' }]);
    });

    it('when looked up by Twilio SID, then the newest row with it is found', async () => {
      await store.open(outbound('SM1'), T0);
      const newer = await store.open({ locationId: 'loc-a', messageKey: 'in:SM1', origin: 'caller', twilioSid: 'SM1' }, T0 + 1);
      expect((await store.findBySid('SM1'))?.id).toBe(newer.id);
      expect(await store.findBySid('SM404')).toBeNull();
    });

    it('when the send ledger knows the text, then its outcome is read by Twilio SID or by send key', async () => {
      const ledgerRow = (sendKey: string, sid: string | null, status: string, provider = 'twilio') => fixture.rows.insert('messages', {
        location_id: 'loc-a', send_key: sendKey, kind: 'staff', phone: '+15550001111', body: 'hi', status, provider,
        provider_message_id: sid, error_code: status === 'failed' ? '30003' : null, error_message: status === 'failed' ? 'unreachable' : null,
        created_at: T0, updated_at: T0,
      });
      await ledgerRow('k-old', 'SM1', 'sent');
      await ledgerRow('k-new', 'SM1', 'failed');
      await ledgerRow('k-hl', 'SM2', 'sent', 'highlevel');
      expect(await store.twilioOutcome('SM1')).toEqual({ sid: 'SM1', status: 'failed', errorCode: '30003', errorMessage: 'unreachable' });
      expect(await store.twilioOutcome('SM2')).toBeNull();
      expect(await store.sendOutcome('k-old')).toEqual({ sid: 'SM1', status: 'sent', errorCode: null, errorMessage: null });
      expect(await store.sendOutcome('k-none')).toBeNull();
    });

    it('when the reply rules have run on a caller\'s text, then it is handled; pending or unrecorded, it is not', async () => {
      const reply = (key: string, answer: string) => fixture.rows.insert('replies', {
        location_id: 'loc-a', reply_key: key, phone: '+15550001111', meaning: 'opt-out', received_at: T0, answer,
      });
      await reply('twilio:SM1', 'done');
      await reply('twilio:SM2', 'pending');
      expect(await store.replyHandled('loc-a', 'twilio:SM1')).toBe(true);
      expect(await store.replyHandled('loc-b', 'twilio:SM1')).toBe(false);
      expect(await store.replyHandled('loc-a', 'twilio:SM2')).toBe(false);
      expect(await store.replyHandled('loc-a', 'twilio:SM3')).toBe(false);
    });
  });
}
