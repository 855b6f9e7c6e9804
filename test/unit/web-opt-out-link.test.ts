// The web opt-out page's link in HELP replies and opt-out confirmations.
import { describe, expect, it } from 'vitest';
import { appendOptOutLink, optOutLink, optOutLinkFor } from '../../src/workflow/web-opt-out.js';
import { renderTemplate } from '../../src/workflow/templates.js';
import { findUnknownVariables } from '../../src/workflow/templates.js';

const LINK = 'https://textback.example/optout/loc-1';

describe('optOutLink', () => {
  it('when built, then it is PUBLIC_URL/optout/<locationId> with the id encoded', () => {
    expect(optOutLink('https://textback.example/', 'loc-1')).toBe(LINK);
    expect(optOutLink('https://textback.example', 'a/b c')).toBe('https://textback.example/optout/a%2Fb%20c');
  });
});

describe('optOutLinkFor', () => {
  it('when the location asked for the link and a public URL is known, then the link is offered, else none', () => {
    expect(optOutLinkFor({ publicUrl: 'https://textback.example' }, 'loc-1', { includeOptOutLink: true })).toBe(LINK);
    expect(optOutLinkFor({ publicUrl: 'https://textback.example' }, 'loc-1', { includeOptOutLink: false })).toBeNull();
    expect(optOutLinkFor({}, 'loc-1', { includeOptOutLink: true })).toBeNull();
  });
});

describe('appendOptOutLink', () => {
  it('when the template has no {{optout_link}}, then the link is appended once', () => {
    expect(appendOptOutLink('Acme: call us. Reply STOP to opt out.', 'x', LINK)).toBe(`Acme: call us. Reply STOP to opt out. Opt out online: ${LINK}`);
  });

  it('when the template places {{optout_link}} itself, then rendering puts it there and nothing is appended', () => {
    const template = 'Acme: opt out at {{ optout_link }} or reply STOP.';
    const rendered = renderTemplate(template, { businessName: 'Acme', optOutLink: LINK }, { firstNameFallback: 'there' });
    expect(appendOptOutLink(rendered, template, LINK)).toBe(`Acme: opt out at ${LINK} or reply STOP.`);
  });

  it('when there is no link to offer, then the text is left alone', () => {
    expect(appendOptOutLink('Hello.', 'Hello.', null)).toBe('Hello.');
  });

  it('when a template uses {{optout_link}}, then the settings check accepts it as a known variable', () => {
    expect(findUnknownVariables('Opt out: {{optout_link}}')).toEqual([]);
  });
});
