// The job registry: every kind declared once, in the priority order docs/decisions/0008 sets; every kind the code
// enqueues or the workflow schedules is registered; payloads are checked before a handler runs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as registry from '../../src/jobs/registry.js';
import * as kindNames from '../../src/jobs/kind-names.js';
import { PRIORITY } from '../../src/jobs/priorities.js';
import { JOB } from '../../src/workflow/deps.js';
import { PermanentJobError } from '../../src/scheduler/worker.js';
import type { Job } from '../../src/scheduler/queue-port.js';
import { WebhookEventPayloadSchema } from '../../src/jobs/highlevel-event.js';
import { HANDLED_EVENT_TYPES } from '../../src/highlevel/events.js';

const { JOB_KINDS, createJobHandlers, forgetPayloadOf, inboundEventKinds, priorityOf } = registry;
const names = JOB_KINDS.map((kind) => kind.name);
const jobOf = (kind: string, payload: unknown): Job => ({
  id: 7, kind, locationId: 'loc-1', subject: null, dedupeKey: null, payload, status: 'running', runAt: 0, attempts: 1,
  maxAttempts: 8, lastError: null, createdAt: 0, priority: priorityOf(kind), queuedAt: 0,
});

describe('the job registry', () => {
  it('when the kinds are listed, then each is declared once and every name constant has its kind', () => {
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.values(kindNames).sort());
  });

  it('when the kinds are ranked, then text-backs and inbound events are urgent, then follow-ups, delivery checks, catch-ups, keep-alive, retention and backups (0008)', () => {
    const order = [
      [kindNames.TEXT_BACK_JOB, PRIORITY.urgent], [kindNames.WEBHOOK_JOB, PRIORITY.urgent], [kindNames.TWILIO_INBOUND_JOB, PRIORITY.urgent],
      [kindNames.FOLLOW_UP_JOB, PRIORITY.followUp], [kindNames.DELIVERY_CHECK_JOB, PRIORITY.deliveryCheck], [kindNames.CATCH_UP_JOB, PRIORITY.catchUp],
      [kindNames.TOKEN_KEEPALIVE_JOB, PRIORITY.keepAlive], [kindNames.RETENTION_JOB, PRIORITY.retention], [kindNames.BACKUP_JOB, PRIORITY.backup],
    ] as const;
    expect(order.map(([kind]) => [kind, priorityOf(kind)])).toEqual(order);
    for (const kind of JOB_KINDS) expect(Object.values(PRIORITY), kind.name).toContain(kind.priority);
    expect(priorityOf('a-kind-nobody-declared')).toBe(PRIORITY.followUp);
  });

  it('when payloads are forgotten, then the inbound kinds (a person\'s words) are, and erasure lets those kinds run', () => {
    const inbound = [kindNames.WEBHOOK_JOB, kindNames.TWILIO_INBOUND_JOB];
    for (const kind of inbound) {
      expect(forgetPayloadOf.has(kind), kind).toBe(true);
      expect(inboundEventKinds, kind).toContain(kind);
    }
    // Every inbound event carries someone's words; the app's own work keeps its payload.
    for (const kind of inboundEventKinds) expect(forgetPayloadOf.has(kind), kind).toBe(true);
    for (const kind of [kindNames.TEXT_BACK_JOB, kindNames.FOLLOW_UP_JOB, kindNames.CATCH_UP_JOB, kindNames.DELIVERY_CHECK_JOB, kindNames.BACKUP_JOB]) {
      expect(forgetPayloadOf.has(kind), kind).toBe(false);
    }
  });

  it('when the workflow schedules a job kind, then the registry has it', () => {
    for (const kind of Object.values(JOB)) expect(names).toContain(kind);
  });

  it('when any code enqueues or schedules a job, then its kind is registered', () => {
    const enqueued = kindsEnqueuedBySource();
    // The scan finds the producers it must (so it cannot pass by finding nothing).
    for (const kind of [kindNames.WEBHOOK_JOB, kindNames.TWILIO_INBOUND_JOB, kindNames.DELIVERY_CHECK_JOB, kindNames.BACKUP_JOB, kindNames.RETENTION_JOB, kindNames.TOKEN_KEEPALIVE_JOB, ...Object.values(JOB)]) {
      expect(enqueued.map((found) => found.kind)).toContain(kind);
    }
    const unregistered = enqueued.filter((found) => !names.includes(found.kind));
    expect(unregistered, `kinds enqueued but not in src/jobs/registry.ts: ${JSON.stringify(unregistered)}`).toEqual([]);
  });

  it('when a job\'s payload does not match its kind\'s schema, then the handler fails it for good with a message naming the kind and the field', async () => {
    const handlers = createJobHandlers({} as never);
    for (const kind of names) {
      const run = handlers[kind](jobOf(kind, 'not an object'));
      await expect(run, kind).rejects.toBeInstanceOf(PermanentJobError);
      await expect(handlers[kind](jobOf(kind, 'not an object')), kind).rejects.toThrow(`job kind "${kind}"`);
    }
    await expect(handlers[kindNames.TEXT_BACK_JOB](jobOf(kindNames.TEXT_BACK_JOB, { callId: 'twelve' }))).rejects.toThrow(/"textback".*callId/);
    await expect(handlers[kindNames.TWILIO_INBOUND_JOB](jobOf(kindNames.TWILIO_INBOUND_JOB, { locationId: 'loc-1', body: 'STOP' })))
      .rejects.toThrow(/"twilio-inbound".*messageSid/);
  });

  it('when a schema rejects a payload, then the error names fields, never the values (a caller\'s words stay out of last_error)', async () => {
    const handlers = createJobHandlers({} as never);
    const words = 'my secret words';
    await expect(handlers[kindNames.TWILIO_INBOUND_JOB](jobOf(kindNames.TWILIO_INBOUND_JOB, { locationId: 'loc-1', from: 42, body: words })))
      .rejects.toThrow(expect.objectContaining({ message: expect.not.stringContaining(words) }));
  });

  it('when HighLevel sends any webhook the intake stores, then its payload passes the highlevel-event schema', () => {
    const dir = join('test', 'fixtures', 'highlevel', 'payloads');
    const stored = readdirSync(dir).filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as { type?: unknown })
      .filter((payload) => typeof payload.type === 'string' && HANDLED_EVENT_TYPES.has(payload.type));
    expect(stored.length).toBeGreaterThanOrEqual(5);
    for (const payload of stored) expect(WebhookEventPayloadSchema.safeParse(payload).success).toBe(true);
  });
});

