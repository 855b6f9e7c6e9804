// The activity log's opaque cursor: what it hands out it reads back; anything else is refused.
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/store/activity.js';

describe('activity cursor', () => {
  it('when a position is encoded, then decoding gives it back', () => {
    const position = { at: 1_767_715_200_000, rank: 2, id: 42 };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('when the cursor is not one the API handed out, then it is refused', () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of ['', 'bm90LWEtY3Vyc29y', forged([1, 9, 1]), forged([1, 2]), forged([1.5, 2, 3]), forged({ at: 1 }), forged([-1, 2, 3])]) {
      expect(decodeCursor(cursor)).toBeNull();
    }
  });
});
