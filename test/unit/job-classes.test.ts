// Job kinds → priority and HighLevel cost, as the registry declares them: the order docs/decisions/0008 sets.
import { describe, expect, it } from 'vitest';
import { PRIORITY, webhookEventPriority } from '../../src/jobs/priorities.js';
import {
  BACKUP_JOB, DELIVERY_CHECK_JOB, RETENTION_JOB, TOKEN_KEEPALIVE_JOB, TWILIO_INBOUND_JOB, WEBHOOK_JOB,
  highLevelRequestsOf, priorityOf as priorityOfKind,
} from '../../src/jobs/registry.js';
import { JOB } from '../../src/workflow/deps.js';

describe('job classes', () => {
  it('when the app\'s job kinds are ranked, then text-backs and inbound events come first and backups last', () => {
    const ranked = [JOB.textBack, WEBHOOK_JOB, TWILIO_INBOUND_JOB, JOB.followUp, DELIVERY_CHECK_JOB, JOB.catchUp, TOKEN_KEEPALIVE_JOB, RETENTION_JOB, BACKUP_JOB].map(priorityOfKind);
    expect(ranked).toEqual([0, 0, 0, PRIORITY.followUp, PRIORITY.deliveryCheck, PRIORITY.catchUp, PRIORITY.keepAlive, PRIORITY.retention, PRIORITY.backup]);
    expect([...ranked].sort((a, b) => a - b)).toEqual(ranked);
  });

  it('when webhooks are stored, then calls, STOP and HELP are urgent and plain conversation waits behind text-backs', () => {
    const sms = (body: string) => ({ type: 'InboundMessage', messageType: 'SMS', direction: 'inbound', body });
    expect(webhookEventPriority({ type: 'InboundMessage', messageType: 'CALL', direction: 'inbound' })).toBe(PRIORITY.urgent);
    expect(webhookEventPriority(sms('STOP'))).toBe(PRIORITY.urgent);
    expect(webhookEventPriority(sms('please stop texting me'))).toBe(PRIORITY.urgent);
    expect(webhookEventPriority(sms('help'))).toBe(PRIORITY.urgent);
    expect(webhookEventPriority({ type: 'ContactDndUpdate' })).toBe(PRIORITY.urgent);
    expect(webhookEventPriority(sms('Thanks, see you Tuesday'))).toBe(PRIORITY.messages);
    expect(webhookEventPriority({ type: 'OutboundMessage', messageType: 'SMS', direction: 'outbound', body: 'Hi' })).toBe(PRIORITY.messages);
  });

  it('when a stored webhook is a plain reply, then it costs a HighLevel request only where replies are tagged', () => {
    const reply = { kind: WEBHOOK_JOB, locationId: 'loc', payload: { type: 'InboundMessage', messageType: 'SMS', direction: 'inbound', contactId: 'c1', body: 'ok thanks' } };
    expect(highLevelRequestsOf(reply, () => true)).toBe(1);
    expect(highLevelRequestsOf(reply, () => false)).toBe(0);
    expect(highLevelRequestsOf({ ...reply, payload: { ...reply.payload, body: 'STOP' } }, () => false)).toBe(1);
    expect(highLevelRequestsOf({ ...reply, payload: { type: 'InboundMessage', messageType: 'CALL', direction: 'inbound' } }, () => true)).toBe(0);
    expect(highLevelRequestsOf({ kind: JOB.textBack, locationId: 'loc', payload: {} }, () => false)).toBe(2);
  });
});
