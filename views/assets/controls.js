// Small shared controls: an accessible on/off switch, a section card, field errors keyed by the API's field paths.
// @ts-check
import { h, uid } from './dom.js';

/**
 * @typedef {import('./dom.js').Child} Child
 * @typedef {import('./api-types.js').FieldIssue} FieldIssue
 * @typedef {(message: string | null) => void} ErrorSetter
 * @typedef {ReturnType<typeof createFieldErrors>} FieldErrors
 */

/**
 * A button with role="switch"; `onToggle(next)` may return a promise (the switch is busy meanwhile), and a rejected
 * one flips the switch back.
 * @param {{ label?: string, checked: boolean | undefined, onToggle?: (next: boolean) => unknown, large?: boolean,
 *   labelledBy?: string }} options
 */
export function createSwitch({ label, checked, onToggle, large = false, labelledBy }) {
  const button = h('button', {
    type: 'button', role: 'switch', class: ['switch', large && 'switch-large'], 'aria-checked': String(Boolean(checked)),
    'aria-label': labelledBy ? undefined : label, 'aria-labelledby': labelledBy,
  }, h('span', { class: 'switch-track', 'aria-hidden': 'true' }, h('span', { class: 'switch-thumb' })));
  let state = Boolean(checked);
  /** @param {boolean} next */
  const set = (next) => { state = next; button.setAttribute('aria-checked', String(next)); };
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-busy') === 'true') return;
    const next = !state;
    set(next);
    button.setAttribute('aria-busy', 'true');
    try {
      await onToggle?.(next);
    } catch {
      set(!next);
    } finally {
      button.removeAttribute('aria-busy');
    }
  });
  return { element: button, get: () => state, set, setDisabled: (/** @type {boolean} */ disabled) => { button.disabled = disabled; } };
}

/**
 * A titled card; `badge` is an optional short label shown next to the title.
 * @param {{ title: string, intro?: string, badge?: string | null, id?: string }} heading
 * @param {...Child} children
 */
export function section({ title, intro, badge, id }, ...children) {
  const headingId = id ?? uid('sec');
  return h('section', { class: 'card', 'aria-labelledby': headingId },
    h('div', { class: 'card-head' },
      h('h2', { id: headingId }, title),
      badge ? h('span', { class: 'badge' }, badge) : null),
    intro ? h('p', { class: 'card-intro' }, intro) : null,
    ...children);
}

/**
 * Routes 422 issues (`{ field: 'businessHours.days.mon.close', message }`) to the control registered for the longest
 * matching path prefix. `show()` returns the issues no control claimed, for the summary.
 */
export function createFieldErrors() {
  /** @type {Map<string, ErrorSetter[]>} */
  const setters = new Map();
  return {
    /**
     * @param {string} path
     * @param {ErrorSetter} setError
     */
    register(path, setError) {
      if (!path) return;
      const list = setters.get(path) ?? [];
      list.push(setError);
      setters.set(path, list);
    },
    clear() {
      for (const list of setters.values()) for (const set of list) set(null);
    },
    /**
     * @param {FieldIssue[]} issues
     * @returns {FieldIssue[]}
     */
    show(issues) {
      this.clear();
      /** @type {FieldIssue[]} */
      const unclaimed = [];
      /** @type {Map<string, string[]>} */
      const messages = new Map();
      for (const issue of issues) {
        const parts = String(issue.field ?? '').split('.');
        let matched = null;
        for (let n = parts.length; n > 0 && !matched; n -= 1) {
          const prefix = parts.slice(0, n).join('.');
          if (setters.has(prefix)) matched = prefix;
        }
        if (!matched) { unclaimed.push(issue); continue; }
        messages.set(matched, [...(messages.get(matched) ?? []), issue.message]);
      }
      for (const [path, list] of messages) for (const set of setters.get(path) ?? []) set(list.join(' · '));
      return unclaimed;
    },
  };
}
