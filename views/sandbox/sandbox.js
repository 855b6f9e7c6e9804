// The sandbox page's behaviour: pick a demo sub-account, act as a caller through /sandbox/api, poll what happened,
// type as the team in the Twilio sub-account's conversation, answer the CRM frame's REQUEST_USER_DATA like HighLevel's
// parent page. Same-origin script only (the CSP forbids inline code).
'use strict';

(function sandboxPage() {
  const POLL_MS = 1000;
  const $ = (id) => document.getElementById(id);
  const els = {
    installStatus: $('install-status'), installText: $('install-text'), clockNow: $('clock-now'), clockAhead: $('clock-ahead'),
    error: $('error'), caller: $('caller-number'), chips: $('caller-chips'), thread: $('thread'), phoneSub: $('phone-sub'),
    replyForm: $('reply-form'), replyText: $('reply-text'), businessNumber: $('business-number'), policy: $('policy-note'),
    frame: $('crm-frame'), tabs: $('location-tabs'), businessName: $('business-name'), phoneTitle: $('phone-title'),
    crmLocation: $('crm-location'), conversation: $('conversation'), conversationWith: $('conversation-with'),
    conversationLog: $('conversation-log'), staffForm: $('staff-form'), staffText: $('staff-text'),
  };
  let locationId = null; // null: the sandbox's first sub-account until the state names them
  let state = null;
  let lastRendered = '';
  let busy = false;

  /** '+12125550142' from '(212) 555-0142', '212.555.0142', '+1 212 555 0142'. */
  function toE164(raw) {
    const digits = String(raw).replace(/\D/g, '');
    if (String(raw).trim().startsWith('+')) return `+${digits}`;
    if (digits.length === 10) return `+1${digits}`;
    if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
    return `+${digits}`;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showError(message) {
    els.error.textContent = message;
    els.error.hidden = !message;
  }

  async function api(path, body) {
    const response = await fetch(path, body === undefined ? {} : {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      const detail = Array.isArray(json.issues) ? json.issues.map((issue) => issue.message).join('; ') : json.message || json.error;
      throw new Error(detail || `HTTP ${response.status}`);
    }
    return json;
  }

  /** One action at a time: the action buttons are disabled until the last one's outcome is on screen. */
  function setBusy(on) {
    document.body.classList.toggle('is-busy', on);
    document.querySelectorAll('button.btn').forEach((button) => { button.disabled = on; });
  }

  async function act(path, body) {
    if (busy) return;
    busy = true;
    setBusy(true);
    try {
      showError('');
      await api(path, { ...body, ...(locationId ? { location: locationId } : {}) });
      await refresh();
    } catch (error) {
      showError(error.message);
    } finally {
      busy = false;
      setBusy(false);
    }
  }

  function selectedPhone() {
    return toE164(els.caller.value);
  }

  function renderLocations() {
    els.tabs.replaceChildren(...state.locations.map((location) => {
      const tab = el('button', `btn location-tab${location.locationId === state.business.locationId ? ' location-tab-active' : ''}`);
      tab.type = 'button';
      tab.dataset.location = location.locationId;
      tab.setAttribute('aria-pressed', String(location.locationId === state.business.locationId));
      tab.append(el('span', 'location-name', location.name), el('span', 'location-route', location.route === 'twilio' ? 'texts through Twilio' : 'texts through HighLevel'));
      return tab;
    }));
  }

  function renderHeader() {
    const business = state.business;
    els.businessName.textContent = business.name;
    els.phoneTitle.textContent = business.name;
    els.crmLocation.textContent = business.name;
    els.installStatus.dataset.state = business.installed ? 'installed' : 'missing';
    els.installText.textContent = business.installed
      ? `${business.name} is installed${business.enabled ? '' : ' (turned off)'}`
      : `${business.name} is not installed`;
    els.businessNumber.textContent = business.display;
    els.clockNow.textContent = state.nowLabel;
    const hours = Math.round(state.advancedMs / 36e5);
    els.clockAhead.textContent = hours >= 1 ? `${hours >= 48 ? `${Math.round(hours / 24)} days` : `${hours} h`} fast-forwarded` : '';
    if (els.policy) {
      els.policy.textContent = business.textBackPolicy === 'send-immediately'
        ? "Text-backs go out at any hour in the sandbox; follow-ups wait for the caller's quiet hours (9 AM–8 PM, Sundays from noon)."
        : "Text-backs and follow-ups both wait for the caller's quiet hours (9 AM–8 PM, Sundays from noon).";
    }
  }

  function renderChips() {
    const phone = selectedPhone();
    const known = new Map(state.callers.map((caller) => [caller.phone, caller]));
    const entries = state.suggestedCallers.map((s) => ({ phone: s.phone, display: s.display, label: s.label }));
    for (const caller of state.callers) {
      if (!entries.some((entry) => entry.phone === caller.phone)) entries.push({ phone: caller.phone, display: caller.display, label: '' });
    }
    els.chips.replaceChildren(...entries.map((entry) => {
      const chip = el('button', `chip${entry.phone === phone ? ' chip-active' : ''}`);
      chip.type = 'button';
      chip.dataset.phone = entry.display;
      if (entry.label) chip.append(el('span', 'chip-name', entry.label));
      chip.append(el('span', 'chip-number', entry.display));
      const caller = known.get(entry.phone);
      const received = caller ? caller.items.filter((item) => item.type === 'text-out').length : 0;
      if (caller && caller.optedOut) chip.append(el('span', 'chip-badge chip-badge-stop', 'opted out'));
      else if (received > 0) chip.append(el('span', 'chip-badge', String(received)));
      return chip;
    }));
  }

  function note(item, className) {
    const line = el('div', `note note-${item.tone}${className ? ` ${className}` : ''}`);
    line.append(el('span', 'note-who', 'TextBack'), el('span', 'note-text', item.text));
    return line;
  }

  function renderThread() {
    const phone = selectedPhone();
    const caller = state.callers.find((c) => c.phone === phone);
    els.phoneSub.textContent = caller ? `on ${caller.display}${caller.optedOut ? ' · opted out' : ''}` : 'texts on the caller\'s phone';
    if (!caller || caller.items.length === 0) {
      const empty = el('li', 'thread-empty');
      empty.append(el('strong', '', 'No calls from this number yet.'), el('span', '', 'Press "Voicemail" above to miss a call from it.'));
      els.thread.replaceChildren(empty);
      return;
    }
    els.thread.replaceChildren(...caller.items.map((item) => {
      if (item.type === 'call') {
        const row = el('li', `event event-call${item.status === 'completed' ? ' event-answered' : ''}`);
        row.append(el('div', 'event-line', `${item.status === 'completed' ? '✆' : '☎'} ${item.label} · ${item.time}`));
        row.append(note(item.outcome, 'note-outcome'));
        if (item.followUp) row.append(note(item.followUp, 'note-followup'));
        return row;
      }
      const mine = item.type === 'text-in';
      const row = el('li', `event event-text ${mine ? 'from-caller' : 'from-business'}`);
      row.append(el('div', `bubble ${mine ? 'bubble-caller' : 'bubble-business'}`, item.body));
      const meta = mine ? item.time : `${item.time} · ${item.status === 'delivered' ? 'Delivered' : 'Sending'}`;
      row.append(el('div', 'bubble-meta', meta));
      if (mine && item.meaning) row.append(note(item.meaning, 'note-reply'));
      return row;
    }));
    els.thread.scrollTop = els.thread.scrollHeight;
  }

  const CHANNEL_STATUS = { pending: 'Sending', delivered: 'Delivered', failed: 'Failed', read: 'Read' };
  const AUTHORS = { caller: 'Caller', textback: 'TextBack', staff: 'Team' };

  /** The selected caller's conversation in the simulated HighLevel (Twilio sub-account only). */
  function renderConversation() {
    const twilioRoute = state.business.route === 'twilio';
    els.conversation.hidden = !twilioRoute;
    if (!twilioRoute) return;
    const phone = selectedPhone();
    const caller = state.callers.find((c) => c.phone === phone);
    els.conversationWith.textContent = caller ? caller.display : 'no caller yet';
    const items = caller && caller.conversation ? caller.conversation : [];
    if (items.length === 0) {
      els.conversationLog.replaceChildren(el('li', 'thread-empty', 'Nothing in this conversation yet: miss a call from this number.'));
      return;
    }
    els.conversationLog.replaceChildren(...items.map((item) => {
      const row = el('li', `crm-message crm-${item.direction}`);
      row.append(el('div', 'crm-message-who', `${AUTHORS[item.by] || item.by} · ${item.time}`));
      row.append(el('div', 'crm-message-body', item.body));
      const status = item.direction === 'outbound' ? ` · ${CHANNEL_STATUS[item.status] || item.status}` : '';
      row.append(el('div', 'crm-message-status', `SMS via TextBack${status}${item.statusError ? ` (${item.statusError})` : ''}`));
      return row;
    }));
    els.conversationLog.scrollTop = els.conversationLog.scrollHeight;
  }

  function render(force) {
    if (!state || !state.ready) return;
    const key = JSON.stringify([state, els.caller.value]);
    if (!force && key === lastRendered) return;
    lastRendered = key;
    renderLocations();
    renderHeader();
    renderChips();
    renderThread();
    renderConversation();
  }

  async function refresh() {
    try {
      const next = await api(`/sandbox/api/state${locationId ? `?location=${encodeURIComponent(locationId)}` : ''}`);
      if (!next.ready) {
        els.installStatus.dataset.state = 'starting';
        return;
      }
      state = next;
      render(false);
    } catch (error) {
      showError(`The sandbox did not answer (${error.message}). Is npm start still running?`);
    }
  }

  document.querySelectorAll('[data-status]').forEach((button) => {
    button.addEventListener('click', () => act('/sandbox/api/calls', { from: els.caller.value, status: button.dataset.status }));
  });
  document.querySelectorAll('[data-hours]').forEach((button) => {
    button.addEventListener('click', () => act('/sandbox/api/time', { hours: Number(button.dataset.hours) }));
  });
  document.querySelectorAll('[data-body]').forEach((button) => {
    button.addEventListener('click', () => act('/sandbox/api/texts', { from: els.caller.value, body: button.dataset.body }));
  });
  els.replyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = els.replyText.value.trim();
    if (!body) return;
    els.replyText.value = '';
    void act('/sandbox/api/texts', { from: els.caller.value, body });
  });
  els.staffForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = els.staffText.value.trim();
    if (!body) return;
    els.staffText.value = '';
    void act('/sandbox/api/staff-messages', { to: els.caller.value, body });
  });
  els.tabs.addEventListener('click', (event) => {
    const tab = event.target.closest('.location-tab');
    if (!tab || busy || tab.dataset.location === locationId) return;
    locationId = tab.dataset.location;
    els.caller.value = '';
    lastRendered = '';
    // The embedded page asks again for the user, now with this sub-account active.
    els.frame.src = '/app';
    void refresh().then(() => {
      if (state && state.suggestedCallers[0] && !els.caller.value) els.caller.value = state.suggestedCallers[0].display;
      render(true);
    });
  });
  els.chips.addEventListener('click', (event) => {
    const chip = event.target.closest('.chip');
    if (!chip) return;
    els.caller.value = chip.dataset.phone;
    render(true);
  });
  els.caller.addEventListener('input', () => render(true));

  // HighLevel's parent page answers the embedded page's request for the user with the encrypted user context.
  window.addEventListener('message', async (event) => {
    if (event.origin !== window.location.origin || event.source !== els.frame.contentWindow) return;
    if (!event.data || event.data.message !== 'REQUEST_USER_DATA') return;
    try {
      const { payload } = await api(`/sandbox/api/user-context${locationId ? `?location=${encodeURIComponent(locationId)}` : ''}`);
      event.source.postMessage({ message: 'REQUEST_USER_DATA_RESPONSE', payload }, window.location.origin);
    } catch (error) {
      showError(`Could not hand the user context to the embedded page (${error.message}).`);
    }
  });

  void refresh();
  setInterval(() => { if (!busy) void refresh(); }, POLL_MS);
})();
