// The app's metrics: what each hook (webhook intake, workflow signals, HighLevel client, token renewals, the worker)
// counts, and the job-queue gauges read at scrape time. Labels carry outcomes and kinds only, never ids or numbers.
import { createMetricsRegistry, LATENCY_BUCKETS } from '../lib/metrics.js';
import type { Clock } from '../lib/clock.js';
import type { IntakeOutcome } from './webhook-intake.js';
import type { WorkflowSignal } from '../workflow/deps.js';
import type { RequestInfo } from '../highlevel/api-client.js';
import type { RefreshOutcome } from '../highlevel/access-tokens.js';
import type { Job } from '../store/job-queue.js';
import type { JobStats, JobStatsReader } from '../store/job-stats.js';
import type { BackupReport } from '../jobs/backup.js';

export type AppMetrics = ReturnType<typeof createAppMetrics>;

export function createAppMetrics(deps: { jobStats: JobStatsReader; clock: Clock }) {
  const registry = createMetricsRegistry();
  const webhooks = registry.counter({ name: 'textback_webhooks_received_total', help: 'HighLevel webhooks received, by how intake answered them.', labelNames: ['outcome'] });
  const calls = registry.counter({ name: 'textback_calls_total', help: 'Call events recorded, by the decision taken.', labelNames: ['decision'] });
  const texts = registry.counter({ name: 'textback_texts_total', help: 'Texts the app tried to send, by kind and outcome.', labelNames: ['kind', 'outcome'] });
  const followUps = registry.counter({ name: 'textback_followups_total', help: 'Follow-up texts, by outcome.', labelNames: ['outcome'] });
  const optOuts = registry.counter({ name: 'textback_opt_outs_total', help: 'Opt-outs honoured (number suppressed by a reply).', labelNames: [] });
  const optIns = registry.counter({ name: 'textback_opt_ins_total', help: 'Opt-ins (suppression lifted by START/UNSTOP/YES).', labelNames: [] });
  const latency = registry.histogram({ name: 'textback_highlevel_request_duration_seconds', help: 'HighLevel API request latency, by endpoint family and status class.', labelNames: ['family', 'status'], buckets: LATENCY_BUCKETS });
  const rateLimited = registry.counter({ name: 'textback_highlevel_rate_limited_total', help: 'HighLevel API answers of 429 Too Many Requests.', labelNames: ['family'] });
  const refreshes = registry.counter({ name: 'textback_token_refreshes_total', help: 'HighLevel token renewals, by result.', labelNames: ['owner_type', 'result'] });
  const settled = registry.counter({ name: 'textback_jobs_settled_total', help: 'Jobs the worker ran, by kind and outcome (done, deferred, retry, failed).', labelNames: ['kind', 'outcome'] });
  const backupLastSuccess = registry.gauge({ name: 'textback_backup_last_success_timestamp_seconds', help: 'When the last verified database backup finished (Unix time; absent until one succeeds).', labelNames: [] });
  const backupDuration = registry.gauge({ name: 'textback_backup_last_duration_seconds', help: 'How long the last database backup attempt took.', labelNames: [] });
  const backupFailures = registry.counter({ name: 'textback_backup_failures_total', help: 'Database backups that failed (to copy, to verify or to store).', labelNames: [] });
  backupFailures.inc({}, 0);

  // Read once per scrape (in render) and shared by the gauges below.
  let snapshot: JobStats | null = null;
  const stats = (): JobStats => (snapshot ??= deps.jobStats.read(deps.clock.now()));
  registry.gauge({
    name: 'textback_jobs', help: 'Jobs in the durable queue, by status.', labelNames: ['status'],
    collect: () => [{ labels: { status: 'pending' }, value: stats().pending }, { labels: { status: 'running' }, value: stats().running }],
  });
  registry.gauge({
    name: 'textback_jobs_failed_recent', help: `Jobs that failed for good in the last ${Math.round(deps.jobStats.failedWindowMs / 3_600_000)} hours.`, labelNames: [],
    collect: () => [{ labels: {}, value: stats().failedRecently }],
  });
  registry.gauge({
    name: 'textback_jobs_overdue_seconds', help: 'How late the most overdue pending job is (0 when the worker keeps up).', labelNames: [],
    collect: () => [{ labels: {}, value: stats().oldestOverdueMs / 1000 }],
  });

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
      backupDuration.set({}, report.durationMs / 1000);
      if (report.ok) backupLastSuccess.set({}, report.at / 1000);
      else backupFailures.inc();
    },
    /** The exposition text; job gauges are read from the database now. */
    render(): string {
      snapshot = null;
      return registry.render();
    },
  };
}

function statusClass(status: number | null): string {
  if (status === null) return 'error';
  if (status === 401 || status === 429) return String(status);
  return `${Math.floor(status / 100)}xx`;
}
