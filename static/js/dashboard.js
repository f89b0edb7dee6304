/* Officials' dashboard: draws the Plotly charts from JSON and keeps them live.
 * Loaded as a file (the CSP forbids inline script). Figures and their tables come from
 * /dashboard/data/chart/<name>.json, so the charts, tables and exports share the numbers.
 * Live updates: poll a tiny ETag endpoint; only when the database changed (a 200 instead
 * of a 304) are the cards and charts fetched again. */
(function () {
  "use strict";

  var PLOT_CONFIG = { displayModeBar: false, responsive: true };
  var etag = null;
  var pollMs = 3000;

  function fillTable(name, table) {
    var element = document.getElementById("table-" + name);
    if (!element || !table) { return; }
    var body = document.createElement("tbody");
    table.rows.forEach(function (row) {
      var tr = document.createElement("tr");
      row.forEach(function (value, i) {
        var cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) { cell.setAttribute("scope", "row"); }
        /* Names people wrote are direction-isolated, as in the server-rendered table. */
        var isolated = document.createElement("bdi");
        isolated.textContent = value === null ? "" : String(value);
        cell.appendChild(isolated);
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
    if (table.rows.length) { element.replaceChild(body, element.tBodies[0]); }
  }

  function draw(name, payload) {
    var element = document.getElementById("chart-" + name);
    if (!element || !payload || !window.Plotly) { return; }
    window.Plotly.react(element, payload.figure.data, payload.figure.layout, PLOT_CONFIG);
    element.classList.add("drawn");
    fillTable(name, payload.table);
  }

  /* One request for all charts: the server scans the tallies once for all of them. */
  function drawAll() {
    var holder = document.getElementById("charts");
    if (!holder) { return Promise.resolve(); }
    return fetch(holder.dataset.chartsUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (payloads) {
        if (!payloads) { return; }
        Object.keys(payloads).forEach(function (name) { draw(name, payloads[name]); });
      });
  }

  function refreshCards() {
    var cards = document.getElementById("district-cards");
    if (!cards) { return Promise.resolve(); }
    return fetch(cards.dataset.cardsUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) { cards.innerHTML = html; } });
  }

  function announce(status) {
    var now = new Date();
    var time = now.toLocaleTimeString(document.documentElement.lang || undefined,
      { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    status.textContent = status.dataset.updatedText.replace("{time}", time);
  }

  function poll(status) {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(status.dataset.stampUrl, { credentials: "same-origin", cache: "no-store", headers: headers })
      .then(function (response) {
        if (response.status === 200) {
          var first = etag === null;
          etag = response.headers.get("ETag");
          response.clone().json().then(function (body) {
            if (body && body.poll_seconds) { pollMs = body.poll_seconds * 1000; }
          }).catch(function () { /* keep the current interval */ });
          if (!first) {
            return Promise.all([refreshCards(), drawAll()]).then(function () { announce(status); });
          }
        }
        return null;
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () { window.setTimeout(function () { poll(status); }, pollMs); });
  }

  /* On paper every chart's table is shown: open the folded ones, and fold them back after. */
  var unfolded = [];
  window.addEventListener("beforeprint", function () {
    unfolded = Array.prototype.filter.call(document.querySelectorAll("details.chart-table"),
      function (details) { return !details.open; });
    unfolded.forEach(function (details) { details.open = true; });
  });
  window.addEventListener("afterprint", function () {
    unfolded.forEach(function (details) { details.open = false; });
    unfolded = [];
  });

  document.addEventListener("DOMContentLoaded", function () {
    drawAll();
    var status = document.getElementById("live-status");
    if (status) {
      etag = status.dataset.etag || null;
      poll(status);
    }
  });
})();
