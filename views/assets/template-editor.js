// One message editor: textarea, insert-variable buttons, live preview with encoding and segment counter, look-alike fix.
// @ts-check
import { debounce, h, icon, replaceChildren, uid } from './dom.js';

/**
 * @typedef {import('./api.js').ApiError} ApiError
 * @typedef {import('./api-types.js').Offender} Offender
 * @typedef {import('./api-types.js').PreviewAnswer} PreviewAnswer
 * @typedef {import('./api-types.js').TextAnalysis} TextAnalysis
 */

const VARIABLES = [
  { token: '{{first_name}}', label: 'First name' },
  { token: '{{business_name}}', label: 'Business name' },
  { token: '{{business_phone}}', label: 'Business phone' },
];
/** Only the texts that answer HELP or STOP may carry the web opt-out link. */
const LINK_KINDS = new Set(['help', 'optOutConfirmation']);
const OPT_OUT_LINK = { token: '{{optout_link}}', label: 'Opt-out link' };

/** @param {string} char */
const visibleChar = (char) => (char === '\u00A0' ? 'non-breaking space' : char === '\t' ? 'tab' : /^\s$/.test(char) ? 'space' : char);

/**
 * @param {string} text
 * @param {Offender[]} offending
 */
function highlighted(text, offending) {
  /** @type {Array<string | HTMLElement>} */
  const parts = [];
  let cursor = 0;
  for (const { char, index } of [...offending].sort((a, b) => a.index - b.index)) {
    if (index < cursor) continue;
    parts.push(text.slice(cursor, index), h('mark', { class: 'offender', title: 'This character makes the text Unicode (UCS-2)' }, char));
    cursor = index + char.length;
  }
  parts.push(text.slice(cursor));
  return parts;
}

/** @param {TextAnalysis} analysis */
function meterText(analysis) {
  const texts = `${analysis.segments} text ${analysis.segments === 1 ? 'message' : 'messages'}`;
  const limit = analysis.segments > 1 ? `${analysis.perSegment} per message` : `${analysis.perSegment} max`;
  return { texts, chars: `${analysis.units} characters · ${limit}` };
}

/**
 * `preview(template, kind)` resolves with the API's preview answer, or null when no preview is available here.
 * Returns `{ element, getValue, setValue, setError, setDisabled, focus }`.
 * @param {{ label: string, description: string, value: string, kind: string,
 *   preview: (template: string, kind: string) => Promise<PreviewAnswer | null>, onChange?: () => void,
 *   rows?: number }} options
 */
