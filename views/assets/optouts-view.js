// The Opt-outs tab: search the suppression list, add a number by hand, lift an opt-out with a recorded reason.
// @ts-check
import { debounce, h, icon, replaceChildren, uid } from './dom.js';
import { formatPhone, humanize } from './format.js';
import { askReason } from './reason-dialog.js';

/**
 * @typedef {import('./api.js').Api} Api
 * @typedef {import('./api.js').ApiError} ApiError
 * @typedef {import('./api-types.js').OptOut} OptOut
 * @typedef {import('./api-types.js').OptOutPage} OptOutPage
 */

const PAGE_SIZE = 25;
/** @type {Record<string, string>} */
const SOURCES = {
  keyword: 'Texted STOP', link: 'Personal opt-out link', provider: 'Carrier report', web: 'Web opt-out form',
  dnd: 'HighLevel Do Not Disturb', manual: 'Added by your team', staff: 'Added by your team',
};

/** @param {{ api: Api, base: string, timeZone?: string }} options */
export function createOptOutsView({ api, base, timeZone }) {
  let offset = 0;
  const status = h('p', { class: 'muted', role: 'status' });
  const result = h('p', { class: 'form-result', role: 'status', 'aria-live': 'polite' });
  const list = h('ul', { class: 'optout-list', 'aria-label': 'Opted-out numbers' });
  const more = h('button', { type: 'button', class: 'btn btn-secondary', hidden: true }, 'Show more');
  const search = h('input', { type: 'search', id: uid('search'), placeholder: 'Search by number', autocomplete: 'off' });
  const phone = h('input', { type: 'tel', id: uid('add-phone'), autocomplete: 'off', placeholder: '(212) 555-0147', required: true });
  const reason = h('input', { type: 'text', id: uid('add-reason'), maxlength: 200, placeholder: 'e.g. asked by phone not to be texted' });
  const addError = h('p', { class: 'field-error', hidden: true });
  /** @param {number} at */
  const date = (at) => new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric', timeZone: timeZone || undefined }).format(new Date(at));

  /** @param {OptOut} item */
  function row(item) {
    const formatted = formatPhone(item.phone);
    const lift = h('button', { type: 'button', class: 'btn btn-ghost btn-small' }, 'Remove');
    lift.setAttribute('aria-label', `Remove ${formatted} from the opt-out list`);
    lift.addEventListener('click', async () => {
      const why = await askReason({
        title: `Text ${formatted} again?`,
        text: 'Only do this if the person asked to get texts again. Your reason is kept in the audit log.',
        confirm: 'Remove from list',
      });
      if (!why) { lift.focus(); return; }
      try {
        await api.del(`${base}/suppressions/${encodeURIComponent(item.phone)}?reason=${encodeURIComponent(why)}`);
        result.textContent = `${formatted} was removed from the opt-out list.`;
        load(true);
      } catch (error) {
        result.textContent = `Couldn’t remove ${formatted}: ${/** @type {ApiError} */ (error).message}`;
      }
    });
    // Every source holding the number, and why it is locked (only the caller, or an admin, may lift some of them).
    const sources = (item.sources?.length ? item.sources.map((hold) => hold.source) : [item.source])
      .map((source) => SOURCES[source] ?? humanize(source)).join(' + ');
    const allowed = item.lift?.allowed !== false;
    const why = item.lift?.reason ? h('span', { class: 'optout-lock' }, allowed ? item.lift.reason : `Locked. ${item.lift.reason}`) : null;
    return h('li', { class: 'optout-row', dataset: { lift: allowed ? 'allowed' : 'locked' } },
      h('span', { class: 'optout-phone' }, formatted),
      h('span', { class: 'optout-meta' }, `${sources} · ${date(item.createdAt)}`, why ? h('br') : null, why),
      allowed ? lift : h('span', { class: 'optout-locked muted' }, icon('shield', 14), 'Locked'));
  }

  /** @param {boolean} reset */
  async function load(reset) {
    if (reset) offset = 0;
    status.textContent = 'Loading…';
    const query = `search=${encodeURIComponent(search.value.trim())}&limit=${PAGE_SIZE}&offset=${offset}`;
    try {
      const page = /** @type {OptOutPage} */ (await api.get(`${base}/suppressions?${query}`));
      const rows = (page.items ?? []).map(row);
      if (reset) replaceChildren(list, rows); else list.append(...rows);
      offset += rows.length;
      more.hidden = offset >= (page.total ?? 0);
      const total = page.total ?? offset;
      status.textContent = total === 0
        ? (search.value.trim() ? 'No opted-out number matches that search.' : 'Nobody has opted out yet.')
        : `${total} ${total === 1 ? 'number' : 'numbers'} opted out.`;
    } catch (error) {
      status.textContent = `Couldn’t load the list: ${/** @type {ApiError} */ (error).message}`;
    }
  }

  /** @param {Event} event */
  async function add(event) {
    event.preventDefault();
    addError.hidden = true;
    if (phone.value.trim() === '') {
      addError.hidden = false;
      addError.textContent = 'Enter a phone number.';
      phone.focus();
      return;
    }
    try {
      const body = { phone: phone.value.trim(), ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) };
      await api.post(`${base}/suppressions`, body);
      result.textContent = `${phone.value.trim()} will never get texts from TextBack.`;
      phone.value = '';
      reason.value = '';
      load(true);
    } catch (caught) {
      const error = /** @type {ApiError} */ (caught);
      addError.hidden = false;
      addError.textContent = error.issues?.length ? error.issues.map((issue) => issue.message).join(' ') : error.message;
      phone.focus();
    }
  }

  search.addEventListener('input', debounce(() => load(true), 250));
  more.addEventListener('click', () => load(false));
  phone.setAttribute('aria-describedby', 'optout-add-error');
  addError.id = 'optout-add-error';

  const element = h('div', { class: 'optouts' },
    h('section', { class: 'card', 'aria-labelledby': 'optout-add-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'optout-add-title' }, 'Stop texting a number')),
      h('p', { class: 'card-intro' }, 'Numbers on this list never get a text from TextBack. Anyone who replies STOP is added automatically, right away.'),
      h('form', { class: 'add-form', onsubmit: add, novalidate: true },
        h('div', { class: 'field' }, h('label', { for: phone.id }, 'Phone number'), phone),
        h('div', { class: 'field field-grow' }, h('label', { for: reason.id }, 'Reason (optional)'), reason),
        h('button', { type: 'submit', class: 'btn btn-primary' }, icon('plus', 16), 'Add to list')),
      addError, result),
    h('section', { class: 'card', 'aria-labelledby': 'optout-list-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'optout-list-title' }, 'Opted-out numbers')),
      h('div', { class: 'field' }, h('label', { for: search.id, class: 'sr-only' }, 'Search opted-out numbers'), search),
      status, list, h('div', { class: 'more-row' }, more)));

  return { element, load: () => load(true) };
}
