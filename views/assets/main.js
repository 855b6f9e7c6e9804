// Boots the embedded page: sandbox banner, HighLevel handshake, session, then the sub-account or agency view.
// @ts-check
import { h, icon, replaceChildren } from './dom.js';
import { createApi, ApiError } from './api.js';
import { NotEmbeddedError, requestUserData } from './handshake.js';
import { renderLocationView } from './location-view.js';
import { renderAgencyView } from './agency-view.js';

// index.html has both elements.
const root = /** @type {HTMLElement} */ (document.getElementById('app'));

function isSandbox() {
  const meta = document.querySelector('meta[name="textback-mode"]');
  return meta?.getAttribute('content') === 'sandbox' || new URLSearchParams(location.search).get('sandbox') === '1';
}

/**
 * @param {string} title
 * @param {string} text
 * @param {'info' | 'bad'} [tone]
 */
function notice(title, text, tone = 'info') {
  root.setAttribute('aria-busy', 'false');
  replaceChildren(root, h('div', { class: `empty-state empty-${tone}`, role: tone === 'bad' ? 'alert' : 'status' },
    icon(tone === 'bad' ? 'alert' : 'info', 28), h('h1', null, title), h('p', null, text)));
}

/** @param {unknown} error */
function explain(error) {
  if (error instanceof NotEmbeddedError) {
    return notice('Open TextBack inside HighLevel', 'This page is TextBack’s settings screen. It works when you open TextBack from the menu of your HighLevel account, not on its own.');
  }
  if (error instanceof ApiError) {
    if (error.code === 'not_installed') return notice('TextBack isn’t installed here', 'Install TextBack on this sub-account from the HighLevel Marketplace, then open this page again.');
    if (error.status === 403) return notice('Open TextBack from a sub-account', 'Choose a sub-account in HighLevel and open TextBack there. Agency settings are for agency admins only.');
    if (error.code === 'context_expired') return notice('Your sign-in from HighLevel has expired', 'Reload the page (or reopen TextBack from the HighLevel menu) to continue.');
    if (error.status === 401) return notice('We couldn’t confirm who you are', 'Reload the page. If this keeps happening, the app’s Shared Secret may not match HighLevel’s.', 'bad');
    return notice('Something went wrong', error.message, 'bad');
  }
  console.error(error);
  return notice('Something went wrong', 'Reload the page to try again.', 'bad');
}

async function boot() {
  if (isSandbox()) /** @type {HTMLElement} */ (document.getElementById('sandbox-banner')).hidden = false;
  const api = createApi({ getPayload: () => requestUserData({ timeoutMs: 5000 }) });
  try {
    const session = await api.connect();
    if (session.scope === 'agency') await renderAgencyView(root, { api, session });
    else await renderLocationView(root, { api, session });
    root.setAttribute('aria-busy', 'false');
  } catch (error) {
    explain(error);
  }
}

boot();
