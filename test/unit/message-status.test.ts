// Twilio's delivery states on HighLevel's four message statuses, and the order they may follow one another in.
import { describe, expect, it } from 'vitest';
import { fromLedgerStatus, fromTwilioStatus, isLaterStatus } from '../../src/workflow/message-status.js';

describe('HighLevel message statuses from Twilio', () => {
  it('when Twilio reports any of its states, then each maps onto delivered, failed, pending or read (sent is still pending)', () => {
    const mapped = ['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'DELIVERED']
      .map((status) => [status, fromTwilioStatus(status)]);
    expect(mapped).toEqual([
      ['accepted', 'pending'], ['scheduled', 'pending'], ['queued', 'pending'], ['sending', 'pending'], ['sent', 'pending'],
      ['delivered', 'delivered'], ['read', 'read'], ['undelivered', 'failed'], ['failed', 'failed'], ['canceled', 'failed'],
      ['DELIVERED', 'delivered'],
    ]);
    expect(fromTwilioStatus('receiving')).toBeNull();
  });

  it('when the send ledger holds the text, then its status maps the same way (unknown stays pending)', () => {
    expect(['sending', 'queued', 'sent', 'unknown', 'delivered', 'undelivered', 'failed'].map(fromLedgerStatus))
      .toEqual(['pending', 'pending', 'pending', 'pending', 'delivered', 'failed', 'failed']);
  });

  it('when statuses arrive out of order, then only a later one counts: never back, the first final wins, read only after delivery', () => {
    expect(isLaterStatus('delivered', null)).toBe(true);
    expect(isLaterStatus('pending', null)).toBe(false);
    expect(isLaterStatus('pending', 'delivered')).toBe(false);
    expect(isLaterStatus('failed', 'delivered')).toBe(false);
    expect(isLaterStatus('delivered', 'failed')).toBe(false);
    expect(isLaterStatus('read', 'delivered')).toBe(true);
    expect(isLaterStatus('read', 'failed')).toBe(false);
  });
});
