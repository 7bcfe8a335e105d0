// The signed-in person, in memory only: an access token per daemon and the account. The refresh
// token lives in authd's HttpOnly cookie, which no script can read; a reload renews the session
// through it, and tokens are renewed the same way before they expire.

const prefixes = { patrold: '/api/patrol', meetingd: '/api/meeting', reentryd: '/api/reentry', vettingd: '/api/vetting', authd: '/api/auth' };

let current = null; // { tokens, account, renewAt }
let renewal = null;

/** An answer that was not 2xx: RFC 9457 problem details when the daemon sent them. */
export class ProblemError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.code = (problem?.type || '').split('/').pop();
    this.problem = problem;
  }
}

async function problemOf(response) {
  try { return await response.json(); } catch { return null; }
}

function take(reply) {
  current = { tokens: reply.access_tokens, account: reply.account, renewAt: Date.now() + reply.expires_in * 800 };
  return current.account;
}

/** Signs in with a password and, for the roles that need one, the authenticator's code. */
export async function signIn(username, password, code) {
  const body = { username, password, client: 'browser' };
  if (code) body.totp_code = code;
  const response = await fetch('/api/auth/v1/sessions', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin',
  });
  if (!response.ok) throw new ProblemError(response.status, await problemOf(response));
  return take(await response.json());
}

/** Renews the session from the refresh cookie; the account, or null when there is no session. */
export function resume() {
  renewal ??= (async () => {
    try {
      const response = await fetch('/api/auth/v1/token', {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token',
        credentials: 'same-origin',
      });
      if (!response.ok) { current = null; return null; }
      return take(await response.json());
    } catch {
      // no network: the session may well be alive; the page decides what an offline person sees
      return null;
    } finally {
      renewal = null;
    }
  })();
  return renewal;
}

export async function signOut() {
  await fetch('/api/auth/v1/revoke', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '', credentials: 'same-origin' });
  current = null;
}

export function account() { return current?.account ?? null; }

/**
 * A call to a daemon's API as the signed-in person: `api('patrold', '/v1/findings?state=dispatched')`.
 * JSON in and out by default; `raw` (a Blob, with `contentType`) for bytes; `as: 'blob'` for a
 * download. A 401 renews the session once and retries. A network failure throws a TypeError.
 */
export async function api(daemon, path, { method = 'GET', body, raw, contentType, as = 'json', accept = 'application/json' } = {}) {
  if (!current) throw new ProblemError(401, { title: '未登录' });
  if (Date.now() >= current.renewAt) await resume();
  for (let attempt = 0; ; attempt++) {
    const headers = { Accept: accept, Authorization: `Bearer ${current?.tokens?.[daemon] ?? ''}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (raw !== undefined) headers['Content-Type'] = contentType;
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    const response = await fetch(prefixes[daemon] + path, { method, headers, body: payload });
    if (response.status === 401 && attempt === 0 && await resume()) continue;
    if (!response.ok) throw new ProblemError(response.status, await problemOf(response));
    if (response.status === 204) return null;
    return as === 'blob' ? response.blob() : as === 'text' ? response.text() : response.json();
  }
}

/**
 * Reads a daemon's Server-Sent Events with the bearer token in the header (EventSource cannot send
 * one, and a token never goes in a URL): `onEvent({ event, data, id })` for each; resolves when the
 * stream ends (the daemon ends it when the token's life is over), rejects on a failed answer.
 */
export async function stream(daemon, path, onEvent, signal) {
  if (!current) throw new ProblemError(401, { title: '未登录' });
  if (Date.now() >= current.renewAt) await resume();
  const response = await fetch(prefixes[daemon] + path, {
    headers: { Accept: 'text/event-stream', Authorization: `Bearer ${current?.tokens?.[daemon] ?? ''}` }, signal,
  });
  if (!response.ok) throw new ProblemError(response.status, await problemOf(response));
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message = { event: 'message', data: '', id: null };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const [field, ...rest] = line.split(':');
        const text = rest.join(':').replace(/^ /, '');
        if (field === 'event') message.event = text;
        else if (field === 'data') message.data += text;
        else if (field === 'id') message.id = text;
      }
      if (message.data) onEvent(message);
    }
  }
}
