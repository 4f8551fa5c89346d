// The public API as the web player uses it: the session cookie
// authenticates, and every write carries the session's CSRF token, kept
// in memory only, never in web storage.

let csrf = '';

// ApiError is a non-2xx answer: its status, code and message.
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code || '';
    this.currentVersion = body?.error?.current_version;
  }
}

// call sends one request and returns the decoded JSON (null for 204).
// A 401 also fires "signed-out", so the app asks for a sign-in again.
// keepalive lets a request outlive the page (a report sent as it closes).
export async function call(method, path, body, headers = {}, { keepalive = false } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (method !== 'GET' && method !== 'HEAD') h['X-CSRF-Token'] = csrf;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method, headers: h, credentials: 'same-origin', keepalive,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/api/v1/auth/')) window.dispatchEvent(new Event('signed-out'));
    throw new ApiError(res.status, data);
  }
  return { data, etag: res.headers.get('ETag') };
}

export const get = async (path) => (await call('GET', path)).data;

// session returns the signed-in user, or null.
export async function session() {
  try {
    const s = await get('/api/v1/auth/session');
    csrf = s.csrf_token || '';
    return s.user;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

// signIn logs in (or signs up) and keeps the CSRF token.
export async function signIn(kind, name, password) {
  const s = (await call('POST', `/api/v1/auth/${kind}`, { name, password })).data;
  csrf = s.csrf_token;
  return s.user;
}

export async function signOut() {
  try { await call('POST', '/api/v1/auth/logout'); } finally { csrf = ''; }
}

export const track = (id) => get(`/api/v1/tracks/${encodeURIComponent(id)}`);
