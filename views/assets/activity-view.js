// The Activity tab: headline numbers, the per-day chart, and the feed of missed calls, replies and opt-outs.
// @ts-check
import { h, icon, replaceChildren } from './dom.js';
import { createDayChart } from './chart.js';
import { describeActivity } from './activity-lines.js';
import { formatDate, formatDayHeading, formatNumber, formatRate, formatTime } from './format.js';

/**
 * @typedef {import('./api.js').Api} Api
 * @typedef {import('./api.js').ApiError} ApiError
 * @typedef {import('./api-types.js').ActivityItem} ActivityItem
 * @typedef {import('./api-types.js').ActivityPage} ActivityPage
 * @typedef {import('./api-types.js').ReplyItem} ReplyItem
 * @typedef {import('./api-types.js').StatsAnswer} StatsAnswer
 */

const PAGE_SIZE = 25;
const PERIODS = [7, 30, 90];
/** @type {Record<string, string>} */
const KIND_ICON = { call: 'phone', reply: 'chat', optout: 'shield' };

/**
 * A YYYY-MM-DD date `days` later (earlier when negative).
 * @param {string} date
 * @param {number} days
 */
function shiftDate(date, days) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * @param {string} label
 * @param {string} value
 * @param {string} [note]
 * @param {string} [tone]
 */
function tile(label, value, note, tone) {
  return h('div', { class: ['tile', tone && `tile-${tone}`] }, h('span', { class: 'tile-label' }, label), h('strong', { class: 'tile-value' }, value), note ? h('span', { class: 'tile-note' }, note) : null);
}

/** @param {StatsAnswer} stats */
function renderStats(stats) {
  const t = stats.totals ?? {};
  const textedShare = t.missedCalls ? `${Math.round((t.texted / t.missedCalls) * 100)}% of missed calls` : 'no missed calls yet';
  return [
    h('div', { class: 'tiles' },
      tile('Missed calls', formatNumber(t.missedCalls), `${formatDate(stats.from)} – ${formatDate(stats.to)}`),
      tile('Texted back', formatNumber(t.texted), textedShare, 'texted'),
      tile('Replied', formatNumber(t.replied), 'people who texted back', 'replied'),
      tile('Reply rate', t.texted ? formatRate(t.replyRate) : '–', 'of the people texted', 'rate')),
    h('p', { class: 'minor-stats' },
      `${formatNumber(t.followUpsSent)} follow-ups sent · ${formatNumber(t.optOuts)} opt-outs · `,
      h('span', { class: t.failures ? 'text-bad' : null }, `${formatNumber(t.failures)} failed ${t.failures === 1 ? 'text' : 'texts'}`)),
    (stats.days ?? []).length ? createDayChart(stats.days) : null,
  ];
}

