// The crash test's view of the app's SQLite file (opened beside the running app, WAL): quiet checks, the follow-up
// fast-forward, and the audit that sets the ledger against what actually reached the stand-in HighLevel.
import Database from 'better-sqlite3';
import type { SentMessage } from '../../../src/sandbox/standin/index.js';

export interface AckedCall {
  locationId: string;
  contactId: string;
  /** HighLevel's messageId of the call: the app's call_key. */
  callKey: string;
}

interface CallRow { location_id: string; call_key: string; decision: string; followup: string | null }
interface MessageRow { send_key: string; kind: string; contact_id: string | null; status: string; body: string }

export type AppDatabase = ReturnType<typeof openAppDatabase>;

export function openAppDatabase(path: string) {
  const db = new Database(path, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const unfinished = (kinds: string[]) => db
    .prepare(`SELECT COUNT(*) FROM jobs WHERE status IN ('pending', 'running') AND kind IN (${kinds.map(() => '?').join(', ')})`)
    .pluck();
  const beforeFollowUps = unfinished(['highlevel-event', 'textback']);
  const all = unfinished(['highlevel-event', 'textback', 'followup']);

  return {
    /** No webhook event or text-back is waiting or running (follow-ups, due hours later, may be). */
    textBacksQuiet: () => beforeFollowUps.get('highlevel-event', 'textback') === 0,
    allQuiet: () => all.get('highlevel-event', 'textback', 'followup') === 0,
    /** The follow-up delay is at least 15 minutes: make every pending one due now. Returns how many. */
    makeFollowUpsDue: (now: number) =>
      db.prepare(`UPDATE jobs SET run_at = ? WHERE kind = 'followup' AND status = 'pending'`).run(now).changes,
    failedJobs: () => db.prepare(`SELECT kind, last_error AS error FROM jobs WHERE status = 'failed'`).all() as { kind: string; error: string }[],
    calls: () => db.prepare('SELECT location_id, call_key, decision, followup FROM calls').all() as CallRow[],
    messages: () => db.prepare(`SELECT send_key, kind, contact_id, status, body FROM messages WHERE kind IN ('textback', 'followup')`).all() as MessageRow[],
    close: () => db.close(),
  };
}

const COUNTS_AS_SENT = new Set(['sent', 'delivered']);
const SETTLED = new Set(['sent', 'delivered', 'unknown']);

export interface CrashAudit {
  /** (contact, kind) pairs that reached HighLevel more than once. */
  duplicates: string[];
  /** Texts HighLevel received that match no ledger row of their contact. */
  unaccounted: string[];
  /** Acked calls without a decision, with an unexpected one, or without a settled text-back row. */
  lostTextBacks: string[];
  /** Calls that were texted but have no settled follow-up row. */
  lostFollowUps: string[];
  /** Ledger rows saying sent/delivered whose text never reached HighLevel. */
  sentButAbsent: string[];
  /** Texts in flight at a kill that are not recorded unknown, or that reached HighLevel other than exactly once. */
  inFlightViolations: string[];
  figures: { textBacks: number; followUps: number; dueFollowUps: number; ledger: Record<string, number>; unknownReached: number };
}

/** Sets the app's records against HighLevel's: who got what, how often, and what the ledger says about it. */
export function auditCrashRun(input: {
  acked: AckedCall[];
  calls: CallRow[];
  messages: MessageRow[];
  reached: SentMessage[];
  inFlightMessageIds: string[];
}): CrashAudit {
  const ledgerByContact = new Map<string, MessageRow[]>();
  for (const row of input.messages) {
    const list = ledgerByContact.get(row.contact_id ?? '') ?? [];
    list.push(row);
    ledgerByContact.set(row.contact_id ?? '', list);
  }
  // Which ledger row each text that reached HighLevel belongs to: same contact, same words.
  const reachedCount = new Map<string, number>(); // `${contactId}/${kind}` → texts received
  const kindOfMessage = new Map<string, string>(); // stand-in message id → kind
  const unaccounted: string[] = [];
  for (const message of input.reached) {
    const matches = (ledgerByContact.get(message.contactId) ?? []).filter((row) => row.body === message.message);
    if (matches.length !== 1) {
      unaccounted.push(`${message.contactId}: "${message.message.slice(0, 40)}…" matches ${matches.length} ledger rows`);
      continue;
    }
    const key = `${message.contactId}/${matches[0].kind}`;
    reachedCount.set(key, (reachedCount.get(key) ?? 0) + 1);
    kindOfMessage.set(message.id, matches[0].kind);
  }
  const duplicates = [...reachedCount].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);

  const callByKey = new Map(input.calls.map((call) => [`${call.location_id}:${call.call_key}`, call]));
  const rowByKey = new Map(input.messages.map((row) => [row.send_key, row]));
  const lostTextBacks: string[] = [];
  const lostFollowUps: string[] = [];
  let dueFollowUps = 0;
  for (const call of input.acked) {
    const key = `${call.locationId}:${call.callKey}`;
    const decision = callByKey.get(key)?.decision;
    const textBack = rowByKey.get(`textback:${key}`);
    if (decision === undefined) lostTextBacks.push(`${key}: no decision recorded`);
    else if (decision !== 'texted' && !decision.startsWith('unknown:')) lostTextBacks.push(`${key}: decided ${decision}`);
    else if (!textBack || !SETTLED.has(textBack.status)) lostTextBacks.push(`${key}: text-back ledger row ${textBack?.status ?? 'missing'}`);
    if (decision !== 'texted') continue;
    dueFollowUps += 1;
    const followUp = rowByKey.get(`followup:${key}`);
    if (!followUp || !SETTLED.has(followUp.status)) {
      lostFollowUps.push(`${key}: follow-up ledger row ${followUp?.status ?? 'missing'} (calls.followup = ${callByKey.get(key)?.followup ?? 'null'})`);
    }
  }

  const sentButAbsent = input.messages
    .filter((row) => COUNTS_AS_SENT.has(row.status) && (reachedCount.get(`${row.contact_id}/${row.kind}`) ?? 0) !== 1)
    .map((row) => `${row.send_key} is ${row.status} but reached HighLevel ${reachedCount.get(`${row.contact_id}/${row.kind}`) ?? 0} times`);

  const reachedById = new Map(input.reached.map((message) => [message.id, message]));
  const inFlightViolations: string[] = [];
  for (const id of input.inFlightMessageIds) {
    const message = reachedById.get(id);
    const kind = kindOfMessage.get(id);
    if (!message || !kind) {
      inFlightViolations.push(`in-flight message ${id} cannot be matched to a ledger row`);
      continue;
    }
    const row = (ledgerByContact.get(message.contactId) ?? []).find((r) => r.kind === kind);
    const times = reachedCount.get(`${message.contactId}/${kind}`) ?? 0;
    if (row?.status !== 'unknown' || times !== 1) inFlightViolations.push(`${row?.send_key ?? id}: ${row?.status ?? 'no row'}, reached HighLevel ${times} times`);
  }

  const ledger: Record<string, number> = {};
  for (const row of input.messages) ledger[`${row.kind}:${row.status}`] = (ledger[`${row.kind}:${row.status}`] ?? 0) + 1;
  const unknownReached = input.messages.filter((row) => row.status === 'unknown' && (reachedCount.get(`${row.contact_id}/${row.kind}`) ?? 0) > 0).length;
  const count = (kind: string) => [...kindOfMessage.values()].filter((k) => k === kind).length;
  return {
    duplicates, unaccounted, lostTextBacks, lostFollowUps, sentButAbsent, inFlightViolations,
    figures: { textBacks: count('textback'), followUps: count('followup'), dueFollowUps, ledger, unknownReached },
  };
}
