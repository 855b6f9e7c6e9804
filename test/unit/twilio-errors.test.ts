// Twilio failures in the workflow's terms: each acted-on error code → send failure kind and what it says about the number.
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { ruleForTwilioCode, toTwilioSendFailure } from '../../src/messaging/twilio-errors.js';
import { SendFailure } from '../../src/workflow/ports/services.js';

const rest = (statusCode: number, code?: number, message = 'twilio says no') =>
  new twilio.RestException({ statusCode, body: code === undefined ? null : { code, message, status: statusCode } });
const network = (code: string) => Object.assign(new Error(`${code} happened`), { code });

describe('toTwilioSendFailure', () => {
  it.each([
    [21610, 'rejected', 'opted-out'],
    [21211, 'rejected', 'invalid'],
    [21614, 'rejected', 'landline'],
    [30006, 'rejected', 'landline'],
    [30003, 'rejected', 'unreachable'],
    [30005, 'rejected', 'unreachable'],
    [30007, 'rejected', 'filtered'],
    [30034, 'rejected', 'unregistered-sender'],
    [30022, 'retryable', null],
    [30026, 'retryable', null],
    [30027, 'retryable', null],
  ])('when Twilio answers error %i, then the failure is %s with verdict %s and carries the code', (code, kind, verdict) => {
    const failure = toTwilioSendFailure(rest(400, code));
    expect(failure).toBeInstanceOf(SendFailure);
    expect({ kind: failure.kind, verdict: failure.verdict, code: failure.code }).toEqual({ kind, verdict, code: String(code) });
  });

  it('when error 30034 comes back, then the message tells the business about the 10DLC campaign', () => {
    expect(toTwilioSendFailure(rest(400, 30034)).message).toMatch(/not in an approved A2P 10DLC campaign/);
  });

  it('when a carrier limit is hit, then the retry waits minutes, not seconds', () => {
    expect(toTwilioSendFailure(rest(400, 30022)).retryAfterMs).toBeGreaterThanOrEqual(5 * 60_000);
  });

  it.each([
    ['HTTP 429 without a code', rest(429), 'retryable'],
    ['HTTP 503', rest(503, 20503), 'retryable'],
    ['HTTP 500 (it may have been created)', rest(500, 20500), 'ambiguous'],
    ['an unknown 4xx code', rest(400, 21606), 'rejected'],
    ['a refused connection', network('ECONNREFUSED'), 'retryable'],
    ['an unknown host', network('ENOTFOUND'), 'retryable'],
    ['a reset connection', network('ECONNRESET'), 'ambiguous'],
    ['a timeout', network('ECONNABORTED'), 'ambiguous'],
    ['something unexpected', new TypeError('boom'), 'ambiguous'],
  ])('when the send fails with %s, then it is %s', (_what, error, kind) => {
    expect(toTwilioSendFailure(error).kind).toBe(kind);
  });

  it('when given a SendFailure already, then it is passed through untouched', () => {
    const failure = new SendFailure('x', 'rejected', 'no-contact');
    expect(toTwilioSendFailure(failure)).toBe(failure);
  });
});

describe('ruleForTwilioCode', () => {
  it('when a status callback carries the code as text, then the same rule applies as at send time', () => {
    expect(ruleForTwilioCode('30006')?.verdict).toBe('landline');
    expect(ruleForTwilioCode('21610')?.verdict).toBe('opted-out');
  });

  it('when the code is missing or has no rule, then there is no rule', () => {
    expect(ruleForTwilioCode(null)).toBeNull();
    expect(ruleForTwilioCode('')).toBeNull();
    expect(ruleForTwilioCode('30008')).toBeNull();
  });
});