/**
 * Every `kind: X` in a file under src/ that enqueues (`.enqueue(`, `.schedule(`, `inbox.add(`), X a name constant,
 * `JOB.x` or a string literal, resolved to the stored name through the constants `src/` exports.
 */
function kindsEnqueuedBySource(): { file: string; kind: string }[] {
  const files = listTypeScript('src');
  const constants = new Map<string, string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/export const ([A-Z][A-Z0-9_]*) = '([^']+)'/g)) constants.set(match[1], match[2]);
  }
  const found: { file: string; kind: string }[] = [];
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    // A producer enqueues or schedules, or hands jobs to the ledger with a send (a receipt's or a send's `jobs`).
    if (!/\.(enqueue|schedule)\(|inbox\.add\(|\bjobs: \[/.test(source)) continue;
    for (const match of source.matchAll(/\bkind:\s*(JOB\.\w+|[A-Z][A-Z0-9_]*\b|'[^']*')/g)) {
      const expression = match[1];
      const kind = expression.startsWith("'") ? expression.slice(1, -1)
        : expression.startsWith('JOB.') ? (JOB as Record<string, string>)[expression.slice(4)]
          : constants.get(expression);
      found.push({ file, kind: kind ?? `unresolved ${expression}` });
    }
  }
  return found;
}

function listTypeScript(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTypeScript(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
