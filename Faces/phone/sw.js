// The phone page's service worker: the page's own files come from the cache first (so it opens
// with no network at all) and are refreshed behind; the APIs are never cached — reports wait in
// the page's outbox instead.
const SHELL = 'gridmesh-phone-v3';
const FILES = [
  '/phone/', '/phone/index.html', '/phone/phone.css', '/phone/phone.js', '/phone/outbox.js', '/phone/photo.js', '/phone/icon.svg',
  '/phone/manifest.webmanifest', '/shared/session.js', '/shared/zh.js', '/shared/dom.js', '/shared/places.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== SHELL) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  event.respondWith((async () => {
    const cache = await caches.open(SHELL);
    const cached = await cache.match(event.request, { ignoreSearch: true });
    const fresh = fetch(event.request).then((response) => {
      if (response.ok) cache.put(event.request, response.clone());
      return response;
    });
    if (cached) {
      event.waitUntil(fresh.catch(() => {}));
      return cached;
    }
    return fresh;
  })());
});
