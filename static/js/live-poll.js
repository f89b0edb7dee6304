/* Live figures on staff pages (the event screen, My surveys): ask a small JSON endpoint
   every few seconds and hand what changed to the page. An ETag makes an unchanged poll a
   cheap 304; an offline moment or a failed poll just waits for the next tick. */
(function () {
  "use strict";

  window.fiilisPoll = function (url, intervalMs, render) {
    var etag = null;

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
        .then(function () { window.setTimeout(poll, intervalMs); });
    }

    window.setTimeout(poll, intervalMs);
  };
}());
