// Signs webhook bodies the way HighLevel does, for tests, the sandbox and benchmarks (never used to verify).
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface WebhookKeyPair {
  privateKey: KeyObject;
  /** SPKI PEM, ready for parsePublicKeys. */
  publicKeyPem: string;
}

export interface WebhookSignature {
  header: 'x-ghl-signature' | 'x-wh-signature';
  /** base64 */
  signature: string;
}

/** A fresh Ed25519 pair, the scheme of x-ghl-signature. */
export function generateWebhookKeyPair(): WebhookKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** A fresh RSA pair for the legacy x-wh-signature scheme; HighLevel uses 4096 bits, 2048 keeps tests quick. */
export function generateRsaWebhookKeyPair(modulusLength = 2048): WebhookKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Signs the exact body bytes: Ed25519 keys give x-ghl-signature, RSA keys give x-wh-signature (RSA-SHA256, PKCS#1 v1.5). */
export function signWebhookBody(body: Buffer | string, privateKey: KeyObject): WebhookSignature {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  switch (privateKey.asymmetricKeyType) {
    case 'ed25519':
      return { header: 'x-ghl-signature', signature: sign(null, bytes, privateKey).toString('base64') };
    case 'rsa':
      return { header: 'x-wh-signature', signature: sign('sha256', bytes, privateKey).toString('base64') };
    default:
      throw new Error(`cannot sign webhooks with a ${privateKey.asymmetricKeyType} key (ed25519 or rsa only)`);
  }
}
