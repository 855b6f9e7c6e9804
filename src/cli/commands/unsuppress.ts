// `unsuppress --location <id> --phone <number> --reason <text> [--force]`: lifts a suppression under the same rule as
// the settings page (an operator counts as a location admin: an opt-out the caller proved stays); `--force` overrides
// that rule, and the override is audited with its reason. The reason is kept in the suppression history.
import { maskPhone } from '../../lib/phone.js';
import { liftByHand } from '../../workflow/manual-suppression.js';
import { CliError, EXIT, UsageError, parseOptions, phoneArgument, withStorage, type CliCommand } from '../context.js';
import { suppressionDeps } from '../suppression-deps.js';

export const command: CliCommand = {
  usage: 'unsuppress --location <locationId> --phone <number> --reason <text> [--force]',
  async run(args, ctx) {
    const { values } = parseOptions(args, { location: { type: 'string' }, phone: { type: 'string' }, reason: { type: 'string' }, force: { type: 'boolean' } }, ['location', 'phone', 'reason']);
    const locationId = values.location!;
    const phone = phoneArgument(values.phone);
    const reason = values.reason!.trim();
    if (reason.length > 500) throw new UsageError('--reason: at most 500 characters');
    return withStorage(ctx, async (storage) => {
      const result = await liftByHand(suppressionDeps(storage, ctx.clock), { locationId, phone, reason, actor: 'cli', lifter: 'admin', force: values.force === true });
      if (result.outcome === 'not-suppressed') throw new CliError(`${maskPhone(phone)} is not on the suppression list of ${locationId}`);
      if (result.outcome === 'locked') {
        throw new CliError(`${maskPhone(phone)} stays suppressed at ${locationId}: ${result.verdict.reason} (an operator may override with --force and a reason; the override is audited)`);
      }
      ctx.out(`${maskPhone(phone)} is no longer suppressed at ${locationId}`);
      return EXIT.ok;
    });
  },
};
