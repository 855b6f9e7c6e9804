// The sticky Save bar: unsaved-changes state, Save / Discard, and the save result announced through aria-live.
// @ts-check
import { h, icon, replaceChildren } from './dom.js';

/**
 * `onSave()` resolves `{ ok, message? }`; `onDiscard()` restores the saved values.
 * @param {{ onSave: () => Promise<{ ok: boolean, message?: string }>, onDiscard: () => void }} actions
 */
export function createSaveBar({ onSave, onDiscard }) {
  let dirty = false;
  let busy = false;
  const status = h('p', { class: 'save-status', role: 'status', 'aria-live': 'polite' });
  const discard = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true }, 'Discard');
  const saveButton = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save changes');
  const element = h('div', { class: 'save-bar' }, status, h('div', { class: 'save-actions' }, discard, saveButton));

  /**
   * @param {'neutral' | 'good' | 'bad'} tone
   * @param {string} text
   */
  function show(tone, text) {
    element.dataset.tone = tone;
    replaceChildren(status, tone === 'good' ? icon('check', 16) : tone === 'bad' ? icon('alert', 16) : null, text);
  }

  function refresh() {
    saveButton.disabled = busy || !dirty;
    discard.hidden = !dirty || busy;
    element.classList.toggle('is-dirty', dirty);
  }

  async function save() {
    if (busy) return;
    busy = true;
    refresh();
    show('neutral', 'Saving…');
    try {
      const result = await onSave();
      if (result.ok) {
        dirty = false;
        const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date());
        show('good', `Saved at ${time}. Callers get the new settings from now on.`);
      } else {
        show('bad', `Not saved. ${result.message ?? ''}`.trim());
      }
    } finally {
      busy = false;
      refresh();
    }
  }

  discard.addEventListener('click', () => { onDiscard(); show('neutral', 'Changes discarded.'); });
  show('neutral', 'All changes saved.');
  refresh();

  return {
    element,
    save,
    isDirty: () => dirty,
    /** @param {boolean} next */
    setDirty(next) {
      if (next === dirty) return;
      dirty = next;
      if (dirty) show('neutral', 'You have unsaved changes.');
      refresh();
    },
  };
}
