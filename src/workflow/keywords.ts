// Inbound SMS keywords: opt-out (carrier keywords and plain-language revocations), HELP, opt-in, or an ordinary reply.
// Opt-out matching is generous on purpose: a missed revocation is a violation, a false one costs a single follow-up.

export type ReplyClass = 'opt-out' | 'help' | 'opt-in' | 'reply';

const OPT_OUT_KEYWORDS = [
  'stop', 'stopall', 'stop all', 'unsubscribe', 'cancel', 'end', 'quit', 'halt', 'revoke', 'optout', 'opt out', 'opt-out',
  // generous extras: common misspellings and Spanish/French equivalents
  'unsub', 'unsuscribe', 'unsubcribe', 'stp', 'stopp', 'parar', 'para', 'alto', 'basta', 'baja', 'cancelar', 'detener',
  'arret', 'arreter',
];
const HELP_KEYWORDS = new Set(['help', 'info']);
const OPT_IN_KEYWORDS = new Set(['start', 'unstop']);
// Words that may surround a bare keyword without changing its meaning ("stop please", "STOP STOP", "end it now").
const FILLER = new Set([
  'please', 'pls', 'plz', 'plse', 'now', 'thanks', 'thank', 'you', 'thx', 'ty', 'it', 'me', 'this', 'asap', 'immediately',
  'ok', 'okay', 'just', 'already', 'all', 'sir', 'maam', 'right', 'away', 'por', 'favor', 'help', 'info',
]);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
const ONLY_OPT_OUT_KEYWORDS = new RegExp(
  `^(?:${OPT_OUT_KEYWORDS.map(escape).join('|')})(?: (?:${OPT_OUT_KEYWORDS.map(escape).join('|')}))*$`,
);

// Plain-language revocations, matched anywhere in the folded message (lower case, no accents, straight apostrophes).
const REVOCATIONS: RegExp[] = [
  /\b(?:stop|quit|cease|end)(?: the)? (?:texting|txting|texing|texts?|txts?|messaging|msging|messages?|msgs?|sending|contacting|calling|bugging|bothering|spamming|harass\w*|emailing)\b/,
  /\b(?:please|pls|plz|kindly) stop\b(?! (?:by|in|over|at|on|for)\b)/,
  /\b(?:don'?t|do not|dnt|never) (?:ever )?(?:text|txt|message|msg|sms|contact|reach out to)\b/,
  /\b(?:don'?t|do not|dont) (?:send|want)(?: me)?(?: any| these| your| more| anymore)* (?:texts?|txts?|messages|msgs|sms)\b/,
  /\bno (?:more|further) (?:texts?|txts?|messages|msgs|sms|contact|calls)\b/,
  /\b(?:remove|delete|erase) (?:me|my (?:number|phone|cell|info|information|contact)|this (?:number|phone))\b/,
  /\bremove (?:\w+ )?from (?:your|the|this) (?:list|contacts|system)\b/,
  /\btake (?:me|my number|this number|us) off\b/,
  /\b(?:unsubscribe|unsub|opt ?-?out)\b/,
  /\bwrong (?:number|#|no\b|person|phone)/,
  /\bno mas\b/,
  /\bleave me alone\b/,
  /\bnot interested\b/,
  /\bi (?:never|did ?n'?t|did not) (?:call(?:ed)?|sign(?:ed)? up|opt(?:ed)? in|subscribe(?:d)?)\b/,
  /\b(?:block(?:ing)?|report(?:ing)?) (?:you|u|this number|your number)\b/,
  /\bopt (?:me|us|my number) out\b/,
  /\blose (?:my|this) number\b/,
  /\b(?:do not disturb|dnd)\b/,
  /\b(?:this is|reported as|report as) spam\b/,
  /\bno (?:me )?(?:escrib|mand|envi|contact|textee|llam)\w*/,
  /\bdej(?:a|e|en) de (?:escrib|envi|mand|molest|contact)\w*/,
  /\bdar(?:me)? de baja\b/,
  /\bno (?:quiero|deseo) (?:mas |recibir )*(?:mensajes|textos)\b/,
  /\b(?:desabonn|desinscri)\w*/,
];

/** NFKC, straight apostrophes and ASCII dashes, no invisible characters, lower case, single spaces. */
function prepare(body: string): string {
  return body
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u02BC\u0060\u00B4\u2032]/g, "'")
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\p{Cf}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Trims, NFKC-normalises, case-folds, unifies apostrophes and dashes, drops invisible characters and the
 * punctuation/emoji around the message, and collapses whitespace: "  🛑 Stop!! " → "stop".
 */
export function normalizeReply(body: string): string {
  return prepare(body).replace(/^[^\p{L}\p{N}]+/u, '').replace(/[^\p{L}\p{N}]+$/u, '');
}

const fold = (normalized: string) => normalized.normalize('NFD').replace(/\p{M}/gu, '');

/** A clause made only of opt-out keywords and filler words: "Stop please", "STOP. Who is this?". */
function hasBareOptOutClause(folded: string): boolean {
  return folded.split(/[.,!?;:\n()]+/).some((clause) => {
    const words = clause.split(/[^\p{L}\p{N}'-]+/u).filter((word) => word !== '' && !FILLER.has(word));
    return words.length > 0 && ONLY_OPT_OUT_KEYWORDS.test(words.join(' '));
  });
}

/** What an inbound text means; YES re-subscribes only a number that is currently suppressed. */
export function classifyReply(body: string, ctx: { suppressed: boolean }): ReplyClass {
  const folded = fold(normalizeReply(body));
  if (OPT_OUT_KEYWORDS.includes(folded)) return 'opt-out';
  if (HELP_KEYWORDS.has(folded)) return 'help';
  if (OPT_IN_KEYWORDS.has(folded) || (ctx.suppressed && folded === 'yes')) return 'opt-in';
  const text = fold(prepare(body)); // keeps inner and trailing punctuation ("wrong #")
  if (hasBareOptOutClause(text) || REVOCATIONS.some((pattern) => pattern.test(text))) return 'opt-out';
  return 'reply';
}
