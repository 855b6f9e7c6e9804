// `retention [--dry-run]`: applies the retention rules now (as the daily job does) and prints what was removed;
// with --dry-run only counts what would be removed.
import { silentLogger } from '../../lib/logger.js';
import { createAuditLog } from '../../store/audit.js';
import { createRetention } from '../../store/retention.js';
import { createJobQueue } from '../../store/job-queue.js';
import { performRetention } from '../../jobs/retention.js';
import { EXIT, parseOptions, withDatabase, type CliCommand } from '../context.js';

export const command: CliCommand = {
  usage: 'retention [--dry-run]',
  async run(args, ctx) {
    const { values } = parseOptions(args, { 'dry-run': { type: 'boolean' } });
    const dryRun = values['dry-run'] === true;
    return withDatabase(ctx, async (db, config) => {
      const report = await performRetention(
        { retention: createRetention(db, createJobQueue(db)), policy: config.retention, audit: createAuditLog(db), logger: silentLogger, clock: ctx.clock },
        { actor: 'cli', dryRun },
      );
      ctx.err(dryRun
        ? `dry run (nothing deleted): records before ${new Date(report.cutoffs.recordsBefore).toISOString()} and locations uninstalled before ${new Date(report.cutoffs.uninstalledBefore).toISOString()} would go`
        : `retention applied: records before ${new Date(report.cutoffs.recordsBefore).toISOString()} purged`);
      ctx.out(JSON.stringify(report, null, 2));
      return EXIT.ok;
    });
  },
};
