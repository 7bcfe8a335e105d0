// 帮教概况, for the command centre and inspectors: counts per community within the scope — open cases
// by kind and level, overdue and escalated contacts — never a case, a ref or a name.
import { api } from '/shared/session.js';
import { h, show } from '/shared/dom.js';
import { placeName } from '/shared/places.js';

export async function render(page) {
  const rows = await api('reentryd', '/v1/caseload/summary');
  const total = (key) => rows.reduce((sum, r) => sum + r[key], 0);
  const columns = ['open_cases', 'community_correction', 'post_release', 'strict', 'overdue_contacts', 'escalated_contacts'];
  const cell = (r, key) => h('td', { class: 'number' }, r[key] && key.endsWith('contacts') ? h('span', { class: 'badge overdue' }, String(r[key])) : String(r[key]));
  show(page,
    h('h2', {}, '帮教概况'),
    h('p', { class: 'quiet' }, '按社区统计的在册人数与联系情况；此处不显示任何个人或案件。'),
    h('table', { id: 'reentry-counts' },
      h('thead', {}, h('tr', {}, ['街道', '社区', '在册', '社区矫正', '刑满释放', '严管', '联系逾期', '逾期已上报'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.length ? rows.map((r) => h('tr', {}, h('td', {}, placeName('street', r.street_code)), h('td', {}, placeName('community', r.community_code)),
        columns.map((key) => cell(r, key)))) : h('tr', {}, h('td', { colspan: 8, class: 'quiet' }, '没有在册人员'))),
      rows.length ? h('tfoot', {}, h('tr', {}, h('th', { colspan: 2 }, '合计'), columns.map((key) => h('th', { class: 'number' }, String(total(key)))))) : null));
}
