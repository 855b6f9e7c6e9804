// `unassign-sender <locationId> <number|MessagingServiceSid>`: takes an app-wide Twilio sender back from a location;
// its texts through that sender stop (unless HighLevel lists the number as the location's own).
import { createAppSenders } from '../../store/app-senders.js';
import { createAuditLog } from '../../store/audit.js';
import { CliError, EXIT, withDatabase, type CliCommand } from '../context.js';
import { senderCommandArguments } from './assign-sender.js';

export const command: CliCommand = {
  usage: 'unassign-sender <locationId> <number|MessagingServiceSid>',
  async run(args, ctx) {
    const { locationId, sender } = senderCommandArguments(args);
    return withDatabase(ctx, (db) => {
      if (!createAppSenders(db).unassign(sender, locationId)) throw new CliError(`${sender} is not assigned to ${locationId}`);
      createAuditLog(db).record({ locationId, actor: 'cli', action: 'app-sender.unassign', detail: { sender } }, ctx.clock.now());
      ctx.out(`${sender} is no longer assigned to ${locationId}`);
      return EXIT.ok;
    });
  },
};
