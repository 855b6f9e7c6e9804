// Sending rules: whether the first text waits for the quiet-hours window, and the per-caller cooldown.
// @ts-check
import { h, uid } from './dom.js';
import { section } from './controls.js';

/**
 * @typedef {import('./controls.js').FieldErrors} FieldErrors
 * @typedef {import('./api-types.js').SettingsPatch} SettingsPatch
 */

const POLICIES = [
  { value: 'respect-quiet-hours', title: 'Wait until morning (recommended)', text: 'A call at 10 PM gets its text when texting hours open again: 9 AM–8 PM in the caller’s time zone, Sundays from noon.' },
  { value: 'send-immediately', title: 'Text back right away, any hour', text: 'The first text goes out at once, even at night. Follow-ups still wait for texting hours.' },
];

/** @param {{ errors: FieldErrors, onChange: () => void }} options */
export function createRulesEditor({ errors, onChange }) {
  const name = uid('policy');
  const radios = POLICIES.map((policy) => {
    const input = h('input', { type: 'radio', name, value: policy.value, id: uid('pol'), class: 'radio' });
    input.addEventListener('change', onChange);
    return { input, row: h('label', { class: 'choice', for: input.id }, input, h('span', null, h('strong', null, policy.title), h('span', { class: 'hint' }, policy.text))) };
  });
  const policyError = h('p', { class: 'field-error', hidden: true });
  errors.register('textBackPolicy', (message) => { policyError.hidden = !message; policyError.textContent = message ?? ''; });

  const cooldownId = uid('cooldown');
  const cooldown = h('input', { type: 'number', id: cooldownId, inputmode: 'numeric', min: 0, max: 720, step: 1, class: 'input-short', 'aria-describedby': `${cooldownId}-hint ${cooldownId}-error` });
  const cooldownError = h('p', { class: 'field-error', id: `${cooldownId}-error`, hidden: true });
  cooldown.addEventListener('input', onChange);
  errors.register('cooldownHours', (message) => {
    cooldownError.hidden = !message;
    cooldownError.textContent = message ?? '';
    cooldown.toggleAttribute('aria-invalid', Boolean(message));
  });

  const element = section({ title: 'Sending rules' },
    h('fieldset', { class: 'choices' },
      h('legend', null, 'Late-night calls'),
      h('p', { class: 'hint' }, 'Carriers and several US states limit texting at night, so choose whether the first text to a late caller waits until morning.'),
      radios.map((radio) => radio.row),
      policyError),
    h('div', { class: 'field' },
      h('label', { for: cooldownId }, 'Text the same caller at most once every'),
      h('div', { class: 'inline-form' }, cooldown, h('span', { 'aria-hidden': 'true' }, 'hours')),
      h('p', { class: 'hint', id: `${cooldownId}-hint` }, 'In hours. Someone who calls three times in an hour gets one text, not three. 0 texts every missed call.'),
      cooldownError));

  return {
    element,
    /** @param {SettingsPatch} values */
    load(values) {
      for (const radio of radios) radio.input.checked = radio.input.value === (values.textBackPolicy ?? 'respect-quiet-hours');
      cooldown.value = String(values.cooldownHours ?? 24);
    },
    read: () => ({
      textBackPolicy: radios.find((radio) => radio.input.checked)?.input.value ?? 'respect-quiet-hours',
      cooldownHours: cooldown.value === '' ? Number.NaN : Number(cooldown.value),
    }),
  };
}
