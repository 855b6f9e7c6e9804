// Sandbox mode: a local stand-in for HighLevel and one for Twilio in the same process, the demo sub-accounts installed
// through the real OAuth callback, and the sandbox page. The app itself runs unchanged; only its configuration (and
// its Twilio clients, ComposeOptions.twilioClients) point at the stand-ins.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import type { ComposeOptions, ComposedApp } from '../compose.js';
import type { Logger } from '../lib/logger.js';
import { generateWebhookKeyPair } from '../highlevel/webhook-signer.js';
import { PROVIDER_DELIVERY_PATH } from '../http/conversation-provider.js';
import { TWILIO_INBOUND_PATH } from '../http/twilio-webhooks.js';
import { createCallerActions, type CallerActions } from './caller-actions.js';
import { DEMO, DEMO_LOCATIONS, installDemo, isDemoContact, SANDBOX_CONVERSATION_PROVIDER_ID, seedStandIn, TWILIO_DEMO } from './demo-world.js';
import { createFakeTwilio, type FakeTwilio } from './fake-twilio.js';
import { createObserver, type Observer } from './observe.js';
import { sandboxRoutes } from './routes.js';
import { createSandboxClock, type SandboxClock } from './sandbox-clock.js';
import { loadOrCreateEncryptionKey, loadSandboxState, sandboxFiles, saveSandboxState } from './sandbox-files.js';
import { createStandIn, type StandIn } from './standin/index.js';
import { createWebhookPoster, type PostWebhook } from './webhook-poster.js';

export interface SandboxOptions {
  /** Sandbox time at start-up for a sandbox without saved state (tests pin it to business hours). */
  clockStartAt?: number;
  /** false: the stand-in Twilio posts its status callbacks only when asked (twilio.deliverDue), not every half second. */
  twilioCallbackTimer?: boolean;
}

export interface PreparedSandbox {
  composeOptions: ComposeOptions;
  clock: SandboxClock;
  standIn: StandIn;
  /** The stand-in Twilio of the Twilio-route sub-account. */
  twilio: FakeTwilio;
  stop(): Promise<void>;
}

