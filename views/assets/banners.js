// Warning banners: what needs the user's attention (reconnect, HighLevel's own text-back also on, unknown plan).
// @ts-check
import { h, icon } from './dom.js';

/**
 * @typedef {import('./api-types.js').Warning} Warning
 * @typedef {import('./api-types.js').LocationInfo} LocationInfo
 */

/** @type {Record<string, string>} */
const ADVICE = {
  'needs-reconnect': 'Reconnect TextBack from the HighLevel Marketplace (Settings → Integrations) so texts can go out again.',
};
/**
 * Short headlines for the codes the server knows; its message (with what to do) goes underneath.
 * @type {Record<string, string>}
 */
const HEADLINES = {
  'needs-reconnect': 'TextBack needs reconnecting',
  'native-textback': 'Callers may get two texts',
  'not-installed': 'TextBack isn’t installed here',
  'business-name-unknown': 'Texts name you by your phone number',
  'business-unidentified': 'Missed callers aren’t being texted',
  'templates-name-no-business': 'Some texts don’t say who you are',
  'twilio-not-in-highlevel': 'Replies won’t show in HighLevel',
};

/**
 * @param {'warn' | 'info'} tone
 * @param {string} title
 * @param {string | null} text
 */
function banner(tone, title, text) {
  return h('div', { class: `banner banner-${tone}`, role: tone === 'warn' ? 'alert' : 'note' },
    icon(tone === 'warn' ? 'alert' : 'info', 20),
    h('div', null, h('strong', null, title), text ? h('p', null, text) : null));
}

/**
 * `warnings: [{ code, message }]` from the settings API, plus what `location` itself says.
 * @param {{ warnings?: Warning[], location?: LocationInfo }} state
 */
export function banners({ warnings = [], location = {} }) {
  const list = [];
  const codes = new Set(warnings.map((warning) => warning.code));
  for (const warning of warnings) {
    const headline = HEADLINES[warning.code];
    if (headline) list.push(banner('warn', headline, warning.message || ADVICE[warning.code] || null));
    else list.push(banner('warn', warning.message || 'Something needs your attention.', null));
  }
  if (location.needsReconnect && !codes.has('needs-reconnect')) {
    list.push(banner('warn', HEADLINES['needs-reconnect'], location.reconnectReason ? `${location.reconnectReason} ${ADVICE['needs-reconnect']}` : ADVICE['needs-reconnect']));
  }
  // Without a plan id there is nothing to recognise (the app may sell no plans at all): say nothing then.
  if (location.planKnown === false && location.planId) {
    list.push(banner('info', 'We don’t recognise your plan, so every feature is on.', 'If that looks wrong, ask your agency which TextBack plan you’re on.'));
  }
  return list.length ? h('div', { class: 'banners' }, list) : null;
}
