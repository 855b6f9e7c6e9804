// The personalised one-click opt-out link: `PUBLIC_URL/optout/link/<token>`, the token an AES-256-GCM sealed
// (location, number) under a key derived from ENCRYPTION_KEY. Opaque (no number in the URL), unforgeable, and
// nothing is stored: only the app can open it, and opening it proves the number it was texted to.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { OptOutLinks } from '../workflow/deps.js';

export const OPT_OUT_LINK_PATH = '/optout/link';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const TOKEN = /^[A-Za-z0-9_-]{40,400}$/;
const AAD = Buffer.from('textback opt-out link v1');

export interface OptOutLinkSeal extends OptOutLinks {
  /** The location and number sealed in `token`, or null for anything this app did not seal. */
  open(token: string): { locationId: string; phone: string } | null;
}

export function createOptOutLinks(options: { encryptionKey: string; publicUrl: string }): OptOutLinkSeal {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(options.encryptionKey, 'base64'), Buffer.alloc(0), 'textback opt-out links v1', 32));
  const base = options.publicUrl.replace(/\/+$/, '');

  function seal(locationId: string, phone: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(AAD);
    const ciphertext = Buffer.concat([cipher.update(`${phone}\n${locationId}`, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
  }

  return {
    linkFor: (locationId, phone) => `${base}${OPT_OUT_LINK_PATH}/${seal(locationId, phone)}`,
    open(token) {
      if (!TOKEN.test(token)) return null;
      const data = Buffer.from(token, 'base64url');
      if (data.length <= IV_BYTES + TAG_BYTES) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
        decipher.setAAD(AAD);
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
        const cut = plain.indexOf('\n');
        if (cut <= 0 || cut === plain.length - 1) return null;
        return { phone: plain.slice(0, cut), locationId: plain.slice(cut + 1) };
      } catch {
        return null;
      }
    },
  };
}
