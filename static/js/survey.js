/* Fiilis resident page: registers the service worker and sends answers through the outbox.
 *
 * Without this script the plain form still posts and works. With it, an answer is first
 * written to the IndexedDB outbox with a fresh client_id, then sent to the JSON API; with no
 * network it waits there and goes out on load, on "online", when the page becomes visible
 * again, or by Background Sync. All texts come from the page (data-msg-*), already translated. */
(function () {
  "use strict";

  var script = document.currentScript;
  var form = document.querySelector("form.survey-form[data-api]");
  var statusBox = document.getElementById("status");
  var outbox = window.FiilisOutbox;
  var pendingId = null; // an answer from this tab that is waiting for the network
  // Kiosk mode (kiosk.js): every person is thanked on the spot and the form emptied for the
  // next one, so nothing here may later speak about an answer to whoever stands there then.
  var kiosk = form && form.hasAttribute("data-kiosk") && window.FiilisKiosk;

  function message(name) {
    return (form && form.getAttribute("data-msg-" + name)) || "";
  }

  function say(text, link, isError) {
    if (!statusBox) return;
    var paragraph = document.createElement("p");
    paragraph.className = isError ? "notice notice-error" : "notice";
    paragraph.textContent = text;
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      paragraph.appendChild(document.createTextNode(" "));
      paragraph.appendChild(anchor);
    }
    statusBox.replaceChildren(paragraph);
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !script) return;
    navigator.serviceWorker.register(script.getAttribute("data-worker"), { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) {
          if (event.data && event.data.cached) document.documentElement.setAttribute("data-offline-ready", "true");
        };
        registration.active.postMessage({ type: "cache-page", url: location.href }, [channel.port2]);
      })
      .catch(function () { /* no worker: the page still works online */ });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "outbox-flushed") report(event.data.results);
    });
  }

  function requestBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("fiilis-outbox");
    }).catch(function () { /* not supported: the page's own triggers remain */ });
  }

  /* Tell this tab's resident what became of their waiting answer. */
  function report(results) {
    if (!pendingId) return Promise.resolve();
    var result = results && results[pendingId];
    if (result && result.outcome === "retry") return Promise.resolve();
    return outbox.all().then(function (records) {
      var stillWaiting = records.some(function (record) { return record.client_id === pendingId; });
      if (stillWaiting) return;
      pendingId = null;
      if (result && result.outcome === "rejected") say(message("failed"), null, true);
      else say(message("sent"), { href: form.getAttribute("data-thanks"), text: message("results") });
    });
  }

  function flushAndReport() {
    return outbox.flush().then(report).catch(function () { /* storage unavailable */ });
  }

  function collectAnswers() {
    var answers = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name.indexOf("q_") !== 0) return;
      var key = field.name.slice(2);
      if (field.type === "radio") {
        if (!(key in answers)) answers[key] = null;
        if (field.checked) {
          answers[key] = field.classList.contains("face-input") ? parseInt(field.value, 10) : field.value;
        }
      } else if (field.type === "checkbox") {
        answers[key] = answers[key] || [];
        if (field.checked) answers[key].push(field.value);
      } else {
        answers[key] = field.value.trim() ? field.value : null;
      }
    });
    return answers;
  }

  function showRejection(result) {
    var key = result.field && result.field.indexOf("answers.") === 0 ? result.field.slice(8) : null;
    if (result.status === 410 || result.status === 404) { say(message("closed"), null, true); return; }
    if (result.field === "answers") { say(message("none"), null, true); return; }
    if (!key) { say(message("failed"), null, true); return; }
    say(message("invalid"), { href: "#q-" + key, text: message("check") }, true);
    var first = document.querySelector("#q-" + CSS.escape(key) + " input, #q-" + CSS.escape(key) + " textarea");
    if (first) first.focus();
  }

  function onSubmit(event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var thanks = form.getAttribute("data-thanks");
    var trap = form.querySelector("[data-honeypot]");
    if (trap && trap.value.trim()) { location.assign(thanks); return; }
    var answers = collectAnswers();
    var given = Object.keys(answers).some(function (key) {
      var value = answers[key];
      return value !== null && !(Array.isArray(value) && value.length === 0);
    });
    // Nothing chosen: say so here rather than keep an empty answer waiting in the outbox.
    if (!given) {
      say(message("none"), null, true);
      var firstAnswer = form.querySelector("input[name^=q_], textarea[name^=q_]");
      if (firstAnswer) firstAnswer.focus();
      return;
    }
    var record = {
      client_id: crypto.randomUUID(),
      api: form.getAttribute("data-api"),
      locale: form.getAttribute("data-locale"),
      answers: answers,
      saved_at: Date.now()
    };
    button.disabled = true;
    say(message("sending"));
    outbox.put(record).then(function () {
      pendingId = record.client_id;
      return outbox.flush();
    }, function () {
      form.submit(); // no IndexedDB here (private mode, old browser): post the plain form
      return null;
    }).then(function (results) {
      if (!results) return;
      var result = results[record.client_id];
      if (result && result.outcome === "retry" && kiosk) {
        pendingId = null;
        kiosk.thank("saved");
        requestBackgroundSync();
        return;
      }
      if (result && result.outcome === "retry") {
        form.hidden = true;
        say(message("saved"));
        requestBackgroundSync();
        return;
      }
      if (result && result.outcome === "rejected") {
        pendingId = null;
        button.disabled = false;
        showRejection(result);
        return;
      }
      // Delivered by this tab, or already by another tab holding the lock first.
      pendingId = null;
      if (kiosk) kiosk.thank("stored");
      else location.assign(thanks);
    }).catch(function () {
      button.disabled = false;
      say(message("failed"), null, true);
    });
  }

  registerWorker();
  if (!outbox || !window.indexedDB) return;
  flushAndReport();
  window.addEventListener("online", flushAndReport);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") flushAndReport();
  });
  if (form && window.crypto && crypto.randomUUID) form.addEventListener("submit", onSubmit);
})();
