// Unit tests for src/workflow/keywords.ts: carrier keywords, plain-language revocations, HELP, opt-in, normalisation.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyReply, normalizeReply } from '../../src/workflow/keywords.js';

const active = { suppressed: false };
const suppressed = { suppressed: true };

describe('normalizeReply', () => {
  it('when a message has surrounding spaces, punctuation and emoji, then they are dropped and case folded', () => {
    expect(normalizeReply('  Stop!! ')).toBe('stop');
    expect(normalizeReply('🛑 STOP')).toBe('stop');
    expect(normalizeReply('"STOP."')).toBe('stop');
    expect(normalizeReply('\u200BSTOP\uFEFF')).toBe('stop');
  });

  it('when words are separated by runs of whitespace, then they are collapsed to single spaces', () => {
    expect(normalizeReply('Stop \n\t  ALL')).toBe('stop all');
  });

  it('when apostrophes and dashes are typographic, then they become ASCII', () => {
    expect(normalizeReply('Don’t text me')).toBe("don't text me");
    expect(normalizeReply('opt–out')).toBe('opt-out');
  });

  it('when letters are full-width, then NFKC folds them', () => {
    expect(normalizeReply('ＳＴＯＰ')).toBe('stop');
  });
});

describe('classifyReply: carrier and FCC keywords', () => {
  const optOut = ['STOP', 'STOPALL', 'STOP ALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'HALT', 'REVOKE', 'OPTOUT', 'OPT OUT', 'OPT-OUT'];

  it.each(optOut)('when the whole message is %s, then it is an opt-out', (word) => {
    expect(classifyReply(word, active)).toBe('opt-out');
    expect(classifyReply(word.toLowerCase(), suppressed)).toBe('opt-out');
  });

  it.each(['Stop!!', '🛑 STOP', 'stop.', '  STOP  ', '*STOP*', 'Stop 🙏', '¡Stop!'])(
    'when the message is %j, then it is an opt-out',
    (body) => {
      expect(classifyReply(body, active)).toBe('opt-out');
    },
  );

  it.each(['HELP', 'help', 'Info', 'INFO?', 'Help!'])('when the whole message is %j, then it is help', (body) => {
    expect(classifyReply(body, active)).toBe('help');
    expect(classifyReply(body, suppressed)).toBe('help');
  });

  it.each(['START', 'start', 'Unstop', 'UNSTOP!'])('when the whole message is %j, then it is an opt-in', (body) => {
    expect(classifyReply(body, suppressed)).toBe('opt-in');
    expect(classifyReply(body, active)).toBe('opt-in');
  });

  it('when YES comes from a suppressed number, then it is an opt-in; otherwise an ordinary reply', () => {
    expect(classifyReply('YES', suppressed)).toBe('opt-in');
    expect(classifyReply('Yes!', suppressed)).toBe('opt-in');
    expect(classifyReply('YES', active)).toBe('reply');
    expect(classifyReply('yes please', suppressed)).toBe('reply');
  });

  it('when HELP or START is part of a longer message, then it is an ordinary reply', () => {
    expect(classifyReply('Help me, my basement is flooding', active)).toBe('reply');
    expect(classifyReply('When can you start the job?', active)).toBe('reply');
    expect(classifyReply('Need info on pricing', active)).toBe('reply');
  });
});

describe('classifyReply: plain-language revocations', () => {
  const revocations = [
    'stop texting me', 'Stop texting', 'Please stop texting me!', "don't text me", 'Don’t text me', 'dont text me',
    'Do not text this number', 'remove me', 'Remove me from your list', 'take me off your list', 'Take me off',
    'unsubscribe me', 'No more texts', 'no more messages please', 'Wrong number', 'wrong #', 'No más', 'no mas',
    'leave me alone', 'stop messaging me', 'Stop contacting me', 'Stop sending me these', 'STOP. Who is this?',
    'Stop please', 'STOP STOP STOP', 'stop it', 'please stop', 'Not interested', 'Opt me out', "I didn't call you",
    'I never signed up for this', 'Remove my number', 'Delete my number', 'I will block you', 'Please unsubscribe',
    'How do I opt out?', 'no me escriba mas', 'Deja de escribirme', 'quit texting me', 'Cancel please',
    'Who is this? Stop', 'do not contact me again', "I don't want these texts", 'do not disturb',
  ];

  it.each(revocations)('when the message is %j, then it is an opt-out', (body) => {
    expect(classifyReply(body, active)).toBe('opt-out');
  });

  it('when a plain revocation comes from a number that is already suppressed, then it is still an opt-out', () => {
    expect(classifyReply('stop texting me', suppressed)).toBe('opt-out');
  });
});

describe('classifyReply: ordinary replies', () => {
  const replies = [
    'Yes I need a plumber', 'Can you stop by at 3?', "My water heater won't stop leaking", 'Call me back please',
    'What time do you close?', 'ok thanks', 'Please stop by tomorrow', 'The leak stopped', 'Sounds good', '',
    'Can I cancel my appointment on Friday?', 'Please send someone today',
  ];

  it.each(replies)('when the message is %j, then it is an ordinary reply', (body) => {
    expect(classifyReply(body, active)).toBe('reply');
  });
});

describe('classifyReply properties', () => {
  it('when STOP is surrounded by any punctuation, symbols or emoji, then it is always an opt-out', () => {
    const decoration = fc.string({ unit: fc.constantFrom('!', '.', '?', ' ', '*', '"', '🛑', '🙏', '…', '-', '\n'), maxLength: 6 });
    fc.assert(
      fc.property(decoration, fc.constantFrom('stop', 'STOP', 'Stop', 'sToP'), decoration, (before, word, after) => {
        expect(classifyReply(`${before}${word}${after}`, active)).toBe('opt-out');
      }),
    );
  });

  it('when a message contains "stop texting", then the rest of the message never cancels the opt-out', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (before, after) => {
        expect(classifyReply(`${before} stop texting me ${after}`, suppressed)).toBe('opt-out');
      }),
    );
  });
});
