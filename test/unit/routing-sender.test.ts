// The routing sender: each text goes through the provider its location chose, unless its plan withholds Twilio.
import { describe, expect, it } from 'vitest';
import { createRoutingSender } from '../../src/messaging/routing-sender.js';
import type { MessageSender, OutgoingText } from '../../src/workflow/ports/services.js';
import { defaultSettings, mergeSettings } from '../../src/workflow/settings.js';

const fake = (name: string, calls: string[]): MessageSender => ({
  async send() { calls.push(name); return { provider: name, providerMessageId: `${name}-1`, status: 'queued' }; },
});
const text: OutgoingText = { locationId: 'loc', contactId: 'c', to: '+12125550147', body: 'hi', kind: 'textback' };

describe('routing sender', () => {
  it('when a location keeps the default, then its texts go through HighLevel', async () => {
    const calls: string[] = [];
    const router = createRoutingSender({ highlevel: fake('highlevel', calls), twilio: fake('twilio', calls) });
    const settings = defaultSettings();
    await router.send(text, settings);
    expect(calls).toEqual(['highlevel']);
    expect(router.providerName(settings)).toBe('highlevel');
  });

  it('when a location chose Twilio, then its texts go through Twilio and the ledger is told so', async () => {
    const calls: string[] = [];
    const router = createRoutingSender({ highlevel: fake('highlevel', calls), twilio: fake('twilio', calls) });
    const settings = mergeSettings(defaultSettings(), { provider: 'twilio' });
    await router.send(text, settings);
    expect(calls).toEqual(['twilio']);
    expect(router.providerName(settings)).toBe('twilio');
  });

  it('when the plan withholds Twilio, then a Twilio location texts through HighLevel and the ledger says highlevel', async () => {
    const calls: string[] = [];
    const router = createRoutingSender({ highlevel: fake('highlevel', calls), twilio: fake('twilio', calls) });
    const settings = mergeSettings(defaultSettings(), { provider: 'twilio' });
    await router.send({ ...text, twilioAllowed: false }, settings);
    expect(calls).toEqual(['highlevel']);
    expect(router.providerName(settings, { twilioAllowed: false })).toBe('highlevel');
  });
});
