// Service worker of the inspector's page: keeps the page, its code, the trust list and the
// revocation list so the page verifies with no network after one online visit. Every request
// goes to the network first (so each online visit refreshes the copy) and falls back to the
// copy when the network fails or takes longer than NETWORK_WAIT.
"use strict";

const CACHE = "roadcheck-verify-v1";
const NETWORK_WAIT = 4000; // ms
const OFFLINE = [
  "/verify", "/verify.js", "/verify.css", "/verify-worker.js", "/verify.webmanifest",
  "/verify-icon.svg", "/wasm_exec.js", "/verify.wasm", "/v1/trust-list", "/v1/revocations",
];

async function refresh(path) {
  const res = await fetch(path, { cache: "no-cache" }); // revalidate: a 304 when unchanged
  if (res.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(path, res.clone());
  }
  return res;
}

self.addEventListener("install", (ev) => {
  // One file missing (no wasm in this build, no revocation list yet) must not stop the rest.
  ev.waitUntil(Promise.allSettled(OFFLINE.map(refresh)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (ev) => {
  ev.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (ev) => {
  const url = new URL(ev.request.url);
  if (ev.request.method !== "GET" || url.origin !== self.location.origin || !OFFLINE.includes(url.pathname)) return;
  ev.respondWith((async () => {
    const cached = () => caches.match(url.pathname).then((r) => r || Response.error());
    let timer;
    const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error("slow network")), NETWORK_WAIT); });
    try {
      const res = await Promise.race([refresh(url.pathname), late]);
      if (res.ok) return res;
      return (await caches.match(url.pathname)) || res;
    } catch (err) {
      return cached();
    } finally {
      clearTimeout(timer);
    }
  })());
});
