// The follow-up section: on/off, delay (15 minutes to 7 days, in minutes or hours) and its text; locked when not in the plan.
// @ts-check
import { h, uid } from './dom.js';
import { createSwitch, section } from './controls.js';
import { formatDuration } from './format.js';

/**
 * @typedef {import('./controls.js').FieldErrors} FieldErrors
 * @typedef {NonNullable<import('./api-types.js').SettingsPatch['followUp']>} FollowUp
 */

const MIN_MINUTES = 15;
const MAX_MINUTES = 7 * 24 * 60;

/** @param {{ errors: FieldErrors, onChange: () => void, available: boolean, templateEditor: Node }} options */
export function createFollowUpEditor({ errors, onChange, available, templateEditor }) {
  const labelId = uid('fu-label');
  const toggle = createSwitch({ labelledBy: labelId, checked: true, onToggle: () => { sync(); onChange(); } });
  const amount = h('input', { type: 'number', id: uid('fu-delay'), inputmode: 'numeric', min: 1, step: 1, class: 'input-short' });
  const unit = h('select', { id: uid('fu-unit'), 'aria-label': 'Delay unit' },
    h('option', { value: '1' }, 'minutes'), h('option', { value: '60' }, 'hours'));
  const summary = h('span', { class: 'hint' });
  const error = h('p', { class: 'field-error', id: `${amount.id}-error`, hidden: true });
  amount.setAttribute('aria-describedby', error.id);
  /** @param {string | null} message */
  const showError = (message) => { error.hidden = !message; error.textContent = message ?? ''; amount.toggleAttribute('aria-invalid', Boolean(message)); };
  errors.register('followUp.delayMinutes', showError);
  errors.register('followUp', showError);

  const minutes = () => Math.round(Number(amount.value) * Number(unit.value));
  const details = h('div', { class: 'follow-up-details' },
    h('div', { class: 'field' },
      h('label', { for: amount.id }, 'Wait before following up'),
      h('div', { class: 'inline-form' }, amount, unit, summary),
      error),
    templateEditor);

  function sync() {
    const on = toggle.get();
    details.classList.toggle('is-off', !on);
    const value = minutes();
    summary.textContent = Number.isFinite(value) && value > 0 ? `= ${formatDuration(value)} after the first text` : '';
    amount.min = unit.value === '60' ? '1' : String(MIN_MINUTES);
    amount.max = String(MAX_MINUTES / Number(unit.value));
  }
  amount.addEventListener('input', () => { showError(null); sync(); onChange(); });
  unit.addEventListener('change', () => { showError(null); sync(); onChange(); });

  const head = h('div', { class: 'toggle-row' },
    toggle.element,
    h('div', null,
      h('span', { id: labelId, class: 'toggle-label' }, 'Send one follow-up if they don’t reply'),
      h('p', { class: 'hint' }, 'Never sent to someone who replied, called back or opted out; always inside 9 AM–8 PM in the caller’s time zone.')));

  const lockNote = available ? null : h('p', { class: 'notice notice-plan' }, 'Follow-ups are not in your current plan. Ask your agency to upgrade to turn them on.');
  const element = section({ title: 'Follow-up', badge: available ? null : 'Not in your plan' }, lockNote, h('div', { class: ['follow-up-body', !available && 'is-locked'] }, head, details));
  if (!available) {
    element.setAttribute('aria-disabled', 'true');
    for (const control of element.querySelectorAll('input, select, textarea, button')) {
      /** @type {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLButtonElement} */ (control).disabled = true;
    }
  }

  let loaded = { enabled: true, delayMinutes: 120 };
  return {
    element,
    /** @param {FollowUp} followUp */
    load(followUp) {
      loaded = { enabled: followUp.enabled !== false, delayMinutes: Number(followUp.delayMinutes ?? 120) };
      // Outside the plan the switch shows what callers get (nothing), while the stored choice is kept as it is.
      toggle.set(available && followUp.enabled !== false);
      const delay = Number(followUp.delayMinutes ?? 120);
      const inHours = delay % 60 === 0;
      unit.value = inHours ? '60' : '1';
      amount.value = String(inHours ? delay / 60 : delay);
      showError(null);
      sync();
    },
    read: () => (available ? { enabled: toggle.get(), delayMinutes: minutes() } : { ...loaded }),
    /** A message when the delay is out of range, else null. */
    validate() {
      if (!available) return null;
      const value = minutes();
      if (!Number.isInteger(value) || value < MIN_MINUTES || value > MAX_MINUTES) {
        const message = 'Choose a wait between 15 minutes and 7 days (168 hours).';
        showError(message);
        amount.focus();
        return message;
      }
      return null;
    },
  };
}