/** @param {{ api: Api, base: string, timeZone?: string }} options */
export function createActivityView({ api, base, timeZone }) {
  /** @type {string | null} */
  let cursor = null;
  let period = 30;
  /** @type {string | null} */
  let anchorTo = null;
  /** @type {string | null} */
  let lastHeading = null;
  const statsBox = h('div', { class: 'stats', 'aria-live': 'polite', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading numbers…'));
  const periodButtons = PERIODS.map((days) => h('button', { type: 'button', class: 'seg', 'aria-pressed': String(days === period), onclick: () => { period = days; for (const b of periodButtons) b.setAttribute('aria-pressed', String(b === periodButtons[PERIODS.indexOf(days)])); loadStats(); } }, `${days} days`));
  const feed = h('ol', { class: 'feed', 'aria-label': 'Activity, newest first' });
  const feedStatus = h('p', { class: 'muted', role: 'status' });
  const more = h('button', { type: 'button', class: 'btn btn-secondary', hidden: true }, 'Load more');
  const refresh = h('button', { type: 'button', class: 'btn btn-ghost btn-small' }, 'Refresh');

  async function loadStats() {
    statsBox.setAttribute('aria-busy', 'true');
    // The server's default period (30 days up to today in the location's zone) anchors the others.
    const range = anchorTo && period !== 30 ? `?from=${shiftDate(anchorTo, -(period - 1))}&to=${anchorTo}` : '';
    try {
      const stats = /** @type {StatsAnswer} */ (await api.get(`${base}/stats${range}`));
      anchorTo ??= stats.to ?? null;
      replaceChildren(statsBox, renderStats(stats));
    } catch (error) {
      replaceChildren(statsBox, h('p', { class: 'notice notice-bad' }, `Couldn’t load the numbers: ${/** @type {ApiError} */ (error).message}`));
    } finally {
      statsBox.setAttribute('aria-busy', 'false');
    }
  }

  // Replies already shown (the feed is newest first, so they came after the calls below them).
  /** @type {ReplyItem[]} */
  let replies = [];
  /**
   * @param {string} phone
   * @param {number} at
   */
  const replyAfter = (phone, at) => replies.find((reply) => reply.phone === phone && reply.at >= at)?.meaning ?? null;

  /** @param {ActivityItem} item */
  function renderItem(item) {
    if (item.type === 'reply') replies.push(item);
    const line = describeActivity(item, timeZone, { replyAfter });
    const nodes = [];
    const heading = formatDayHeading(item.at, timeZone);
    if (heading !== lastHeading) {
      lastHeading = heading;
      nodes.push(h('li', { class: 'feed-day' }, heading));
    }
    nodes.push(h('li', { class: ['feed-item', `tone-${line.tone}`] },
      h('span', { class: 'feed-icon', 'aria-hidden': 'true' }, icon(KIND_ICON[line.kind] ?? 'info', 16)),
      h('div', { class: 'feed-main' },
        h('p', { class: 'feed-title' }, line.title[0], h('span', { class: 'nowrap' }, line.title[1]), line.title[2]),
        line.details.length ? h('p', { class: 'feed-details' }, line.details.join(' · ')) : null),
      h('div', { class: 'feed-side' },
        h('time', { datetime: new Date(item.at).toISOString() }, formatTime(item.at, timeZone)),
        line.status ? h('span', { class: `pill pill-${line.status.tone}` }, line.status.label) : null)));
    return nodes;
  }

  /** @param {boolean} reset */
  async function loadFeed(reset) {
    if (reset) { cursor = null; lastHeading = null; replies = []; }
    more.disabled = true;
    feedStatus.textContent = 'Loading…';
    try {
      const page = /** @type {ActivityPage} */ (await api.get(`${base}/activity?limit=${PAGE_SIZE}${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`));
      const nodes = (page.items ?? []).flatMap(renderItem);
      if (reset) replaceChildren(feed, nodes); else feed.append(...nodes);
      cursor = page.nextCursor ?? null;
      more.hidden = !cursor;
      feedStatus.textContent = feed.children.length === 0 ? 'No missed calls yet. When you miss one, it shows up here within seconds.' : '';
    } catch (error) {
      feedStatus.textContent = `Couldn’t load activity: ${/** @type {ApiError} */ (error).message}`;
    } finally {
      more.disabled = false;
    }
  }

  more.addEventListener('click', () => loadFeed(false));
  refresh.addEventListener('click', () => { loadStats(); loadFeed(true); });

  const element = h('div', { class: 'activity' },
    h('section', { class: 'card', 'aria-labelledby': 'stats-title' },
      h('div', { class: 'card-head' },
        h('h2', { id: 'stats-title' }, 'Results'),
        h('div', { class: 'segmented', role: 'group', 'aria-label': 'Period' }, periodButtons)),
      statsBox),
    h('section', { class: 'card', 'aria-labelledby': 'feed-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'feed-title' }, 'Recent activity'), refresh),
      feed, feedStatus, h('div', { class: 'more-row' }, more)));

  return {
    element,
    load() { loadStats(); loadFeed(true); },
  };
}