export function createTemplateEditor({ label, description, value, kind, preview, onChange, rows = 3 }) {
  const id = uid('tpl');
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const meterId = `${id}-meter`;
  let sequence = 0;

  const textarea = h('textarea', { id, rows, maxlength: 1600, spellcheck: 'true', 'aria-describedby': `${hintId} ${meterId} ${errorId}`, value });
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const bubble = h('div', { class: 'bubble', 'aria-label': 'Preview of the text' });
  const encoding = h('span', { class: 'pill' });
  const segments = h('strong', { class: 'segment-count' });
  const chars = h('span', { class: 'char-count' });
  const meter = h('div', { class: 'meter', id: meterId, 'aria-live': 'polite' }, encoding, segments, chars);
  const fixList = h('span', { class: 'fix-list' });
  const fixButton = h('button', { type: 'button', class: 'btn btn-small btn-warn' }, 'Replace look-alikes');
  const fix = h('div', { class: 'fix', hidden: true },
    h('p', { class: 'fix-head' }, icon('alert', 16), 'These characters turn it into a Unicode text, which holds fewer characters:'),
    fixList, fixButton);
  /** @type {string | null} */
  let replaced = null;

  /** @param {PreviewAnswer | null} result */
  function showPreview(result) {
    if (!result) {
      replaceChildren(bubble, h('span', { class: 'muted' }, 'The preview with a sample contact appears inside each sub-account.'));
      meter.hidden = true;
      fix.hidden = true;
      return;
    }
    const { text, analysis } = result;
    replaceChildren(bubble, ...highlighted(text, analysis.offending ?? []));
    meter.hidden = false;
    const unicode = analysis.encoding !== 'GSM-7';
    encoding.className = `pill ${unicode ? 'pill-warn' : 'pill-good'}`;
    encoding.textContent = unicode ? 'UCS-2 (Unicode)' : 'GSM-7';
    encoding.title = unicode ? 'Unicode texts hold 70 characters each instead of 160' : 'Plain texts hold 160 characters each';
    const counts = meterText(analysis);
    segments.textContent = counts.texts;
    chars.textContent = counts.chars;
    const offenders = [...new Map((analysis.offending ?? []).map((o) => [o.char, o])).values()];
    replaced = typeof result.replaced === 'string' && result.replaced !== textarea.value ? result.replaced : null;
    fix.hidden = offenders.length === 0;
    replaceChildren(fixList, offenders.map((o) => h('span', { class: 'fix-item' },
      h('code', null, visibleChar(o.char)),
      o.suggestion !== undefined ? [' → ', h('code', null, visibleChar(o.suggestion) || 'nothing')] : ' no plain version')));
    fixButton.hidden = replaced === null;
  }

  const refresh = debounce(async () => {
    const mine = ++sequence;
    const template = textarea.value;
    if (template.trim() === '') {
      replaceChildren(bubble, h('span', { class: 'muted' }, 'Type a message to see the preview.'));
      meter.hidden = true;
      fix.hidden = true;
      return;
    }
    bubble.classList.add('is-loading');
    try {
      const result = await preview(template, kind);
      if (mine === sequence) showPreview(result);
    } catch (caught) {
      if (mine !== sequence) return;
      const problem = /** @type {ApiError | undefined} */ (caught);
      replaceChildren(bubble, h('span', { class: 'muted' }, problem?.status === 422 ? problem.issues?.[0]?.message ?? 'This text has a problem.' : 'Preview unavailable right now.'));
    } finally {
      if (mine === sequence) bubble.classList.remove('is-loading');
    }
  }, 200);

  function changed() {
    setError(null);
    onChange?.();
    refresh();
  }

  /** @param {string} token */
  function insert(token) {
    const start = textarea.selectionStart ?? textarea.value.length;
    const end = textarea.selectionEnd ?? start;
    textarea.setRangeText(token, start, end, 'end');
    textarea.focus();
    changed();
  }

  /** @param {string | null} message */
  function setError(message) {
    error.hidden = !message;
    error.textContent = message ?? '';
    textarea.toggleAttribute('aria-invalid', Boolean(message));
  }

  textarea.addEventListener('input', changed);
  fixButton.addEventListener('click', () => {
    if (replaced === null) return;
    textarea.value = replaced;
    changed();
    textarea.focus();
  });

  const variableButtons = [...VARIABLES, ...(LINK_KINDS.has(kind) ? [OPT_OUT_LINK] : [])].map((variable) =>
    h('button', { type: 'button', class: 'chip', title: `Insert ${variable.token}`, onclick: () => insert(variable.token) }, icon('plus', 14), variable.label));

  const element = h('div', { class: 'editor' },
    h('div', { class: 'editor-input' },
      h('label', { for: id, class: 'editor-label' }, label),
      h('p', { class: 'hint', id: hintId }, description),
      textarea,
      h('div', { class: 'chips', role: 'group', 'aria-label': `Insert a detail into “${label}”` }, h('span', { class: 'chips-label', 'aria-hidden': 'true' }, 'Insert:'), variableButtons),
      error),
    h('div', { class: 'editor-preview' },
      h('div', { class: 'preview-label' }, 'Preview for a caller named Jordan'),
      bubble, meter, fix));

  refresh();
  return {
    element,
    getValue: () => textarea.value,
    /** @param {string} next */
    setValue(next) { textarea.value = next; refresh(); },
    setError,
    /** @param {boolean} disabled */
    setDisabled(disabled) {
      textarea.disabled = disabled;
      for (const button of variableButtons) button.disabled = disabled;
      fixButton.disabled = disabled;
    },
    focus: () => textarea.focus(),
  };
}
