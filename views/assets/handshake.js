// Asks the HighLevel parent window for the encrypted user context (REQUEST_USER_DATA → REQUEST_USER_DATA_RESPONSE).
// @ts-check

export class NotEmbeddedError extends Error {
  constructor() {
    super('The page was not opened inside HighLevel.');
    this.name = 'NotEmbeddedError';
  }
}

/**
 * Resolves with the encrypted payload string. Rejects with NotEmbeddedError when there is no parent window or the
 * parent does not answer within `timeoutMs`. Only an answer from the parent window itself is accepted; its origin
 * can't be pinned (agencies use white-label domains), and the payload is useless without the server's secret.
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<string>}
 */
export function requestUserData({ timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    if (window.parent === window) {
      reject(new NotEmbeddedError());
      return;
    }
    const timer = setTimeout(() => {
      window.removeEventListener('message', onMessage);
      reject(new NotEmbeddedError());
    }, timeoutMs);
    /** @param {MessageEvent} event */
    function onMessage(event) {
      if (event.source !== window.parent) return;
      const data = event.data;
      if (!data || data.message !== 'REQUEST_USER_DATA_RESPONSE' || typeof data.payload !== 'string' || data.payload === '') return;
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(data.payload);
    }
    window.addEventListener('message', onMessage);
    window.parent.postMessage({ message: 'REQUEST_USER_DATA' }, '*');
  });
}
