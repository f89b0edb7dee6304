/* Event screen: refresh the count, every question and the comment wall every few seconds
   without reloading (live-poll.js asks for the figures).
   A button puts the page in full screen where the browser allows it. */
(function () {
  "use strict";
  var screen = document.getElementById("screen");
  if (!screen || !window.fetch || !window.fiilisPoll) { return; }
  var url = screen.getAttribute("data-live");
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
    renderChoices(data.choices);
    if ("comments" in data) { renderComments(data.comments); }
  }

  function renderChoices(choices) {
    Object.keys(choices || {}).forEach(function (key) {
      var item = choices[key];
      var box = screen.querySelector('.choice-result[data-key="' + key + '"]');
      if (!box) { return; }
      box.querySelector(".ind-suppressed").hidden = !item.suppressed;
      box.querySelector(".choice-bars").hidden = item.suppressed;
      if (item.suppressed) { return; }
      box.querySelectorAll(".choice-bars li").forEach(function (row) {
        var count = item.counts[row.getAttribute("data-option")] || 0;
        var bar = row.querySelector("progress");
        bar.max = Math.max(item.n, 1);
        bar.value = count;
        row.querySelector(".choice-n").textContent = String(count);
      });
    });
  }

  /* Comments are text from the public: set as text, never as HTML. */
  function renderComments(comments) {
    var list = document.getElementById("wall-list");
    if (!list) { return; }
    document.getElementById("wall-waiting").hidden = comments !== null;
    document.getElementById("wall-empty").hidden = comments === null || comments.length > 0;
    list.replaceChildren.apply(list, (comments || []).map(function (text) {
      var item = document.createElement("li");
      item.dir = "auto";
      item.textContent = text;
      return item;
    }));
  }

  var full = document.getElementById("screen-fullscreen");
  if (full && document.fullscreenEnabled) {
    full.hidden = false;
    full.addEventListener("click", function () {
      document.documentElement.requestFullscreen().catch(function () { /* refused: fine */ });
    });
    document.addEventListener("fullscreenchange", function () {
      full.hidden = Boolean(document.fullscreenElement);
    });
  }

  window.fiilisPoll(url, INTERVAL_MS, render);
}());
