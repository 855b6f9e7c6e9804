// The sandbox page's words for what the app decided, its phone threads, and the sandbox clock.
import { describe, expect, it } from 'vitest';
import { createManualClock, HOUR } from '../../src/lib/clock.js';
import { createSandboxClock } from '../../src/sandbox/sandbox-clock.js';
import {
  buildCallerViews, createTimeFormatter, describeDecision, describeFollowUp, formatPhone, type ViewSources,
} from '../../src/sandbox/sandbox-view.js';

const time = createTimeFormatter('America/New_York');
const WED_9AM_NY = Date.UTC(2026, 0, 7, 14, 0, 0);

describe('describeDecision', () => {
  it('when the text-back went out, then it says texted back', () => {
    expect(describeDecision('texted', time)).toEqual({ text: 'Texted back', tone: 'ok' });
  });
  it('when the text-back waits for quiet hours, then it says until when, in the business zone', () => {
    expect(describeDecision(`deferred:${new Date(WED_9AM_NY).toISOString()}`, time).text).toBe('Quiet hours: the text-back waits until Wed 9:00 AM');
  });
  it('when the number opted out, then it names STOP', () => {
    expect(describeDecision('skipped:suppressed', time).text).toBe('Not texted: this number opted out (STOP)');
  });
  it('when the number is not textable, then the detail is put in plain words', () => {
    expect(describeDecision('skipped:not-textable:toll-free', time).text).toBe('Not texted: this number cannot receive texts');
  });
  it('when no decision is recorded yet, then it says the app is working on it', () => {
    expect(describeDecision(null, time).tone).toBe('info');
  });
});

describe('describeFollowUp', () => {
  const pending = (status: string) => ({ decision: 'texted', followUp: 'pending', followUpJob: { status, runAt: WED_9AM_NY } });

  it('when the follow-up job waits, then it says when it is due', () => {
    expect(describeFollowUp(pending('pending'), null, time)).toEqual({ text: 'Follow-up due Wed 9:00 AM', tone: 'info' });
  });
  it('when a reply cancelled the job, then it says the caller replied', () => {
    expect(describeFollowUp(pending('cancelled'), 'replied', time)!.text).toBe('Follow-up cancelled: the caller replied');
  });
  it('when the follow-up fell in quiet hours, then it says it is held and until when', () => {
    const outcome = { decision: 'texted', followUp: `deferred:${new Date(WED_9AM_NY).toISOString()}`, followUpJob: null };
    expect(describeFollowUp(outcome, null, time)).toEqual({ text: "Follow-up held by the caller's quiet hours until Wed 9:00 AM", tone: 'warn' });
  });
  it('when the workflow cancelled it at due time, then the recorded reason is used', () => {
    const outcome = { decision: 'texted', followUp: 'cancelled:answered-call-back', followUpJob: null };
    expect(describeFollowUp(outcome, null, time)!.text).toBe('Follow-up cancelled: they called back and were answered');
  });
  it('when the call got no follow-up, then there is nothing to say', () => {
    expect(describeFollowUp({ decision: 'skipped:cooldown', followUp: null, followUpJob: null }, null, time)).toBeNull();
    expect(describeFollowUp(null, null, time)).toBeNull();
  });
});

describe('buildCallerViews', () => {
  const sources = (over: Partial<ViewSources> = {}): ViewSources => ({
    timeZone: 'America/New_York',
    callers: [{ phone: '+12125550142', entries: [
      { kind: 'call', at: 1_000, status: 'voicemail', callKey: 'call-1' },
      { kind: 'text', at: 3_000, body: 'STOP', replyKey: 'sms-1' },
    ] }],
    outbound: [{ phone: '+12125550142', at: 1_000, body: 'Sorry we missed your call', status: 'delivered' }],
    call: () => ({ decision: 'texted', followUp: 'pending', followUpJob: { status: 'cancelled', runAt: 5_000 } }),
    cancellationReason: () => 'opted-out',
    replyMeaning: () => 'opt-out',
    isSuppressed: () => true,
    ...over,
  });

  it("when a caller called, was texted and replied, then the thread is in time order with the caller's action first at a tie", () => {
    const [view] = buildCallerViews(sources());
    expect(view.items.map((item) => item.type)).toEqual(['call', 'text-out', 'text-in']);
    expect(view).toMatchObject({ phone: '+12125550142', display: '(212) 555-0142', optedOut: true });
    expect(view.items[0]).toMatchObject({ label: 'Missed call · voicemail', followUp: { text: 'Follow-up cancelled: the caller opted out' } });
    expect(view.items[2]).toMatchObject({ meaning: { tone: 'warn' } });
  });

  it('when a number received a text without calling in this session, then it still gets a phone', () => {
    const views = buildCallerViews(sources({ callers: [] }));
    expect(views.map((v) => v.phone)).toEqual(['+12125550142']);
  });
});

describe('formatPhone', () => {
  it('when the number is North American, then it reads (NXX) NXX-XXXX; otherwise E.164 stays', () => {
    expect(formatPhone('+16465550123')).toBe('(646) 555-0123');
    expect(formatPhone('+447700900123')).toBe('+447700900123');
  });
});

describe('createSandboxClock', () => {
  it('when time is advanced, then the clock reads the base clock plus every advance', () => {
    const base = createManualClock(1_000);
    const clock = createSandboxClock(500, base);
    clock.advance(3 * HOUR);
    base.advance(10);
    expect(clock.now()).toBe(1_000 + 500 + 3 * HOUR + 10);
    expect(clock.offset()).toBe(500 + 3 * HOUR);
  });
  it('when asked to go backwards or by nothing, then it refuses', () => {
    const clock = createSandboxClock(0, createManualClock(0));
    expect(() => clock.advance(-1)).toThrow(/forward/);
    expect(() => clock.advance(0)).toThrow(/forward/);
    expect(clock.now()).toBe(0);
  });
});
