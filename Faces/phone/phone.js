// The grid worker's phone page: today's patrol, reporting a finding (category in words, a
// description, photos shrunk on the phone, the GPS location with its accuracy), the outbox with
// each item's state, and my reports. Offline first: everything goes through the outbox.
import { signIn, resume, signOut, account, api, ProblemError } from '/shared/session.js';
import { findingStates, formatDateTime } from '/shared/zh.js';
import { h, show } from '/shared/dom.js';
import { grids, scopeName } from '/shared/places.js';
import { enqueue, flush, items, kept, keep, onChange } from './outbox.js';
import { shrink } from './photo.js';

const main = document.getElementById('main');
const status = document.getElementById('status');
let view = 'home';
let person = null;

const outboxStates = { queued: '待发送', sending: '发送中', sent: '已发送', refused: '被拒绝', 'waiting-sign-in': '等待登录' };

function online() { return navigator.onLine; }

function showStatus() {
  status.textContent = online() ? '在线' : '离线：上报先存在手机上，联网后自动发送';
  status.className = online() ? 'online' : 'offline';
}

async function catalogue() {
  if (online() && account()) {
    try {
      const categories = await api('patrold', '/v1/categories');
      await keep('categories', categories);
      return categories;
    } catch { /* the kept copy below */ }
  }
  return (await kept('categories')) ?? [];
}

function signInForm(message) {
  const username = h('input', { id: 'username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', id: 'signin-error', role: 'alert' }, message ?? '');
  const form = h('form', { id: 'signin', class: 'panel' },
    h('h2', {}, '网格员登录'),
    h('label', { for: 'username' }, '账号'), username,
    h('label', { for: 'password' }, '密码'), password,
    h('button', { class: 'primary wide', type: 'submit' }, '登录'), error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      person = await signIn(username.value.trim(), password.value);
      if (person.role !== 'grid_worker') {
        await signOut();
        error.textContent = '此页面供网格员使用；其他岗位请使用电脑端控制台';
        return;
      }
      await keep('account', person);
      flush();
      render();
    } catch (failure) {
      error.textContent = !online() ? '离线时无法登录' : failure instanceof ProblemError && failure.status === 429 ? '尝试次数过多，请稍后再试' : '账号或密码不正确';
    }
  });
  show(main, form);
}

async function home() {
  // the catalogue is kept on the phone while there is a network, for a report made without one
  if (online()) await Promise.all([catalogue(), grids().catch(() => null)]);
  const patrol = await kept('patrol');
  const patrolButton = patrol
    ? h('button', { id: 'end-patrol', class: 'wide', onclick: endPatrol }, `结束巡查（${formatDateTime(patrol.startedAt)} 开始）`)
    : h('button', { id: 'start-patrol', class: 'primary wide', onclick: startPatrol }, '开始今日巡查');
  show(main,
    h('section', { class: 'panel' },
      h('p', { id: 'who' }, `${person.display_name} · ${scopeName(person.scope)}`),
      patrolButton,
      h('button', { id: 'new-report', class: 'primary wide', onclick: () => go('report') }, '上报问题')),
    await visits(),
    await outboxList(),
    await myReports());
}

const outcomes = { met: '见到本人', not_home: '不在家', refused: '拒绝见面', moved_away: '已搬离' };

/** 走访任务: reentryd's home visits in my grid (a case reference only, never a name); the outcome in one tap. */
async function visits() {
  if (!online() || !account()) return null;
  let open;
  try { open = await api('patrold', '/v1/visit-requests'); } catch { return null; }
  // ids compare lower-cased (patrold still writes some upper-cased: #18)
  open = open.map((v) => ({ ...v, id: v.id.toLowerCase() }));
  const reported = new Set((await items()).filter((i) => i.kind === 'visit').map((i) => i.ref));
  const waiting = open.filter((v) => !reported.has(v.id));
  return h('section', { class: 'panel', id: 'visits' },
    h('h2', {}, `走访任务${waiting.length ? `（${waiting.length}）` : ''}`),
    waiting.length === 0 ? h('p', { class: 'quiet' }, '暂无') : h('ul', { class: 'list' }, waiting.map((v) =>
      h('li', { 'data-id': v.id },
        h('span', {}, `对象 ${v.case_id.slice(0, 8)}`), h('span', { class: 'quiet' }, v.due_by ? `${formatDateTime(v.due_by)} 前` : ''),
        h('div', { class: 'outcomes' }, Object.entries(outcomes).map(([code, label]) =>
          h('button', { type: 'button', 'data-outcome': code, onclick: () => reportVisit(v, code) }, label)))))));
}

async function reportVisit(visit, outcome) {
  await enqueue({
    id: `${visit.id}-report`, kind: 'visit', label: `走访：${outcomes[outcome]}`, path: `/v1/visit-requests/${visit.id}/report`,
    body: { visited_at: new Date().toISOString(), outcome }, ref: visit.id,
  });
  flush();
  render();
}

async function startPatrol() {
  const id = crypto.randomUUID();
  await keep('patrol', { id, startedAt: new Date().toISOString() });
  await enqueue({ kind: 'patrol', label: '开始巡查', path: '/v1/patrols', body: { id } });
  flush();
  render();
}

async function endPatrol() {
  const patrol = await kept('patrol');
  await keep('patrol', null);
  // the end has an id of its own in the outbox; the API's path names the patrol
  await enqueue({ id: `${patrol.id}-end`, kind: 'patrol-end', label: '结束巡查', path: `/v1/patrols/${patrol.id}/end`, body: {} });
  flush();
  render();
}

