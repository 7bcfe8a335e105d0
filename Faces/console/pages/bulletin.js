// 一周一通报: the newest weekly bulletin of the street (or the district): overdue action items and
// rectification orders by owner, each agency's on-time rate, the week's hotspots and meetings held;
// street officers and the command centre publish one on demand.
import { api, ProblemError } from '/shared/session.js';
import { formatDateTime, formatDay } from '/shared/zh.js';
import { h, show } from '/shared/dom.js';
import { actionForm } from '/shared/forms.js';
import { streetOf } from '../street.js';

export async function render(page, person) {
  const street = person.role === 'discipline_inspector' ? { code: null, picker: null } : streetOf(person, 'bulletin');
  const scope = street.code ? `street:${street.code}` : 'district';
  let bulletin = null;
  try {
    bulletin = await api('meetingd', `/v1/bulletins/latest?${new URLSearchParams({ scope })}`);
  } catch (failure) {
    if (!(failure instanceof ProblemError && failure.status === 404)) throw failure;
  }
  const publish = person.role === 'street_officer' || person.role === 'command_centre'
    ? actionForm({ id: 'publish', submit: '生成并发布本周通报', fields: [],
      onSubmit: async () => { await api('meetingd', '/v1/bulletins', { method: 'POST', body: { scope } }); await render(page, person); } })
    : null;
  const table = (id, heads, rows, empty) => (rows.length
    ? h('table', { id }, h('thead', {}, h('tr', {}, heads.map((t) => h('th', {}, t)))), h('tbody', {}, rows))
    : h('p', { class: 'quiet', id }, empty));
  show(page,
    h('h2', {}, '一周一通报'),
    street.picker ? h('div', { class: 'filters' }, street.picker) : null,
    bulletin ? h('article', { id: 'bulletin' },
      h('p', { class: 'quiet' }, `${formatDay(bulletin.week_start)} 至 ${formatDay(bulletin.week_end)} · 本周召开会议 ${bulletin.meetings_held} 次 · 生成于 ${formatDateTime(bulletin.generated_at)}`),
      h('h3', {}, '逾期督办事项'),
      table('bulletin-items', ['事项', '责任单位', '期限'], bulletin.overdue_action_items.map((i) => h('tr', {},
        h('td', {}, i.title), h('td', {}, i.owner_agency_name ?? i.owner_agency), h('td', {}, formatDay(i.deadline)))), '无'),
      h('h3', {}, '逾期未整改'),
      table('bulletin-orders', ['通知', '整改对象', '期限'], bulletin.overdue_rectifications.map((o) => h('tr', {},
        h('td', {}, o.notice), h('td', {}, o.target_name ?? o.target_code), h('td', {}, formatDay(o.deadline)))), '无'),
      h('h3', {}, '按期办结率'),
      table('bulletin-on-time', ['单位', '本周到期', '按期办结', '按期率'], bulletin.on_time.map((a) => h('tr', {},
        h('td', {}, a.agency_name ?? a.agency_code), h('td', {}, String(a.due)), h('td', {}, String(a.on_time)),
        h('td', {}, a.on_time_rate === null || a.on_time_rate === undefined ? '—' : `${Math.round(a.on_time_rate * 100)}%`))), '本周没有到期事项'),
      h('h3', {}, '本周新热点'),
      table('bulletin-hotspots', ['热点', '发现时间'], bulletin.new_hotspots.map((s) => h('tr', {},
        h('td', {}, s.title), h('td', {}, formatDateTime(s.raised_at)))), '无'))
      : h('p', { class: 'quiet', id: 'bulletin' }, '尚未发布通报'),
    publish);
}
