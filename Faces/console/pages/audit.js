// 审计日志: each daemon's hash-chained audit log, for discipline inspectors and auditors; the
// chain can be recomputed on request.
import { api } from '/shared/session.js';
import { formatDateTime } from '/shared/zh.js';
import { h, show } from '/shared/dom.js';

const daemons = { patrold: '巡查（patrold）', meetingd: '五长会议（meetingd）', reentryd: '矫正安置（reentryd）', vettingd: '换届审查（vettingd）', authd: '登录（authd）' };

export async function render(page) {
  const daemon = h('select', { id: 'audit-daemon' }, Object.entries(daemons).map(([code, name]) => h('option', { value: code }, name)));
  const action = h('input', { id: 'audit-action', placeholder: '例如 finding.dispatch' });
  const body = h('tbody', { id: 'audit-rows' });
  const verdict = h('p', { id: 'audit-verdict', class: 'quiet' });

  async function load(verify) {
    const q = new URLSearchParams({ limit: '100' });
    if (action.value.trim()) q.set('action', action.value.trim());
    if (verify) q.set('verify', 'true');
    const result = await api(daemon.value, `/v1/audit?${q}`);
    body.replaceChildren(...result.entries.map((e) => h('tr', {},
      h('td', {}, String(e.seq)), h('td', {}, formatDateTime(e.at)), h('td', {}, e.actor), h('td', {}, e.action), h('td', {}, e.target ?? '—'))));
    if (verify && result.verified !== undefined) {
      verdict.textContent = result.verified ? '哈希链完整，未发现篡改' : `哈希链发现 ${result.breaks.length} 处断裂`;
    } else {
      verdict.textContent = result.entries.length ? '' : '没有记录';
    }
  }

  daemon.addEventListener('change', () => load(false));
  action.addEventListener('change', () => load(false));
  show(page,
    h('h2', {}, '审计日志'),
    h('div', { class: 'filters' },
      h('div', {}, h('label', { for: 'audit-daemon' }, '系统'), daemon),
      h('div', {}, h('label', { for: 'audit-action' }, '操作'), action),
      h('div', {}, h('button', { id: 'audit-verify', onclick: () => load(true) }, '校验哈希链'))),
    verdict,
    h('table', {}, h('thead', {}, h('tr', {}, ['序号', '时间', '操作人', '操作', '对象'].map((t) => h('th', {}, t)))), body));
  await load(false);
}
