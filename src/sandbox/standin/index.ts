// The local stand-in for HighLevel's API: world building, webhook events, inspection, and the HTTP handler.
import { createConversationStore } from './conversation-store.js';
import { createEventFactory } from './events.js';
import { createDndEvents } from './dnd-events.js';
import { createInstallEvents } from './install-events.js';
import { createFaultInjector } from './faults.js';
import { listenOnLoopback } from './listen.js';
import { createPipeline } from './pipeline.js';
import { createRateLimiter } from './rate-limiter.js';
import { createRouter } from './router.js';
import { createTokenStore } from './token-store.js';
import type { StandIn, StandInCounters, StandInOptions } from './types.js';
import { copyContact } from './wire-shapes.js';
import { createWorld } from './world.js';
import { createContactRoutes } from './contacts-routes.js';
import { createConversationRoutes } from './conversations-routes.js';
import { createChannelRoutes } from './channel-routes.js';
import { createChannelEvents } from './channel-events.js';
import { createLocationRoutes } from './locations-routes.js';
import { createOauthRoutes } from './oauth-routes.js';

export type * from './types.js';
export { DELIVERY_DELAY_MS } from './conversation-store.js';
export { ACCESS_TOKEN_SECONDS, DEFAULT_SCOPE } from './token-store.js';
export { DAILY_LIMIT } from './rate-limiter.js';
export { DEFAULT_HANG_MS } from './faults.js';
export { PROVIDER_STATUS_WINDOW_MS } from './channel-events.js';
export { createWebhookRedelivery, MAX_REDELIVERIES, REDELIVERY_INTERVAL_MS, type WebhookRedelivery } from './webhook-redelivery.js';

export const DEFAULT_RATE_LIMIT = { max: 100, intervalMs: 10_000 } as const;

export function createStandIn(opts: StandInOptions): StandIn {
  const { clock } = opts;
  const world = createWorld(clock);
  const conversations = createConversationStore();
  const tokens = createTokenStore({ clock, world });
  const events = createEventFactory({ clock, world, conversations });
  const channelEvents = createChannelEvents({ clock, world, conversations });
  const dndEvents = createDndEvents({ clock });
  const installEvents = createInstallEvents({ clock, world, tokens, clientId: opts.clientId });
  const counters: StandInCounters = { requests: 0, rateLimited: 0, faults: 0, refreshes: 0 };
  const router = createRouter([
    ...createOauthRoutes({
      world, tokens, clientId: opts.clientId, clientSecret: opts.clientSecret,
      countRefresh: () => { counters.refreshes += 1; },
    }),
    ...createContactRoutes({ world, onDndChange: (contact) => opts.onEvent?.(dndEvents.dndUpdate(contact)) }),
    ...createConversationRoutes({ world, conversations }),
    ...createChannelRoutes({ world, conversations }),
    ...createLocationRoutes({ world }),
  ]);
  const rateLimit = opts.rateLimit === undefined ? DEFAULT_RATE_LIMIT : opts.rateLimit;
  const pipeline = createPipeline({
    clock,
    router,
    tokens,
    limiter: rateLimit === false ? undefined : createRateLimiter(clock, rateLimit),
    faults: createFaultInjector(opts.faults, opts.random ?? Math.random),
    counters,
  });

  return {
    handle: pipeline.handle,
    listen: (port) => listenOnLoopback(pipeline.handle, pipeline.releaseHangs, port),
    createCompany: (input) => ({ id: world.createCompany(input).id }),
    createLocation: (input) => {
      const location = world.createLocation(input);
      return { ...location, numbers: [...location.numbers] };
    },
    createContact: (locationId, input) => copyContact(world.createContact(locationId, input)),
    issueAuthCode: (input) => tokens.issueAuthCode(input),
    placeCall: (input) => events.placeCall(input),
    progressCall: (input) => events.progressCall(input),
    receiveSms: (input) => events.receiveSms(input),
    setSmsDnd: (input) => {
      const contact = world.contact(input.contactId);
      if (contact?.locationId !== input.locationId) throw new Error(`stand-in: unknown contact ${input.contactId}`);
      world.updateContact(contact, { dndSettings: { SMS: { status: input.status } } });
      return { contact: copyContact(contact), event: dndEvents.dndUpdate(contact) };
    },
    installEvent: (input) => installEvents.installEvent(input),
    addFutureLocation: (input) => installEvents.addFutureLocation(input),
    uninstallEvent: (input) => installEvents.uninstallEvent(input),
    planChangeEvent: (input) => installEvents.planChangeEvent(input),
    sentMessages: (filter) => conversations.sentMessages(clock.now(), filter),
    sendInChannel: (input) => channelEvents.sendInChannel(input),
    channelMessages: (filter) => conversations.channelMessages(filter).map((m) => ({
      id: m.id, locationId: m.locationId, contactId: m.contactId, conversationId: m.conversationId,
      conversationProviderId: m.conversationProviderId!, direction: m.direction, message: m.body, at: m.at, status: m.status,
      ...(m.statusError !== undefined ? { statusError: m.statusError } : {}), ...(m.altId !== undefined ? { altId: m.altId } : {}),
      ...(m.userId !== undefined ? { userId: m.userId } : {}),
    })),
    contact: (locationId, contactId) => {
      const contact = world.contact(contactId);
      return contact?.locationId === locationId ? copyContact(contact) : undefined;
    },
    counters: () => ({ ...counters }),
    revokeRefreshTokens: (id) => tokens.revokeRefreshTokens(id),
  };
}
