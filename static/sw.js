/* Fiilis service worker (served at /sw.js, scope /).
 *
 * Survey pages (and their kiosk form): network first with a short timeout, a cached copy when the network fails,
 * so a survey opened once opens again with no network. Its CSS, scripts and icons come from a
 * cache filled on install. The JSON API and staff pages are never cached: answers and
 * results must not linger on a shared phone. The server writes VERSION, ASSETS and the
 * outbox script's URL in; ASSETS are content-hashed URLs, the very ones the page loaded. */
"use strict";

importScripts("__FIILIS_OUTBOX__");

var VERSION = "__FIILIS_VERSION__";
var ASSETS = ["__FIILIS_ASSETS__"];
var STATIC_CACHE = "fiilis-static-" + VERSION;
var PAGE_CACHE = "fiilis-pages-" + VERSION;
var NAVIGATION_TIMEOUT_MS = 3000;
var SYNC_TAG = "fiilis-outbox";
var SURVEY_PAGE = /^\/s\/[^/]+(\/kiosk)?\/?$/; // the survey and its kiosk form

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) {
      // Each URL names its bytes (a content hash), so the copy the page has just loaded is
      // the right one: the HTTP cache answers and nothing is downloaded twice.
      return cache.addAll(ASSETS);
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  var current = [STATIC_CACHE, PAGE_CACHE];
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("fiilis-") === 0 && current.indexOf(name) === -1;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isSurveyPage(url) {
  return url.origin === self.location.origin && SURVEY_PAGE.test(url.pathname);
}

function cachedPage(request) {
  return caches.open(PAGE_CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      // Another language of the same survey is better than nothing.
      return hit || cache.match(request, { ignoreSearch: true, ignoreVary: true });
    });
  });
}

function storePage(request, response) {
  if (!response || response.type !== "basic") return Promise.resolve();
  return caches.open(PAGE_CACHE).then(function (cache) {
    if (response.status === 200) return cache.put(request, response);
    // A survey that has closed (410) or gone (404) must not keep taking answers offline.
    if (response.status === 404 || response.status === 410) return cache.delete(request, { ignoreVary: true });
  });
}

/* Network first; after NAVIGATION_TIMEOUT_MS a cached copy wins, the network still refreshes it. */
function surveyNavigation(event) {
  var request = event.request;
  var network = fetch(request).then(function (response) {
    event.waitUntil(storePage(request, response.clone()));
    return response;
  });
  var timeout = new Promise(function (resolve) {
    setTimeout(function () { cachedPage(request).then(resolve); }, NAVIGATION_TIMEOUT_MS);
  });
  var fromCacheOnFailure = network.catch(function () {
    return cachedPage(request).then(function (hit) { return hit || Promise.reject(new Error("offline")); });
  });
  return Promise.race([fromCacheOnFailure, timeout.then(function (hit) {
    return hit || fromCacheOnFailure;
  })]);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;
  if (request.mode === "navigate") {
    if (isSurveyPage(url)) event.respondWith(surveyNavigation(event));
    return; // staff and other pages: straight to the network, never stored
  }
  if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request, { cacheName: STATIC_CACHE }).then(function (hit) {
      return hit || fetch(request);
    }));
  }
});

/* The page that registered the worker was loaded before the worker existed: store it now. */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = event.ports && event.ports[0];
  if (data.type !== "cache-page" || !reply) return;
  var url = new URL(data.url, self.location.origin);
  if (!isSurveyPage(url)) { reply.postMessage({ cached: false }); return; }
  var request = new Request(url.href, { credentials: "omit" });
  event.waitUntil(
    caches.open(PAGE_CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || fetch(request).then(function (response) { return storePage(request, response); });
      });
    }).then(function () { reply.postMessage({ cached: true }); },
            function () { reply.postMessage({ cached: false }); })
  );
});

/* Background Sync: the browser wakes the worker when the network is back, even with no tab open. */
self.addEventListener("sync", function (event) {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(self.FiilisOutbox.flush().then(function (results) {
    return self.clients.matchAll({ type: "window" }).then(function (windows) {
      windows.forEach(function (client) { client.postMessage({ type: "outbox-flushed", results: results }); });
      var waiting = Object.keys(results).some(function (id) { return results[id].outcome === "retry"; });
      if (waiting) throw new Error("answers still waiting"); // the browser retries later
    });
  }));
});
