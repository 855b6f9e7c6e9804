// A sub-account's page: the big on/off switch, warnings, and the Settings / Activity / Opt-outs tabs.
// @ts-check
import { h, replaceChildren } from './dom.js';
import { createSwitch } from './controls.js';
import { createTabs } from './tabs.js';
import { banners } from './banners.js';
import { createSettingsForm } from './settings-form.js';
import { createTestSend } from './test-send.js';
import { createActivityView } from './activity-view.js';
import { createOptOutsView } from './optouts-view.js';
import { header } from './header.js';
import { formatNumber } from './format.js';

/**
 * @typedef {import('./api.js').Api} Api
 * @typedef {import('./api-types.js').LocationSession} LocationSession
 * @typedef {import('./api-types.js').SettingsAnswer} SettingsAnswer
 * @typedef {import('./api-types.js').Settings} Settings
 * @typedef {import('./api-types.js').StatsAnswer} StatsAnswer
 * @typedef {import('./api-types.js').PreviewAnswer} PreviewAnswer
 */

/**
 * @param {boolean} enabled
 * @param {boolean} blocked
 */
function heroText(enabled, blocked) {
  if (enabled && blocked) return { title: 'Text-back is on, but paused', text: 'No texts can go out until TextBack is reconnected (see above).' };
  return enabled
    ? { title: 'Text-back is on', text: 'Callers you miss get a text from you within seconds.' }
    : { title: 'Text-back is off', text: 'Missed callers get no text. Turn it on to start texting them back.' };
}

/**
 * The last 30 days in three numbers under the switch; the page works without them.
 * @param {Api} api
 * @param {string} base
 * @param {HTMLElement} target
 */
async function showGlance(api, base, target) {
  try {
    const { totals } = /** @type {StatsAnswer} */ (await api.get(`${base}/stats`));
    if (!totals?.missedCalls) return;
    /**
     * @param {string} className
     * @param {number | undefined} value
     * @param {string} label
     */
    const item = (className, value, label) => h('span', null, h('span', { class: `glance-dot ${className}`, 'aria-hidden': 'true' }), h('strong', null, formatNumber(value)), ` ${label}`);
    replaceChildren(target,
      h('span', { class: 'muted' }, 'Last 30 days:'),
      item('bar-missed', totals.missedCalls, totals.missedCalls === 1 ? 'missed call' : 'missed calls'),
      item('bar-texted', totals.texted, 'texted back'),
      item('bar-replied', totals.replied, 'replied'));
  } catch {
    // The numbers are a bonus here; the Activity tab reports its own errors.
  }
}

/**
 * @param {HTMLElement} root
 * @param {{ api: Api, session: LocationSession }} context
 */
export async function renderLocationView(root, { api, session }) {
  const base = `/api/locations/${encodeURIComponent(session.locationId)}`;
  const { settings, location = {}, warnings = [] } = /** @type {SettingsAnswer} */ (await api.get(`${base}/settings`));
  const timeZone = settings.timeZone || location.timeZone || undefined;
  const features = location.features ?? {};

  const heroTitle = h('h2', { id: 'hero-title', class: 'hero-title' });
  const heroLine = h('p', { class: 'hero-text' });
  const heroResult = h('p', { class: 'hero-result', role: 'status', 'aria-live': 'polite' });
  const glance = h('p', { class: 'hero-glance' });
  const hero = h('section', { class: 'hero', 'aria-labelledby': 'hero-title' });
  /** @param {boolean} enabled */
  const paint = (enabled) => {
    const blocked = Boolean(location.needsReconnect) || location.status === 'uninstalled';
    const copy = heroText(enabled, blocked);
    heroTitle.textContent = copy.title;
    heroLine.textContent = copy.text;
    hero.classList.toggle('is-on', enabled && !blocked);
    hero.classList.toggle('is-paused', enabled && blocked);
  };
  const onOff = createSwitch({
    large: true, label: 'Text back missed callers', checked: settings.enabled,
    async onToggle(next) {
      paint(next);
      heroResult.textContent = '';
      try {
        const saved = /** @type {{ settings?: Settings }} */ (await api.put(`${base}/settings`, { enabled: next }));
        paint(saved.settings?.enabled ?? next);
        heroResult.textContent = next ? 'Turned on. The next missed call gets a text.' : 'Turned off. No texts will be sent.';
      } catch (error) {
        paint(!next);
        heroResult.textContent = `Couldn’t change it: ${/** @type {Error} */ (error).message}`;
        throw error;
      }
    },
  });
  replaceChildren(hero, onOff.element, h('div', { class: 'hero-copy' }, heroTitle, heroLine, glance, heroResult));
  paint(settings.enabled);
  showGlance(api, base, glance);

  const form = createSettingsForm({
    settings, features, timeZone,
    preview: (template, kind) => /** @type {Promise<PreviewAnswer>} */ (api.post(`${base}/preview`, { template, kind })),
    save: async (patch) => /** @type {{ settings: Settings }} */ (await api.put(`${base}/settings`, patch)).settings,
  });
  const activity = createActivityView({ api, base, timeZone });
  const optOuts = createOptOutsView({ api, base, timeZone });
  const settingsPanel = h('div', { class: 'stack' }, form.element, createTestSend({ api, base, followUpAvailable: features.followUp !== false, isDirty: form.isDirty }));

  const tabs = createTabs([
    { id: 'settings', label: 'Settings', panel: settingsPanel },
    { id: 'activity', label: 'Activity', panel: activity.element, onFirstShow: activity.load },
    { id: 'optouts', label: 'Opt-outs', panel: optOuts.element, onFirstShow: optOuts.load },
  ]);

  replaceChildren(root,
    header({ title: location.name || 'Your business', subtitle: session.user?.name ? `Signed in as ${session.user.name}` : null }),
    banners({ warnings, location }),
    hero,
    tabs.element);
  return { showTab: tabs.show };
}
