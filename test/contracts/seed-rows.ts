// Rows the operations stores' contract suites seed straight into either engine (calls, texts, replies, suppression
// changes, jobs, installs), with the columns every engine's schema requires filled with plain defaults.
import type { EngineRows } from '../helpers/store-engines.js';

/** A fixed moment the suites count from: 2026-01-06T12:00:00Z. */
export const T0 = Date.UTC(2026, 0, 6, 12);

const defined = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined));

async function idOf(rows: EngineRows, sql: string, params: unknown[]): Promise<number> {
  const [row] = await rows.all<{ id: number }>(sql, params);
  return Number(row.id);
}

export async function seedLocation(rows: EngineRows, locationId: string, row: { status?: 'installed' | 'uninstalled'; uninstalledAt?: number; companyId?: string } = {}): Promise<void> {
  await rows.insert('locations', defined({
    location_id: locationId, company_id: row.companyId ?? 'company-1', status: row.status ?? 'installed', settings: '{}',
    installed_at: T0 - 400 * 86_400_000, uninstalled_at: row.uninstalledAt, updated_at: T0,
  }));
}

export async function seedToken(rows: EngineRows, ownerId: string, row: { ownerType?: 'Location' | 'Company'; needsReconnect?: boolean; reason?: string } = {}): Promise<void> {
  await rows.insert('tokens', {
    owner_id: ownerId, owner_type: row.ownerType ?? 'Location', company_id: 'company-1', access_token: 'sealed', refresh_token: null,
    expires_at: T0 + 86_400_000, needs_reconnect: row.needsReconnect ? 1 : 0, reconnect_reason: row.reason ?? null, updated_at: T0,
  });
}

export interface CallSeed {
  locationId: string; callKey: string; phone: string | null; at: number;
  missed?: boolean; status?: string; decision?: string; contactId?: string; followup?: string | null; followupAt?: number | null;
}

export async function seedCall(rows: EngineRows, call: CallSeed): Promise<number> {
  await rows.insert('calls', {
    location_id: call.locationId, call_key: call.callKey, contact_id: call.contactId ?? null, phone: call.phone,
    status: call.status ?? 'voicemail', missed: call.missed === false ? 0 : 1, occurred_at: call.at,
    decision: call.decision ?? 'texted', decision_at: call.at, followup: call.followup ?? null, followup_at: call.followupAt ?? null,
  });
  return idOf(rows, 'SELECT id FROM calls WHERE location_id = ? AND call_key = ?', [call.locationId, call.callKey]);
}

export interface MessageSeed {
  locationId: string; sendKey: string; phone: string; createdAt: number;
  kind?: string; status?: string; callId?: number | null; contactId?: string; sentAt?: number | null; errorCode?: string; errorMessage?: string; body?: string;
}

export async function seedMessage(rows: EngineRows, message: MessageSeed): Promise<number> {
  await rows.insert('messages', {
    location_id: message.locationId, send_key: message.sendKey, kind: message.kind ?? 'textback', call_id: message.callId ?? null,
    contact_id: message.contactId ?? null, phone: message.phone, body: message.body ?? 'Sorry we missed you, how can we help?',
    status: message.status ?? 'sent', provider: 'highlevel', provider_message_id: null, error_code: message.errorCode ?? null,
    error_message: message.errorMessage ?? null, segments: 1, created_at: message.createdAt, sent_at: message.sentAt ?? null, updated_at: message.createdAt,
  });
  return idOf(rows, 'SELECT id FROM messages WHERE send_key = ?', [message.sendKey]);
}

export async function seedReply(rows: EngineRows, reply: { locationId: string; replyKey: string; phone: string; meaning: string; at: number; contactId?: string }): Promise<number> {
  await rows.insert('replies', {
    location_id: reply.locationId, reply_key: reply.replyKey, contact_id: reply.contactId ?? null, phone: reply.phone, meaning: reply.meaning, received_at: reply.at,
  });
  return idOf(rows, 'SELECT id FROM replies WHERE location_id = ? AND reply_key = ?', [reply.locationId, reply.replyKey]);
}

export async function seedSuppression(rows: EngineRows, entry: { locationId: string; phone: string; source: string; at: number }): Promise<void> {
  await rows.insert('suppressions', { location_id: entry.locationId, phone: entry.phone, source: entry.source, created_at: entry.at });
}

export async function seedSuppressionChange(
  rows: EngineRows,
  change: { locationId: string; phone: string; action: 'suppress' | 'lift'; source: string; at: number; reason?: string; actor?: string },
): Promise<number> {
  await rows.insert('suppression_history', {
    location_id: change.locationId, phone: change.phone, action: change.action, source: change.source,
    reason: change.reason ?? null, actor: change.actor ?? null, at: change.at,
  });
  return idOf(rows, 'SELECT MAX(id) AS id FROM suppression_history', []);
}

export interface JobSeed {
  kind: string; status: 'pending' | 'running' | 'done' | 'failed' | 'cancelled'; runAt: number;
  locationId?: string | null; subject?: string | null; dedupeKey?: string | null; payload?: unknown; createdAt?: number; finishedAt?: number | null;
}

export async function seedJob(rows: EngineRows, job: JobSeed): Promise<number> {
  await rows.insert('jobs', {
    kind: job.kind, location_id: job.locationId ?? null, subject: job.subject ?? null, dedupe_key: job.dedupeKey ?? null,
    payload: JSON.stringify(job.payload ?? {}), status: job.status, run_at: job.runAt, created_at: job.createdAt ?? job.runAt,
    finished_at: job.finishedAt ?? null, lease_until: job.status === 'running' ? job.runAt + 300_000 : null,
  });
  return idOf(rows, 'SELECT MAX(id) AS id FROM jobs', []);
}

/** COUNT(*) of a query's rows, as a number on either engine. */
export async function countOf(rows: EngineRows, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await rows.all<{ n: number }>(`SELECT COUNT(*) AS n FROM (${sql}) AS counted`, params);
  return Number(row.n);
}
