/* My surveys: keep each survey's answer count current while the page is open.
   Polls a small JSON endpoint; an ETag makes an unchanged poll a cheap 304. */
(function () {
  "use strict";
  var list = document.getElementById("survey-list");
  if (!list || !window.fetch) { return; }
  var url = list.getAttribute("data-counts");
  var one = list.getAttribute("data-one");
  var other = list.getAttribute("data-other");
  var etag = null;
  var INTERVAL_MS = 10000;

  function label(n) {
    // Finnish, Swedish and English all use the singular for exactly one.
    return (n === 1 ? one : other).replace(/\d+/, String(n));
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
      .then(function (data) {
        if (!data) { return; }
        Object.keys(data.counts).forEach(function (id) {
          var cell = list.querySelector('.count[data-survey="' + id + '"]');
          if (cell) { cell.textContent = label(data.counts[id]); }
        });
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () { window.setTimeout(poll, INTERVAL_MS); });
  }

  window.setTimeout(poll, INTERVAL_MS);
}());
