// 我的账户: who I am signed in as and my live sessions (authd's /v1/me).
import { api } from '/shared/session.js';
import { roleNames, formatDateTime } from '/shared/zh.js';
import { scopeName } from '/shared/places.js';
import { h, show } from '/shared/dom.js';

const clients = { browser: '浏览器', app: '手机应用' };

export async function render(page) {
  const me = await api('authd', '/v1/me');
  const a = me.account;
  show(page,
    h('h2', {}, '我的账户'),
    h('dl', { class: 'card' },
      h('dt', {}, '姓名'), h('dd', {}, a.display_name ?? a.subject),
      h('dt', {}, '账号'), h('dd', {}, a.subject),
      h('dt', {}, '岗位'), h('dd', {}, roleNames[a.role] ?? a.role),
      h('dt', {}, '范围'), h('dd', {}, scopeName(a.scope))),
    h('h3', {}, '当前登录'),
    h('table', { id: 'sessions' },
      h('thead', {}, h('tr', {}, ['终端', '登录时间', '最近使用', '到期'].map((t) => h('th', {}, t)))),
      h('tbody', {}, me.sessions.map((s) => h('tr', {},
        h('td', {}, clients[s.client] ?? s.client), h('td', {}, formatDateTime(s.created_at)), h('td', {}, formatDateTime(s.last_used_at)),
        h('td', {}, formatDateTime(s.expires_at)))))));
}
