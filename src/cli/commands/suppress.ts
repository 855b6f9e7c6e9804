// `suppress --location <id> --phone <number> [--reason <text>]`: the number goes on the location's suppression list
// and everything pending for it is cancelled, exactly as when a user adds it on the settings page.
import { maskPhone } from '../../lib/phone.js';
import { suppressByHand } from '../../workflow/manual-suppression.js';
import { CliError, EXIT, parseOptions, phoneArgument, withStorage, type CliCommand } from '../context.js';
import { suppressionDeps } from '../suppression-deps.js';

export const command: CliCommand = {
  usage: 'suppress --location <locationId> --phone <number> [--reason <text>]',
  async run(args, ctx) {
    const { values } = parseOptions(args, { location: { type: 'string' }, phone: { type: 'string' }, reason: { type: 'string' } }, ['location', 'phone']);
    const locationId = values.location!;
    const phone = phoneArgument(values.phone);
    return withStorage(ctx, async (storage) => {
      if (!await storage.dataRights.knowsLocation(locationId)) throw new CliError(`location ${locationId} is not known to this database`);
      const added = await suppressByHand(suppressionDeps(storage, ctx.clock), { locationId, phone, reason: values.reason?.trim() || 'added by an operator (cli)', actor: 'cli' });
      ctx.out(added ? `${maskPhone(phone)} is now suppressed at ${locationId}` : `${maskPhone(phone)} was already suppressed at ${locationId}`);
      return EXIT.ok;
    });
  },
};
