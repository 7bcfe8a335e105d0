// 实时看板: new findings, findings past their deadline and hotspots in the person's scope, pushed by
// patrold as they commit (Server-Sent Events read with fetch), newest on top. When the stream ends
// (the token's ten minutes) or the network drops, it connects again with a fresh token.
import { api, stream } from '/shared/session.js';
import { formatDateTime } from '/shared/zh.js';
import { h, show } from '/shared/dom.js';
import { placeName } from '/shared/places.js';

const kinds = { 'finding.submitted': '新上报', 'finding.overdue': '超期督办', 'hotspot.detected': '热点' };

export async function render(page) {
  const categories = await api('patrold', '/v1/categories');
  const names = Object.fromEntries(categories.map((c) => [c.code, c.name]));
  const state = h('p', { id: 'live-state', class: 'quiet' }, '正在连接…');
  const list = h('ul', { id: 'live-events', class: 'live' });
  show(page, h('h2', {}, '实时看板'), state, list);
  const controller = new AbortController();
  // leaving the page ends the stream
  window.addEventListener('hashchange', () => controller.abort(), { once: true });

  function add({ event, data }) {
    const p = JSON.parse(data);
    const where = p.grid_code ? placeName('grid', p.grid_code) : p.level === 'community' ? placeName('community', p.area_code) : placeName('grid', p.area_code);
    const what = names[p.category] ?? p.category;
    const extra = event === 'hotspot.detected' ? `${p.finding_count} 件同类问题` : event === 'finding.overdue' ? `期限 ${formatDateTime(p.deadline_at)}` : '';
    list.prepend(h('li', { 'data-event': event },
      h('span', { class: `badge ${event === 'finding.submitted' ? '' : 'overdue'}` }, kinds[event] ?? event),
      h('strong', {}, what), h('span', {}, where), extra ? h('span', { class: 'quiet' }, extra) : null,
      h('time', { class: 'quiet' }, formatDateTime(p.observed_at ?? p.detected_at ?? new Date().toISOString()))));
    while (list.children.length > 200) list.lastChild.remove();
  }

  (async () => {
    while (!controller.signal.aborted) {
      try {
        state.textContent = '已连接：新事件将即时显示';
        await stream('patrold', '/v1/live', add, controller.signal);
      } catch (failure) {
        if (controller.signal.aborted) return;
        state.textContent = `连接中断，正在重连…（${failure.message}）`;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  })();
}
