/* Fiilis answer outbox: answers wait in IndexedDB until the server has confirmed them.
 *
 * Loaded by the survey page and imported by the service worker (Background Sync), so it
 * touches no DOM. Delivery is exactly once: every answer carries its own client_id, which the
 * server stores once, and a Web Lock lets only one tab (or the worker) flush at a time. */
(function (scope) {
  "use strict";

  var DB_NAME = "fiilis";
  var STORE = "outbox";
  var LOCK_NAME = "fiilis-outbox";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "client_id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  /* Run one operation in its own transaction; resolves once the transaction has committed. */
  function withStore(mode, operation) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = operation(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function put(record) {
    return withStore("readwrite", function (store) { return store.put(record); });
  }

  function all() {
    return withStore("readonly", function (store) { return store.getAll(); });
  }

  function remove(clientId) {
    return withStore("readwrite", function (store) { return store.delete(clientId); });
  }

  /* "delivered" on 201/200, "rejected" on a final 4xx, "retry" when offline, 5xx, 408 or 429. */
  function send(record) {
    var body = { client_id: record.client_id, locale: record.locale, answers: record.answers };
    return scope.fetch(record.api, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store"
    }).then(function (response) {
      var code = response.status;
      if (code === 200 || code === 201) return { outcome: "delivered", status: code };
      if (code >= 400 && code < 500 && code !== 408 && code !== 429) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          return { outcome: "rejected", status: code, field: json.field || null };
        });
      }
      return { outcome: "retry", status: code };
    }, function () {
      return { outcome: "retry", status: 0 };
    });
  }

  /* Send every waiting record in turn; a record leaves only after a final answer. */
  function flushUnlocked() {
    var results = {};
    return all().then(function (records) {
      return records.reduce(function (chain, record) {
        return chain.then(function () {
          return send(record).then(function (result) {
            results[record.client_id] = result;
            if (result.outcome !== "retry") return remove(record.client_id);
          });
        });
      }, Promise.resolve());
    }).then(function () { return results; });
  }

  /* Flush under a Web Lock: two tabs reconnecting at once must not both send a record. */
  function flush() {
    var locks = scope.navigator && scope.navigator.locks;
    if (locks && locks.request) return locks.request(LOCK_NAME, flushUnlocked);
    return flushUnlocked();
  }

  scope.FiilisOutbox = { put: put, all: all, remove: remove, flush: flush };
})(self);
