// The page's API client: the session token lives in this closure only (no cookies, no storage); a 401 re-handshakes once.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.message || body.error)) || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error ?? null;
    /** 422 answers: [{ field, message }]. */
    this.issues = Array.isArray(body?.issues) ? body.issues : [];
  }
}

async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { error: text.slice(0, 200) };
  }
}

async function call(method, path, { token, body } = {}) {
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
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/**
 * `getPayload()` asks HighLevel for a fresh encrypted user context, every time a session is opened or renewed: the
 * server refuses a context 12 hours after its first use, so a captured one cannot be kept for later. `connect()` opens a location session, or an
 * agency session when the user is outside any sub-account; `request()` retries once after a 401 with a new session.
 */
export function createApi({ getPayload }) {
  let session = null;
  let renewing = null;

  async function openSession() {
    const payload = await getPayload();
    try {
      const answer = await call('POST', '/api/session', { body: { payload } });
      return { scope: 'location', token: answer.token, locationId: answer.locationId, companyId: null, user: answer.user ?? null };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 403 || error.code !== 'no_location') throw error;
    }
    const answer = await call('POST', '/api/agency-session', { body: { payload } });
    return { scope: 'agency', token: answer.token, locationId: null, companyId: answer.companyId, user: answer.user ?? null };
  }

  function renew(staleToken) {
    if (session && session.token !== staleToken) return Promise.resolve(session);
    renewing ??= openSession().then((fresh) => { session = fresh; return fresh; }).finally(() => { renewing = null; });
    return renewing;
  }

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
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body ?? {}),
    put: (path, body) => request('PUT', path, body),
    del: (path) => request('DELETE', path),
  };
}
