// Unit tests for src/workflow/templates.ts: rendering, fallbacks, unknown variables, opt-out line, default texts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzeText } from '../../src/workflow/segments.js';
import {
  DEFAULT_TEMPLATES,
  TEMPLATE_KEYS,
  ensureOptOutLine,
  findUnknownVariables,
  renderTemplate,
} from '../../src/workflow/templates.js';

const acme = { businessName: 'Acme Plumbing', firstName: 'Dana', businessPhone: '(512) 555-0134' };
const fallback = { firstNameFallback: 'there' };

describe('renderTemplate', () => {
  it('when all variables have values, then each is substituted', () => {
    expect(renderTemplate('Hi {{first_name}}, this is {{business_name}}. Call {{business_phone}}.', acme, fallback)).toBe(
      'Hi Dana, this is Acme Plumbing. Call (512) 555-0134.',
    );
  });

  it('when braces contain spaces or capitals, then the variable is still recognised', () => {
    expect(renderTemplate('{{ business_name }} / {{  First_Name}}', acme, fallback)).toBe('Acme Plumbing / Dana');
  });

  it('when the first name is missing, null or blank, then the fallback is used', () => {
    for (const firstName of [undefined, null, '', '   ']) {
      expect(renderTemplate('Hi {{first_name}}!', { ...acme, firstName }, fallback)).toBe('Hi there!');
    }
  });

  it('when the fallback is empty too, then no stray space is left before punctuation', () => {
    expect(renderTemplate('Hi {{first_name}}, this is {{business_name}}.', { businessName: 'Acme' }, { firstNameFallback: '' })).toBe(
      'Hi, this is Acme.',
    );
  });

  it('when a substitution is empty mid-sentence, then doubled spaces are collapsed', () => {
    expect(renderTemplate('Call us {{business_phone}} today', { businessName: 'Acme' }, fallback)).toBe('Call us today');
  });

  it('when a value contains newlines or runs of spaces, then it is flattened to single spaces', () => {
    expect(renderTemplate('This is {{business_name}}.', { businessName: ' Acme \n  Plumbing ' }, fallback)).toBe(
      'This is Acme Plumbing.',
    );
  });

  it('when a value itself looks like a variable, then it is not expanded again', () => {
    expect(renderTemplate('{{business_name}}', { businessName: '{{first_name}}', firstName: 'Dana' }, fallback)).toBe(
      '{{first_name}}',
    );
  });

  it('when a variable is unknown, then it is left as written', () => {
    expect(renderTemplate('Hi {{nickname}}', acme, fallback)).toBe('Hi {{nickname}}');
  });
});

describe('findUnknownVariables', () => {
  it('when a template uses only known variables, then none are reported', () => {
    for (const key of TEMPLATE_KEYS) expect(findUnknownVariables(DEFAULT_TEMPLATES[key])).toEqual([]);
    expect(findUnknownVariables('{{ business_name }} {{FIRST_NAME}}')).toEqual([]);
  });

  it('when a template uses unknown variables, then each is named once', () => {
    expect(findUnknownVariables('Hi {{firstname}} {{ last_name }} {{firstname}}')).toEqual(['{{firstname}}', '{{last_name}}']);
  });

  it('when braces are unbalanced, then the fragment is reported', () => {
    expect(findUnknownVariables('Hi {{first_name}, ok')).toEqual(['{{first_name},']);
    expect(findUnknownVariables('Hi first_name}}')).toEqual(['first_name}}']);
  });

  it('when single braces are used as text, then nothing is reported', () => {
    expect(findUnknownVariables('Use code {SAVE10}')).toEqual([]);
  });
});

describe('ensureOptOutLine', () => {
  it('when the text has no opt-out line, then " Reply STOP to opt out." is appended', () => {
    expect(ensureOptOutLine('Hi from Acme.')).toBe('Hi from Acme. Reply STOP to opt out.');
    expect(ensureOptOutLine('Hi from Acme.  ')).toBe('Hi from Acme. Reply STOP to opt out.');
    expect(ensureOptOutLine('')).toBe('Reply STOP to opt out.');
  });

  it('when the text already offers STOP to opt out, then it is unchanged', () => {
    for (const text of [
      'Hi. Reply STOP to opt out.',
      'Hi. Text STOP to unsubscribe',
      'Hi. reply stop to end',
      'Hi. STOP to opt-out',
      'Hi. Reply "STOP" to cancel.',
    ]) {
      expect(ensureOptOutLine(text)).toBe(text);
    }
  });

  it('when STOP appears in another sense, then the line is still appended', () => {
    expect(ensureOptOutLine("We'll stop by at 3.")).toBe("We'll stop by at 3. Reply STOP to opt out.");
  });

  it('when applied twice, then the line appears once', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (text) => {
        const once = ensureOptOutLine(text);
        expect(ensureOptOutLine(once)).toBe(once);
      }),
    );
  });
});

describe('DEFAULT_TEMPLATES', () => {
  const render = (key: (typeof TEMPLATE_KEYS)[number]) => renderTemplate(DEFAULT_TEMPLATES[key], acme, fallback);

  it('when rendered, then every default is GSM-7 with straight quotes and names the business', () => {
    for (const key of TEMPLATE_KEYS) {
      const text = render(key);
      expect(analyzeText(text).encoding, key).toBe('GSM-7');
      expect(text, key).toContain('Acme Plumbing');
    }
  });

  it('when a first text or follow-up is rendered, then it says why and offers STOP, within one segment', () => {
    for (const key of ['textBackInHours', 'textBackAfterHours', 'followUp'] as const) {
      const text = render(key);
      expect(text, key).toMatch(/missed your call|missed call/);
      expect(text, key).toContain('Reply STOP to opt out');
      expect(ensureOptOutLine(text)).toBe(text);
      expect(analyzeText(text).segments, key).toBe(1);
    }
  });

  it('when HELP is answered, then the reply has the name, phone, STOP line and rates notice', () => {
    const text = render('help');
    expect(text).toContain('(512) 555-0134');
    expect(text).toContain('Reply STOP to opt out');
    expect(text).toContain('Msg & data rates may apply');
  });

  it('when an opt-out is confirmed, then the text is the plain confirmation with a straight apostrophe', () => {
    expect(DEFAULT_TEMPLATES.optOutConfirmation).toBe(
      "You're unsubscribed from {{business_name}} texts. No more messages will be sent. Reply START to resubscribe.",
    );
  });
});
