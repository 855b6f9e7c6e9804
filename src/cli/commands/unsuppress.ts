// `unsuppress --location <id> --phone <number> --reason <text>`: lifts a suppression; the reason is kept in its history.
import { maskPhone } from '../../lib/phone.js';
import { liftByHand } from '../../workflow/manual-suppression.js';
import { CliError, EXIT, UsageError, parseOptions, phoneArgument, withDatabase, type CliCommand } from '../context.js';
import { suppressionDeps } from '../suppression-deps.js';

export const command: CliCommand = {
  usage: 'unsuppress --location <locationId> --phone <number> --reason <text>',
  async run(args, ctx) {
    const { values } = parseOptions(args, { location: { type: 'string' }, phone: { type: 'string' }, reason: { type: 'string' } }, ['location', 'phone', 'reason']);
    const locationId = values.location!;
    const phone = phoneArgument(values.phone);
    const reason = values.reason!.trim();
    if (reason.length > 500) throw new UsageError('--reason: at most 500 characters');
    return withDatabase(ctx, async (db) => {
      const lifted = await liftByHand(suppressionDeps(db, ctx.clock), { locationId, phone, reason, actor: 'cli' });
      if (!lifted) throw new CliError(`${maskPhone(phone)} is not on the suppression list of ${locationId}`);
      ctx.out(`${maskPhone(phone)} is no longer suppressed at ${locationId}`);
      return EXIT.ok;
    });
  },
};
