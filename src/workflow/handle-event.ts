// Routes one event to the rule that handles it; returns a short outcome for the log line.
import type { WorkflowEvent } from './events.js';
import type { WorkflowDeps } from './deps.js';
import { handleCall, type CallHandling } from './missed-call.js';
import { handleInboundText } from './replies.js';
import { noticeOutboundText } from './native-textback.js';
import { handleDnd, handleInstall, handleLocationUpdate, handlePlanChange, handleUninstall } from './lifecycle.js';

/** `handling.recovering`: the event is handled again after a run that may have been cut short (see handleCall). */
export async function handleEvent(deps: WorkflowDeps, event: WorkflowEvent, handling: CallHandling = {}): Promise<string> {
  switch (event.kind) {
    case 'call':
      return handleCall(deps, event, handling);
    case 'sms':
      if (event.direction === 'outbound') return noticeOutboundText(deps, event);
      if (event.direction !== 'inbound') return 'ignored:outbound-sms';
      return handleInboundText(deps, {
        locationId: event.locationId, contactId: event.contactId, replyKey: event.messageKey,
        from: event.from, body: event.body, receivedAt: event.occurredAt, via: 'highlevel',
      });
    case 'install':
      return handleInstall(deps, event);
    case 'uninstall':
      return handleUninstall(deps, event);
    case 'plan-change':
      return handlePlanChange(deps, event);
    case 'location-update':
      return handleLocationUpdate(deps, event.locationId);
    case 'dnd':
      return handleDnd(deps, event);
    case 'ignored':
      return `ignored:${event.reason}`;
  }
}
