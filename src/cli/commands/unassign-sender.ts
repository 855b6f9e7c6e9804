// `unassign-sender <locationId> <number|MessagingServiceSid>`: takes an app-wide Twilio sender back from a location;
// its texts through that sender stop (unless HighLevel lists the number as the location's own).
import { CliError, EXIT, withStorage, type CliCommand } from '../context.js';
import { senderCommandArguments } from './assign-sender.js';

export const command: CliCommand = {
  usage: 'unassign-sender <locationId> <number|MessagingServiceSid>',
  async run(args, ctx) {
    const { locationId, sender } = senderCommandArguments(args);
    return withStorage(ctx, async ({ appSenders, audit }) => {
      if (!await appSenders.unassign(sender, locationId)) throw new CliError(`${sender} is not assigned to ${locationId}`);
      await audit.record({ locationId, actor: 'cli', action: 'app-sender.unassign', detail: { sender } }, ctx.clock.now());
      ctx.out(`${sender} is no longer assigned to ${locationId}`);
      return EXIT.ok;
    });
  },
};