async function outboxList() {
  const all = await items();
  const waiting = all.filter((i) => i.state !== 'sent').length;
  return h('section', { class: 'panel', id: 'outbox' },
    h('h2', {}, `发送队列${waiting ? `（${waiting} 条待发送）` : ''}`),
    all.length === 0 ? h('p', { class: 'quiet' }, '暂无') : h('ul', { class: 'list' }, all.slice(-10).reverse().map((i) => {
      const photos = i.photos.length ? ` · 照片 ${i.photos.filter((p) => p.stored).length}/${i.photos.length}` : '';
      const receipt = i.receipt === 'received' ? ' · 已收到' : '';
      return h('li', { 'data-id': i.id, 'data-state': i.state },
        h('span', {}, i.label), h('span', { class: `badge ${i.state}` }, `${outboxStates[i.state] ?? i.state}${photos}${receipt}`),
        i.error && i.state !== 'sent' ? h('small', { class: 'error' }, i.error) : null);
    })));
}

async function myReports() {
  if (!online() || !account()) return null;
  try {
    const following = await api('patrold', '/v1/following');
    const list = following.items;
    return h('section', { class: 'panel', id: 'mine' },
      h('h2', {}, '我的上报'),
      list.length === 0 ? h('p', { class: 'quiet' }, '暂无') : h('ul', { class: 'list' }, list.slice(0, 20).map((f) =>
        h('li', { 'data-id': f.id }, h('span', {}, f.description), h('span', { class: 'badge' }, findingStates[f.state] ?? f.state)))));
  } catch {
    return null;
  }
}

async function reportForm() {
  const categories = await catalogue();
  const category = h('select', { id: 'category', required: true }, h('option', { value: '' }, '请选择类别'),
    categories.map((c) => h('option', { value: c.code, 'data-kind': c.kind }, c.kind === 'clue' ? `${c.name}（线索）` : c.name)));
  const description = h('textarea', { id: 'description', rows: 4, maxlength: 2000, required: true, placeholder: '看到了什么、在哪里' });
  const camera = h('input', { id: 'photo', type: 'file', accept: 'image/*', capture: 'environment', multiple: true });
  const location = h('p', { id: 'location', class: 'quiet' }, '正在获取位置…');
  const error = h('p', { class: 'error', role: 'alert' });
  let position = null;
  navigator.geolocation?.getCurrentPosition(
    (p) => {
      position = p.coords;
      location.textContent = `位置：${p.coords.latitude.toFixed(5)}, ${p.coords.longitude.toFixed(5)}（精度约 ${Math.round(p.coords.accuracy)} 米）`;
    },
    () => { location.textContent = '无法获取位置：请在描述中写明地点'; },
    { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 });
  const photoRow = h('div', { id: 'photo-row' }, h('label', { for: 'photo' }, '照片'), camera);
  category.addEventListener('change', () => {
    // a clue goes to the confidential ledger: no photo, and the phone will only say "received"
    photoRow.hidden = category.selectedOptions[0]?.dataset.kind === 'clue';
  });
  const form = h('form', { id: 'report', class: 'panel' },
    h('h2', {}, '上报问题'),
    h('label', { for: 'category' }, '类别'), category,
    h('label', { for: 'description' }, '描述'), description,
    photoRow, location,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'wide', onclick: () => go('home') }, '取消'),
      h('button', { type: 'submit', class: 'primary wide' }, '提交')),
    error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!category.value || !description.value.trim()) { error.textContent = '请选择类别并填写描述'; return; }
    const clue = category.selectedOptions[0]?.dataset.kind === 'clue';
    const photos = clue ? [] : await Promise.all([...camera.files].map(shrink));
    const patrol = await kept('patrol');
    const body = { id: crypto.randomUUID(), category: category.value, description: description.value.trim(), observed_at: new Date().toISOString() };
    if (position) Object.assign(body, { latitude: position.latitude, longitude: position.longitude, coord_system: 'wgs84' });
    if (patrol && !clue) body.patrol_id = patrol.id;
    await enqueue({ kind: clue ? 'clue' : 'finding', label: clue ? '线索' : category.selectedOptions[0].textContent, path: '/v1/findings', body, photos });
    flush();
    go('home');
  });
  show(main, form);
}

function go(next) { view = next; render(); }

async function render() {
  showStatus();
  person = account() ?? (online() ? null : await kept('account'));
  if (!person) return signInForm();
  if (view === 'report') return reportForm();
  return home();
}

document.getElementById('signout').addEventListener('click', async () => {
  await signOut();
  await keep('account', null);
  person = null;
  render();
});

let redraw = null;
onChange(() => {
  // the outbox changes often while sending: redraw the home screen at most every 200 ms
  if (view !== 'home' || redraw) return;
  redraw = setTimeout(() => { redraw = null; if (view === 'home') render(); }, 200);
});
/** With a network: the session back if the page opened without one, then the outbox sent. */
async function reconnect() {
  if (!online()) return showStatus();
  if (!account() && (await resume())) render();
  showStatus();
  await flush();
}
window.addEventListener('online', reconnect);
window.addEventListener('offline', showStatus);
// a lost answer, a flaky link, an 'online' event that never came: try again every 5 s
setInterval(reconnect, 5_000);

if ('serviceWorker' in navigator) navigator.serviceWorker.register('/phone/sw.js', { scope: '/phone/' }).catch(() => {});
(async () => {
  await resume();
  await render();
  if (account()) flush();
})();
