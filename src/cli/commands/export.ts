// `export --location <id> --phone <number> [--format json|csv]`: everything held about a number, to standard output.
import { maskPhone } from '../../lib/phone.js';
import { exportToCsv } from '../../store/data-export-csv.js';
import { CliError, EXIT, UsageError, parseOptions, phoneArgument, withStorage, type CliCommand } from '../context.js';

export const command: CliCommand = {
  usage: 'export --location <locationId> --phone <number> [--format json|csv]',
  async run(args, ctx) {
    const { values } = parseOptions(args, { location: { type: 'string' }, phone: { type: 'string' }, format: { type: 'string' } }, ['location', 'phone']);
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new UsageError('--format must be json or csv');
    const locationId = values.location!;
    const phone = phoneArgument(values.phone);
    return withStorage(ctx, async ({ dataRights: rights, audit }) => {
      if (!await rights.knowsLocation(locationId)) throw new CliError(`location ${locationId} is not known to this database`);
      const now = ctx.clock.now();
      const data = await rights.exportNumber(locationId, phone, now);
      await audit.record({
        locationId, actor: 'cli', action: 'data.export',
        detail: { phone: maskPhone(phone), format, calls: data.calls.length, messages: data.messages.length, replies: data.replies.length },
      }, now);
      ctx.out(format === 'csv' ? exportToCsv(data) : JSON.stringify(data, null, 2));
      return EXIT.ok;
    });
  },
};
