// Which location may send from which sender of the app-wide Twilio account (TWILIO_ACCOUNT_SID). A sender is a
// location's only when the operator assigned it (CLI) or HighLevel lists the number as that location's own; saving it
// first proves nothing, so one sub-account can never take over another's number by claiming it.
import type { Db } from './db.js';

/** What a Twilio text is sent from: exactly one of the two is set. */
export interface TwilioSenderId {
  messagingServiceSid: string | null;
  fromNumber: string | null;
}

export interface AppSenderAssignment { sender: string; locationId: string; assignedBy: string; assignedAt: number }

export type AssignOutcome = { outcome: 'assigned' | 'unchanged' } | { outcome: 'taken'; by: string };

export type AppSenders = ReturnType<typeof createAppSenders>;

/** The key an assignment is stored under: the number (E.164) or the Messaging Service SID. */
export const senderKey = (sender: TwilioSenderId): string | null => sender.fromNumber ?? sender.messagingServiceSid;

export function createAppSenders(db: Db) {
  const select = db.prepare(`
    SELECT sender, location_id AS locationId, assigned_by AS assignedBy, assigned_at AS assignedAt FROM app_senders WHERE sender = ?`);
  const insert = db.prepare('INSERT INTO app_senders (sender, location_id, assigned_by, assigned_at) VALUES (?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM app_senders WHERE sender = ? AND location_id = ?');
  const listed = db.prepare('SELECT 1 FROM location_numbers WHERE location_id = ? AND phone = ?').pluck();
  const savedElsewhere = db.prepare(`
    SELECT location_id FROM twilio_accounts WHERE use_app_account = 1 AND location_id <> ? AND (from_number = ? OR messaging_service_sid = ?)`).pluck();

  const assignment = (sender: string) => (select.get(sender) as AppSenderAssignment | undefined) ?? null;

  return {
    assignment,
    /** Hands the sender to the location; one already assigned elsewhere must be unassigned first. */
    assign(sender: string, locationId: string, actor: string, now: number): AssignOutcome {
      return db.transaction((): AssignOutcome => {
        const current = assignment(sender);
        if (current) return current.locationId === locationId ? { outcome: 'unchanged' } : { outcome: 'taken', by: current.locationId };
        insert.run(sender, locationId, actor, now);
        return { outcome: 'assigned' };
      }).immediate();
    },
    /** Other locations that chose the app-wide account with this sender saved: without the assignment they cannot use it. */
    savedByOthers(sender: string, locationId: string): string[] {
      return savedElsewhere.all(locationId, sender, sender) as string[];
    },
    /** False when the sender was not assigned to this location. */
    unassign(sender: string, locationId: string): boolean {
      return remove.run(sender, locationId).changes === 1;
    },
    /**
     * Whether the location may send from this app-wide sender: assigned to it, or (a number assigned to nobody) one
     * that HighLevel's number list for the location holds. A Messaging Service can only be assigned.
     */
    mayUse(locationId: string, sender: TwilioSenderId): boolean {
      const key = senderKey(sender);
      if (!key) return false;
      const current = assignment(key);
      if (current) return current.locationId === locationId;
      return sender.fromNumber !== null && listed.get(locationId, sender.fromNumber) === 1;
    },
  };
}
