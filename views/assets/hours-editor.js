// Business hours per weekday (open/close or closed) and holiday dates, the way the settings API stores them.
// @ts-check
import { h, icon, replaceChildren, uid } from './dom.js';
import { formatDate } from './format.js';

/**
 * @typedef {import('./controls.js').FieldErrors} FieldErrors
 * @typedef {import('./api-types.js').DayHours} DayHours
 * @typedef {import('./api-types.js').DayKey} DayKey
 * @typedef {NonNullable<import('./api-types.js').SettingsPatch['businessHours']>} BusinessHours
 */

/** @type {Array<[key: DayKey, name: string]>} */
const DAYS = [
  ['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'],
  ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday'],
];

/**
 * @param {string} key
 * @param {string} name
 * @param {FieldErrors | undefined} errors
 * @param {() => void} onChange
 */
function dayRow(key, name, errors, onChange) {
  const id = uid(`day-${key}`);
  const open = h('input', { type: 'time', id: `${id}-open`, value: '09:00', required: true, 'aria-label': `${name} opens at` });
  const close = h('input', { type: 'time', id: `${id}-close`, value: '17:00', required: true, 'aria-label': `${name} closes at` });
  const isOpen = h('input', { type: 'checkbox', id: `${id}-on`, class: 'check' });
  const closedNote = h('span', { class: 'closed-note' }, 'Closed all day');
  const times = h('span', { class: 'times' }, open, h('span', { class: 'to', 'aria-hidden': 'true' }, 'to'), close);
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  open.setAttribute('aria-describedby', error.id);
  close.setAttribute('aria-describedby', error.id);
  const row = h('div', { class: 'day-row', role: 'group', 'aria-label': name },
    h('span', { class: 'day-toggle' }, isOpen, h('label', { for: isOpen.id }, name)),
    times, closedNote, error);

  const sync = () => {
    times.hidden = !isOpen.checked;
    closedNote.hidden = isOpen.checked;
    row.classList.toggle('is-closed', !isOpen.checked);
  };
  isOpen.addEventListener('change', () => { sync(); onChange(); });
  open.addEventListener('input', onChange);
  close.addEventListener('input', onChange);
  errors?.register(`businessHours.days.${key}`, (message) => {
    error.hidden = !message;
    error.textContent = message ?? '';
    row.classList.toggle('has-error', Boolean(message));
  });

  return {
    row,
    /** @param {DayHours | undefined} day */
    load(day) {
      isOpen.checked = day !== null && day !== undefined;
      if (day) { open.value = day.open; close.value = day.close; }
      sync();
    },
    read: () => (isOpen.checked ? { open: open.value, close: close.value } : null),
    /** @param {boolean} disabled */
    setDisabled(disabled) { for (const input of [isOpen, open, close]) input.disabled = disabled; },
  };
}

/**
 * Returns `{ element, load(businessHours), read(), setDisabled }`.
 * @param {{ errors?: FieldErrors, onChange: () => void, timeZone?: string }} options
 */
export function createHoursEditor({ errors, onChange, timeZone }) {
  const rows = DAYS.map(([key, name]) => /** @type {const} */ ([key, dayRow(key, name, errors, onChange)]));
  /** @type {string[]} */
  let holidays = [];
  const hintId = uid('holiday-hint');
  const holidayInput = h('input', { type: 'date', id: uid('holiday'), 'aria-describedby': hintId });
  const addButton = h('button', { type: 'button', class: 'btn btn-secondary' }, icon('plus', 16), 'Add closed day');
  const list = h('ul', { class: 'holiday-list', 'aria-label': 'Closed days' });
  const holidayError = h('p', { class: 'field-error', hidden: true, role: 'alert' });
  errors?.register('businessHours.holidays', (message) => { holidayError.hidden = !message; holidayError.textContent = message ?? ''; });

  function renderHolidays() {
    replaceChildren(list, holidays.length === 0
      ? h('li', { class: 'muted' }, 'No closed days added.')
      : holidays.map((date) => {
        const label = formatDate(date, { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' });
        return h('li', { class: 'tag' }, label,
          h('button', { type: 'button', class: 'tag-remove', 'aria-label': `Remove ${label}`, onclick: () => { holidays = holidays.filter((d) => d !== date); renderHolidays(); onChange(); } }, icon('x', 14)));
      }));
  }

  addButton.addEventListener('click', () => {
    const date = holidayInput.value;
    holidayError.hidden = true;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      holidayError.hidden = false;
      holidayError.textContent = 'Pick a date first.';
      holidayInput.focus();
      return;
    }
    if (!holidays.includes(date)) holidays = [...holidays, date].sort();
    holidayInput.value = '';
    renderHolidays();
    onChange();
  });

  const element = h('div', { class: 'hours' },
    h('p', { class: 'hint' }, timeZone ? `Times are in ${timeZone}.` : 'Times are in the sub-account’s time zone.'),
    h('div', { class: 'day-rows' }, rows.map(([, day]) => day.row)),
    h('div', { class: 'holidays' },
      h('h3', null, 'Closed days (holidays)'),
      h('p', { class: 'hint', id: hintId }, 'On these dates callers get the after-hours text all day.'),
      h('div', { class: 'inline-form' }, h('label', { for: holidayInput.id, class: 'sr-only' }, 'Closed day'), holidayInput, addButton),
      holidayError, list));

  return {
    element,
    /** @param {BusinessHours} businessHours */
    load(businessHours) {
      for (const [key, day] of rows) day.load(businessHours?.days?.[key] ?? null);
      holidays = [...(businessHours?.holidays ?? [])].sort();
      renderHolidays();
    },
    read: () => ({ days: Object.fromEntries(rows.map(([key, day]) => [key, day.read()])), holidays: [...holidays] }),
    /** @param {boolean} disabled */
    setDisabled(disabled) {
      for (const [, day] of rows) day.setDisabled(disabled);
      holidayInput.disabled = disabled;
      addButton.disabled = disabled;
    },
  };
}
