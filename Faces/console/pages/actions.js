// 督办事项: a street's action items and rectification orders, the overdue first, each with its
// history; the owner agency reports an item done with evidence, the target answers an order, the
// street verifies, reopens or rejects with a reason. Community staff see the orders to their community.
import { api } from '/shared/session.js';
import { formatDateTime, formatDay, actionItemStates, rectificationStates, findingStates } from '/shared/zh.js';
import { h, show } from '/shared/dom.js';
import { field, actionForm } from '/shared/forms.js';
import { streetOf, routeQuery } from '../street.js';

const changeNames = {
  done: '报告办结', verify: '核销', reopen: '退回重办', move_deadline: '调整期限', overdue: '逾期', issue: '下发', respond: '回复', reject: '退回',
  escalate: '逾期升级',
};

export async function render(page, person) {
  const query = routeQuery();
  if (query.get('id')) return actionItem(page, person, query.get('id'));
  if (query.get('order')) return order(page, person, query.get('order'));
  const street = person.role === 'community_staff'
    ? { code: (await api('patrold', '/v1/grids', { accept: 'application/geo+json' })).features[0]?.properties.street_code, picker: null }
    : streetOf(person, 'actions');
  const committee = person.role === 'community_staff' ? null : await api('meetingd', `/v1/streets/${street.code}/committee`);
  const names = Object.fromEntries((committee?.agencies ?? []).map((a) => [a.agency_code, a.name]));
  const items = committee ? await api('meetingd', `/v1/streets/${street.code}/action-items`) : [];
  const orders = await api('meetingd', `/v1/streets/${street.code}/rectifications`);
  const overdue = (late) => (late ? h('span', { class: 'badge overdue' }, '已逾期') : null);
  show(page,
    h('h2', {}, '督办事项'),
    street.picker ? h('div', { class: 'filters' }, street.picker) : null,
    committee ? [
      h('h3', {}, `会议督办事项（${items.filter((i) => i.overdue).length} 项逾期）`),
      h('table', { id: 'action-items' }, h('thead', {}, h('tr', {}, ['事项', '责任单位', '期限', '状态'].map((t) => h('th', {}, t)))),
        h('tbody', {}, items.length ? items.map((i) => h('tr', { 'data-id': i.id.toLowerCase() },
          h('td', {}, h('a', { href: `#/actions?id=${i.id.toLowerCase()}` }, i.title)), h('td', {}, names[i.owner_agency] ?? i.owner_agency),
          h('td', {}, formatDay(i.deadline), ' ', overdue(i.overdue)), h('td', { class: 'state' }, h('span', { class: 'badge' }, actionItemStates[i.state] ?? i.state))))
        : h('tr', {}, h('td', { colspan: 4, class: 'quiet' }, '没有督办事项')))),
    ] : null,
    h('h3', {}, `限期整改通知（${orders.filter((o) => o.escalated && o.state !== 'verified').length} 件逾期未整改）`),
    h('table', { id: 'rectifications' }, h('thead', {}, h('tr', {}, ['通知', '整改对象', '期限', '状态'].map((t) => h('th', {}, t)))),
      h('tbody', {}, orders.length ? orders.map((o) => h('tr', { 'data-id': o.id.toLowerCase() },
        h('td', {}, h('a', { href: `#/actions?order=${o.id.toLowerCase()}` }, o.notice)), h('td', {}, names[o.target_code] ?? o.target_code),
        h('td', {}, formatDay(o.deadline), ' ', overdue(o.escalated && o.state !== 'verified')),
        h('td', { class: 'state' }, h('span', { class: 'badge' }, rectificationStates[o.state] ?? o.state))))
      : h('tr', {}, h('td', { colspan: 4, class: 'quiet' }, '没有整改通知')))));
}

function history(entries) {
  return h('ol', { class: 'history', id: 'history' }, entries.map((c) => h('li', {},
    h('span', { class: 'quiet' }, `${formatDateTime(c.at)} · ${c.actor} · `), changeNames[c.change] ?? c.change, c.detail ? `：${c.detail}` : '')));
}

