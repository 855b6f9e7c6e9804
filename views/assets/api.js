// The page's API client: the session token lives in this closure only (no cookies, no storage); a 401 re-handshakes once.
// @ts-check

/**
 * @typedef {import('./api-types.js').ErrorBody} ErrorBody
 * @typedef {import('./api-types.js').FieldIssue} FieldIssue
 * @typedef {import('./api-types.js').Session} Session
 * @typedef {import('./api-types.js').LocationSessionAnswer} LocationSessionAnswer
 * @typedef {import('./api-types.js').AgencySessionAnswer} AgencySessionAnswer
 * @typedef {ReturnType<typeof createApi>} Api
 */

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {ErrorBody | null} body
   */
  constructor(status, body) {
    super((body && (body.message || body.error)) || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error ?? null;
    /**
     * 422 answers: [{ field, message }].
     * @type {FieldIssue[]}
     */
    this.issues = Array.isArray(body?.issues) ? body.issues : [];
  }
}

/**
 * @param {Response} response
 * @returns {Promise<unknown>}
 */
async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { error: text.slice(0, 200) };
  }
}

/**
 * The parsed answer; its shape is the route's (api-types.js), so callers state which one they expect.
 * @param {string} method
 * @param {string} path
 * @param {{ token?: string, body?: unknown }} [options]
 * @returns {Promise<unknown>}
 */
async function call(method, path, { token, body } = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError(0, { error: 'network', message: 'Could not reach TextBack. Check your connection and try again.' });
  }
  const data = await readBody(response);
  if (!response.ok) throw new ApiError(response.status, /** @type {ErrorBody | null} */ (data));
  return data;
}

/**
 * `getPayload()` asks HighLevel for a fresh encrypted user context, every time a session is opened or renewed: the
 * server refuses a context 12 hours after its first use, so a captured one cannot be kept for later. `connect()` opens a location session, or an
 * agency session when the user is outside any sub-account; `request()` retries once after a 401 with a new session.
 * @param {{ getPayload: () => Promise<string> }} options
 */
export function createApi({ getPayload }) {
  /** @type {Session | null} */
  let session = null;
  /** @type {Promise<Session> | null} */
  let renewing = null;

  /** @returns {Promise<Session>} */
  async function openSession() {
    const payload = await getPayload();
    try {
      const answer = /** @type {LocationSessionAnswer} */ (await call('POST', '/api/session', { body: { payload } }));
      return { scope: 'location', token: answer.token, locationId: answer.locationId, companyId: null, user: answer.user ?? null };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 403 || error.code !== 'no_location') throw error;
    }
    const answer = /** @type {AgencySessionAnswer} */ (await call('POST', '/api/agency-session', { body: { payload } }));
    return { scope: 'agency', token: answer.token, locationId: null, companyId: answer.companyId, user: answer.user ?? null };
  }

  /**
   * @param {string | undefined} staleToken
   * @returns {Promise<Session>}
   */
  function renew(staleToken) {
    if (session && session.token !== staleToken) return Promise.resolve(session);
    renewing ??= openSession().then((fresh) => { session = fresh; return fresh; }).finally(() => { renewing = null; });
    return renewing;
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   */
  async function request(method, path, body) {
    const used = session?.token;
    try {
      return await call(method, path, { token: used, body });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
    }
    const fresh = await renew(used);
    return call(method, path, { token: fresh.token, body });
  }

  return {
    async connect() {
      session = await openSession();
      return session;
    },
    session: () => session,
    /** @param {string} path */
    get: (path) => request('GET', path),
    /** @param {string} path @param {unknown} [body] */
    post: (path, body) => request('POST', path, body ?? {}),
    /** @param {string} path @param {unknown} body */
    put: (path, body) => request('PUT', path, body),
    /** @param {string} path */
    del: (path) => request('DELETE', path),
  };
}
