// A number's data export as one CSV table: a row per record (call, message, reply, follow-up, suppression, job, lookup),
// times in ISO 8601 UTC, and whatever does not fit the common columns as "key=value; …" in `detail`.
import { toCsv, type CsvValue } from '../lib/csv.js';
import type { NumberExport } from './data-rights.js';

export const EXPORT_CSV_COLUMNS = ['record', 'id', 'at', 'kind', 'status', 'text', 'detail'] as const;
type Column = (typeof EXPORT_CSV_COLUMNS)[number];
type Row = Partial<Record<Column, CsvValue>>;

const iso = (at: number | null | undefined): string | null => (at === null || at === undefined ? null : new Date(at).toISOString());

function detail(fields: Record<string, CsvValue>): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${value}`)
    .join('; ');
}

export function exportToCsv(data: NumberExport): string {
  const rows: Row[] = [];
  rows.push({
    record: 'suppression', at: iso(data.suppression.since), kind: 'current',
    status: data.suppression.suppressed ? 'suppressed' : 'not suppressed', detail: detail({ source: data.suppression.source }),
  });
  for (const change of data.suppressionHistory) {
    rows.push({ record: 'suppression_change', at: iso(change.at), kind: change.action, text: change.reason, detail: detail({ source: change.source, actor: change.actor }) });
  }
  for (const call of data.calls) {
    rows.push({
      record: 'call', id: call.id, at: iso(call.occurredAt), kind: call.missed ? 'missed' : 'not missed', status: call.callStatus,
      detail: detail({ decision: call.decision, decided_at: iso(call.decisionAt), contact_id: call.contactId }),
    });
  }
  for (const followUp of data.followUps) {
    rows.push({ record: 'follow_up', id: followUp.callId, at: iso(followUp.at), kind: 'follow_up', status: followUp.state, detail: detail({ call_id: followUp.callId }) });
  }
  for (const message of data.messages) {
    rows.push({
      record: 'message', id: message.id, at: iso(message.createdAt), kind: message.kind, status: message.status, text: message.body,
      detail: detail({
        sent_at: iso(message.sentAt), updated_at: iso(message.updatedAt), provider: message.provider, provider_message_id: message.providerMessageId,
        error_code: message.errorCode, error: message.errorMessage, segments: message.segments, call_id: message.callId, contact_id: message.contactId,
      }),
    });
  }
  for (const reply of data.replies) {
    rows.push({ record: 'reply', id: reply.id, at: iso(reply.receivedAt), kind: reply.meaning, detail: detail({ contact_id: reply.contactId }) });
  }
  for (const job of data.jobs) {
    rows.push({ record: 'job', id: job.id, at: iso(job.runAt), kind: job.kind, status: job.status, detail: detail({ created_at: iso(job.createdAt), finished_at: iso(job.finishedAt) }) });
  }
  for (const lookup of data.lookups) {
    rows.push({ record: 'lookup', detail: detail(Object.fromEntries(Object.entries(lookup).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : v as CsvValue]))) });
  }
  return toCsv(EXPORT_CSV_COLUMNS, rows, ['text', 'detail']);
}
