// What became of one attempt to text a caller: the answer of the send pipeline (deliver.ts) and of its at-most-once
// core (send-reserved.ts), which both report it.
export type DeliveryOutcome =
  /** `followed`: this attempt sent the text, and the consequences its request asked for were recorded with it. */
  | { result: 'sent'; followed?: boolean }
  | { result: 'deferred'; until: number }
  | { result: 'skipped'; reason: string }
  | { result: 'failed'; reason: string }
  | { result: 'unknown'; reason: string };
