// What the sandbox page shows of one demo sub-account: its card, each caller's phone (calls, texts both ways, what
// the app decided) and, at the Twilio-route sub-account, each caller's HighLevel conversation as the simulated CRM
// shows it: the messages of the app's custom channel (what TextBack posted, what staff typed) with their statuses.
import type { CallerActions } from './caller-actions.js';
import type { DemoLocation } from './demo-world.js';
import type { FakeTwilio } from './fake-twilio.js';
import type { Observer } from './observe.js';
import { buildCallerViews, createTimeFormatter, formatPhone, type CallerView, type OutboundText } from './sandbox-view.js';
import type { StandIn } from './standin/index.js';

export interface ConversationItem {
  direction: 'inbound' | 'outbound';
  /** Who wrote it: the caller (a text to the Twilio number), TextBack (its own texts) or a team member in HighLevel. */
  by: 'caller' | 'textback' | 'staff';
  body: string;
  /** HighLevel's status of the message: pending, delivered, failed, read. */
  status: string;
  statusError: string | null;
  at: number;
  time: string;
}

export interface LocationStateSources {
  demo: DemoLocation;
  standIn: StandIn;
  twilio: FakeTwilio;
  actions: CallerActions;
  observer: Observer;
}

/** The texts the business sent each caller, as their phones received them: through HighLevel or the Twilio account. */
function outboundTexts({ demo, standIn, twilio }: LocationStateSources): OutboundText[] {
  if (demo.route === 'twilio') {
    return twilio.messages().filter((m) => m.direction === 'outbound-api' && m.from === demo.number)
      .map((m) => ({ phone: m.to, at: m.at, body: m.body, status: m.status }));
  }
  return standIn.sentMessages({ locationId: demo.locationId }).map((message) => ({
    phone: standIn.contact(demo.locationId, message.contactId)?.phone ?? message.toNumber ?? '',
    at: message.at, body: message.message, status: message.status,
  }));
}

/** The channel's messages in each caller's conversation (by phone), oldest first. */
export function conversationsByPhone(standIn: StandIn, locationId: string, time: (at: number) => string): Map<string, ConversationItem[]> {
  const byPhone = new Map<string, ConversationItem[]>();
  for (const message of standIn.channelMessages({ locationId })) {
    const phone = standIn.contact(locationId, message.contactId)?.phone;
    if (!phone) continue;
    const items = byPhone.get(phone) ?? [];
    items.push({
      direction: message.direction, by: message.direction === 'inbound' ? 'caller' : message.userId ? 'staff' : 'textback',
      body: message.message, status: message.status, statusError: message.statusError ?? null, at: message.at, time: time(message.at),
    });
    byPhone.set(phone, items);
  }
  return byPhone;
}

export async function buildLocationState(sources: LocationStateSources) {
  const { demo, actions, observer } = sources;
  const location = await observer.location();
  const outbound = outboundTexts(sources);
  const callers = actions.callers();
  const entries = callers.flatMap((caller) => caller.entries);
  const outcomes = await observer.outcomes({
    callKeys: entries.flatMap((entry) => (entry.kind === 'call' ? [entry.callKey] : [])),
    replyKeys: entries.flatMap((entry) => (entry.kind === 'text' ? [entry.replyKey] : [])),
    phones: [...new Set([...callers.map((caller) => caller.phone), ...outbound.map((text) => text.phone)])],
  });
  const views: (CallerView & { conversation: ConversationItem[] | null })[] = buildCallerViews({ timeZone: demo.timeZone, callers, outbound, ...outcomes })
    .map((view) => ({ ...view, conversation: null }));
  if (demo.route === 'twilio') {
    const conversations = conversationsByPhone(sources.standIn, demo.locationId, createTimeFormatter(demo.timeZone));
    for (const view of views) view.conversation = conversations.get(view.phone) ?? [];
  }
  return {
    business: {
      locationId: demo.locationId, name: demo.businessName, number: demo.number, display: formatPhone(demo.number),
      route: demo.route, timeZone: demo.timeZone, installed: location?.status === 'installed', enabled: location?.settings.enabled ?? false,
      provider: location?.settings.provider ?? null, textBackPolicy: location?.settings.textBackPolicy ?? null,
      followUpMinutes: location?.settings.followUp.enabled ? location.settings.followUp.delayMinutes : null,
    },
    suggestedCallers: demo.callers.map((caller) => ({ phone: caller.phone, label: caller.label, display: formatPhone(caller.phone) })),
    callers: views,
  };
}
