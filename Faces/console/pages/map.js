// 网格地图: the grids of the person's scope (patrold's GeoJSON) shaded by their open findings, grids
// with a hotspot outlined, and the findings with a location as points, filtered by state and
// category. No tile layer is needed: the grids are the map. A district sets one with
// <meta name="gridmesh-tiles" content="https://…/{z}/{x}/{y}.png"> in console/index.html.
import { map as leafletMap, geoJSON, circleMarker, tileLayer } from '/vendor/leaflet/leaflet.esm.min.js';
import { api } from '/shared/session.js';
import { findingStates } from '/shared/zh.js';
import { h, show } from '/shared/dom.js';
import { grids, placeName } from '/shared/places.js';

const open = new Set(['submitted', 'triaged', 'dispatched', 'in_progress', 'reopened', 'resolved']);

function stylesheet() {
  if (document.querySelector('link[data-leaflet]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/vendor/leaflet/leaflet.css', 'data-leaflet': true }));
}

export async function render(page) {
  stylesheet();
  const [collection, categories, hotspots] = await Promise.all([
    grids(), api('patrold', '/v1/categories'), api('patrold', '/v1/hotspots?limit=200').catch(() => []),
  ]);
  const categoryNames = Object.fromEntries(categories.map((c) => [c.code, c.name]));
  const state = h('select', { id: 'map-state' }, h('option', { value: 'open' }, '未办结'), h('option', { value: '' }, '全部'),
    Object.entries(findingStates).map(([code, name]) => h('option', { value: code }, name)));
  const category = h('select', { id: 'map-category' }, h('option', { value: '' }, '全部'),
    categories.filter((c) => c.kind !== 'clue').map((c) => h('option', { value: c.code }, c.name)));
  const summary = h('p', { class: 'quiet', id: 'map-summary' });
  const container = h('div', { id: 'map', class: 'map', role: 'region', 'aria-label': '网格地图' });
  show(page,
    h('h2', {}, '网格地图'),
    h('div', { class: 'filters' },
      h('div', {}, h('label', { for: 'map-state' }, '状态'), state),
      h('div', {}, h('label', { for: 'map-category' }, '类别'), category)),
    summary, container);

  const map = leafletMap(container, { attributionControl: false, zoomSnap: 0.25 });
  const tiles = document.querySelector('meta[name="gridmesh-tiles"]')?.content;
  if (tiles) tileLayer(tiles, { maxZoom: 19 }).addTo(map);
  const hot = new Set(hotspots.filter((s) => s.level === 'grid').map((s) => s.area_code));
  let counts = new Map();
  const areas = geoJSON(collection, {
    style: (feature) => {
      const n = counts.get(feature.properties.code) ?? 0;
      return {
        color: hot.has(feature.properties.code) ? '#b3261e' : '#52606d', weight: hot.has(feature.properties.code) ? 3 : 1,
        fillColor: '#b3261e', fillOpacity: n ? Math.min(0.6, 0.12 + n * 0.12) : 0.03,
      };
    },
    onEachFeature: (feature, layer) => layer.bindTooltip(() => h('span', {},
      `${feature.properties.name}（${feature.properties.community_name}）：${counts.get(feature.properties.code) ?? 0} 件`,
      hot.has(feature.properties.code) ? ' · 热点' : '')),
  }).addTo(map);
  if (collection.features.length) map.fitBounds(areas.getBounds(), { padding: [12, 12] });
  let points = [];

  async function load() {
    const q = new URLSearchParams({ limit: '200' });
    if (state.value && state.value !== 'open') q.set('state', state.value);
    if (category.value) q.set('category', category.value);
    const { items } = await api('patrold', `/v1/findings?${q}`);
    const shown = state.value === 'open' ? items.filter((f) => open.has(f.state)) : items;
    counts = new Map();
    for (const f of shown) counts.set(f.grid_code, (counts.get(f.grid_code) ?? 0) + 1);
    areas.setStyle((feature) => areas.options.style(feature));
    for (const point of points) point.remove();
    points = shown.filter((f) => f.latitude !== undefined && f.longitude !== undefined).map((f) =>
      circleMarker([f.latitude, f.longitude], { radius: 6, color: f.overdue ? '#b3261e' : '#1f2933', weight: 2, fillOpacity: 0.8 })
        .bindTooltip(() => h('span', {}, `${categoryNames[f.category] ?? f.category} · ${findingStates[f.state] ?? f.state} · ${placeName('grid', f.grid_code)}`))
        .addTo(map));
    summary.textContent = `${collection.features.length} 个网格 · ${shown.length} 件问题（${points.length} 件有位置）· ${hot.size} 个热点网格`;
    container.dataset.findings = String(shown.length);
  }

  state.addEventListener('change', load);
  category.addEventListener('change', load);
  await load();
}
