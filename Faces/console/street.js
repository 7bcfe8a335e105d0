// The street a committee page is about: the person's own street, or, for the district's command
// centre, one chosen from the streets it sees (kept in the address: #/meetings?street=shuiguohu).
import { h } from '/shared/dom.js';
import { streets, placeName } from '/shared/places.js';

/** The page's query parameters (after the # route). */
export function routeQuery() { return new URLSearchParams(location.hash.split('?')[1] ?? ''); }

/** Moves within the page: #/PAGE?name=value… */
export function go(page, query = {}) {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  location.hash = `#/${page}${q.size ? `?${q}` : ''}`;
}

/** { code, picker }: the street, and (for the district) a select that moves to another. */
export function streetOf(person, page) {
  const [level, own] = person.scope.split(':');
  if (level === 'street') return { code: own, picker: null };
  const known = streets();
  const code = routeQuery().get('street') || known[0]?.[0];
  const select = h('select', { id: 'street', onchange: () => go(page, { street: select.value }) },
    known.map(([c, name]) => h('option', { value: c, selected: c === code }, name)));
  return { code, picker: h('div', {}, h('label', { for: 'street' }, '街道'), select), name: placeName('street', code) };
}
