// 矫正安置帮教, for caseworkers: the due list and alerts across one's caseload, and a case page that
// works on the pseudonymous case ref — the person's identity appears only on an explicit 显示, and
// that read (like the contacts log's) is audited by reentryd; logging a contact clears what it meets.
import { api } from '/shared/session.js';
import { formatDateTime, formatDay, reentry } from '/shared/zh.js';
import { h, show } from '/shared/dom.js';
import { field, actionForm } from '/shared/forms.js';
import { placeName } from '/shared/places.js';
import { routeQuery } from '../street.js';

const word = (table, code) => table[code] ?? code;

export async function render(page, person) {
  const id = routeQuery().get('case');
  if (id) return casePage(page, person, id);
  const [due, alerts, cases] = await Promise.all([api('reentryd', '/v1/due'), api('reentryd', '/v1/alerts'), api('reentryd', '/v1/cases?limit=200')]);
  const caseLink = (caseId, ref) => h('a', { href: `#/reentry?case=${caseId.toLowerCase()}` }, ref);
  const acknowledge = async (alert) => { await api('reentryd', `/v1/alerts/${alert.id}/acknowledge`, { method: 'POST' }); await render(page, person); };
  show(page,
    h('h2', {}, '矫正安置帮教'),
    h('h3', {}, `提醒（${alerts.length}）`),
    alerts.length ? h('ul', { class: 'alerts', id: 'alerts' }, alerts.map((a) => h('li', {},
      h('span', { class: `badge ${a.kind === 'reassessment_due' ? '' : 'overdue'}` }, word(reentry.alerts, a.kind)), ' ', caseLink(a.case_id, a.case_ref),
      a.contact_type ? ` · ${word(reentry.contactTypes, a.contact_type)}` : '', a.due_on ? ` · 应于 ${formatDay(a.due_on)}` : '',
      h('span', { class: 'quiet' }, ` · ${formatDateTime(a.created_at)} `),
      h('button', { class: 'small', onclick: () => acknowledge(a) }, '知道了'))))
      : h('p', { class: 'quiet', id: 'alerts' }, '没有未读提醒'),
    h('h3', {}, `待办联系（${due.filter((d) => d.state === 'overdue').length} 项逾期）`),
    h('table', { id: 'due' }, h('thead', {}, h('tr', {}, ['案件', '社区', '联系方式', '应完成', '进度', '状态'].map((t) => h('th', {}, t)))),
      h('tbody', {}, due.length ? due.map((d) => h('tr', { 'data-case': d.case_id.toLowerCase() },
        h('td', {}, caseLink(d.case_id, d.case_ref)), h('td', {}, placeName('community', d.community_code)),
        h('td', {}, `${word(reentry.contactTypes, d.contact_type)}（${word(reentry.rules, d.rule)}）`),
        h('td', {}, `${formatDay(d.window_start)} 至 ${formatDay(d.due_on)}`), h('td', {}, `${d.done} / ${d.required}`),
        h('td', { class: 'state' }, h('span', { class: `badge ${d.state === 'overdue' ? 'overdue' : ''}` }, word(reentry.obligationStates, d.state)))))
      : h('tr', {}, h('td', { colspan: 6, class: 'quiet' }, '没有待办联系')))),
    h('h3', {}, `我的案件（${cases.items.length}）`),
    h('table', { id: 'cases' }, h('thead', {}, h('tr', {}, ['案件', '类别', '等级', '社区', '期限', '逾期联系'].map((t) => h('th', {}, t)))),
      h('tbody', {}, cases.items.map((c) => h('tr', {},
        h('td', {}, caseLink(c.id, c.case_ref)), h('td', {}, word(reentry.kinds, c.kind)), h('td', {}, word(reentry.levels, c.level)),
        h('td', {}, placeName('community', c.community_code)), h('td', {}, `${formatDay(c.starts_on)} 至 ${formatDay(c.ends_on)}`),
        h('td', {}, c.overdue_contacts ? h('span', { class: 'badge overdue' }, String(c.overdue_contacts)) : '0'))))));
}

