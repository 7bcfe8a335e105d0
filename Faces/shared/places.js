// The district's places as the staff name them: grids, communities and streets within the person's
// scope, from patrold's /v1/grids (GeoJSON), loaded once per session. Codes stay where no name is known.
import { api } from '/shared/session.js';

let loaded = null;
const names = { grid: new Map(), community: new Map(), street: new Map() };

/** The grids as GeoJSON (and the names learnt from them). */
export function grids() {
  loaded ??= api('patrold', '/v1/grids', { accept: 'application/geo+json' }).then((collection) => {
    for (const { properties: p } of collection.features) {
      names.grid.set(p.code, p.name);
      names.community.set(p.community_code, p.community_name);
      names.street.set(p.street_code, p.street_name);
    }
    return collection;
  }).catch((failure) => { loaded = null; throw failure; });
  return loaded;
}

export function placeName(level, code) { return names[level]?.get(code) ?? code; }

/** A scope in words: 全区, 水果湖街道, 东亭社区, 东亭-03 网格. */
export function scopeName(scope) {
  if (scope === 'district') return '全区';
  const [level, code] = String(scope).split(':');
  const name = placeName(level, code);
  return level === 'grid' ? `${name} 网格` : name;
}

/** The streets whose grids the person sees, as [code, name], in the order patrold lists them. */
export function streets() { return [...names.street.entries()]; }
