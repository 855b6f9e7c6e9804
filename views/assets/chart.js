// An inline SVG bar chart per day: missed calls, texted back and replied as nested bars, sized to its container.
// @ts-check
import { h, s, replaceChildren } from './dom.js';
import { formatDate } from './format.js';

/** @typedef {import('./api-types.js').DayCounts} DayCounts */

/** @type {Array<{ key: 'missedCalls' | 'texted' | 'replied', label: string, className: string, share: number }>} */
export const SERIES = [
  { key: 'missedCalls', label: 'Missed calls', className: 'bar-missed', share: 1 },
  { key: 'texted', label: 'Texted back', className: 'bar-texted', share: 0.62 },
  { key: 'replied', label: 'Replied', className: 'bar-replied', share: 0.3 },
];

/**
 * The axis top: 4 at least, else the next 1, 2, 2.5 or 5 × 10ⁿ at or above `value`.
 * @param {number} value
 */
function niceMax(value) {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/**
 * @param {DayCounts[]} days
 * @param {number} width
 */
function drawChart(days, width) {
  const height = 190;
  const pad = { top: 10, right: 6, bottom: 24, left: 30 };
  const plotW = Math.max(50, width - pad.left - pad.right);
  const plotH = height - pad.top - pad.bottom;
  const max = niceMax(Math.max(0, ...days.map((day) => Math.max(day.missedCalls ?? 0, day.texted ?? 0, day.replied ?? 0))));
  const slot = plotW / Math.max(1, days.length);
  const barW = Math.max(2, Math.min(28, slot * 0.78));
  /** @param {number} value */
  const y = (value) => pad.top + plotH - (value / max) * plotH;
  const labelEvery = Math.max(1, Math.ceil(days.length / Math.max(2, Math.floor(plotW / 62))));

  const grid = [0, max / 2, max].map((value) => s('g', { class: 'grid' },
    s('line', { x1: pad.left, x2: width - pad.right, y1: y(value), y2: y(value) }),
    s('text', { x: pad.left - 6, y: y(value) + 4, 'text-anchor': 'end' }, String(Math.round(value)))));

  const groups = days.map((day, i) => {
    const center = pad.left + slot * (i + 0.5);
    const bars = SERIES.map((series) => {
      const value = Number(day[series.key] ?? 0);
      const w = Math.max(1.5, barW * series.share);
      const top = y(value);
      return value > 0 ? s('rect', { class: series.className, x: center - w / 2, y: top, width: w, height: pad.top + plotH - top, rx: Math.min(3, w / 3) }) : null;
    });
    const label = `${formatDate(day.date, { weekday: 'short', month: 'short', day: 'numeric' })}: ${day.missedCalls ?? 0} missed, ${day.texted ?? 0} texted back, ${day.replied ?? 0} replied`;
    const showLabel = (days.length - 1 - i) % labelEvery === 0;
    return s('g', { class: 'day' },
      s('title', null, label),
      s('rect', { class: 'hit', x: center - slot / 2, y: pad.top, width: slot, height: plotH }),
      bars,
      showLabel ? s('text', { class: 'x-label', x: center, y: height - 6, 'text-anchor': 'middle' }, formatDate(day.date)) : null);
  });

  return s('svg', { class: 'chart-svg', width, height, viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true', focusable: 'false' }, grid, groups);
}

/**
 * Returns an element that redraws itself on resize; a hidden table carries the same numbers for screen readers.
 * @param {DayCounts[]} days
 */
export function createDayChart(days) {
  const canvas = h('div', { class: 'chart-canvas' });
  const table = h('table', { class: 'sr-only' },
    h('caption', null, 'Missed calls, texts and replies per day'),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Day'), SERIES.map((series) => h('th', { scope: 'col' }, series.label)))),
    h('tbody', null, days.map((day) => h('tr', null, h('th', { scope: 'row' }, formatDate(day.date)), SERIES.map((series) => h('td', null, String(day[series.key] ?? 0)))))));
  const legend = h('ul', { class: 'legend', 'aria-hidden': 'true' }, SERIES.map((series) => h('li', null, h('span', { class: `swatch ${series.className}` }), series.label)));
  const element = h('figure', { class: 'chart' }, legend, canvas, table);

  let lastWidth = 0;
  const draw = () => {
    const width = Math.floor(canvas.clientWidth);
    if (width === 0 || width === lastWidth) return;
    lastWidth = width;
    replaceChildren(canvas, drawChart(days, width));
  };
  new ResizeObserver(draw).observe(canvas);
  return element;
}
