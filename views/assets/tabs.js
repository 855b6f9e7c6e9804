// Accessible tabs (WAI-ARIA tabs pattern): arrow keys, Home and End move between tabs; panels load on first view.
// @ts-check
import { h } from './dom.js';

/** @typedef {{ id: string, label: string, panel: Node, onFirstShow?: () => unknown }} Tab */

/**
 * `tabs: [{ id, label, panel, onFirstShow? }]`; returns `{ element, show(id) }`.
 * @param {Tab[]} tabs
 */
export function createTabs(tabs) {
  const shown = new Set();
  const buttons = tabs.map((tab) => h('button', {
    type: 'button', role: 'tab', id: `tab-${tab.id}`, class: 'tab', 'aria-controls': `panel-${tab.id}`,
    'aria-selected': 'false', tabindex: '-1', onclick: () => show(tab.id),
  }, tab.label));
  const panels = tabs.map((tab) => h('div', { role: 'tabpanel', id: `panel-${tab.id}`, class: 'tab-panel', 'aria-labelledby': `tab-${tab.id}`, hidden: true }, tab.panel));

  /**
   * @param {string} id
   * @param {{ focus?: boolean }} [options]
   */
  function show(id, { focus = false } = {}) {
    tabs.forEach((tab, i) => {
      const selected = tab.id === id;
      buttons[i].setAttribute('aria-selected', String(selected));
      buttons[i].tabIndex = selected ? 0 : -1;
      panels[i].hidden = !selected;
      if (selected && focus) buttons[i].focus();
      if (selected && !shown.has(id)) {
        shown.add(id);
        tab.onFirstShow?.();
      }
    });
  }

  const list = h('div', { role: 'tablist', class: 'tabs', 'aria-label': 'Sections' }, buttons);
  list.addEventListener('keydown', (event) => {
    const current = buttons.indexOf(/** @type {HTMLButtonElement} */ (document.activeElement));
    if (current < 0) return;
    /** @type {Record<string, number>} */
    const moves = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: buttons.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = (moves[event.key] + buttons.length) % buttons.length;
    show(tabs[next].id, { focus: true });
  });

  show(tabs[0].id);
  return { element: h('div', { class: 'tabbed' }, list, panels), show };
}
