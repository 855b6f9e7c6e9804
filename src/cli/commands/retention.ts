// `retention [--dry-run]`: applies the retention rules now (as the daily job does) and prints what was removed;
// with --dry-run only counts what would be removed.
import { silentLogger } from '../../lib/logger.js';
import { performRetention } from '../../jobs/retention.js';
import { EXIT, parseOptions, withStorage, type CliCommand } from '../context.js';

export const command: CliCommand = {
  usage: 'retention [--dry-run]',
  async run(args, ctx) {
    const { values } = parseOptions(args, { 'dry-run': { type: 'boolean' } });
    const dryRun = values['dry-run'] === true;
    return withStorage(ctx, async (storage, config) => {
      const report = await performRetention(
        { retention: storage.retention, policy: config.retention, audit: storage.audit, logger: silentLogger, clock: ctx.clock },
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
