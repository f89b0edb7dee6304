/* Event screen: refresh the count and the faces every few seconds without reloading.
   Polls a small JSON endpoint; an ETag makes an unchanged poll a cheap 304. */
(function () {
  "use strict";
  var screen = document.getElementById("screen");
  if (!screen || !window.fetch) { return; }
  var url = screen.getAttribute("data-live");
  var etag = null;
  var INTERVAL_MS = 4000;

  /* The page carries "answer(s)" once per plural category of its language, as the server
     words it; the browser's own plural rules say which category the new count falls in. */
  var plurals = window.Intl && Intl.PluralRules
    ? new Intl.PluralRules(document.documentElement.lang) : null;

  function answersWord(count) {
    var category = plurals ? plurals.select(count) : "other";
    return screen.getAttribute("data-answers-" + category) ||
      screen.getAttribute("data-answers-other") || "";
  }

  function showStatus(status) {
    var note = document.getElementById("screen-status");
    if (!note) { return; }
    note.hidden = status === "open";
    if (status !== "open") { note.textContent = note.getAttribute("data-" + status) || ""; }
  }

  function render(data) {
    showStatus(data.status);
    document.getElementById("screen-count").textContent = String(data.responses);
    document.getElementById("screen-count-label").textContent = answersWord(data.responses);
    data.indicators.forEach(function (item) {
      var box = screen.querySelector('.indicator[data-key="' + item.key + '"]');
      if (!box) { return; }
      box.querySelector(".ind-index").hidden = item.suppressed;
      box.querySelector(".ind-faces").hidden = item.suppressed;
      box.querySelector(".ind-suppressed").hidden = !item.suppressed;
      if (item.suppressed) { return; }
      box.querySelector(".ind-value").textContent = String(Math.round(item.index));
      var faces = box.querySelectorAll(".ind-faces li");
      item.distribution.forEach(function (count, i) {
        var bar = faces[i].querySelector("progress");
        bar.max = Math.max(item.n, 1);
        bar.value = count;
        faces[i].querySelector(".ind-n").textContent = String(count);
      });
    });
  }

  function poll() {
    var headers = { "Accept": "application/json" };
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 304 || !response.ok) { return null; }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () { window.setTimeout(poll, INTERVAL_MS); });
  }

  window.setTimeout(poll, INTERVAL_MS);
}());
