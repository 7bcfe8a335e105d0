// The phone's outbox: every report, patrol start and end is stored here first (IndexedDB), with
// the id made on the phone, and sent when the network and a session allow — again and again until
// the daemon has it. A resend is harmless: the APIs are idempotent by that id. Photos go one by
// one after their finding, each marked when stored, so an interrupted upload resumes where it stopped.
import { api, ProblemError } from '/shared/session.js';

const DB = 'gridmesh-phone';
let opened = null;

function database() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('outbox', { keyPath: 'id' });
      request.result.createObjectStore('kept', { keyPath: 'key' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

async function transact(store, mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(store, mode);
    const result = work(transaction.objectStore(store));
    transaction.oncomplete = () => resolve(result?.result ?? result);
    transaction.onerror = () => reject(transaction.error);
  });
}

/** Values the phone keeps between visits (the last account, the catalogue, today's patrol). */
export async function kept(key) { return (await transact('kept', 'readonly', (s) => s.get(key)))?.value; }
export async function keep(key, value) { await transact('kept', 'readwrite', (s) => s.put({ key, value })); }

/** Every item, oldest first. */
export async function items() {
  const all = await transact('outbox', 'readonly', (s) => s.getAll());
  return all.sort((a, b) => a.createdAt - b.createdAt);
}

async function save(item) { await transact('outbox', 'readwrite', (s) => s.put(item)); }

/** Queues a request: `{ kind, label, path, body, photos: [Blob] }`; its id is the body's (or `id`);
 * `ref` names what it is about (a visit request's id). */
export async function enqueue({ body, id = body.id, kind, label, path, photos = [], ref = null }) {
  const item = {
    id, kind, label, ref, path, body, createdAt: Date.now(), state: 'queued', attempts: 0, error: null,
    photos: photos.map((blob) => ({ blob, type: blob.type, stored: false })),
  };
  await save(item);
  changed();
  return item;
}

const listeners = new Set();
export function onChange(listener) { listeners.add(listener); }
function changed() { for (const listener of listeners) listener(); }

let sending = null;

/** Sends what waits, in order; stops at the first network failure (it will be tried again). */
export function flush() {
  if (!navigator.onLine) return Promise.resolve();
  sending ??= (async () => {
    try {
      for (const item of await items()) {
        if (item.state === 'sent' || item.state === 'refused') continue;
        if (!(await send(item))) break;
      }
    } finally {
      sending = null;
    }
  })();
  return sending;
}

/** One item: true when done with it (sent or refused for good), false to stop and retry later. */
async function send(item) {
  item.attempts += 1;
  item.state = 'sending';
  await save(item);
  changed();
  try {
    if (!item.delivered) {
      const reply = await api('patrold', item.path, { method: 'POST', body: item.body });
      item.delivered = true;
      // a clue only says "received": it went to the confidential ledger, not the findings, and takes no photo
      item.receipt = reply?.kind === 'clue' ? 'received' : 'stored';
      if (item.receipt === 'received') item.photos = [];
      await save(item);
    }
    for (const photo of item.photos) {
      if (photo.stored) continue;
      await api('patrold', `/v1/findings/${item.id}/photos`, { method: 'POST', raw: photo.blob, contentType: photo.type });
      photo.stored = true;
      await save(item);
      changed();
    }
    item.state = 'sent';
    item.error = null;
    await save(item);
    changed();
    return true;
  } catch (failure) {
    // a report or a verification answered 409 was done already (the answer to the first try was lost)
    if (failure instanceof ProblemError && failure.status === 409 && item.kind === 'visit') {
      item.state = 'sent';
      item.error = null;
      await save(item);
      changed();
      return true;
    }
    const permanent = failure instanceof ProblemError && failure.status >= 400 && failure.status < 500 && ![401, 408, 429].includes(failure.status);
    item.state = permanent ? 'refused' : failure instanceof ProblemError && failure.status === 401 ? 'waiting-sign-in' : 'queued';
    item.error = failure instanceof ProblemError ? failure.message : '网络不可用';
    await save(item);
    changed();
    return permanent;
  }
}
