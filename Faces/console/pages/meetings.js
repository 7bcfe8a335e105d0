// 五长会议: the street's calendar, and one meeting's room — its self-built agenda (members add
// items before it starts), the start with attendance and quorum, outcomes (information, decisions,
// action items with owners, deadlines and linked findings) and the close. Street officers and the
// command centre run meetings; agency heads read them and add agenda items.
import { api } from '/shared/session.js';
import { formatDateTime, formatDay, meetingStates, agendaKinds, outcomeKinds } from '/shared/zh.js';
import { h, show } from '/shared/dom.js';
import { field, actionForm } from '/shared/forms.js';
import { streetOf, routeQuery, go } from '../street.js';

const day = 86_400_000;

/** Beijing wall time from a datetime-local input, as RFC 3339. */
function beijing(local) { return `${local}:00+08:00`; }

export async function render(page, person) {
  const id = routeQuery().get('id');
  if (id) return room(page, person, id);
  const street = streetOf(person, 'meetings');
  const arranging = person.role !== 'agency_head';
  const from = new Date(Date.now() - 28 * day).toISOString();
  const to = new Date(Date.now() + 56 * day).toISOString();
  const meetings = await api('meetingd', `/v1/streets/${street.code}/meetings?${new URLSearchParams({ from, to })}`);
  const rows = meetings.map((m) => h('tr', { 'data-id': m.id.toLowerCase() },
    h('td', {}, formatDateTime(m.starts_at)), h('td', {}, h('a', { href: `#/meetings?id=${m.id.toLowerCase()}` }, m.title)),
    h('td', {}, m.location ?? '—'), h('td', { class: 'state' }, h('span', { class: `badge ${m.state}` }, meetingStates[m.state] ?? m.state))));
  show(page,
    h('h2', {}, '五长会议'),
    street.picker ? h('div', { class: 'filters' }, street.picker) : null,
    h('table', { id: 'meetings' }, h('thead', {}, h('tr', {}, ['时间', '会议', '地点', '状态'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 4, class: 'quiet' }, '近期没有会议')))),
    arranging ? scheduleForm(street.code) : null);
}

function scheduleForm(street) {
  const title = h('input', { id: 'new-title', required: true, maxlength: 200, value: '五长碰头会' });
  const start = h('input', { id: 'new-start', type: 'datetime-local', required: true });
  const minutes = h('input', { id: 'new-minutes', type: 'number', min: 15, max: 480, value: 90, required: true });
  const location = h('input', { id: 'new-location', maxlength: 200, placeholder: '例如 街道办三楼会议室' });
  return actionForm({
    id: 'schedule', title: '安排一次会议', submit: '安排',
    fields: h('div', { class: 'row' }, field('名称', title), field('开始时间（北京时间）', start), field('时长（分钟）', minutes), field('地点', location)),
    onSubmit: async () => {
      const meeting = crypto.randomUUID();
      await api('meetingd', `/v1/streets/${street}/meetings`, {
        method: 'POST',
        body: { id: meeting, title: title.value.trim(), starts_at: beijing(start.value), duration_minutes: Number(minutes.value), location: location.value.trim() || undefined },
      });
      go('meetings', { id: meeting });
    },
  });
}

async function room(page, person, id) {
  const minutes = await api('meetingd', `/v1/meetings/${id}`);
  const committee = await api('meetingd', `/v1/streets/${minutes.meeting.street_code}/committee`);
  const names = Object.fromEntries(committee.agencies.map((a) => [a.agency_code, a.name]));
  const meeting = minutes.meeting;
  const arranging = person.role !== 'agency_head';
  const refresh = () => room(page, person, id);
  const agenda = h('ol', { class: 'agenda', id: 'agenda' }, minutes.agenda.map((item) => h('li', { 'data-kind': item.kind },
    h('span', { class: 'badge' }, agendaKinds[item.kind] ?? item.kind), ' ', item.title,
    h('span', { class: 'quiet' }, ` · 紧急程度 ${item.severity}${item.added_by ? ` · ${item.added_by} 提出` : ''}`))));
  const parts = [
    h('p', {}, h('a', { href: `#/meetings${person.scope === 'district' ? `?street=${meeting.street_code}` : ''}` }, '← 会议日程')),
    h('h2', {}, `${meeting.title}`),
    h('p', { class: 'quiet' }, `${committee.street_name} · ${formatDateTime(meeting.starts_at)} · ${meeting.location ?? '地点待定'} · `,
      h('span', { class: 'badge', id: 'meeting-state' }, meetingStates[meeting.state] ?? meeting.state)),
    h('h3', {}, minutes.agenda_frozen ? '议程（已冻结）' : '议程（开会前自动生成，成员可添加）'),
    minutes.agenda.length ? agenda : h('p', { class: 'quiet' }, '暂无议题'),
  ];
  if (meeting.state === 'scheduled') {
    const title = h('input', { id: 'item-title', required: true, maxlength: 300 });
    const severity = h('select', { id: 'item-severity' }, [1, 2, 3, 4, 5].map((n) => h('option', { value: n, selected: n === 2 }, String(n))));
    parts.push(actionForm({
      id: 'propose', title: '添加议题', submit: '添加', fields: h('div', { class: 'row' }, field('议题', title), field('紧急程度（1–5）', severity)),
      onSubmit: async () => {
        await api('meetingd', `/v1/meetings/${id}/agenda-items`, { method: 'POST', body: { title: title.value.trim(), severity: Number(severity.value) } });
        await refresh();
      },
    }));
    if (arranging) parts.push(startForm(id, committee, refresh));
  } else {
    const present = new Set(minutes.present ?? []);
    parts.push(h('h3', {}, '出席'), h('p', { id: 'attendance' },
      `到会 ${present.size} 个部门（法定人数 ${minutes.quorum}）：${[...present].map((c) => names[c] ?? c).join('、') || '—'}`,
      minutes.absent?.length ? `；缺席：${minutes.absent.map((c) => names[c] ?? c).join('、')}` : ''));
    parts.push(h('h3', {}, '会议成果'), outcomesTable(minutes.outcomes, names));
    if (meeting.state === 'in_progress' && arranging) {
      parts.push(outcomeForm(id, minutes, committee, refresh));
      parts.push(h('div', { class: 'actions' }, h('button', {
        id: 'close-meeting', class: 'primary',
        onclick: async () => { await api('meetingd', `/v1/meetings/${id}/close`, { method: 'POST' }); await refresh(); },
      }, '结束会议，冻结纪要')));
    }
  }
  show(page, parts);
}

