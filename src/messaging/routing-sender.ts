// The one MessageSender the workflow sees: each text goes through the provider its location chose (and its plan allows).
import type { MessageSender, OutgoingText } from '../workflow/ports/services.js';
import type { LocationSettings } from '../workflow/settings.js';

export type ProviderName = LocationSettings['provider'];

export interface RoutingSender extends MessageSender {
  /** The provider a text for these settings goes through (the ledger records it before the send). */
  providerName(settings: LocationSettings, options?: { twilioAllowed?: boolean }): ProviderName;
}

export function createRoutingSender(senders: Record<ProviderName, MessageSender>): RoutingSender {
  const providerName = (settings: LocationSettings, options: { twilioAllowed?: boolean } = {}): ProviderName =>
    settings.provider === 'twilio' && options.twilioAllowed !== false ? 'twilio' : 'highlevel';
  return {
    providerName,
    send(text: OutgoingText, settings: LocationSettings) {
      return senders[providerName(settings, { twilioAllowed: text.twilioAllowed })].send(text, settings);
    },
  };
}