export async function prepareSandbox(config: Config, logger: Logger, options: SandboxOptions = {}): Promise<PreparedSandbox> {
  if (config.mode !== 'sandbox' || config.env === 'production') throw new Error('sandbox mode needs no HighLevel credentials and NODE_ENV other than production');
  const files = sandboxFiles(config.databasePath);
  const encryptionKey = loadOrCreateEncryptionKey(files.keyPath);
  const state = loadSandboxState(files.statePath);
  const fresh = !existsSync(files.statePath);
  const clock = createSandboxClock(fresh && options.clockStartAt !== undefined ? options.clockStartAt - Date.now() : state.clockOffsetMs);
  const persist = () => saveSandboxState(files.statePath, { ...state, clockOffsetMs: clock.offset() });

  // Webhooks HighLevel sends by itself (ContactDndUpdate after the app's own DND change) go to the app like any other.
  let postEvent: PostWebhook | null = null;
  const onEvent = (event: Record<string, unknown>) => {
    postEvent?.(event).catch((error: unknown) => logger.warn({ err: error, type: event.type }, 'sandbox: the app did not take a HighLevel event'));
  };
  const standIn = createStandIn({ clock, clientId: config.highLevel.clientId, clientSecret: config.highLevel.clientSecret, onEvent });
  seedStandIn(standIn, state);
  const listening = await standIn.listen(0);

  const port = config.port === 0 ? await findFreePort() : config.port;
  const sandboxConfig: Config = {
    ...config,
    port,
    publicUrl: config.publicUrl === `http://localhost:${config.port}` ? `http://localhost:${port}` : config.publicUrl,
    // The custom conversation channel is on in the sandbox: the Twilio sub-account's texts show in its conversations.
    highLevel: { ...config.highLevel, apiUrl: listening.url, conversationProviderId: config.highLevel.conversationProviderId ?? SANDBOX_CONVERSATION_PROVIDER_ID },
  };
  const selfUrl = `http://127.0.0.1:${port}`;
  const keys = generateWebhookKeyPair();

  const post = createWebhookPoster({ privateKey: keys.privateKey, webhookUrl: () => `${selfUrl}/webhooks/highlevel`, clock });
  // HighLevel re-sends what the app answered 429 to about 10 minutes later: checked as real and sandbox time pass.
  const redeliver = () => { post.redeliverDue().catch((error: unknown) => logger.warn({ err: error }, 'sandbox: a webhook redelivery failed')); };
  const redeliveryTimer = setInterval(redeliver, 30_000);
  redeliveryTimer.unref();
  postEvent = post;

  // Twilio signs the URLs it was given (PUBLIC_URL…) and the stand-in connects to the app on loopback.
  const publicUrl = sandboxConfig.publicUrl;
  const twilio = createFakeTwilio({ clock, logger, connectTo: (url) => (url.startsWith(publicUrl) ? selfUrl + url.slice(publicUrl.length) : url) });
  twilio.addAccount({ ...TWILIO_DEMO.twilio, numbers: [{ phoneNumber: TWILIO_DEMO.number, smsUrl: publicUrl + TWILIO_INBOUND_PATH }] });
  const deliverStatuses = () => { twilio.deliverDue().catch((error: unknown) => logger.warn({ err: error }, 'sandbox: a Twilio status callback failed')); };
  const twilioTimer = options.twilioCallbackTimer === false ? undefined : setInterval(deliverStatuses, 500);
  twilioTimer?.unref();
  // What staff type in the channel reaches the app's Delivery URL as HighLevel's signed ProviderOutboundMessage.
  const postToChannel = createWebhookPoster({ privateKey: keys.privateKey, webhookUrl: () => `${selfUrl}${PROVIDER_DELIVERY_PATH}`, clock });

  const actions = new Map<string, CallerActions>(DEMO_LOCATIONS.map((location) => [location.locationId, createCallerActions({
    standIn,
    locationId: location.locationId,
    post,
    onContact(contact) {
      if (isDemoContact(contact.id) || state.contacts.some((known) => known.id === contact.id)) return;
      state.contacts.push({ id: contact.id, phone: contact.phone, locationId: location.locationId });
      persist();
    },
    ...(location.route === 'twilio' ? {
      async textViaTwilio(phone: string, body: string) {
        const at = clock.now();
        const { messageSid } = await twilio.receiveText({ from: phone, to: location.number, body });
        return { replyKey: `twilio:${messageSid}`, at };
      },
    } : {}),
  })]));
  let ready: { app: ComposedApp; observers: Map<string, Observer> } | null = null;
  const router = sandboxRoutes({
    clock, standIn, twilio, actions: (locationId) => actions.get(locationId)!, sharedSecret: config.highLevel.sharedSecret,
    ready: () => {
      const current = ready;
      return current && { app: current.app, observer: (locationId: string) => current.observers.get(locationId)! };
    },
    async sendStaffMessage(input) {
      const { messageId, event } = standIn.sendInChannel({
        ...input, conversationProviderId: sandboxConfig.highLevel.conversationProviderId!, userId: DEMO.user.userId,
      });
      await postToChannel(event);
      return { messageId };
    },
    onTimeMoved(ms) {
      state.advancedMs += ms;
      persist();
      redeliver();
      deliverStatuses();
    },
    timeAdvanced: () => state.advancedMs,
  });

  const composeOptions: ComposeOptions = {
    config: sandboxConfig,
    encryptionKey,
    clock,
    logger,
    webhookKeysPem: keys.publicKeyPem,
    extraRouters: [router],
    // Installs the sandbox itself makes; any other one in its database means it is not the sandbox's own file.
    sandboxInstallIds: [...DEMO_LOCATIONS.map((location) => location.locationId), DEMO.companyId],
    twilioClients: twilio.clients,
    async onListening(app) {
      await installDemo({ standIn, app, selfUrl, appId: config.highLevel.appId, post, logger });
      ready = { app, observers: new Map(DEMO_LOCATIONS.map((location) => [location.locationId, createObserver(app.storage, location.locationId)])) };
      persist();
      logger.info({ url: sandboxConfig.publicUrl, highLevelStandIn: listening.url },
        'sandbox mode: no HighLevel credentials, so a local stand-in plays HighLevel; open the URL to try TextBack');
    },
  };

  return {
    composeOptions,
    clock,
    standIn,
    twilio,
    async stop() {
      ready = null;
      clearInterval(redeliveryTimer);
      clearInterval(twilioTimer);
      persist();
      await listening.close();
    },
  };
}

/** PORT=0 asks for any free port; the sandbox must know it before listening, to call the app over HTTP. */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