async function casePage(page, person, id) {
  const [cases, obligations] = await Promise.all([api('reentryd', '/v1/cases?limit=200'), api('reentryd', `/v1/cases/${id}/obligations`)]);
  const c = cases.items.find((item) => item.id.toLowerCase() === id);
  if (!c) return show(page, h('p', { class: 'error', role: 'alert' }, '不是您负责的案件'));
  const identity = h('div', { id: 'identity' }, h('button', { id: 'show-identity', onclick: async () => {
    const detail = await api('reentryd', `/v1/cases/${id}`);
    const p = detail.person;
    show(identity, h('dl', { class: 'facts' },
      [['姓名', p.name], ['身份证号', p.national_id], ['性别', p.gender], ['出生日期', p.date_of_birth && formatDay(p.date_of_birth)], ['住址', p.address], ['电话', p.phone],
        ['紧急联系人', p.emergency_contact]].filter(([, v]) => v).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('p', { class: 'quiet' }, '本次查看已记入审计日志'));
  } }, '显示身份信息'), h('span', { class: 'quiet' }, ' 查看将记入审计日志'));
  const log = h('div', { id: 'contacts' }, h('button', { id: 'show-contacts', onclick: async () => {
    const contacts = await api('reentryd', `/v1/cases/${id}/contacts`);
    show(log, contacts.length ? h('table', {}, h('thead', {}, h('tr', {}, ['时间', '联系方式', '方式', '地点', '结果', '记录人'].map((t) => h('th', {}, t)))),
      h('tbody', {}, contacts.map((x) => h('tr', {}, h('td', {}, formatDateTime(x.occurred_at)), h('td', {}, word(reentry.contactTypes, x.contact_type)),
        h('td', {}, word(reentry.methods, x.method)), h('td', {}, word(reentry.locations, x.location)), h('td', {}, word(reentry.outcomes, x.outcome)),
        h('td', {}, x.recorded_by)))))
      : h('p', { class: 'quiet' }, '尚无联系记录'));
  } }, '查看联系记录'), h('span', { class: 'quiet' }, ' 查看将记入审计日志'));
  // the overdue first, then the latest windows
  const recent = obligations.filter((o) => o.state !== 'superseded')
    .sort((a, b) => (b.state === 'overdue') - (a.state === 'overdue') || b.window_start.localeCompare(a.window_start)).slice(0, 12);
  show(page,
    h('p', {}, h('a', { href: '#/reentry' }, '← 矫正安置帮教')),
    h('h2', {}, `案件 ${c.case_ref}`),
    h('p', {}, `${word(reentry.kinds, c.kind)} · ${word(reentry.levels, c.level)} · ${placeName('community', c.community_code)}`,
      c.residence_grid ? ` · ${placeName('grid', c.residence_grid)} 网格` : '', ` · ${formatDay(c.starts_on)} 至 ${formatDay(c.ends_on)}`,
      ` · 等级复核期限 ${formatDay(c.reassess_by)}`),
    h('p', { class: 'quiet' }, `社区工作人员 ${c.community_worker} · 民警 ${c.police_officer} · 负责人 ${c.supervisor}`),
    h('h3', {}, '身份信息'), identity,
    h('h3', {}, '联系要求'),
    h('table', { id: 'obligations' }, h('thead', {}, h('tr', {}, ['联系方式', '期间', '进度', '状态'].map((t) => h('th', {}, t)))),
      h('tbody', {}, recent.map((o) => h('tr', {},
        h('td', {}, `${word(reentry.contactTypes, o.contact_type)}（${word(reentry.rules, o.rule)}）`),
        h('td', {}, `${formatDay(o.window_start)} 至 ${formatDay(o.due_on)}`), h('td', {}, `${o.contacts?.length ?? 0} / ${o.required}`),
        h('td', { class: 'state' }, h('span', { class: `badge ${o.state === 'overdue' ? 'overdue' : o.state === 'met' ? 'ok' : ''}` }, word(reentry.obligationStates, o.state))))))),
    c.state === 'open' ? contactForm(id, () => casePage(page, person, id)) : null,
    h('h3', {}, '联系记录'), log);
}

function contactForm(id, refresh) {
  const select = (name, table) => h('select', { id: `contact-${name}` }, Object.entries(table).map(([code, label]) => h('option', { value: code }, label)));
  const type = select('type', reentry.contactTypes);
  const method = select('method', reentry.methods);
  const location = select('location', reentry.locations);
  const outcome = select('outcome', reentry.outcomes);
  const when = h('input', { id: 'contact-when', type: 'datetime-local', required: true });
  const notes = h('textarea', { id: 'contact-notes', maxlength: 4000, rows: 2 });
  // the form's choices follow the contact type: a home visit is in person at the residence
  type.addEventListener('change', () => {
    if (type.value === 'home_visit') { method.value = 'in_person'; location.value = 'residence'; }
    if (type.value === 'phone') { method.value = 'phone'; location.value = 'remote'; }
  });
  return actionForm({
    id: 'contact', title: '登记一次联系', submit: '登记',
    fields: [h('div', { class: 'row' }, field('联系方式', type), field('方式', method), field('地点', location), field('结果', outcome), field('时间（北京时间）', when)),
      field('备注（加密保存）', notes)],
    onSubmit: async () => {
      await api('reentryd', `/v1/cases/${id}/contacts`, {
        method: 'POST',
        body: { id: crypto.randomUUID(), contact_type: type.value, method: method.value, location: location.value, outcome: outcome.value,
          occurred_at: `${when.value}:00+08:00`, notes: notes.value.trim() || undefined },
      });
      await refresh();
    },
  });
}
