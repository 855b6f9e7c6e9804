// The agency's page: every sub-account with its on/off state and last-7-day numbers, and the defaults for new ones.
// @ts-check
import { h, replaceChildren } from './dom.js';
import { section } from './controls.js';
import { header } from './header.js';
import { createSettingsForm } from './settings-form.js';
import { createTabs } from './tabs.js';
import { formatNumber, formatRate } from './format.js';

/**
 * @typedef {import('./api.js').Api} Api
 * @typedef {import('./api.js').ApiError} ApiError
 * @typedef {import('./api-types.js').AgencySession} AgencySession
 * @typedef {import('./api-types.js').AgencyLocation} AgencyLocation
 * @typedef {import('./api-types.js').AgencyLocationsAnswer} AgencyLocationsAnswer
 * @typedef {import('./api-types.js').AgencyDefaultsAnswer} AgencyDefaultsAnswer
 * @typedef {import('./api-types.js').SettingsPatch} SettingsPatch
 * @typedef {import('./api-types.js').PreviewAnswer} PreviewAnswer
 */

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
/**
 * `patch` on top of `base`, object by object; arrays and other values are replaced whole.
 * @param {unknown} base
 * @param {unknown} patch
 * @returns {unknown}
 */
function merge(base, patch) {
  if (!isObject(base) || !isObject(patch)) return patch === undefined ? base : patch;
  const out = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = merge(base[key], value);
  return out;
}

/** @param {AgencyLocation} item */
function locationCard(item) {
  const stats = item.last7Days;
  const rate = stats?.texted ? formatRate(stats.replied / stats.texted) : '–';
  return h('li', { class: 'loc-card' },
    h('div', { class: 'loc-head' },
      h('h3', { class: 'loc-name' }, item.name || item.locationId),
      h('span', { class: `pill ${item.enabled ? 'pill-good' : 'pill-muted'}` }, item.enabled ? 'On' : 'Off')),
    item.needsReconnect ? h('p', { class: 'loc-warn' }, 'Needs reconnecting') : null,
    item.status && item.status !== 'installed' ? h('p', { class: 'loc-warn' }, `Status: ${item.status}`) : null,
    stats ? h('dl', { class: 'loc-stats' },
      h('div', null, h('dt', null, 'Missed'), h('dd', null, formatNumber(stats.missedCalls))),
      h('div', null, h('dt', null, 'Texted'), h('dd', null, formatNumber(stats.texted))),
      h('div', null, h('dt', null, 'Replied'), h('dd', null, formatNumber(stats.replied))),
      h('div', null, h('dt', null, 'Reply rate'), h('dd', null, rate))) : h('p', { class: 'hint' }, 'Numbers are not in this sub-account’s plan.'));
}

/** @param {AgencyLocation[]} locations */
function summary(locations) {
  /** @param {'missedCalls' | 'texted' | 'replied'} key */
  const sum = (key) => locations.reduce((total, item) => total + Number(item.last7Days?.[key] ?? 0), 0);
  const texted = sum('texted');
  /**
   * @param {string} label
   * @param {string} value
   */
  const tile = (label, value) => h('div', { class: 'tile' }, h('span', { class: 'tile-label' }, label), h('strong', { class: 'tile-value' }, value));
  return h('div', { class: 'tiles' },
    tile('Sub-accounts on', `${locations.filter((item) => item.enabled).length} of ${locations.length}`),
    tile('Missed calls, 7 days', formatNumber(sum('missedCalls'))),
    tile('Texted back', formatNumber(texted)),
    tile('Reply rate', texted ? formatRate(sum('replied') / texted) : '–'));
}

/**
 * @param {HTMLElement} root
 * @param {{ api: Api, session: AgencySession }} context
 */
export async function renderAgencyView(root, { api, session }) {
  const base = `/api/agency/${encodeURIComponent(session.companyId)}`;
  const [{ locations = [] }, { defaults = {} }, schemaDefaults] = await Promise.all([
    /** @type {Promise<AgencyLocationsAnswer>} */ (api.get(`${base}/locations`)),
    /** @type {Promise<AgencyDefaultsAnswer>} */ (api.get(`${base}/defaults`)),
    /** @type {Promise<SettingsPatch>} */ (fetch('/app/settings-defaults.json', { credentials: 'omit' }).then((response) => (response.ok ? response.json() : {})).catch(() => ({}))),
  ]);

  let stored = defaults;
  let previewAvailable = true;
  /**
   * @param {string} template
   * @param {string} kind
   * @returns {Promise<PreviewAnswer | null>}
   */
  const preview = async (template, kind) => {
    if (!previewAvailable) return null;
    try {
      return /** @type {PreviewAnswer} */ (await api.post(`${base}/preview`, { template, kind }));
    } catch (error) {
      if (/** @type {ApiError} */ (error).status === 404) { previewAvailable = false; return null; }
      throw error;
    }
  };
  const form = createSettingsForm({
    settings: /** @type {SettingsPatch} */ (merge(schemaDefaults, defaults)), preview,
    // The patch is applied on top of what the agency had stored, so a PUT that replaces keeps the older choices.
    save: async (patch) => {
      const answer = /** @type {AgencyDefaultsAnswer} */ (await api.put(`${base}/defaults`, merge(stored, patch)));
      stored = answer.defaults ?? /** @type {SettingsPatch} */ (merge(stored, patch));
      return /** @type {SettingsPatch} */ (merge(schemaDefaults, stored));
    },
  });

  const list = locations.length
    ? h('ul', { class: 'loc-grid' }, locations.map(locationCard))
    : h('p', { class: 'muted' }, 'No sub-account has TextBack yet. Install it on a sub-account to see it here.');
  const overview = h('div', { class: 'stack' },
    section({ title: 'Sub-accounts', intro: 'Numbers cover the last 7 days. Open a sub-account in HighLevel to change its own settings.' }, locations.length ? summary(locations) : null, list));
  const defaultsPanel = h('div', { class: 'stack' },
    h('p', { class: 'notice' }, 'New sub-accounts start with these settings. Sub-accounts that already use TextBack keep their own.'),
    form.element);

  const tabs = createTabs([
    { id: 'locations', label: 'Sub-accounts', panel: overview },
    { id: 'defaults', label: 'Defaults for new sub-accounts', panel: defaultsPanel },
  ]);
  replaceChildren(root,
    header({ title: 'Your agency', subtitle: session.user?.name ? `Signed in as ${session.user.name}` : null }),
    tabs.element);
}
