// "Send a test": texts one of the saved messages to a number the user types in (their own phone).
// @ts-check
import { h, icon, replaceChildren, uid } from './dom.js';
import { section } from './controls.js';
import { humanize } from './format.js';

/**
 * @typedef {import('./api.js').Api} Api
 * @typedef {import('./api.js').ApiError} ApiError
 * @typedef {import('./api-types.js').TestMessageAnswer} TestMessageAnswer
 */

const CHOICES = [
  ['textBackInHours', 'When you’re open'],
  ['textBackAfterHours', 'When you’re closed'],
  ['followUp', 'Follow-up'],
];

/** @param {{ api: Api, base: string, followUpAvailable: boolean, isDirty: () => boolean }} options */
export function createTestSend({ api, base, followUpAvailable, isDirty }) {
  const phone = h('input', { type: 'tel', id: uid('test-phone'), autocomplete: 'tel', placeholder: 'Your mobile number', required: true });
  const which = h('select', { id: uid('test-which') },
    CHOICES.filter(([key]) => key !== 'followUp' || followUpAvailable).map(([key, label]) => h('option', { value: key }, label)));
  const button = h('button', { type: 'submit', class: 'btn btn-secondary' }, icon('send', 16), 'Send test');
  const result = h('div', { class: 'form-result', role: 'status', 'aria-live': 'polite' });

  /** @param {Event} event */
  async function send(event) {
    event.preventDefault();
    if (phone.value.trim() === '') {
      replaceChildren(result, h('span', { class: 'text-bad' }, 'Enter the number to send the test to.'));
      phone.focus();
      return;
    }
    button.disabled = true;
    replaceChildren(result, 'Sending…');
    try {
      const answer = /** @type {TestMessageAnswer} */ (await api.post(`${base}/test-message`, { phone: phone.value.trim(), template: which.value }));
      replaceChildren(result,
        h('span', { class: 'text-good' }, icon('check', 16), ` Test ${humanize(answer.status) || 'sent'}. `),
        isDirty() ? h('span', { class: 'hint' }, 'It used your saved text; save to test your latest edits.') : null,
        answer.text ? h('span', { class: 'bubble bubble-inline' }, answer.text) : null);
    } catch (caught) {
      const error = /** @type {ApiError} */ (caught);
      const message = error.issues?.length ? error.issues.map((issue) => issue.message).join(' ') : error.message;
      replaceChildren(result, h('span', { class: 'text-bad' }, `Not sent: ${message}`));
    } finally {
      button.disabled = false;
    }
  }

  return section({ title: 'Send yourself a test', intro: 'See the saved text on a real phone. It goes only to the number you type here.' },
    h('form', { class: 'add-form', onsubmit: send, novalidate: true },
      h('div', { class: 'field' }, h('label', { for: phone.id }, 'Send to'), phone),
      h('div', { class: 'field' }, h('label', { for: which.id }, 'Which text'), which),
      button),
    result);
}
