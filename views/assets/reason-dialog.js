// A modal that asks for a required reason (lifting an opt-out); resolves with the text, or null when cancelled.
// @ts-check
import { h, uid } from './dom.js';

/**
 * @param {{ title: string, text: string, confirm: string }} copy
 * @returns {Promise<string | null>}
 */
export function askReason({ title, text, confirm }) {
  return new Promise((resolve) => {
    const titleId = uid('dlg-title');
    const input = h('textarea', { id: uid('dlg-reason'), rows: 2, maxlength: 200, required: true, placeholder: 'e.g. customer texted START and asked by phone' });
    const error = h('p', { class: 'field-error', hidden: true, id: `${input.id}-error` }, 'A reason is required.');
    input.setAttribute('aria-describedby', error.id);
    const cancel = h('button', { type: 'button', class: 'btn btn-ghost' }, 'Cancel');
    const ok = h('button', { type: 'submit', class: 'btn btn-danger' }, confirm);
    const form = h('form', { method: 'dialog' },
      h('h2', { id: titleId }, title),
      h('p', { class: 'hint' }, text),
      h('div', { class: 'field' }, h('label', { for: input.id }, 'Reason'), input, error),
      h('div', { class: 'dialog-actions' }, cancel, ok));
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);
    /** @type {string | null} */
    let answer = null;

    form.addEventListener('submit', (event) => {
      const value = input.value.trim();
      if (!value) {
        event.preventDefault();
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      answer = value;
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => { dialog.remove(); resolve(answer); });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
