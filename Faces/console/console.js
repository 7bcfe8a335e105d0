// The console: sign-in, the menus of the person's role, and the page the address names
// (#/ledger …). A page of another role, typed by hand, is refused here as the daemons refuse its
// calls (403) — the menus only spare people the refusal.
import { signIn, resume, signOut, account, ProblemError } from '/shared/session.js';
import { roleNames } from '/shared/zh.js';
import { grids, scopeName } from '/shared/places.js';
import { h, show } from '/shared/dom.js';

/** The roles that watch findings: community and street staff, agency heads, the command centre, inspectors. */
const watching = ['community_staff', 'street_officer', 'agency_head', 'command_centre', 'discipline_inspector'];

/** The roles of the street committees' work: officers run the meetings, heads sit on them, the centre oversees. */
const committee = ['street_officer', 'agency_head', 'command_centre'];

/** Every page of the console: its address, its menu label, the roles it is for, its module. */
export const pages = [
  { id: 'live', label: '实时看板', roles: watching, load: () => import('./pages/live.js') },
  { id: 'ledger', label: '问题台账', roles: watching, load: () => import('./pages/ledger.js') },
  { id: 'map', label: '网格地图', roles: watching, load: () => import('./pages/map.js') },
  { id: 'meetings', label: '五长会议', roles: committee, load: () => import('./pages/meetings.js') },
  { id: 'actions', label: '督办事项', roles: [...committee, 'community_staff'], load: () => import('./pages/actions.js') },
  { id: 'bulletin', label: '一周通报', roles: [...committee, 'discipline_inspector'], load: () => import('./pages/bulletin.js') },
  { id: 'reentry', label: '矫正安置帮教', roles: ['caseworker'], load: () => import('./pages/reentry.js') },
  { id: 'reentry-counts', label: '帮教概况', roles: ['command_centre', 'discipline_inspector'], load: () => import('./pages/reentry-counts.js') },
  { id: 'audit', label: '审计日志', roles: ['discipline_inspector', 'auditor'], load: () => import('./pages/audit.js') },
  { id: 'account', label: '我的账户', roles: Object.keys(roleNames), load: () => import('./pages/account.js') },
];

const page = document.getElementById('page');
const menu = document.getElementById('menu');
const who = document.getElementById('who');

function pagesFor(role) { return pages.filter((p) => p.roles.includes(role)); }

function signInForm(message) {
  menu.replaceChildren();
  who.replaceChildren();
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const code = h('input', { id: 'code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6 });
  const codeRow = h('div', { hidden: true }, h('label', { for: 'code' }, '动态验证码（身份验证器）'), code);
  const error = h('p', { class: 'error', role: 'alert', id: 'signin-error' });
  const form = h('form', { class: 'card signin', id: 'signin' },
    h('h2', {}, '登录'),
    h('label', { for: 'username' }, '账号'), username,
    h('label', { for: 'password' }, '密码'), password,
    codeRow,
    h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, '登录')),
    error);
  if (message) error.textContent = message;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      await signIn(username.value.trim(), password.value, code.value.trim() || undefined);
      password.value = '';
      route();
    } catch (failure) {
      if (failure instanceof ProblemError && failure.code === 'second-factor-required') {
        codeRow.hidden = false;
        code.focus();
        error.textContent = '该岗位需要身份验证器的动态验证码';
      } else if (failure instanceof ProblemError && failure.status === 429) {
        error.textContent = '尝试次数过多，请稍后再试';
      } else {
        error.textContent = failure instanceof ProblemError && failure.code === 'invalid-second-factor' ? '验证码错误或已使用' : '账号或密码不正确';
      }
    }
  });
  show(page, form);
  username.focus();
}

function header(person) {
  show(who,
    h('span', { id: 'who-name' }, `${person.display_name}（${roleNames[person.role] ?? person.role}，${scopeName(person.scope)}）`),
    h('button', { id: 'signout', onclick: async () => { await signOut(); location.hash = ''; signInForm('已退出登录'); } }, '退出'));
}

async function route() {
  const person = account();
  if (!person) return signInForm();
  // the places' names before anything shows a code
  await grids().catch(() => null);
  header(person);
  const mine = pagesFor(person.role);
  const wanted = location.hash.replace(/^#\//, '').split('?')[0] || mine[0]?.id;
  show(menu, mine.map((p) => h('a', { href: `#/${p.id}`, 'aria-current': p.id === wanted ? 'page' : undefined, 'data-page': p.id }, p.label)));
  const target = pages.find((p) => p.id === wanted);
  if (!target || !target.roles.includes(person.role)) {
    show(page, h('section', { class: 'refused', id: 'refused' }, h('h2', {}, '无权访问'), h('p', {}, '此页面不属于您的岗位。请从左侧菜单选择。')));
    return;
  }
  show(page, h('p', { class: 'quiet' }, '正在加载…'));
  try {
    const module = await target.load();
    await module.render(page, person);
  } catch (failure) {
    show(page, h('p', { class: 'error', role: 'alert' }, failure instanceof ProblemError && failure.status === 403 ? '无权访问' : `加载失败：${failure.message}`));
  }
}

window.addEventListener('hashchange', route);
(async () => {
  await resume();
  route();
})();
