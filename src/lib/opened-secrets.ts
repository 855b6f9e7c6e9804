// What a secret box opened, remembered by the sealed value: every HighLevel request reads its location's token row and
// opened the access token again (AES-256-GCM, about 2 % of the app's CPU at 200 missed calls/s). A sealed value is
// unique (a fresh IV each seal) and authenticated with its context, so the same sealed value and context always open
// to the same plaintext: remembering it changes no answer. A rotated token is a new sealed value; the old one is no
// longer asked for and goes when the memory is cleared. The plaintexts stay in this process's memory, as the tokens
// in use do anyway; nothing is written anywhere.
import type { SecretBox } from './crypto.js';

/** Past this many remembered values the memory starts over (a few MB at most). */
export const OPENED_SECRETS_LIMIT = 10_000;

export function rememberOpenedSecrets(box: SecretBox, limit = OPENED_SECRETS_LIMIT): SecretBox {
  const opened = new Map<string, string>();
  return {
    seal: (plaintext, context) => box.seal(plaintext, context),
    open(sealed, context) {
      // No context and '' are different contexts (crypto.ts). A sealed value holds no NUL (base64url parts and dots),
      // so the key's last NUL ends the context: no two pairs share a key.
      const key = `${context === undefined ? '-' : `+${context}`}\u0000${sealed}`;
      const known = opened.get(key);
      if (known !== undefined) return known;
      // A value that does not open throws here, every time: failures are not remembered.
      const plaintext = box.open(sealed, context);
      if (opened.size >= limit) opened.clear();
      opened.set(key, plaintext);
      return plaintext;
    },
  };
}
