// `assign-sender <locationId> <number|MessagingServiceSid>`: hands a sender of the app-wide Twilio account to one
// location, the only way besides HighLevel's own number list for a location to send from it.
import { toE164 } from '../../lib/phone.js';
import { CliError, EXIT, UsageError, parseOptions, withStorage, type CliCommand } from '../context.js';

/** A number (made E.164) or a Messaging Service SID, or a usage error. */
export function senderArgument(raw: string | undefined): string {
  const value = raw?.trim() ?? '';
  if (/^MG[0-9a-fA-F]{32}$/.test(value)) return value;
  const phone = value ? toE164(value) : null;
  if (!phone) throw new UsageError('<sender>: give a phone number in E.164 (e.g. +15125550123) or a Messaging Service SID (MG…)');
  return phone;
}

/** The two positionals every sender command takes. */
export function senderCommandArguments(args: string[]): { locationId: string; sender: string } {
  const { positionals } = parseOptions(args, {}, [], 2);
  if (positionals.length < 2) throw new UsageError('give the location id and the sender');
  return { locationId: positionals[0], sender: senderArgument(positionals[1]) };
}

export const command: CliCommand = {
  usage: 'assign-sender <locationId> <number|MessagingServiceSid>',
  async run(args, ctx) {
    const { locationId, sender } = senderCommandArguments(args);
    return withStorage(ctx, async ({ dataRights, appSenders, audit }, config) => {
      if (!await dataRights.knowsLocation(locationId)) throw new CliError(`location ${locationId} is not known to this database`);
      if (!config.twilio) ctx.err('note: no app-wide Twilio account is configured (TWILIO_ACCOUNT_SID); the assignment applies once one is');
      const result = await appSenders.assign(sender, locationId, 'cli', ctx.clock.now());
      if (result.outcome === 'taken') throw new CliError(`${sender} is assigned to ${result.by}; unassign it there first (unassign-sender ${result.by} ${sender})`);
      if (result.outcome === 'unchanged') {
        ctx.out(`${sender} was already assigned to ${locationId}`);
        return EXIT.ok;
      }
      await audit.record({ locationId, actor: 'cli', action: 'app-sender.assign', detail: { sender } }, ctx.clock.now());
      for (const other of await appSenders.savedByOthers(sender, locationId)) ctx.err(`note: ${other} had saved ${sender} without an assignment; it can no longer send from it`);
      ctx.out(`${sender} is now assigned to ${locationId}`);
      return EXIT.ok;
    });
  },
};