function startForm(id, committee, refresh) {
  const count = h('span', { id: 'present-count' });
  const boxes = committee.agencies.map((a) => h('input', { type: 'checkbox', id: `present-${a.kind}`, value: a.agency_code, checked: true }));
  const update = () => {
    const n = boxes.filter((b) => b.checked).length;
    count.textContent = `到会 ${n} / 法定人数 ${committee.quorum}${n < committee.quorum ? '：不足法定人数，只能通报，不能作出决定' : ''}`;
  };
  boxes.forEach((b) => b.addEventListener('change', update));
  update();
  return actionForm({
    id: 'start', title: '开始会议：点名', submit: '开始会议（议程冻结）',
    fields: [h('ul', { class: 'checks' }, committee.agencies.map((a, i) => h('li', {}, h('label', { for: boxes[i].id }, boxes[i],
      ` ${a.name}`, h('span', { class: 'quiet' }, a.head ? `（${a.head.display_name}）` : '（未任命）'))))), h('p', {}, count)],
    onSubmit: async () => {
      await api('meetingd', `/v1/meetings/${id}/start`, { method: 'POST', body: { present: boxes.filter((b) => b.checked).map((b) => b.value) } });
      await refresh();
    },
  });
}

function outcomesTable(outcomes, names) {
  if (!outcomes.length) return h('p', { class: 'quiet', id: 'outcomes' }, '尚无记录');
  return h('table', { id: 'outcomes' }, h('thead', {}, h('tr', {}, ['类别', '内容', '责任单位', '期限'].map((t) => h('th', {}, t)))),
    h('tbody', {}, outcomes.map((o) => h('tr', {},
      h('td', {}, outcomeKinds[o.kind] ?? o.kind),
      h('td', {}, o.kind === 'action_item' ? h('a', { href: `#/actions?id=${o.id.toLowerCase()}` }, o.text) : o.text,
        o.finding_ids?.length ? h('span', { class: 'quiet' }, `（关联问题 ${o.finding_ids.length} 件）`) : null),
      h('td', {}, o.owner_agency ? names[o.owner_agency] ?? o.owner_agency : '—'), h('td', {}, formatDay(o.deadline))))));
}

function outcomeForm(id, minutes, committee, refresh) {
  const quorate = (minutes.present ?? []).length >= minutes.quorum;
  const kind = h('select', { id: 'outcome-kind' }, Object.entries(outcomeKinds).map(([code, name]) =>
    h('option', { value: code, disabled: code !== 'information' && !quorate }, name)));
  const text = h('input', { id: 'outcome-text', required: true, maxlength: 2000 });
  const item = h('select', { id: 'outcome-agenda' }, h('option', { value: '' }, '（不对应议题）'),
    minutes.agenda.map((a) => h('option', { value: a.position }, `${a.position}. ${a.title}`)));
  const owner = h('select', { id: 'outcome-owner' }, committee.agencies.map((a) => h('option', { value: a.agency_code }, a.name)));
  const deadline = h('input', { id: 'outcome-deadline', type: 'date' });
  const findings = h('input', { id: 'outcome-findings', placeholder: '问题编号，多个用逗号分隔（可选）' });
  const actionFields = h('div', { class: 'row', id: 'action-fields', hidden: true },
    field('责任单位', owner), field('办理期限', deadline), field('关联问题', findings));
  kind.addEventListener('change', () => { actionFields.hidden = kind.value !== 'action_item'; });
  return actionForm({
    id: 'outcome', title: quorate ? '记录会议成果' : '记录会议成果（不足法定人数：只能记录通报事项）', submit: '记录',
    fields: [h('div', { class: 'row' }, field('类别', kind), field('对应议题', item)), field('内容', text), actionFields],
    onSubmit: async () => {
      const body = { id: crypto.randomUUID(), kind: kind.value, text: text.value.trim() };
      if (item.value) body.agenda_position = Number(item.value);
      if (kind.value === 'action_item') {
        Object.assign(body, { owner_agency: owner.value, deadline: deadline.value });
        const ids = findings.value.split(/[,，\s]+/).filter(Boolean);
        if (ids.length) body.finding_ids = ids;
      }
      await api('meetingd', `/v1/meetings/${id}/outcomes`, { method: 'POST', body });
      await refresh();
    },
  });
}
