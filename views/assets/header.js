// The page header: product mark, the business (or agency) name, and who is signed in.
// @ts-check
import { h, s } from './dom.js';

function mark() {
  return s('svg', { class: 'mark', width: 30, height: 30, viewBox: '0 0 32 32', 'aria-hidden': 'true', focusable: 'false' },
    s('rect', { width: 32, height: 32, rx: 9, class: 'mark-bg' }),
    s('path', { d: 'M9 10.5h14a2 2 0 012 2v7a2 2 0 01-2 2h-7.5L11 25v-3.5H9a2 2 0 01-2-2v-7a2 2 0 012-2z', class: 'mark-fg' }),
    s('path', { d: 'M12 16h8M17 13l3 3-3 3', class: 'mark-arrow' }));
}

/** @param {{ title: string, subtitle: string | null }} text */
export function header({ title, subtitle }) {
  return h('header', { class: 'top' },
    h('div', { class: 'brand' }, mark(), h('span', { class: 'brand-name' }, 'TextBack')),
    h('div', { class: 'top-meta' }, h('h1', { class: 'top-title' }, title), subtitle ? h('p', { class: 'top-sub' }, subtitle) : null));
}
