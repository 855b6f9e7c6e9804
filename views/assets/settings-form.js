// The settings editor shared by a sub-account and the agency defaults: messages, follow-up, hours, sending rules, Save.
// @ts-check
import { h } from './dom.js';
import { createFieldErrors, section } from './controls.js';
import { createTemplateEditor } from './template-editor.js';
import { createHoursEditor } from './hours-editor.js';
import { createFollowUpEditor } from './follow-up-editor.js';
import { createRulesEditor } from './rules-editor.js';
import { createSaveBar } from './save-bar.js';

/**
 * @typedef {import('./api.js').ApiError} ApiError
 * @typedef {import('./api-types.js').SettingsPatch} SettingsPatch
 * @typedef {import('./api-types.js').Features} Features
 * @typedef {import('./api-types.js').PreviewAnswer} PreviewAnswer
 * @typedef {ReturnType<typeof createTemplateEditor>} TemplateEditor
 * @typedef {{ key: string, label: string, description: string }} MessageSpec
 */

/** @type {MessageSpec[]} */
const MESSAGES = [
  { key: 'textBackInHours', label: 'When you’re open', description: 'Sent within seconds of a missed call during business hours.' },
  { key: 'textBackAfterHours', label: 'When you’re closed', description: 'Sent for calls missed outside business hours and on closed days.' },
];
/** @type {MessageSpec[]} */
const REPLIES = [
  { key: 'help', label: 'Answer to HELP', description: 'Sent when someone texts HELP or INFO. Keep your name, a way to reach you and “Reply STOP to opt out”.' },
  { key: 'optOutConfirmation', label: 'Opt-out confirmation', description: 'Sent once when someone texts STOP. After it, they get nothing more.' },
];

/**
 * Only the fields whose values differ, nested like the settings; arrays are compared and sent whole.
 * @param {Record<string, any> | undefined} before
 * @param {Record<string, any>} after
 * @returns {Record<string, unknown>}
 */
export function diffPatch(before, after) {
  /** @type {Record<string, unknown>} */
  const patch = {};
  for (const [key, value] of Object.entries(after)) {
    const old = before?.[key];
    const isObject = value && typeof value === 'object' && !Array.isArray(value);
    if (isObject && old && typeof old === 'object' && !Array.isArray(old)) {
      const inner = diffPatch(old, value);
      if (Object.keys(inner).length) patch[key] = inner;
    } else if (JSON.stringify(old) !== JSON.stringify(value)) {
      patch[key] = value;
    }
  }
  return patch;
}

/**
 * `save(patch)` resolves with the saved settings (or rejects with an ApiError, 422 issues shown next to fields).
 * `features.followUp === false` locks the follow-up section. Returns `{ element, isDirty }`.
 * @param {{ settings: SettingsPatch, preview: (template: string, kind: string) => Promise<PreviewAnswer | null>,
 *   save: (patch: SettingsPatch) => Promise<SettingsPatch | undefined>, features?: Features, timeZone?: string,
 *   extraTop?: Node | null }} options
 */
export function createSettingsForm({ settings, preview, save, features = {}, timeZone, extraTop = null }) {
  const errors = createFieldErrors();
  let saved = settings;
  const saveBar = createSaveBar({ onSave: submit, onDiscard: () => load(saved) });
  const changed = () => saveBar.setDirty(JSON.stringify(read()) !== JSON.stringify(pick(saved)));

  /** @type {Record<string, TemplateEditor>} */
  const editors = {};
  /**
   * @param {MessageSpec} spec
   * @param {number} [rows]
   */
  const makeEditor = (spec, rows) => {
    const editor = createTemplateEditor({ ...spec, kind: spec.key, value: settings.templates?.[spec.key] ?? '', preview, onChange: changed, rows });
    errors.register(`templates.${spec.key}`, editor.setError);
    editors[spec.key] = editor;
    return editor.element;
  };

  const followUp = createFollowUpEditor({ errors, onChange: changed, available: features.followUp !== false, templateEditor: makeEditor({ key: 'followUp', label: 'Follow-up text', description: 'Sent once, if they haven’t replied, called back or opted out.' }) });
  const hours = createHoursEditor({ errors, onChange: changed, timeZone });
  const rules = createRulesEditor({ errors, onChange: changed });

  /** @param {SettingsPatch} values */
  function pick(values) {
    return {
      templates: Object.fromEntries(Object.keys(editors).map((key) => [key, values.templates?.[key] ?? ''])),
      followUp: { enabled: Boolean(values.followUp?.enabled), delayMinutes: Number(values.followUp?.delayMinutes ?? 120) },
      businessHours: { days: values.businessHours?.days ?? {}, holidays: [...(values.businessHours?.holidays ?? [])].sort() },
      textBackPolicy: values.textBackPolicy ?? 'respect-quiet-hours',
      cooldownHours: Number(values.cooldownHours ?? 24),
    };
  }

  function read() {
    return {
      templates: Object.fromEntries(Object.entries(editors).map(([key, editor]) => [key, editor.getValue()])),
      followUp: followUp.read(),
      businessHours: hours.read(),
      ...rules.read(),
    };
  }

  /** @param {SettingsPatch} values */
  function load(values) {
    for (const [key, editor] of Object.entries(editors)) editor.setValue(values.templates?.[key] ?? '');
    followUp.load(values.followUp ?? {});
    hours.load(values.businessHours ?? {});
    rules.load(values);
    errors.clear();
    changed();
  }

  async function submit() {
    errors.clear();
    const local = followUp.validate();
    if (local) return { ok: false, message: local };
    const patch = /** @type {SettingsPatch} */ (diffPatch(pick(saved), read()));
    if (Object.keys(patch).length === 0) return { ok: true };
    try {
      saved = { ...saved, ...(await save(patch)) };
      load(saved);
      return { ok: true };
    } catch (caught) {
      const error = /** @type {ApiError | undefined} */ (caught);
      if (error?.status === 422 && error.issues.length) {
        const unclaimed = errors.show(error.issues);
        const count = error.issues.length - unclaimed.length;
        const rest = unclaimed.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
        return { ok: false, message: [count ? `${count} ${count === 1 ? 'field needs' : 'fields need'} attention (marked below).` : '', rest].filter(Boolean).join(' ') };
      }
      return { ok: false, message: error?.message ?? 'Something went wrong.' };
    }
  }

  const element = h('form', { class: 'settings-form', novalidate: true, onsubmit: (event) => { event.preventDefault(); saveBar.save(); } },
    extraTop,
    section({ title: 'Text sent to missed callers', intro: 'Your business name and “Reply STOP to opt out” keep carriers happy. The preview shows exactly what a caller gets.' },
      MESSAGES.map((spec) => makeEditor(spec))),
    followUp.element,
    section({ title: 'Business hours', intro: 'Decide which text a caller gets: the “open” one during these hours, the “closed” one otherwise.' }, hours.element),
    rules.element,
    h('details', { class: 'card card-details' },
      h('summary', null, h('span', { class: 'summary-title' }, 'Automatic replies to HELP and STOP'), h('span', { class: 'hint' }, 'Required by carriers; the defaults are fine for most businesses.')),
      REPLIES.map((spec) => makeEditor(spec, 2))),
    saveBar.element);

  load(settings);
  return { element, isDirty: saveBar.isDirty };
}
