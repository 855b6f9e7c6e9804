// The app's metrics: what each hook (webhook intake, workflow signals, HighLevel client, token renewals, the worker)
// counts, the job-queue gauges read at scrape time, and Node's process metrics, in one prom-client registry per app.
// Labels carry outcomes and kinds only, never ids or numbers: every label value below comes from a small fixed set.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../lib/clock.js';
import type { IntakeOutcome } from './webhook-intake.js';
import type { WorkflowSignal } from '../workflow/deps.js';
import type { RequestInfo } from '../highlevel/api-client.js';
import type { RefreshOutcome } from '../highlevel/access-tokens.js';
import type { Job } from '../store/job-queue.js';
import type { JobStats } from '../store/job-stats.js';
import type { JobStatsPort } from '../store/storage.js';
import type { BackupReport } from '../jobs/backup.js';

/** Seconds-scale buckets for request latencies. */
const LATENCY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type AppMetrics = ReturnType<typeof createAppMetrics>;

export function createAppMetrics(deps: { jobStats: JobStatsPort; clock: Clock }) {
  // Not prom-client's global registry: one process may compose many apps (tests, the bench), each with its own figures.
  const registry = new Registry();
  const registers = [registry];

  const webhooks = new Counter({ name: 'textback_webhooks_received_total', help: 'HighLevel webhooks received, by how intake answered them.', labelNames: ['outcome'], registers });
  const calls = new Counter({ name: 'textback_calls_total', help: 'Call events recorded, by the decision taken.', labelNames: ['decision'], registers });
  const texts = new Counter({ name: 'textback_texts_total', help: 'Texts the app tried to send, by kind and outcome.', labelNames: ['kind', 'outcome'], registers });
  const followUps = new Counter({ name: 'textback_followups_total', help: 'Follow-up texts, by outcome.', labelNames: ['outcome'], registers });
  const optOuts = new Counter({ name: 'textback_opt_outs_total', help: 'Opt-outs honoured (number suppressed by a reply).', registers });
  const optIns = new Counter({ name: 'textback_opt_ins_total', help: 'Opt-ins (suppression lifted by START/UNSTOP/YES).', registers });
  const latency = new Histogram({ name: 'textback_highlevel_request_duration_seconds', help: 'HighLevel API request latency, by endpoint family and status class.', labelNames: ['family', 'status'], buckets: LATENCY_BUCKETS, registers });
  const rateLimited = new Counter({ name: 'textback_highlevel_rate_limited_total', help: 'HighLevel API answers of 429 Too Many Requests.', labelNames: ['family'], registers });
  const refreshes = new Counter({ name: 'textback_token_refreshes_total', help: 'HighLevel token renewals, by result.', labelNames: ['owner_type', 'result'], registers });
  const settled = new Counter({ name: 'textback_jobs_settled_total', help: 'Jobs the worker ran, by kind and outcome (done, deferred, retry, failed).', labelNames: ['kind', 'outcome'], registers });
  const backupLastSuccess = new Gauge({ name: 'textback_backup_last_success_timestamp_seconds', help: 'When the last verified database backup finished (Unix time; absent until one succeeds).', registers });
  const backupDuration = new Gauge({ name: 'textback_backup_last_duration_seconds', help: 'How long the last database backup attempt took.', registers });
  const backupFailures = new Counter({ name: 'textback_backup_failures_total', help: 'Database backups that failed (to copy, to verify or to store).', registers });
  // An unlabelled gauge starts at 0; a last-success time of 0 would read as "1970", so both are absent until reported.
  backupLastSuccess.remove({});
  backupDuration.remove({});

  // Read once per scrape (render reads it first) and shared by the gauges below, whose collect() runs at scrape time.
  const none: JobStats = { pending: 0, running: 0, failedRecently: 0, oldestOverdueMs: 0 };
  let snapshot: JobStats = none;
  const stats = (): JobStats => snapshot;
  const jobs = new Gauge({
    name: 'textback_jobs', help: 'Jobs in the durable queue, by status.', labelNames: ['status'], registers,
    collect: () => {
      jobs.set({ status: 'pending' }, stats().pending);
      jobs.set({ status: 'running' }, stats().running);
    },
  });
  const failedRecent = new Gauge({
    name: 'textback_jobs_failed_recent', help: `Jobs that failed for good in the last ${Math.round(deps.jobStats.failedWindowMs / 3_600_000)} hours.`, registers,
    collect: () => { failedRecent.set(stats().failedRecently); },
  });
  const overdue = new Gauge({
    name: 'textback_jobs_overdue_seconds', help: 'How late the most overdue pending job is (0 when the worker keeps up).', registers,
    collect: () => { overdue.set(stats().oldestOverdueMs / 1000); },
  });
  // Process metrics (CPU, memory, event-loop lag, GC, handles), listed after the app's own.
  collectDefaultMetrics({ register: registry });

  return {
    onWebhookOutcome(outcome: IntakeOutcome): void {
      webhooks.inc({ outcome });
    },
    onSignal(signal: WorkflowSignal): void {
      switch (signal.type) {
        case 'call':
          // "ignored:status-<whatever HighLevel sent>" would grow without bound as a label.
          calls.inc({ decision: signal.decision.replace(/status-.*$/, 'status') });
          break;
        case 'text':
          texts.inc({ kind: signal.kind, outcome: signal.outcome });
          if (signal.kind === 'followup') followUps.inc({ outcome: signal.outcome });
          break;
        case 'opt-out':
          optOuts.inc();
          break;
        case 'opt-in':
          optIns.inc();
          break;
      }
    },
    onHighLevelRequest(info: RequestInfo): void {
      latency.observe({ family: info.family, status: statusClass(info.status) }, info.ms / 1000);
      if (info.rateLimited) rateLimited.inc({ family: info.family });
    },
    onTokenRefresh(outcome: RefreshOutcome): void {
      refreshes.inc({ owner_type: outcome.ownerType, result: outcome.result });
    },
    onJobSettled(job: Pick<Job, 'kind'>, outcome: string): void {
      settled.inc({ kind: job.kind, outcome });
    },
    onBackup(report: BackupReport): void {
      backupDuration.set(report.durationMs / 1000);
      if (report.ok) backupLastSuccess.set(report.at / 1000);
      else backupFailures.inc();
    },
    /** The exposition's media type (Prometheus text format 0.0.4). */
    contentType: registry.contentType,
    /** The exposition text; job gauges are read from the database now. */
    async render(): Promise<string> {
      snapshot = await deps.jobStats.read(deps.clock.now());
      return registry.metrics();
    },
  };
}

function statusClass(status: number | null): string {
  if (status === null) return 'error';
  if (status === 401 || status === 429) return String(status);
  return `${Math.floor(status / 100)}xx`;
}