async function actionItem(page, person, id) {
  const item = await api('meetingd', `/v1/action-items/${id}`);
  const committee = await api('meetingd', `/v1/streets/${item.street_code}/committee`);
  const names = Object.fromEntries(committee.agencies.map((a) => [a.agency_code, a.name]));
  const refresh = () => actionItem(page, person, id);
  const step = (body) => api('meetingd', `/v1/action-items/${id}/changes`, { method: 'POST', body }).then(refresh);
  const isOwner = person.role === 'agency_head' && person.agency === item.owner_agency;
  const arranging = person.role === 'street_officer' || person.role === 'command_centre';
  const open = item.state === 'open' || item.state === 'reopened';
  const parts = [
    h('p', {}, h('a', { href: '#/actions' }, '← 督办事项')),
    h('h2', {}, item.title),
    h('p', {}, `责任单位：${names[item.owner_agency] ?? item.owner_agency} · 期限：${formatDay(item.deadline)} · `,
      h('span', { class: 'badge', id: 'item-state' }, actionItemStates[item.state] ?? item.state), ' ',
      item.overdue ? h('span', { class: 'badge overdue' }, '已逾期') : null,
      ' ', h('a', { href: `#/meetings?id=${item.meeting_id.toLowerCase()}` }, '所属会议')),
    item.evidence ? h('p', {}, `办结情况：${item.evidence}`) : null,
    item.linked_findings.length ? [h('h3', {}, '关联问题'), h('ul', {}, item.linked_findings.map((f) => h('li', {},
      `${f.finding_id.toLowerCase().slice(0, 8)} · ${findingStates[f.state] ?? { pending: '待派遣', refused: '未能派遣' }[f.state] ?? f.state}`)))] : null,
    h('h3', {}, '办理过程'), item.history.length ? history(item.history) : h('p', { class: 'quiet' }, '尚无变动'),
  ];
  if (isOwner && open) {
    const evidence = h('textarea', { id: 'evidence', required: true, maxlength: 2000, rows: 3 });
    parts.push(actionForm({ id: 'done', title: '报告办结', submit: '报告办结', fields: field('办结情况（必填）', evidence),
      onSubmit: () => step({ change: 'done', evidence: evidence.value.trim() }) }));
  }
  if (arranging && item.state === 'done') {
    const reason = h('input', { id: 'reopen-reason', maxlength: 1000 });
    parts.push(actionForm({ id: 'verify', title: '核销', submit: '核销', fields: [], onSubmit: () => step({ change: 'verify' }) }));
    parts.push(actionForm({ id: 'reopen', title: '退回重办', submit: '退回', fields: field('理由（必填）', reason),
      onSubmit: () => step({ change: 'reopen', reason: reason.value.trim() }) }));
  }
  if (arranging && open) {
    const deadline = h('input', { id: 'new-deadline', type: 'date', required: true });
    const reason = h('input', { id: 'move-reason', required: true, maxlength: 1000 });
    parts.push(actionForm({ id: 'move', title: '调整期限', submit: '调整', fields: h('div', { class: 'row' }, field('新期限', deadline), field('理由', reason)),
      onSubmit: () => step({ change: 'move_deadline', deadline: deadline.value, reason: reason.value.trim() }) }));
  }
  show(page, parts);
}

async function order(page, person, id) {
  const o = await api('meetingd', `/v1/rectifications/${id}`);
  const refresh = () => order(page, person, id);
  const change = (body) => api('meetingd', `/v1/rectifications/${id}/changes`, { method: 'POST', body }).then(refresh);
  const isTarget = (o.target_kind === 'agency' && person.role === 'agency_head' && person.agency === o.target_code)
    || (o.target_kind === 'community' && person.role === 'community_staff' && person.scope === `community:${o.target_code}`);
  const arranging = person.role === 'street_officer' || person.role === 'command_centre';
  const parts = [
    h('p', {}, h('a', { href: '#/actions' }, '← 督办事项')),
    h('h2', {}, `限期整改：${o.notice}`),
    h('p', {}, `期限：${formatDay(o.deadline)} · `, h('span', { class: 'badge', id: 'order-state' }, rectificationStates[o.state] ?? o.state),
      o.escalated && o.state !== 'verified' ? h('span', { class: 'badge overdue' }, '逾期已升级') : null),
    o.response ? h('p', {}, `整改回复：${o.response}`) : null,
    h('h3', {}, '办理过程'), history(o.history),
  ];
  if (isTarget && o.state === 'issued') {
    const text = h('textarea', { id: 'response', required: true, maxlength: 2000, rows: 3 });
    parts.push(actionForm({ id: 'respond', title: '整改回复', submit: '提交回复', fields: field('整改情况', text),
      onSubmit: () => change({ change: 'respond', text: text.value.trim() }) }));
  }
  if (arranging && o.state === 'responded') {
    const reason = h('input', { id: 'reject-reason', maxlength: 2000 });
    parts.push(actionForm({ id: 'verify-order', title: '核销', submit: '核销', fields: [], onSubmit: () => change({ change: 'verify' }) }));
    parts.push(actionForm({ id: 'reject', title: '退回', submit: '退回重改', fields: field('理由（必填）', reason),
      onSubmit: () => change({ change: 'reject', text: reason.value.trim() }) }));
  }
  show(page, parts);
}
