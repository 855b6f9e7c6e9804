// `erase --location <id> --phone <number>`: deletes the number's calls, messages, replies, jobs and cached lookups
// at the location in one transaction; its suppression entry and history stay, so it is never texted again.
import { maskPhone } from '../../lib/phone.js';
import { CliError, EXIT, parseOptions, phoneArgument, withStorage, type CliCommand } from '../context.js';

export const command: CliCommand = {
  usage: 'erase --location <locationId> --phone <number>',
  async run(args, ctx) {
    const { values } = parseOptions(args, { location: { type: 'string' }, phone: { type: 'string' } }, ['location', 'phone']);
    const locationId = values.location!;
    const phone = phoneArgument(values.phone);
    return withStorage(ctx, async ({ dataRights: rights, audit }) => {
      if (!await rights.knowsLocation(locationId)) throw new CliError(`location ${locationId} is not known to this database`);
      const erased = await rights.eraseNumber(locationId, phone);
      const suppression = await rights.suppressionOf(locationId, phone);
      await audit.record({ locationId, actor: 'cli', action: 'data.erase', detail: { phone: maskPhone(phone), ...erased, suppressionKept: suppression.suppressed } }, ctx.clock.now());
      ctx.out(JSON.stringify({ locationId, phone: maskPhone(phone), erased, suppression }, null, 2));
      ctx.err(`erased ${maskPhone(phone)} at ${locationId}: ${erased.calls} calls, ${erased.messages} messages, ${erased.replies} replies, `
        + `${erased.jobs} jobs, ${erased.lookups} cached lookups; ${suppression.suppressed ? 'its suppression entry is kept' : 'it is not suppressed'}`);
      return EXIT.ok;
    });
  },
};
