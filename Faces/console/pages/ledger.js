// 问题台账: the findings within the person's scope, newest first, filtered by state, category and
// time; keyset pages ("更多") and the same filter as a CSV download.
import { api } from '/shared/session.js';
import { findingStates, formatDateTime } from '/shared/zh.js';
import { h, show } from '/shared/dom.js';
import { placeName } from '/shared/places.js';

export async function render(page) {
  const categories = await api('patrold', '/v1/categories');
  const categoryNames = Object.fromEntries(categories.map((c) => [c.code, c.name]));
  const state = h('select', { id: 'filter-state' }, h('option', { value: '' }, '全部'),
    Object.entries(findingStates).map(([code, name]) => h('option', { value: code }, name)));
  const category = h('select', { id: 'filter-category' }, h('option', { value: '' }, '全部'),
    categories.map((c) => h('option', { value: c.code }, c.name)));
  const from = h('input', { id: 'filter-from', type: 'date' });
  const to = h('input', { id: 'filter-to', type: 'date' });
  const body = h('tbody', { id: 'ledger-rows' });
  const more = h('button', { id: 'ledger-more', hidden: true }, '更多');
  const count = h('p', { class: 'quiet', id: 'ledger-count' });
  let cursor = null;
  let shown = 0;

  function query() {
    const q = new URLSearchParams();
    if (state.value) q.set('state', state.value);
    if (category.value) q.set('category', category.value);
    // a day is a Beijing day: from its 00:00 to the next day's 00:00, +08:00
    if (from.value) q.set('from', `${from.value}T00:00:00+08:00`);
    if (to.value) q.set('to', new Date(Date.parse(`${to.value}T00:00:00+08:00`) + 86_400_000).toISOString());
    return q;
  }

  function row(f) {
    const deadline = f.deadline_at ? [formatDateTime(f.deadline_at), f.overdue ? h('span', { class: 'badge overdue' }, '已超期') : null] : '—';
    return h('tr', { 'data-id': f.id },
      h('td', {}, formatDateTime(f.submitted_at)), h('td', {}, placeName('grid', f.grid_code)), h('td', {}, categoryNames[f.category] ?? f.category),
      h('td', {}, f.description), h('td', { class: 'state' }, h('span', { class: 'badge' }, findingStates[f.state] ?? f.state)),
      h('td', {}, f.agency_code ?? '—'), h('td', {}, deadline));
  }

  async function load(reset) {
    const q = query();
    q.set('limit', '50');
    if (!reset && cursor) q.set('cursor', cursor);
    const result = await api('patrold', `/v1/findings?${q}`);
    if (reset) { body.replaceChildren(); shown = 0; }
    body.append(...result.items.map(row));
    shown += result.items.length;
    cursor = result.next_cursor ?? null;
    more.hidden = !cursor;
    count.textContent = shown ? `已显示 ${shown} 条` : '没有符合条件的问题';
  }

  async function download() {
    const q = query();
    q.set('format', 'csv');
    const blob = await api('patrold', `/v1/findings?${q}`, { as: 'blob', accept: 'text/csv' });
    const link = h('a', { href: URL.createObjectURL(blob), download: '问题台账.csv' });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  for (const input of [state, category, from, to]) input.addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));
  show(page,
    h('h2', {}, '问题台账'),
    h('div', { class: 'filters' },
      h('div', {}, h('label', { for: 'filter-state' }, '状态'), state),
      h('div', {}, h('label', { for: 'filter-category' }, '类别'), category),
      h('div', {}, h('label', { for: 'filter-from' }, '上报日期自'), from),
      h('div', {}, h('label', { for: 'filter-to' }, '至'), to),
      h('div', {}, h('button', { id: 'ledger-csv', onclick: download }, '导出 CSV'))),
    h('table', {}, h('thead', {}, h('tr', {}, ['上报时间', '网格', '类别', '描述', '状态', '处置单位', '办理期限'].map((t) => h('th', {}, t)))), body),
    count,
    h('div', { class: 'actions' }, more));
  await load(true);
}
